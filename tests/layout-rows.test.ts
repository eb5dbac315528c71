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

/** Rows of blocks on small inputs: an article's photos beside a block that keeps its height. */

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
  const yaml = `newsletter: 行のテスト\ndate: 2026-09-01\nblocks:\n  - row:${cells}\n`;
  const photo = readFileSync(path.join(REPO, "content", SAMPLE, "gakushukai-2.jpg")); // 1500 × 1000
  const project = projectWith(yaml, { "photo.jpg": photo });
  const warnings = new Warnings();
  const issue = await loadIssue(project.issue, { root: project.root, warnings });
  const fonts = await loadFonts(issue, { cacheDir: path.join(project.root, ".cache", "kaiho"), warnings });
  const laid = layout(issue, createTypesetter(fonts, { rubySize: issue.geometry.rubySize }));
  const g = issue.geometry;
  return { laid, left: g.margin.left, cell: rowCellWidth(g, g.contentWidth, 2) };
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
