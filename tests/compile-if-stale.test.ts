/**
 * scripts/compile-if-stale.mjs (what `npm run build` / `npm run check` run first): TypeScript is compiled when a
 * source is newer than dist/.stamp, and not otherwise. Run on a tiny project of its own (the script finds the
 * project from its own location), with the repository's TypeScript.
 */
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO } from "./helpers/cli.js";

describe("compile only when a source is newer than the last compile", () => {
  const root = mkdtempSync(path.join(tmpdir(), "kaiho-stale-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(path.join(root, "scripts"));
  mkdirSync(path.join(root, "src"));
  copyFileSync(
    path.join(REPO, "scripts", "compile-if-stale.mjs"),
    path.join(root, "scripts", "compile-if-stale.mjs"),
  );
  symlinkSync(path.join(REPO, "node_modules"), path.join(root, "node_modules"), "dir");
  writeFileSync(path.join(root, "package.json"), '{ "type": "module" }\n');
  writeFileSync(
    path.join(root, "tsconfig.json"),
    '{ "compilerOptions": { "target": "ES2022", "module": "NodeNext", "strict": true, "skipLibCheck": true, "outDir": "dist", "types": [] } }\n',
  );
  writeFileSync(
    path.join(root, "tsconfig.build.json"),
    '{ "extends": "./tsconfig.json", "compilerOptions": { "rootDir": "src" }, "include": ["src"] }\n',
  );
  const source = path.join(root, "src", "a.ts");
  const output = path.join(root, "dist", "a.js");
  const run = () =>
    spawnSync(process.execPath, ["scripts/compile-if-stale.mjs"], { cwd: root, encoding: "utf8" });
  // Times set by hand, an hour apart, so the test does not depend on the clock's resolution or the machine's load.
  const setTime = (file: string, secondsAgo: number) => {
    const t = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(file, t, t);
  };

  it("compiles the first time and writes the stamp", () => {
    writeFileSync(source, "export const a: number = 1;\n");
    const r = run();
    expect(r.status, r.stderr).toBe(0);
    expect(statSync(output).isFile()).toBe(true);
    expect(statSync(path.join(root, "dist", ".stamp")).isFile()).toBe(true);
  });

  it("does not compile when nothing changed", () => {
    for (const f of ["src/a.ts", "src", "tsconfig.json", "tsconfig.build.json", "package.json"])
      setTime(path.join(root, f), 7200);
    setTime(path.join(root, "dist", ".stamp"), 3600);
    setTime(output, 3600);
    const before = statSync(output).mtimeMs;
    expect(run().status).toBe(0);
    expect(statSync(output).mtimeMs).toBe(before);
  });

  it("compiles again when a source is newer, and stops on a type error without a new stamp", () => {
    writeFileSync(source, "export const a: number = 2;\n");
    expect(run().status).toBe(0);
    expect(statSync(output).mtimeMs).toBeGreaterThan(Date.now() - 1800_000);

    setTime(path.join(root, "dist", ".stamp"), 3600);
    writeFileSync(source, 'export const a: number = "two";\n');
    const stamp = statSync(path.join(root, "dist", ".stamp")).mtimeMs;
    const r = run();
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toContain("TS2322");
    expect(statSync(path.join(root, "dist", ".stamp")).mtimeMs).toBe(stamp);
  });
});
