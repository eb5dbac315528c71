import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { rowCellWidth } from "../src/content/geometry.js";
import { loadIssue } from "../src/content/index.js";
import { Warnings } from "../src/diagnostics.js";
import { loadFonts } from "../src/fonts/index.js";
import { type LaidOutIssue, layout } from "../src/layout/index.js";
import type { ImageItem } from "../src/layout/model.js";
import { createTypesetter } from "../src/typeset/index.js";
import { projectWith, REPO, SAMPLE } from "./helpers/cli.js";

/**
 * Blocks on small inputs: an article's photos in a row beside a block that keeps its height; a table that breaks
 * at a page's foot.
 */

const ARTICLE = `
      - article:
          title: 敬老のつどい
          body: |
            9月21日(月・祝)10時から集会所で「敬老のつどい」を開きます。対象は75歳以上の方です。
          photos:
            - src: photo.jpg
              caption: 昨年の合唱`;

const SCHEDULE = `
      - schedule:
          title: ～9月の予定～
          items:
            - { date: 2026-09-06, text: 合同防災訓練 }
            - { date: 2026-09-13, text: 公園清掃 }`;

async function laidOut(cells: string): Promise<{ laid: LaidOutIssue; left: number; cell: number }> {
  return laidOutBlocks(`  - row:${cells}`);
}

async function laidOutBlocks(
  blocks: string,
): Promise<{ laid: LaidOutIssue; left: number; cell: number; foot: number }> {
  const yaml = `newsletter: 行のテスト\ndate: 2026-09-01\nblocks:\n${blocks}\n`;
  const photo = readFileSync(path.join(REPO, "content", SAMPLE, "gakushukai-2.jpg")); // 1500 × 1000
  const project = projectWith(yaml, { "photo.jpg": photo });
  const warnings = new Warnings();
  const issue = await loadIssue(project.issue, { root: project.root, warnings });
  const fonts = await loadFonts(issue, { cacheDir: path.join(project.root, ".cache", "kaiho"), warnings });
  const laid = layout(issue, createTypesetter(fonts, { rubySize: issue.geometry.rubySize }));
  const g = issue.geometry;
  return {
    laid,
    left: g.margin.left,
    cell: rowCellWidth(g, g.contentWidth, 2),
    foot: g.margin.top + g.contentHeight,
  };
}

const firstImage = (laid: LaidOutIssue): ImageItem => {
  const img = laid.pages[0]?.items.find((i): i is ImageItem => i.kind === "image");
  if (!img) throw new Error("no photo placed");
  return img;
};

describe("rows: an article's photos give way beside a block that keeps its height", () => {
  it("sets the photo smaller, flush to the schedule's side, so the article ends nearer the schedule's foot", async () => {
    const beside = await laidOut(`${ARTICLE}${SCHEDULE}`);
    const alone = await laidOut(`${ARTICLE}${ARTICLE}`);
    const small = firstImage(beside.laid);
    const natural = firstImage(alone.laid);
    // Beside another article with photos nothing gives way: the photo takes its cell's width.
    expect(natural.width).toBeCloseTo(alone.cell, 0);
    // Beside the short schedule it is set smaller, down to 60% of that and no further…
    expect(small.width).toBeLessThan(natural.width * 0.95);
    expect(small.width).toBeGreaterThanOrEqual(natural.width * 0.6 - 0.5);
    // …and stands at the cell's end, next to the schedule, not centred.
    expect(small.x + small.width).toBeCloseTo(beside.left + beside.cell, 1);
    expect(small.y + small.height).toBeLessThan(natural.y + natural.height);
  });
});

describe("tables: one that fits a page may break at a page's foot", () => {
  it("fills the page with some rows and goes on over its header and caption （続き）, at least 3 rows a part", async () => {
    const para = "町内会の会計について、今年度の収入と支出の内訳をお知らせします。".repeat(6);
    const article = `  - article:\n      title: 会計報告\n      body: |\n${[1, 2, 3, 4, 5].map(() => `        ${para}\n`).join("\n")}`;
    const rows = Array.from(
      { length: 34 },
      (_, i) => `        - [${i + 1}班, 班長${i + 1}, "${(i + 1) * 1000}円"]`,
    );
    const table = `  - table:\n      caption: 班ごとの会費\n      header: [班, 班長, 会費]\n      rows:\n${rows.join("\n")}`;
    const { laid, foot } = await laidOutBlocks(`${article}\n${table}`);
    const texts = laid.pages.map((p) =>
      p.items.flatMap((i) => (i.kind === "line" ? [i.line.runs.map((r) => r.text).join("")] : [])),
    );
    expect(laid.pages).toHaveLength(2);
    const rowsOn = texts.map((t) => t.filter((x) => /^\d+班$/.test(x)).length);
    // Every row once; both parts under the header, the second under the caption marked （続き）.
    expect(rowsOn.reduce((a, b) => a + b, 0)).toBe(34);
    expect(rowsOn[0]).toBeGreaterThanOrEqual(3);
    expect(rowsOn[1]).toBeGreaterThanOrEqual(3);
    for (const t of texts) expect(t).toContain("班長");
    expect(texts[0]).toContain("班ごとの会費");
    expect(texts[1]).toContain("班ごとの会費（続き）");
    // Page 1 ends with table rows close to the foot of its type area (less than two rows' height above it): no
    // hole where the table would not fit whole.
    const rowLines = (laid.pages[0]?.items ?? []).flatMap((i) =>
      i.kind === "line" && /^\d+班$/.test(i.line.runs.map((r) => r.text).join("")) ? [i.baseline] : [],
    );
    const pitch = (rowLines[1] ?? 0) - (rowLines[0] ?? 0);
    expect(pitch).toBeGreaterThan(0);
    expect(foot - Math.max(...rowLines)).toBeLessThan(2.5 * pitch);
    // Nothing reported but the white under the table's end on page 2 (tests/last-page-warning.test.ts).
    expect(laid.problems.map((p) => p.ja).filter((m) => !m.startsWith("最後のページ"))).toEqual([]);
  });
});
