import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildKey } from "./helpers/built.js";
import { checkoutFolder, pruneOrphans, sharedTmp, startRunTemp } from "./helpers/temp.js";

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

describe("the test run's temp folder", () => {
  it("is the temp dir of the run until its end, and removed then with what the tests left in it", () => {
    const before = tmpdir();
    const end = startRunTemp();
    const run = tmpdir();
    try {
      expect(path.basename(run)).toMatch(new RegExp(`^kaiho-run-${process.pid}-`));
      expect(path.dirname(run)).toBe(sharedTmp());
      const left = mkdtempSync(path.join(tmpdir(), "kaiho-left-"));
      writeFileSync(path.join(left, "file"), "x");
    } finally {
      end();
    }
    expect(existsSync(run)).toBe(false);
    expect(tmpdir()).toBe(before);
  });

  it("of a run that was killed goes when the next run starts; a live run's stays", () => {
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    const killed = mkdtempSync(path.join(sharedTmp(), `kaiho-run-${dead}-`));
    const live = mkdtempSync(path.join(sharedTmp(), `kaiho-run-${process.ppid}-`));
    try {
      startRunTemp()();
      expect(existsSync(killed)).toBe(false);
      expect(existsSync(live)).toBe(true);
    } finally {
      rmSync(killed, { recursive: true, force: true });
      rmSync(live, { recursive: true, force: true });
    }
  });
});

describe("the folders kept between runs, one per checkout", () => {
  it("go once their checkout is deleted", () => {
    const what = `unit-${process.pid}`;
    const user = String(process.getuid?.() ?? "user");
    const mine = checkoutFolder(what);
    const gone = path.join(sharedTmp(), `kaiho-${what}-${user}-00000000`);
    mkdirSync(gone);
    writeFileSync(path.join(gone, "checkout.txt"), `${path.join(tree({}), "deleted-worktree")}\n`);
    try {
      pruneOrphans(what);
      expect(existsSync(gone)).toBe(false);
      expect(existsSync(mine)).toBe(true);
    } finally {
      rmSync(mine, { recursive: true, force: true });
      rmSync(gone, { recursive: true, force: true });
    }
  });
});
