import { readFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { columnWidth, resolveGeometry } from "../src/content/geometry.js";
import type { IssueDoc } from "../src/content/schema.js";
import { maxRowHeight } from "../src/layout/photos.js";
import { kaiho, projectWith } from "./helpers/cli.js";
import { inspectPdf, type PdfImage, type PdfReport } from "./helpers/pdf.js";

/**
 * A PTA letter as a new user would write it — a long two-column article with one landscape photo, and an article
 * with a portrait (a phone photo stored on its side, turned by its EXIF tag) and a landscape photo — built by the
 * CLI and read back from the PDF: where the photos stand, how large, and at what resolution.
 */

const PARAGRAPH =
  "六月一日に行われた運動会では、子どもたちが練習の成果を発揮し、保護者の皆様からも大きな声援をいただきました。" +
  "準備や片付けにご協力くださった保護者の方々、地域の皆様に心より感謝申し上げます。";
const LONG = Array.from({ length: 10 }, () => PARAGRAPH).join("\n\n");

const PTA_YAML = `newsletter: 〇〇小学校 PTAだより
number: 第12号
date: 2024-06-10
publisher: 〇〇小学校PTA広報委員会
blocks:
  - article:
      title: 運動会を終えて
      columns: 2
      body: |
${LONG.split("\n")
  .map((l) => `        ${l}`)
  .join("\n")}
      photos:
        - src: tamaire.jpg
          caption: 玉入れの様子。どの学年も元気いっぱいでした。
  - article:
      title: 学級園の花
      columns: 2
      body: |
        二年生が育てているひまわりが大きくなりました。夏休み前には花が咲く予定です。
      photos:
        - src: himawari.jpg
          caption: 背の伸びたひまわり
        - src: gakkyuen.jpg
          caption: 学級園の全景
`;

const DPI = 350;
const A4 = resolveGeometry({ newsletter: "x", date: "2024-01-01", blocks: [] } as unknown as IssueDoc);

async function photo(width: number, height: number, colour: string, orientation?: number): Promise<Buffer> {
  const img = sharp({ create: { width, height, channels: 3, background: colour } }).jpeg({ quality: 80 });
  return orientation ? img.withMetadata({ orientation }).toBuffer() : img.toBuffer();
}

describe("photos on the column grid, sized once by the layout (PTA letter)", () => {
  let report: PdfReport;
  let status: number;
  let stderr: string;
  let preflight: { photos: Array<{ src: string; dpi: number; pixelWidth: number }>; layoutChoices: string[] };

  beforeAll(async () => {
    const { root, issue } = projectWith(PTA_YAML, {
      "tamaire.jpg": await photo(3000, 2000, "#c07040"),
      // Stored landscape, tagged "turn 90°": a portrait photo as phones save it.
      "himawari.jpg": await photo(2400, 1600, "#e0c020", 6),
      "gakkyuen.jpg": await photo(3000, 2000, "#40a060"),
    });
    const r = kaiho(["build", issue, "--root", root, "--only", "screen"]);
    status = r.status;
    stderr = r.stderr;
    report = await inspectPdf(path.join(root, "output", "test-issue.pdf"));
    preflight = JSON.parse(readFileSync(path.join(root, "output", "test-issue-preflight.json"), "utf8"));
  }, 120_000);

  const byColour = (i: number) => report.images[i] as PdfImage;

  it("builds without a warning", () => {
    expect(stderr).not.toMatch(/警告 warning(?!s: 0)/);
    expect(status).toBe(0);
    expect(report.images).toHaveLength(3);
  });

  it("sets the lone photo one column wide, in the last column, with the article's text beside it", () => {
    const lone = byColour(0);
    const cw = columnWidth(A4, A4.contentWidth, 2);
    expect(Math.abs(lone.placedWidth - cw)).toBeLessThan(0.5);
    expect(lone.placedHeight).toBeCloseTo(cw / 1.5, 0);
    expect(lone.placed.x).toBeCloseTo(A4.margin.left + cw + A4.columnGap, 0);
    const page = report.pages[lone.page - 1];
    const bottom = lone.placed.y;
    const top = lone.placed.y + lone.placed.height;
    // Body lines in the first column, level with the photo.
    const beside = (page?.items ?? []).filter(
      (t) => t.x < lone.placed.x - A4.columnGap / 2 && t.y > bottom && t.y < top && t.str.trim().length > 3,
    );
    const rows = new Set(beside.map((t) => Math.round(t.y)));
    expect(rows.size).toBeGreaterThanOrEqual(8);
  });

  it("wraps the caption to its photo's width, under the photo", () => {
    const lone = byColour(0);
    const page = report.pages[lone.page - 1];
    const caption = (page?.items ?? []).filter(
      (t) => t.y < lone.placed.y && t.y > lone.placed.y - 40 && t.x >= lone.placed.x - 0.5,
    );
    expect(caption.map((t) => t.str).join("")).toContain("玉入れの様子");
    for (const t of caption)
      expect(t.x + t.width).toBeLessThanOrEqual(lone.placed.x + lone.placedWidth + 0.5);
  });

  it("turns the phone photo upright and sets it beside the landscape one at one common height", () => {
    const portrait = byColour(1);
    const landscape = byColour(2);
    expect(portrait.placedHeight).toBeGreaterThan(portrait.placedWidth);
    expect(portrait.page).toBe(landscape.page);
    expect(Math.abs(portrait.placedHeight - landscape.placedHeight)).toBeLessThan(0.5);
    expect(Math.abs(portrait.placed.y - landscape.placed.y)).toBeLessThan(0.5);
    expect(portrait.placedWidth / landscape.placedWidth).toBeCloseTo(2 / 3 / 1.5, 2);
    // Justified across the article: the two widths and the gap between them fill the row, unless the row was
    // held to its height limit or set a step smaller by the page breaker (then it is centred, and no taller than
    // the limit).
    expect(portrait.placedHeight).toBeLessThanOrEqual(maxRowHeight(A4) + 0.5);
    const span = landscape.placed.x + landscape.placedWidth - portrait.placed.x;
    const smaller = preflight.layoutChoices.some((c) => c.includes("「学級園の花」") && /smaller/.test(c));
    if (portrait.placedHeight < maxRowHeight(A4) - 0.5 && !smaller) {
      expect(Math.abs(span - A4.contentWidth)).toBeLessThan(0.5);
    } else {
      const centre = portrait.placed.x + span / 2;
      expect(centre).toBeCloseTo(A4.margin.left + A4.contentWidth / 2, 0);
    }
  });

  it("resizes each photo to exactly its placed size at 350 dpi", () => {
    for (const image of report.images) {
      expect(Math.abs(image.pixelWidth - (image.placedWidth / 72) * DPI)).toBeLessThanOrEqual(1);
      expect(Math.abs(image.pixelHeight - (image.placedHeight / 72) * DPI)).toBeLessThanOrEqual(1);
    }
    // The preflight judges the same placed size.
    for (const p of preflight.photos) expect(p.dpi).toBeGreaterThanOrEqual(349);
  });
});
