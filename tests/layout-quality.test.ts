import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PDFDocument, type PDFPage, rgb, StandardFonts } from "pdf-lib";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuildResult, buildCorpus, corpusNames, readFixture, type StoryRef } from "./helpers/corpus.js";
import {
  isPhotoOnly,
  LIMITS,
  largestRectangle,
  matchPhotos,
  measureHole,
  measurePdf,
  photosAway,
  type QualityReport,
  qualityMarkdown,
  qualityProblems,
  qualityRow,
  renderWhiteMasks,
  rowSpread,
  typeArea,
} from "./helpers/layout-quality.js";
import { inspectPdf } from "./helpers/pdf.js";

/**
 * Layout quality of the fixture corpus (tests/fixtures/issues/): every issue is built with the CLI and its PDF
 * measured as a reader would see it (tests/helpers/layout-quality.ts). The limits are those of issue 8.
 * `KAIHO_QUALITY_PICTURES=<dir> npm run quality` also writes a picture of each page's largest hole there;
 * `KAIHO_QUALITY_MARKDOWN=1` prints the table in Markdown too; `KAIHO_QUALITY_ONLY=a,b` builds only those.
 */

/**
 * Holes the page breaker cannot fill yet (issue 8 is open for them): the largest hole, in % of the type area,
 * measured on the pages before the last and on the last, when these limits were set. Such a fixture must still
 * keep every other limit, and its holes must not grow past these figures (+1 point for rendering noise); the
 * day one meets the limits, its entry goes (the README's table says which).
 */
// Empty since the four short issues (a3-union, blocks-tables, long-article, theme-union) were completed with the
// articles, photos and tables an editor adds on the "last page is mostly empty" warning.
const OPEN_HOLES: Record<string, { inner: number; last: number }> = {};
const NOISE = 1;

/** `KAIHO_QUALITY_ONLY=mixed-row,seven-photos` measures just those (while tuning the layout against a few). */
const only = process.env.KAIHO_QUALITY_ONLY?.split(",").map((n) => n.trim());
const fixtures = corpusNames()
  .filter((n) => !only || only.includes(n))
  .map((n) => readFixture(n));
const builds = new Map<string, BuildResult>();
const reports = new Map<string, QualityReport | string>();

beforeAll(async () => {
  for (const [name, b] of await buildCorpus(fixtures)) builds.set(name, b);
  for (const f of fixtures) {
    const b = builds.get(f.name);
    if (!b?.pdf) {
      const why = firstLine(b?.stderr ?? "") || `exit ${b?.status}`;
      reports.set(f.name, `build failed: ${why}`);
      continue;
    }
    reports.set(f.name, await measurePdf(b.pdf, f.stories, undefined, process.env.KAIHO_QUALITY_PICTURES));
  }
}, 300_000);

afterAll(() => {
  const rows = fixtures.map((f) => qualityRow(f.name, reports.get(f.name) ?? "not built"));
  console.table(rows);
  if (process.env.KAIHO_QUALITY_MARKDOWN) console.log(qualityMarkdown(rows));
  console.log(
    `limits: hole ≤ ${LIMITS.hole}% on every page but the last, ≤ ${LIMITS.lastHole}% on the last ` +
      `(unless the content is under half a page: "short"); no photo-only page; row spread ≤ ${LIMITS.rowSpread} pt; no photo away from its article`,
  );
});

function firstLine(stderr: string): string {
  return (
    stderr
      .split("\n")
      .map((l) => l.trim())
      .find((l) => /エラー|error/i.test(l)) ?? ""
  ).slice(0, 90);
}

describe("fixture corpus: layout quality", () => {
  it("has at least 9 varied issues, each with distinctive text for every photo's article", () => {
    expect(only ? corpusNames().length : fixtures.length).toBeGreaterThanOrEqual(9);
    for (const f of fixtures)
      for (const s of f.stories)
        if (s.photos.length) expect(s.body.length, `${f.name}: ${s.title}`).toBeGreaterThan(40);
  });

  for (const f of fixtures) {
    const open = OPEN_HOLES[f.name];
    it(`${f.name}${open ? " (holes still open: no larger than when measured)" : ""}`, () => {
      const b = builds.get(f.name);
      expect(b?.status, `${f.name} build:\n${b?.stderr}`).toBe(0);
      const q = reports.get(f.name);
      expect(typeof q, String(q)).toBe("object");
      const report = q as QualityReport;
      const problems = qualityProblems(report);
      if (!open) {
        expect(problems).toEqual([]);
        return;
      }
      // Photos with their article, equal rows, no photo-only page: kept everywhere.
      expect(problems.filter((p) => !/hole/.test(p))).toEqual([]);
      const inner = Math.max(0, ...report.holes.slice(0, -1));
      const last = report.holes[report.holes.length - 1] ?? 0;
      expect(inner, "largest hole before the last page").toBeLessThanOrEqual(open.inner + NOISE);
      expect(last, "hole on the last page").toBeLessThanOrEqual(open.last + NOISE);
    });
  }
});

// ---------------------------------------------------------------------------------------------------------
// The measures on synthetic pages with a known answer: each catches the fault it is for.
// ---------------------------------------------------------------------------------------------------------

const A4: [number, number] = [595.28, 841.89];
const tmp = mkdtempSync(path.join(tmpdir(), "kaiho-quality-"));

async function save(doc: PDFDocument, name: string): Promise<string> {
  const file = path.join(tmp, name);
  writeFileSync(file, await doc.save());
  return file;
}

/** Fills the type area with "text lines" (6 pt bars every 10 pt), leaving out `hole` (pt, top-left origin). */
function fillLines(page: PDFPage, hole?: { x: number; y: number; width: number; height: number }): void {
  const a = typeArea(...A4);
  const H = A4[1];
  for (let y = a.top; y + 6 <= a.bottom; y += 10) {
    const segments: [number, number][] =
      hole && y + 6 > hole.y && y < hole.y + hole.height
        ? [
            [a.left, hole.x],
            [hole.x + hole.width, a.right],
          ]
        : [[a.left, a.right]];
    for (const [x0, x1] of segments)
      if (x1 > x0)
        page.drawRectangle({ x: x0, y: H - y - 6, width: x1 - x0, height: 6, color: rgb(0.1, 0.1, 0.1) });
  }
}

async function photoPng(w: number, h: number): Promise<Buffer> {
  return sharp({ create: { width: w, height: h, channels: 3, background: { r: 200, g: 60, b: 40 } } })
    .png()
    .toBuffer();
}

describe("layout-quality measures", () => {
  it("largestRectangle finds the largest block of 1s, not the longest strip", () => {
    // 6 × 5 mask: a 3 × 3 block of 1s and a 6 × 1 strip (area 6 < 9).
    const rows = ["111111", "000000", "011100", "011100", "011100"];
    const mask = Uint8Array.from(rows.join("").split(""), Number);
    expect(largestRectangle(mask, 6, 5)).toEqual({ x: 1, y: 2, width: 3, height: 3 });
    expect(largestRectangle(new Uint8Array(12), 4, 3).width).toBe(0);
  });

  it("judges holes by page: 5 % inside the issue, 15 % on the last page, and a short one-page issue is exempt", () => {
    const base: QualityReport = {
      pages: 3,
      holes: [4.9, 5.1, 14.9],
      lastFilled: 0.9,
      photoOnlyPages: [],
      rows: 0,
      rowSpread: 0,
      photos: 0,
      placedPhotos: 0,
      unmatchedImages: 0,
      away: [],
    };
    expect(qualityProblems(base)).toEqual(["page 2: hole 5.1% > 5%"]);
    expect(qualityProblems({ ...base, holes: [1, 1, 15.1] })).toEqual(["last page 3: hole 15.1% > 15%"]);
    const short = { ...base, pages: 1, holes: [60], lastFilled: 0.4 };
    expect(qualityProblems(short)).toEqual([]);
    expect(qualityProblems({ ...short, lastFilled: 0.6 })).toEqual(["last page 1: hole 60.0% > 15%"]);
    expect(
      qualityProblems({ ...base, holes: [1, 1, 1], photoOnlyPages: [2], rows: 1, rowSpread: 0.6 }),
    ).toEqual(["page 2: only photos", "photo row heights differ by 0.6 pt > 0.5 pt"]);
  });

  it("measures a known hole in a page of text lines, and none in a full page", async () => {
    const doc = await PDFDocument.create();
    const hole = { x: 200, y: 300, width: 200, height: 300 };
    fillLines(doc.addPage(A4), hole);
    fillLines(doc.addPage(A4));
    const pages = await renderWhiteMasks(await doc.save());
    const a = typeArea(...A4);
    const truth = (100 * hole.width * hole.height) / ((a.right - a.left) * (a.bottom - a.top));
    const [withHole, full] = pages.map(measureHole);
    expect(withHole?.percent).toBeGreaterThan(truth - 1.5);
    expect(withHole?.percent).toBeLessThan(truth + 1.5);
    expect(withHole?.percent).toBeGreaterThan(LIMITS.lastHole);
    expect(full?.percent).toBeLessThan(1.5);
    expect(full?.filled).toBeGreaterThan(0.98);
  });

  it("counts a photo as content wherever it is placed (photos are painted from their boxes, not decoded)", async () => {
    const doc = await PDFDocument.create();
    const hole = { x: 200, y: 300, width: 200, height: 300 };
    const page = doc.addPage(A4);
    fillLines(page, hole);
    const img = await doc.embedPng(await photoPng(200, 300));
    page.drawImage(img, {
      x: hole.x,
      y: A4[1] - hole.y - hole.height,
      width: hole.width,
      height: hole.height,
    });
    const q = await measurePdf(await save(doc, "photo-in-hole.pdf"), []);
    expect(q.holes[0]).toBeLessThan(1.5);
  });

  it("counts a light tint box as content, not as a hole", async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage(A4);
    const a = typeArea(...A4);
    page.drawRectangle({
      x: a.left,
      y: A4[1] - a.bottom,
      width: a.right - a.left,
      height: a.bottom - a.top,
      color: rgb(0xfb / 255, 0xef / 255, 0xf0 / 255),
    });
    const [tinted] = (await renderWhiteMasks(await doc.save())).map(measureHole);
    expect(tinted?.percent).toBeLessThan(1);
  });

  it("sees a page of photos with captions and a footer as photo-only, and not once body text is added", async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const img = await doc.embedPng(await photoPng(300, 200));
    for (const withText of [false, true]) {
      const page = doc.addPage(A4);
      page.drawImage(img, { x: 60, y: 500, width: 240, height: 160 });
      page.drawImage(img, { x: 310, y: 500, width: 240, height: 160 });
      page.drawText("Caption of the first photo", { x: 60, y: 488, size: 8, font });
      page.drawText("Caption of the second", { x: 310, y: 488, size: 8, font });
      page.drawText("Newsletter No. 1 - 2 -", { x: 60, y: 20, size: 8, font }); // footer, in the bottom margin
      if (withText) page.drawText("Body text of the article goes on here.", { x: 60, y: 300, size: 9, font });
    }
    const report = await inspectPdf(await save(doc, "photo-only.pdf"));
    expect(report.pages.map(isPhotoOnly)).toEqual([true, false]);
  });

  it("measures the height difference of photos set in one row", async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage(A4);
    const img = await doc.embedPng(await photoPng(300, 200));
    const tall = await doc.embedPng(await photoPng(200, 300));
    // Tops aligned at y = 700; heights 160 and 163: a row that is not justified.
    page.drawImage(img, { x: 60, y: 540, width: 240, height: 160 });
    page.drawImage(tall, { x: 320, y: 537, width: 108.7, height: 163 });
    // Another row below, equal heights.
    page.drawImage(img, { x: 60, y: 300, width: 150, height: 100 });
    page.drawImage(img, { x: 220, y: 300, width: 150, height: 100 });
    const report = await inspectPdf(await save(doc, "rows.pdf"));
    const story: StoryRef = {
      title: "t",
      body: "b",
      photos: [
        { src: "a-300x200.jpg", width: 300, height: 200 },
        { src: "b-200x300.jpg", width: 200, height: 300 },
        { src: "c-300x200.jpg", width: 300, height: 200 },
        { src: "d-300x200.jpg", width: 300, height: 200 },
      ],
    };
    const { placed, unmatched } = matchPhotos(report.pages, [story]);
    expect(unmatched).toBe(0);
    expect(placed.map((p) => p.src)).toEqual([
      "a-300x200.jpg",
      "b-200x300.jpg",
      "c-300x200.jpg",
      "d-300x200.jpg",
    ]);
    const r = rowSpread(placed);
    expect(r.rows).toBe(2);
    expect(r.spread).toBeCloseTo(3, 1);
    expect(r.spread).toBeGreaterThan(LIMITS.rowSpread);
  });

  it("finds a photo set on a page without its article's text", async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const img = await doc.embedPng(await photoPng(300, 200));
    const stories: StoryRef[] = [
      {
        title: "Sports day",
        body: "The relay team ran the final lap in record time.",
        photos: [{ src: "relay-300x200.jpg", width: 300, height: 200 }],
      },
      {
        title: "Garden",
        body: "Volunteers planted tulips along the school fence.",
        photos: [{ src: "garden-1600x1600.jpg", width: 1600, height: 1600 }],
      },
    ];
    const p1 = doc.addPage(A4);
    p1.drawText("The relay team ran the final lap in record time.", { x: 60, y: 700, size: 9, font });
    const p2 = doc.addPage(A4);
    p2.drawText("Volunteers planted tulips along the school fence.", { x: 60, y: 700, size: 9, font });
    p2.drawImage(img, { x: 60, y: 400, width: 240, height: 160 }); // the relay photo, away from its text
    const report = await inspectPdf(await save(doc, "away.pdf"));
    const { placed } = matchPhotos(report.pages, stories);
    expect(photosAway(report.pages, stories, placed)).toEqual([
      expect.objectContaining({ src: "relay-300x200.jpg", page: 2 }),
    ]);
    const q = await measurePdf(path.join(tmp, "away.pdf"), stories);
    expect(qualityProblems(q).join("\n")).toMatch(/relay-300x200\.jpg on page 2/);
  });
});
