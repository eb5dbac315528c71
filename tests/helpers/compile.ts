import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * dist/ made from the sources being tested. The CLI tests run `dist/cli/main.js`, so a dist/ compiled from other
 * sources would test the wrong code: `ensureCompiled` compiles when the sources' hash differs from the one the
 * last compile left in `dist/.sources-sha256`. When that stamp is missing (dist/ made by `npm run compile` or
 * `npm ci`'s prepare), dist/ counts as current only if every emitted file is newer than every source.
 */

const REPO = path.resolve(import.meta.dirname, "../..");
const DIST = path.join(REPO, "dist");
const STAMP = path.join(DIST, ".sources-sha256");
/** What tsc reads for the build: the sources and the compiler settings. */
const INPUTS = [
  path.join(REPO, "src"),
  path.join(REPO, "tsconfig.json"),
  path.join(REPO, "tsconfig.build.json"),
];

function filesUnder(entry: string): string[] {
  if (!existsSync(entry)) return [];
  if (!statSync(entry).isDirectory()) return [entry];
  return readdirSync(entry, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** A hash of every file under `inputs` (folders or files), by path relative to `base` and content. */
export function sourcesHash(inputs = INPUTS, base = REPO): string {
  const hash = createHash("sha256");
  for (const file of inputs.flatMap(filesUnder)) {
    hash.update(path.relative(base, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  return hash.digest("hex");
}

function emittedAfterSources(): boolean {
  const emitted = filesUnder(DIST).filter((f) => f.endsWith(".js"));
  if (emitted.length === 0) return false;
  const oldestEmit = Math.min(...emitted.map((f) => statSync(f).mtimeMs));
  const newestSource = Math.max(...INPUTS.flatMap(filesUnder).map((f) => statSync(f).mtimeMs));
  return oldestEmit > newestSource;
}

/** Compiles src/ into dist/ unless dist/ was made from these very sources; throws with tsc's output if it fails. */
export function ensureCompiled(): { compiled: boolean; hash: string } {
  const hash = sourcesHash();
  const stamp = existsSync(STAMP) ? readFileSync(STAMP, "utf8").trim() : undefined;
  const current =
    existsSync(path.join(DIST, "cli", "main.js")) && (stamp ? stamp === hash : emittedAfterSources());
  if (!current) {
    const tsc = path.join(REPO, "node_modules", "typescript", "bin", "tsc");
    const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], {
      cwd: REPO,
      encoding: "utf8",
    });
    if (r.status !== 0)
      throw new Error(`tsc -p tsconfig.build.json failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  }
  writeFileSync(STAMP, `${hash}\n`);
  return { compiled: !current, hash };
}
