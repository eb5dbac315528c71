#!/usr/bin/env node
// Compiles TypeScript (tsconfig.build.json → dist/) only when dist/ was not made from the sources as they are now,
// so a warm `npm run build` / `npm run check` costs what `npx kaiho …` costs, and the tests (tests/helpers/compile.ts,
// run by the global setup) never run a dist/ made from other sources.
//
// "Made from" is decided by content, not file times: a hash of every input is written to dist/.sources-sha256 after
// tsc succeeded, and compared with the inputs' hash now. A git checkout or a copy that resets file times therefore
// neither forces a compile nor hides a change. Hashing src/ (about 1.3 MB) takes a few milliseconds.
//
// Run as a script it prints tsc's output and exits with tsc's status; imported, `compileIfStale()` returns
// whether it compiled and throws with tsc's output when the compile fails.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(import.meta.url);
export const ROOT = path.resolve(path.dirname(SCRIPT), "..");

/** What dist/ is made from, relative to the project folder: the sources, the compiler settings, this script. */
export const INPUTS = [
  "src",
  "tsconfig.json",
  "tsconfig.build.json",
  "package.json",
  "scripts/compile-if-stale.mjs",
];
/** Where the hash of the inputs dist/ was compiled from is kept (dist/.stamp held a time before 2026-12). */
export const STAMP = path.join("dist", ".sources-sha256");

function filesUnder(entry) {
  const st = statSync(entry, { throwIfNoEntry: false });
  if (!st) return [];
  if (!st.isDirectory()) return [entry];
  return readdirSync(entry, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/** A hash of every input file under `root`, by path (with "/" on every system) and content. */
export function sourcesHash(root = ROOT) {
  const files = INPUTS.flatMap((input) => filesUnder(path.join(root, input)))
    .map((file) => path.relative(root, file).split(path.sep).join("/"))
    .sort();
  const hash = createHash("sha256");
  for (const rel of files)
    hash
      .update(rel)
      .update("\0")
      .update(readFileSync(path.join(root, rel)))
      .update("\0");
  return hash.digest("hex");
}

/** The hash dist/ was last compiled from, or undefined when dist/ or its stamp is missing. */
export function compiledHash(root = ROOT) {
  const stamp = path.join(root, STAMP);
  return existsSync(stamp) ? readFileSync(stamp, "utf8").trim() : undefined;
}

/**
 * Compiles `root`'s tsconfig.build.json unless dist/ was compiled from the same inputs. `output: "inherit"` shows
 * tsc's messages as they come (the npm scripts); "pipe" puts them in the error thrown (the tests).
 */
export function compileIfStale({ root = ROOT, output = "pipe" } = {}) {
  const hash = sourcesHash(root);
  if (compiledHash(root) === hash) return { compiled: false, hash };
  // Removed first: tsc writes its files even when it reports errors, so after a failed compile dist/ matches no
  // sources, and reverting the sources must compile again rather than find the old stamp.
  rmSync(path.join(root, STAMP), { force: true });
  rmSync(path.join(root, "dist", ".stamp"), { force: true });
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], {
    cwd: root,
    encoding: "utf8",
    stdio: output === "inherit" ? "inherit" : "pipe",
  });
  if (r.status !== 0) {
    const error = new Error(
      `TypeScript のコンパイルに失敗しました。tsc のメッセージが示すファイルと行を直してください。\n` +
        `TypeScript did not compile (tsc -p tsconfig.build.json in ${root}, exit ${r.status ?? r.signal}); ` +
        `fix the files and lines tsc names:\n${r.stdout ?? ""}${r.stderr ?? ""}`,
    );
    error.exitCode = r.status ?? 1;
    throw error;
  }
  // The hash taken before tsc ran: a file saved during the compile makes the next run compile again.
  writeFileSync(path.join(root, STAMP), `${hash}\n`);
  return { compiled: true, hash };
}

// Run as a script, not imported: node gives argv[1] as typed (resolved), the module URL has links resolved.
const invoked = process.argv[1] && realpathSync(path.resolve(process.argv[1]));
if (invoked === SCRIPT) {
  try {
    compileIfStale({ output: "inherit" });
  } catch (e) {
    // tsc's own messages are already on the terminal; only the first lines of ours (what to do) are added.
    console.error(e.message.split("\n").slice(0, 2).join("\n"));
    process.exit(e.exitCode ?? 1);
  }
}
