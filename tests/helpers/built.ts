import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { type CliResult, kaiho, projectWith, REPO, SAMPLE, tempProject } from "./cli.js";
import { checkoutFolder, pruneOrphans, sharedTmp } from "./temp.js";

/**
 * One CLI build of an issue, shared by every test file that only reads what it wrote (the sample issue is read by
 * the sample, editions, preview, print and PDF/X tests): built once into a project folder of its own in the temp
 * dir, then reused, across test files and forks and across runs.
 *
 * The key is everything the build depends on: the compiled code (every file of dist/, which the global setup
 * compiles from src/ when stale, tests/helpers/compile.ts), the issue folder's files, the arguments, the
 * installed packages (node_modules/.package-lock.json), Node's version and the KAIHO_* environment. Any change
 * to one of them builds again, so a test reading a cached build still fails when the code breaks.
 *
 * Forks wanting the same build at once: the first takes a lock (an exclusive mkdir), the others wait for its
 * `built.json`, which is written last (temporary file + rename), so a half-made build is never read. A lock whose
 * process is gone is taken over. Only successful builds are kept; a failed one is returned as it is, and
 * built again by the next caller.
 *
 * Tests must not change the files of a shared build: a test that breaks, edits or rebuilds a project makes its
 * own (tests/helpers/cli.ts tempProject).
 *
 * Kept bounded (`pruneBuilt`, by the global setup): builds live in `kaiho-built-<uid>-<checkout>/<code>/<key>`, one
 * folder per checkout (tests/helpers/temp.ts), and in it only the current code's; a build not used for a day (its
 * fixture was edited since) goes too.
 */

export const BUILT_ROOT = checkoutFolder("built");
const MARKER = "built.json";
/** A build of the sample takes seconds; waiting this long for another fork's means that fork is stuck. */
const WAIT_MS = 10 * 60_000;
/** Entries not used for this long are removed by the global setup (`pruneBuilt`). */
const KEEP_MS = 24 * 3600_000;

export interface Built extends CliResult {
  /** The project folder the build ran in (`--root`). */
  root: string;
  /** The issue folder inside it (`content/<id>`). */
  issue: string;
  output: string;
  /** `output/<id><suffix>`, e.g. `out(".pdf")`, `out("-print.pdf")`. */
  out(suffix: string): string;
}

function filesOf(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

function hashTree(
  hash: ReturnType<typeof createHash>,
  dir: string,
  skip: (rel: string) => boolean = () => false,
) {
  for (const file of filesOf(dir)) {
    const rel = path.relative(dir, file);
    if (skip(rel)) continue;
    hash.update(rel).update("\0").update(readFileSync(file)).update("\0");
  }
}

let codeKey: string | undefined;

/** The compiled code and what it runs on; computed once per fork. */
function codeHash(): string {
  if (codeKey) return codeKey;
  const hash = createHash("sha256");
  hash.update(`node ${process.version} ${process.platform} ${process.arch}\0`);
  hashTree(hash, path.join(REPO, "dist"), (rel) => rel.endsWith(".map") || rel === ".sources-sha256");
  const installed = path.join(REPO, "node_modules", ".package-lock.json");
  hash.update(
    existsSync(installed) ? readFileSync(installed) : readFileSync(path.join(REPO, "package-lock.json")),
  );
  for (const [k, v] of Object.entries(process.env).sort())
    if (k.startsWith("KAIHO_")) hash.update(`${k}=${v}\0`);
  codeKey = hash.digest("hex");
  return codeKey;
}

/** The folder under BUILT_ROOT holding the builds of one compiled code. */
function codeFolder(code: string): string {
  return code.slice(0, 16);
}

/** The cache key of a build: the code (default: this checkout's dist/ and what it runs on), the input, the arguments. */
export function buildKey(issueDir: string, args: string[], code = codeHash()): string {
  const hash = createHash("sha256").update(code);
  hash.update(`${path.basename(issueDir)}\0${JSON.stringify(args)}\0`);
  hashTree(hash, issueDir);
  return hash.digest("hex").slice(0, 24);
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the lock, or returns false when a live process holds it. */
function tryLock(lock: string): boolean {
  try {
    mkdirSync(lock);
    writeFileSync(path.join(lock, "pid"), String(process.pid));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  let holder = Number.NaN;
  try {
    holder = Number(readFileSync(path.join(lock, "pid"), "utf8"));
  } catch {
    // The holder made the folder and has not written its pid yet: it is alive.
    return false;
  }
  if (Number.isInteger(holder) && !alive(holder)) rmSync(lock, { recursive: true, force: true });
  return false;
}

function result(dir: string, id: string, run: CliResult): Built {
  const output = path.join(dir, "output");
  return {
    ...run,
    root: dir,
    issue: path.join(dir, "content", id),
    output,
    out: (suffix) => path.join(output, `${id}${suffix}`),
  };
}

function readDone(dir: string): CliResult | undefined {
  const marker = path.join(dir, MARKER);
  if (!existsSync(marker)) return undefined;
  const now = new Date();
  utimesSync(marker, now, now);
  return JSON.parse(readFileSync(marker, "utf8")) as CliResult;
}

/**
 * The outputs of `kaiho build <issue> --root <project> ...args` for a copy of `issueDir` in a fresh project
 * (empty fonts/ and images/), built once per key (see above).
 */
export function built(issueDir: string, args: string[] = []): Built {
  const id = path.basename(issueDir);
  const code = codeHash();
  const dir = path.join(BUILT_ROOT, codeFolder(code), buildKey(issueDir, args, code));
  const lock = `${dir}.lock`;
  mkdirSync(path.dirname(dir), { recursive: true });
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const done = readDone(dir);
    if (done) return result(dir, id, done);
    if (tryLock(lock)) break;
    if (Date.now() > deadline)
      throw new Error(`waited ${WAIT_MS / 1000} s for ${lock} (held by a stuck build?)`);
    sleep(100);
  }
  try {
    // Another fork may have finished between our look and our lock.
    const done = readDone(dir);
    if (done) return result(dir, id, done);
    rmSync(dir, { recursive: true, force: true });
    for (const sub of ["output", "fonts", "images"]) mkdirSync(path.join(dir, sub), { recursive: true });
    const issue = path.join(dir, "content", id);
    cpSync(issueDir, issue, { recursive: true });
    const run = kaiho(["build", issue, "--root", dir, ...args], dir);
    if (run.status === 0) {
      const tmp = path.join(dir, `${MARKER}.${process.pid}.tmp`);
      writeFileSync(tmp, JSON.stringify({ status: run.status, stdout: run.stdout, stderr: run.stderr }));
      renameSync(tmp, path.join(dir, MARKER));
    }
    return result(dir, id, run);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * An issue made of the given YAML text (and files beside it, as tests/helpers/cli.ts projectWith), built once per
 * key: two test files building the same fixture share one build.
 */
export function builtWith(
  yaml: string | Buffer,
  files: Record<string, string | Buffer> = {},
  args: string[] = [],
): Built {
  const source = projectWith(yaml, files);
  try {
    return built(source.issue, args);
  } finally {
    rmSync(source.root, { recursive: true, force: true });
  }
}

let sample: Built | undefined;

/** The sample issue (content/shishokuro-485): every edition and the booklet (`--impose booklet`). */
export function builtSample(): Built {
  sample ??= built(path.join(REPO, "content", SAMPLE), ["--impose", "booklet"]);
  return sample;
}

/**
 * Puts the shared build of the sample into the project at `root` (a copy of the sample issue, tests/helpers/cli.ts
 * tempProject): its output/ and .cache/ copied in, as if the test had built it there. For tests that need a built
 * project to break, rebuild or send from, without paying for the first build again.
 */
export function sampleBuiltInto(root: string): Built {
  const build = builtSample();
  if (build.status !== 0) throw new Error(`the sample did not build:\n${build.stderr}`);
  cpSync(build.output, path.join(root, "output"), { recursive: true });
  cpSync(path.join(build.root, ".cache"), path.join(root, ".cache"), { recursive: true });
  return build;
}

/**
 * Lends the shared build of the sample's warm `.cache/` (converted fonts, processed photos, the CMYK profile) to the
 * project at `root`, as an editor's second build has it; output/ stays as it was. The cold path is still run by the
 * shared build itself, in a project of its own.
 */
export function sampleCacheInto(root: string): void {
  const build = builtSample();
  if (build.status !== 0) throw new Error(`the sample did not build:\n${build.stderr}`);
  cpSync(path.join(build.root, ".cache"), path.join(root, ".cache"), { recursive: true });
}

/** A fresh copy of the sample issue in a project of its own, already built (see sampleBuiltInto). */
export function builtSampleProject(): { root: string; issue: string; build: Built } {
  const project = tempProject();
  return { ...project, build: sampleBuiltInto(project.root) };
}

/** Removes the entries of `dir` no test has used for `KEEP_MS`, or, given `keep`, every entry but that one. */
function pruneEntries(dir: string, keep?: string): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    if (name === keep || name === "checkout.txt") continue;
    const entry = path.join(dir, name);
    const marker = path.join(entry, MARKER);
    // Undefined when another run in this checkout removed it meanwhile.
    const used = statSync(existsSync(marker) ? marker : entry, { throwIfNoEntry: false })?.mtimeMs;
    if (used === undefined) continue;
    if (keep !== undefined || Date.now() - used > KEEP_MS) rmSync(entry, { recursive: true, force: true });
  }
}

/**
 * Keeps the shared builds bounded (see above): of this checkout's, only the current code's, and of those the ones
 * used within a day; the folders of checkouts that are gone; the folder of the layout before 2026-12
 * (`kaiho-built-<uid>`, shared by every checkout, so emptied only of what nobody used for a day).
 */
export function pruneBuilt(): void {
  const current = codeFolder(codeHash());
  pruneEntries(BUILT_ROOT, current);
  pruneEntries(path.join(BUILT_ROOT, current));
  pruneOrphans("built");
  const legacy = path.join(sharedTmp(), `kaiho-built-${process.getuid?.() ?? "user"}`);
  pruneEntries(legacy);
  if (existsSync(legacy) && readdirSync(legacy).length === 0)
    rmSync(legacy, { recursive: true, force: true });
}
