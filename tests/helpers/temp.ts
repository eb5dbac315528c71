import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * Where tests write. Each test run gets one folder of its own, `kaiho-run-<pid>-*` in the temp dir, made the temp
 * dir of every fork (TMPDIR) by the global setup and removed when the run ends: the test files' own `mkdtemp`s,
 * their projects and the CLI's scratch files go into it, whether or not a test removes them. `KEEP_TEST_TEMP=1`
 * keeps it to look at (its path is printed).
 *
 * What is kept between runs on purpose lives beside it, in the temp dir the run started with (`sharedTmp`): the
 * shared builds (tests/helpers/built.ts), the corpus project (tests/helpers/corpus.ts), the drawn fixture photos
 * (tests/helpers/fixture-photos.ts). The first two are one folder per checkout (two worktrees testing at once must
 * not delete each other's), removed once their checkout is gone.
 */

const REPO = path.resolve(import.meta.dirname, "../..");
/** The temp dir the run started with, passed to the forks by the global setup. */
const SHARED_ENV = "TESTS_SHARED_TMPDIR";
const RUN_PREFIX = "kaiho-run-";
const CHECKOUT_FILE = "checkout.txt";

/** The temp dir kept between runs (the run's own is removed at its end). */
export function sharedTmp(): string {
  return process.env[SHARED_ENV] ?? tmpdir();
}

const user = String(process.getuid?.() ?? "user");

/**
 * `<shared temp>/kaiho-<what>-<uid>-<checkout hash>`, made if needed, with the checkout's path written in it so
 * `pruneOrphans` can tell when the checkout is gone.
 */
export function checkoutFolder(what: string): string {
  const dir = path.join(
    sharedTmp(),
    `kaiho-${what}-${user}-${createHash("sha256").update(REPO).digest("hex").slice(0, 8)}`,
  );
  mkdirSync(dir, { recursive: true });
  const marker = path.join(dir, CHECKOUT_FILE);
  if (!existsSync(marker)) writeFileSync(marker, `${REPO}\n`);
  return dir;
}

/** Removes the `checkoutFolder(what)`s of checkouts that no longer exist (a deleted worktree). */
export function pruneOrphans(what: string): void {
  const prefix = `kaiho-${what}-${user}-`;
  for (const name of readdirSync(sharedTmp())) {
    if (!name.startsWith(prefix)) continue;
    const dir = path.join(sharedTmp(), name);
    let checkout: string;
    try {
      checkout = readFileSync(path.join(dir, CHECKOUT_FILE), "utf8").trim();
    } catch {
      continue; // Not one of ours, or being made.
    }
    if (!existsSync(checkout)) rmSync(dir, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

interface RunTemp {
  users: number;
  end: () => void;
}
/** On globalThis: vitest loads the global setup module anew for each project, in the same process. */
const STARTED = Symbol.for("kaiho.tests.runTemp");
const holder = globalThis as { [STARTED]?: RunTemp };

/**
 * Makes the run's temp folder and the temp dir of this process and of every process it starts (the forks, the CLI
 * they run); removes the folders of earlier runs that were killed before their end. Returns the end of the run.
 * Each vitest project runs the global setup (vitest.config.ts): a second call shares the first one's folder, which
 * goes when both have ended.
 */
export function startRunTemp(): () => void {
  holder[STARTED] ??= { users: 0, end: makeRunTemp() };
  const state = holder[STARTED];
  state.users++;
  return () => {
    if (--state.users > 0) return;
    delete holder[STARTED];
    state.end();
  };
}

function makeRunTemp(): () => void {
  const shared = sharedTmp();
  process.env[SHARED_ENV] = shared;
  for (const name of readdirSync(shared)) {
    const pid = Number(/^kaiho-run-(\d+)-/.exec(name)?.[1]);
    if (pid && !alive(pid)) rmSync(path.join(shared, name), { recursive: true, force: true });
  }
  const run = mkdtempSync(path.join(shared, `${RUN_PREFIX}${process.pid}-`));
  // os.tmpdir() reads these on every call (TMPDIR on POSIX, TMP/TEMP on Windows).
  const names = ["TMPDIR", "TMP", "TEMP"] as const;
  const before = names.map((name) => process.env[name]);
  for (const name of names) process.env[name] = run;
  return () => {
    names.forEach((name, i) => {
      if (before[i] === undefined) delete process.env[name];
      else process.env[name] = before[i];
    });
    if (process.env.KEEP_TEST_TEMP) console.log(`the test run's temp folder is kept: ${run}`);
    else rmSync(run, { recursive: true, force: true, maxRetries: 3 });
  };
}
