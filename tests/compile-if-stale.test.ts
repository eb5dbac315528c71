/**
 * scripts/compile-if-stale.mjs (what `npm run build` / `npm run check` run first, and what the tests' global setup
 * calls): TypeScript is compiled when dist/ was not made from the sources as they are now (a hash of src/, the
 * tsconfigs, package.json and the script, kept in dist/.sources-sha256), and not otherwise, whatever the file
 * times say. Run on a tiny project of its own (the script finds the project from its own location), with the
 * repository's TypeScript.
 */
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileIfStale, sourcesHash } from "../scripts/compile-if-stale.mjs";
import { REPO } from "./helpers/cli.js";

const work = mkdtempSync(path.join(tmpdir(), "kaiho-stale-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A project with the script, the repository's node_modules, two tsconfigs and `src/a.ts`. */
function tinyProject(name: string): string {
  const root = path.join(work, name);
  mkdirSync(path.join(root, "scripts"), { recursive: true });
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
  writeFileSync(path.join(root, "src", "a.ts"), "/** the answer */\nexport const a: number = 1;\n");
  return root;
}

describe("compile only when dist/ was not made from the sources as they are", () => {
  const root = tinyProject("cli");
  const output = path.join(root, "dist", "a.js");
  const stamp = path.join(root, "dist", ".sources-sha256");
  const run = () =>
    spawnSync(process.execPath, ["scripts/compile-if-stale.mjs"], { cwd: root, encoding: "utf8" });
  // Every file dates from an hour ago, so a compile is seen as a new time on dist/a.js whatever the clock's resolution.
  const ageEverything = () => {
    const hourAgo = new Date(Date.now() - 3600_000);
    for (const e of readdirAll(root)) utimesSync(e, hourAgo, hourAgo);
  };
  const compiledNow = () => statSync(output).mtimeMs > Date.now() - 1800_000;

  it("compiles when dist/ is missing, and writes the sources' hash", () => {
    const r = run();
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(output, "utf8")).toContain("export const a = 1;");
    expect(readFileSync(stamp, "utf8").trim()).toBe(sourcesHash(root));
  });

  it("does not compile when nothing changed, even when a checkout made every source newer", () => {
    ageEverything();
    const now = new Date();
    for (const f of ["src", "src/a.ts", "tsconfig.json", "tsconfig.build.json", "package.json"])
      utimesSync(path.join(root, f), now, now);
    const r = run();
    expect(r.status, r.stderr).toBe(0);
    expect(compiledNow()).toBe(false);
  });

  it("compiles when a source changed, or a source was added", () => {
    ageEverything();
    writeFileSync(path.join(root, "src", "a.ts"), "/** the answer */\nexport const a: number = 2;\n");
    expect(run().status).toBe(0);
    expect(readFileSync(output, "utf8")).toContain("export const a = 2;");

    writeFileSync(path.join(root, "src", "b.ts"), "export const b = 3;\n");
    expect(run().status).toBe(0);
    expect(readFileSync(path.join(root, "dist", "b.js"), "utf8")).toContain("export const b = 3;");
  });

  it("compiles when a tsconfig changed", () => {
    ageEverything();
    expect(readFileSync(output, "utf8")).toContain("the answer");
    writeFileSync(
      path.join(root, "tsconfig.build.json"),
      '{ "extends": "./tsconfig.json", "compilerOptions": { "rootDir": "src", "removeComments": true }, "include": ["src"] }\n',
    );
    expect(run().status).toBe(0);
    expect(compiledNow()).toBe(true);
    expect(readFileSync(output, "utf8")).not.toContain("the answer");
  });

  it("compiles when dist/ was deleted", () => {
    rmSync(path.join(root, "dist"), { recursive: true });
    expect(run().status).toBe(0);
    expect(readFileSync(output, "utf8")).toContain("export const a = 2;");
  });

  it("stops on a type error without a stamp, and compiles again when the source is put back", () => {
    const good = readFileSync(path.join(root, "src", "a.ts"), "utf8");
    writeFileSync(path.join(root, "src", "a.ts"), 'export const a: number = "two";\n');
    const r = run();
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toContain("TS2322");
    expect(r.stderr).toContain("TypeScript did not compile");
    expect(() => statSync(stamp)).toThrow();
    // tsc wrote dist/a.js from the broken source all the same: the old stamp must not make it look current.
    expect(readFileSync(output, "utf8")).toContain('"two"');

    writeFileSync(path.join(root, "src", "a.ts"), good);
    expect(run().status).toBe(0);
    expect(readFileSync(output, "utf8")).toContain("export const a = 2;");
  });
});

describe("compileIfStale, as the tests' global setup calls it", () => {
  it("says whether it compiled, and throws with tsc's messages when the compile fails", () => {
    const root = tinyProject("api");
    expect(compileIfStale({ root }).compiled).toBe(true);
    expect(compileIfStale({ root }).compiled).toBe(false);
    writeFileSync(path.join(root, "src", "a.ts"), "export const a: number = null;\n");
    expect(() => compileIfStale({ root })).toThrow(/TS2322[\s\S]*src\/a\.ts|src\/a\.ts[\s\S]*TS2322/);
  });
});

describe("the hash of the sources", () => {
  it("is the same wherever the project lies, and changes when a source changes or is added", () => {
    const root = tinyProject("hash");
    const first = sourcesHash(root);
    const copy = path.join(work, "hash-copy");
    cpSync(root, copy, { recursive: true, verbatimSymlinks: true });
    expect(sourcesHash(copy)).toBe(first);
    writeFileSync(path.join(root, "src", "a.ts"), "export const a = 2;\n");
    const edited = sourcesHash(root);
    expect(edited).not.toBe(first);
    mkdirSync(path.join(root, "src", "b"));
    writeFileSync(path.join(root, "src", "b", "c.ts"), "export {};\n");
    expect(sourcesHash(root)).not.toBe(edited);
  });
});

/** The project's folders and files, node_modules (a link to the repository's) left out. */
function readdirAll(root: string): string[] {
  const entries = readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((rel) => !rel.startsWith("node_modules"))
    .map((rel) => path.join(root, rel));
  return [root, ...entries];
}
