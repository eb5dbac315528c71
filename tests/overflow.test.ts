import path from "node:path";
import { describe, expect, it } from "vitest";
import { kaiho, projectWith } from "./helpers/cli.js";
import { inspectPdf, normalizeText } from "./helpers/pdf.js";

/**
 * Text that cannot be set in its page (issue 12): a 3,000-character headline is reported with its path and line,
 * and the PDF's pages are the pages the footers count, never extra pages the PDF writer opened on its own.
 */
describe("a headline taller than a page", () => {
  it("is a warning naming its line, and the page count and footers stay true", async () => {
    const title = "長い見出し".repeat(600);
    const { root, issue } = projectWith(`newsletter: 見出しの試験
date: 2024-01-01
blocks:
  - article:
      title: ${title}
      body: 本文です。
  - article:
      title: 次の記事
      body: 次の記事の本文です。
`);
    const r = kaiho(["build", issue, "--root", root, "--only", "screen"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/issue\.yaml:4:\d+: 警告 warning: .*1ページに収まりません/);
    expect(r.stderr).toContain("does not fit on one page");
    expect(r.stderr).not.toContain("internal error");
    const report = await inspectPdf(path.join(root, "output", "test-issue.pdf"));
    const n = report.pages.length;
    report.pages.forEach((page, i) => {
      expect(normalizeText(page.text)).toContain(`―${i + 1}/${n}―`);
    });
    expect(normalizeText(report.pages.map((p) => p.text).join(""))).toContain("次の記事の本文です。");
  });
});
