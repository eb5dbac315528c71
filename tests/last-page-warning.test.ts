import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { lastPageMessage } from "../src/layout/pages-message.js";
import { REPO } from "./helpers/cli.js";
import { type BuildResult, buildCorpus, readFixture } from "./helpers/corpus.js";

/**
 * An issue of several pages whose content ends high on its last page (too little to fill it, whatever photo sizes
 * and spaces the page breaker chooses) is an unfinished issue: the build says so, with how much is empty and how
 * much to cut to save the page, at the line of the block that ends the issue. tests/fixtures/short-issues/ holds
 * two such issues: an A3 bulletin whose second page holds a quarter page, and a page and a third of tables.
 */
const SHORT = path.join(REPO, "tests", "fixtures", "short-issues");
const builds = new Map<string, BuildResult>();

beforeAll(async () => {
  const fixtures = ["a3-short", "tables-short"].map((n) => readFixture(n, SHORT));
  for (const [name, b] of await buildCorpus(fixtures)) builds.set(name, b);
}, 240_000);

function lastPageWarning(name: string): string {
  const b = builds.get(name);
  expect(b?.status, b?.stderr).toBe(0);
  const lines = `${b?.stdout}\n${b?.stderr}`.split("\n");
  const at = lines.findIndex((l) => l.includes("最後のページ"));
  expect(at, `${name}: no last-page warning in\n${b?.stdout}${b?.stderr}`).toBeGreaterThanOrEqual(0);
  return lines.slice(at - 1, at + 4).join("\n");
}

describe("a multi-page issue that leaves its last page partly empty", () => {
  it("A3, a quarter page on page 2: says three quarters are empty, names page 2 and the cut to fit 1 page", () => {
    const w = lastPageWarning("a3-short");
    expect(w).toMatch(/最後のページ（2ページ目）の下が約4分の3ページ空いています/);
    expect(w).toMatch(/about three quarters of a page empty/);
    expect(w).toMatch(/1ページに収まります/);
    expect(w).toMatch(/to fit 1 page\b/);
    // Pointed at the issue file and a line of it.
    expect(w).toMatch(/a3-short[/\\]issue\.yaml:\d+/);
  });

  it("a page and a third of tables: says how much of page 2 is empty, in parts of a page, and the cut", () => {
    const w = lastPageWarning("tables-short");
    expect(w).toMatch(/最後のページ（2ページ目）の下が約(半|4分の3)ページ空いています/);
    expect(w).toMatch(/about (half|three quarters of) a page empty/);
    expect(w).toMatch(/1ページに収まります/);
  });
});

describe("lastPageMessage", () => {
  const issue = {
    file: "content/x/issue.yaml",
    locate: (p: string) => (p === "blocks[3]" ? { line: 42, column: 3 } : undefined),
  } as unknown as Parameters<typeof lastPageMessage>[0];

  it("counts a little white in lines, and points at the block that ends the page", () => {
    const d = lastPageMessage(issue, 3, 9 * 16, 600, 760, 16, "blocks[3]");
    expect(d.severity).toBe("warning");
    expect(d.line).toBe(42);
    expect(d.ja).toContain("最後のページ（3ページ目）の下が約9行空いています");
    expect(d.en).toContain("about 9 lines empty");
    expect(d.hintJa).toContain("2ページに収まります");
    expect(d.hintEn).toContain("to fit 2 pages");
  });

  it("counts more white in parts of a page", () => {
    const d = lastPageMessage(issue, 2, 380, 380, 760, 16, "blocks[3]");
    expect(d.ja).toContain("約半ページ空いています");
    expect(d.hintEn).toContain("about half a page");
    expect(d.hintEn).toContain("to fit 1 page.");
  });
});
