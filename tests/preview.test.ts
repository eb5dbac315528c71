import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { createCanvas, GlobalFonts } from "@napi-rs/canvas";
import pdfmake from "pdfmake";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { woffToSfnt } from "../src/fonts/woff.js";
import { type PagePreview, renderPagePng } from "../src/render/preview.js";
import { type Built, builtSample } from "./helpers/built.js";
import { inspectPdf, type PdfPage, type PdfReport } from "./helpers/pdf.js";

const require = createRequire(import.meta.url);
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JP_400_WOFF = path.join(
  path.dirname(require.resolve("@fontsource/noto-sans-jp/package.json")),
  "files",
  "noto-sans-jp-japanese-400-normal.woff",
);

interface Pixels {
  data: Buffer;
  width: number;
  height: number;
}

/** Decoded RGB pixels of a PNG (or of one rectangle of it). */
async function rgb(png: Buffer, crop?: { left: number; top: number; width: number; height: number }) {
  let img = sharp(png).removeAlpha();
  if (crop) img = img.extract(crop);
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(3);
  return { data, width: info.width, height: info.height } satisfies Pixels;
}

function count(px: Pixels, test: (r: number, g: number, b: number) => boolean): number {
  let n = 0;
  for (let i = 0; i < px.data.length; i += 3) {
    if (test(px.data[i] ?? 0, px.data[i + 1] ?? 0, px.data[i + 2] ?? 0)) n++;
  }
  return n;
}

const dark = (r: number, g: number, b: number) => 0.299 * r + 0.587 * g + 0.114 * b < 96;
const notWhite = (r: number, g: number, b: number) => Math.min(r, g, b) < 230;
/** Near the masthead's #b01c2e (anti-aliased edges aside). */
const crimson = (r: number, g: number, b: number) =>
  Math.abs(r - 0xb0) < 40 && Math.abs(g - 0x1c) < 40 && Math.abs(b - 0x2e) < 40;

describe("page preview of the sample issue", () => {
  let build: Built;
  let pdf: Buffer;
  let report: PdfReport;
  let page1: PdfPage;
  let preview: PagePreview;

  beforeAll(async () => {
    build = builtSample();
    if (build.status !== 0) throw new Error(`the sample did not build:\n${build.stderr}`);
    pdf = readFileSync(build.out(".pdf"));
    report = await inspectPdf(build.out(".pdf"));
    const first = report.pages[0];
    if (!first) throw new Error("the sample has no page 1");
    page1 = first;
    await renderPagePng(pdf, { width: 50 }); // pdfjs loads its fake worker on the first call: time a warm one
    preview = await renderPagePng(pdf);
  });

  it("is a PNG 1200 px wide with the A4 page's proportions", async () => {
    expect(preview.png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(preview.width).toBe(1200);
    expect(preview.height).toBe(Math.round((1200 * page1.height) / page1.width));
    expect(Math.abs(preview.height - (1200 * 297) / 210)).toBeLessThanOrEqual(2);
    const meta = await sharp(preview.png).metadata();
    expect(meta.format).toBe("png");
    expect([meta.width, meta.height]).toEqual([preview.width, preview.height]);
  });

  it("is small enough for an email body", () => {
    expect(preview.png.length).toBeLessThan(400 * 1024);
  });

  it("is not blank: a white page with plenty of dark text and photos on it", async () => {
    const px = await rgb(preview.png);
    const all = px.width * px.height;
    // The white background is drawn (no transparent or black page).
    expect(count(px, (r, g, b) => r > 245 && g > 245 && b > 245) / all).toBeGreaterThan(0.4);
    expect(count(px, dark) / all).toBeGreaterThan(0.03);
  });

  it("shows the crimson masthead in the top 12% of the page", async () => {
    const top = Math.round(preview.height * 0.12);
    const masthead = await rgb(preview.png, { left: 0, top: 0, width: preview.width, height: top });
    expect(count(masthead, crimson)).toBeGreaterThan(5000);
    // …and the crimson belongs to the masthead: the body of the page below has far less of it per pixel.
    const rest = await rgb(preview.png, {
      left: 0,
      top,
      width: preview.width,
      height: preview.height - top,
    });
    expect(count(masthead, crimson) / (masthead.width * masthead.height)).toBeGreaterThan(
      (3 * count(rest, crimson)) / (rest.width * rest.height),
    );
  });

  it("draws the body text where the PDF sets it", async () => {
    const scale = preview.width / page1.width;
    // The body size is the most common text size on the page; take its longest lines.
    const sizes = new Map<number, number>();
    for (const item of page1.items) {
      const size = Math.round(item.height * 10) / 10;
      sizes.set(size, (sizes.get(size) ?? 0) + item.str.length);
    }
    const body = [...sizes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
    expect(body).toBeGreaterThan(6);
    const lines = page1.items
      .filter((item) => Math.abs(item.height - body) < 0.1 && [...item.str].length >= 20)
      .sort((a, b) => b.str.length - a.str.length)
      .slice(0, 6);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) {
      const crop = {
        left: Math.floor(line.x * scale),
        top: Math.floor(line.top * scale),
        width: Math.ceil(line.width * scale),
        height: Math.ceil(line.height * scale * 1.2),
      };
      const px = await rgb(preview.png, crop);
      const area = px.width * px.height;
      // Japanese text at ~13 px: strokes cover a good share of the line box, in near-black ink.
      expect(count(px, notWhite) / area, line.str).toBeGreaterThan(0.15);
      expect(count(px, dark) / area, line.str).toBeGreaterThan(0.06);
    }
    // A margin strip beside the text is white, so the counts above are not the background.
    const margin = await rgb(preview.png, {
      left: 0,
      top: 0,
      width: Math.floor(20 * scale),
      height: preview.height,
    });
    expect(count(margin, notWhite)).toBe(0);
  });

  it("renders any page at any width, and the same bytes every time", async () => {
    const again = await renderPagePng(pdf);
    expect(again.png.equals(preview.png)).toBe(true);
    const page2 = await renderPagePng(pdf, { page: 2, width: 600 });
    expect([page2.width, page2.height]).toEqual([600, Math.round((600 * 297) / 210)]);
    expect(count(await rgb(page2.png), dark)).toBeGreaterThan(5000);
    const small = await renderPagePng(pdf, { width: 600 });
    expect(small.png.equals(page2.png)).toBe(false);
  });

  it("leaves the caller's bytes alone (pdfjs would detach a Uint8Array it is given)", async () => {
    const bytes = new Uint8Array(pdf);
    await renderPagePng(bytes, { width: 100 });
    expect(bytes.byteLength).toBe(pdf.length);
    expect(Buffer.from(bytes).equals(pdf)).toBe(true);
  });

  it("rejects a page that does not exist and a width that is not a pixel count", async () => {
    await expect(renderPagePng(pdf, { page: 3 })).rejects.toThrow(/page 3 .*2 page/);
    await expect(renderPagePng(pdf, { page: 0 })).rejects.toThrow(RangeError);
    await expect(renderPagePng(pdf, { width: 0 })).rejects.toThrow(RangeError);
    await expect(renderPagePng(pdf, { width: 12.5 })).rejects.toThrow(RangeError);
    await expect(renderPagePng(new Uint8Array([1, 2, 3]))).rejects.toThrow();
  });
});

describe("page preview of embedded CID TrueType text", () => {
  // 400 × 240 pt rendered 1200 px wide: 3 px per pt. 「漢字」 at 100 pt from (50, 40) pt.
  const PAGE = { width: 400, height: 240 };
  const TEXT = { x: 50, y: 40, size: 100 };
  const SCALE = 3;
  let dir: string;
  let ttf: string;
  let fixture: Buffer;
  let preview: PagePreview;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "kaiho-preview-"));
    ttf = path.join(dir, "NotoSansJP-Regular.ttf");
    writeFileSync(ttf, woffToSfnt(readFileSync(JP_400_WOFF)));
    pdfmake.setUrlAccessPolicy(() => false);
    pdfmake.setLocalAccessPolicy((file: string) => path.resolve(file).startsWith(dir + path.sep));
    pdfmake.setFonts({ NotoJP: { normal: ttf, bold: ttf, italics: ttf, bolditalics: ttf } });
    fixture = Buffer.from(
      await pdfmake
        .createPdf({
          pageSize: PAGE,
          pageMargins: [0, 0, 0, 0],
          defaultStyle: { font: "NotoJP" },
          info: { creationDate: new Date(0), modDate: new Date(0) } as never,
          content: [
            {
              text: "漢字",
              fontSize: TEXT.size,
              absolutePosition: { x: TEXT.x, y: TEXT.y },
              color: "#000000",
            },
          ],
        })
        .getBuffer(),
    );
    writeFileSync(path.join(dir, "kanji.pdf"), fixture);
    preview = await renderPagePng(fixture);
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("the fixture embeds a subset CID TrueType font, as the build does", async () => {
    const report = await inspectPdf(path.join(dir, "kanji.pdf"));
    const font = report.fonts.find((f) => f.baseFont.includes("NotoSansJP"));
    expect(font).toMatchObject({
      subtype: "Type0",
      descendantSubtype: "CIDFontType2",
      fontFile: "FontFile2",
      embedded: true,
      subset: true,
    });
    expect(report.notdefCount).toBe(0);
    expect(report.pages[0]?.text).toContain("漢字");
  });

  it("draws glyph ink where the text is and nowhere else", async () => {
    expect([preview.width, preview.height]).toEqual([1200, PAGE.height * SCALE]);
    // Two full-width characters: 2 em wide; the em box sits inside pdfmake's line (1.448 em for Noto Sans JP).
    const box = {
      left: TEXT.x * SCALE,
      top: TEXT.y * SCALE,
      width: 2 * TEXT.size * SCALE,
      height: Math.round(1.45 * TEXT.size * SCALE),
    };
    const inside = await rgb(preview.png, box);
    const all = await rgb(preview.png);
    const inkInside = count(inside, dark);
    expect(inkInside / (box.width * box.height)).toBeGreaterThan(0.1);
    expect(count(all, notWhite) - count(inside, notWhite)).toBe(0);
    // Each character has ink of its own (two glyphs, not one smear or one box).
    const half = box.width / 2;
    for (const left of [box.left, box.left + half]) {
      const glyph = await rgb(preview.png, { left, top: box.top, width: half, height: box.height });
      expect(count(glyph, dark) / (half * box.height)).toBeGreaterThan(0.08);
    }
  });

  it("the glyphs are the font's 漢 and 字, not blank or tofu boxes", async () => {
    // Reference: the same TTF drawn by Skia directly, no PDF in between.
    const family = "KaihoPreviewTestJP";
    expect(GlobalFonts.registerFromPath(ttf, family)).not.toBeNull();
    const size = TEXT.size * SCALE;
    const canvas = createCanvas(3 * size, 2 * size);
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = "#000000";
    ctx.font = `${size}px ${family}`;
    ctx.textBaseline = "top";
    ctx.fillText("漢字", size / 2, size / 2);
    const reference = await canvas.encode("png");

    // Compare the two inked areas scaled to the same box: nearly the same black-and-white picture.
    const mask = async (png: Buffer) => {
      const { data } = await sharp(png)
        .trim({ background: "#ffffff", threshold: 40 })
        .resize(160, 80, { fit: "fill" })
        .greyscale()
        .raw()
        .toBuffer({ resolveWithObject: true });
      return data.map((v) => (v < 128 ? 1 : 0));
    };
    const [got, want] = await Promise.all([mask(preview.png), mask(reference)]);
    let both = 0;
    let either = 0;
    for (let i = 0; i < want.length; i++) {
      if (got[i] || want[i]) either++;
      if (got[i] && want[i]) both++;
    }
    expect(either).toBeGreaterThan(1000);
    expect(both / either).toBeGreaterThan(0.8);
  });
});
