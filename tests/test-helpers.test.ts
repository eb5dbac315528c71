import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildKey } from "./helpers/built.js";

/**
 * The test suite's own machinery: a shared build (tests/helpers/built.ts) is reused only for the same code, input
 * and arguments, so a cached build cannot let a broken change pass (dist/ is compiled again whenever a source
 * changes: tests/compile-if-stale.test.ts).
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
