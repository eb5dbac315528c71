import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildKey } from "./helpers/built.js";
import { sourcesHash } from "./helpers/compile.js";

/**
 * The test suite's own machinery: a shared build (tests/helpers/built.ts) is reused only for the same code, input
 * and arguments, and dist/ is compiled again whenever a source changes (tests/helpers/compile.ts), so a cached
 * build or a stale dist/ cannot let a broken change pass.
 */

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "kaiho-helpers-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe("the shared build's key", () => {
  const issue = () => tree({ "issue.yaml": "newsletter: 会報\n", "photo.jpg": "jpeg bytes" });

  it("is the same for the same code, input and arguments, wherever the input lies", () => {
    const a = issue();
    const b = path.join(tree({}), path.basename(a));
    cpSync(a, b, { recursive: true });
    expect(buildKey(b, ["--impose", "booklet"], "code 1")).toBe(
      buildKey(a, ["--impose", "booklet"], "code 1"),
    );
  });

  it("changes with the code, with any file of the issue, with the arguments", () => {
    const dir = issue();
    const key = buildKey(dir, [], "code 1");
    expect(buildKey(dir, [], "code 2")).not.toBe(key);
    expect(buildKey(dir, ["--impose", "booklet"], "code 1")).not.toBe(key);
    writeFileSync(path.join(dir, "photo.jpg"), "other jpeg bytes");
    const photoChanged = buildKey(dir, [], "code 1");
    expect(photoChanged).not.toBe(key);
    writeFileSync(path.join(dir, "extra.png"), "");
    expect(buildKey(dir, [], "code 1")).not.toBe(photoChanged);
  });

  it("includes this checkout's compiled code by default", () => {
    const dir = issue();
    expect(buildKey(dir, [])).not.toBe(buildKey(dir, [], ""));
    expect(buildKey(dir, [])).toBe(buildKey(dir, []));
  });
});

describe("the compile stamp's hash of the sources", () => {
  it("changes when a source changes or is added", () => {
    const src = tree({ "src/a.ts": "export const a = 1;\n", "src/b/c.ts": "export {};\n" });
    const hash = () => sourcesHash([path.join(src, "src")], src);
    const first = hash();
    expect(hash()).toBe(first);
    writeFileSync(path.join(src, "src/a.ts"), "export const a = 2;\n");
    const edited = hash();
    expect(edited).not.toBe(first);
    writeFileSync(path.join(src, "src/b/d.ts"), "export {};\n");
    expect(hash()).not.toBe(edited);
  });
});
