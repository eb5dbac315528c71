#!/usr/bin/env node
// Compiles TypeScript (tsconfig.build.json → dist/) only when a source is newer than the last compile, so a warm
// `npm run build` / `npm run check` costs what `npx kaiho …` costs. Newer means: a file or folder under src/
// (a folder's time changes when a file in it is added, renamed or deleted), tsconfig*.json or package.json has
// a modification time not older than dist/.stamp. The stamp is written only after tsc succeeded.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const stamp = path.join(root, "dist", ".stamp");

function newest(entry) {
  const st = statSync(entry, { throwIfNoEntry: false });
  if (!st) return 0;
  let t = st.mtimeMs;
  if (st.isDirectory()) {
    for (const name of readdirSync(entry)) t = Math.max(t, newest(path.join(entry, name)));
  }
  return t;
}

const built = statSync(stamp, { throwIfNoEntry: false })?.mtimeMs ?? -1;
const sources = ["src", "tsconfig.json", "tsconfig.build.json", "package.json"].map((f) =>
  path.join(root, f),
);
const changed = Math.max(...sources.map(newest));

if (changed >= built) {
  // The stamp carries the time the compile started: a file saved while tsc runs is newer, so compiled next time.
  const started = new Date();
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.build.json")], {
    stdio: "inherit",
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
  writeFileSync(stamp, `${started.toISOString()}\n`);
  utimesSync(stamp, started, started);
}
