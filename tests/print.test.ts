import { readFileSync } from "node:fs";
import { decodePDFRawStream, PDFDocument, PDFRawStream } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { builtSample } from "./helpers/built.js";
import { inspectPdf, normalizeText, type PdfReport } from "./helpers/pdf.js";

/** The sample as the CLI builds it (shared with the other tests that read it, tests/helpers/built.ts). */
const sample = builtSample();
const PRINT = sample.out("-print.pdf");
const MM = 72 / 25.4;

/** Every content stream and object dictionary of the file, as text, for colour-space checks. */
async function allStreamsAndDicts(file: string): Promise<{ streams: string[]; dicts: string[] }> {
  const doc = await PDFDocument.load(readFileSync(file), { updateMetadata: false });
  const streams: string[] = [];
  const dicts: string[] = [];
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    if (obj instanceof PDFRawStream) {
      dicts.push(obj.dict.toString());
      const subtype = obj.dict.toString();
      if (/\/Subtype \/Image|\/FontFile|\/Length1|\/Subtype \/CIDFontType0C/.test(subtype)) continue;
      try {
        streams.push(Buffer.from(decodePDFRawStream(obj).decode()).toString("latin1"));
      } catch {
        // Streams in filters pdf-lib cannot decode are images, checked through their dictionaries.
      }
    } else {
      dicts.push(obj.toString());
    }
  }
  return { streams, dicts };
}

describe("the print edition of the sample", () => {
  let report: PdfReport;

  beforeAll(async () => {
    if (sample.status !== 0) throw new Error(sample.stderr);
    report = await inspectPdf(PRINT);
  });

  it("has TrimBox A4 inside a BleedBox 3 mm larger on each side, inside the MediaBox, on every page", () => {
    expect(report.pages).toHaveLength(2);
    for (const page of report.pages) {
      const { trim, bleed, media } = page.boxes;
      if (!trim || !bleed) throw new Error(`page ${page.number} lacks TrimBox or BleedBox`);
      expect(trim[2] - trim[0]).toBeCloseTo(210 * MM, 1);
      expect(trim[3] - trim[1]).toBeCloseTo(297 * MM, 1);
      for (const i of [0, 1]) expect((trim[i] ?? 0) - (bleed[i] ?? 0)).toBeCloseTo(3 * MM, 2);
      for (const i of [2, 3]) expect((bleed[i] ?? 0) - (trim[i] ?? 0)).toBeCloseTo(3 * MM, 2);
      expect(media[0]).toBeLessThan(bleed[0] ?? 0);
      expect(media[2]).toBeGreaterThan(bleed[2] ?? 0);
    }
  });

  it("still carries the text of the issue", () => {
    const text = normalizeText(report.pages.map((p) => p.text).join(""));
    expect(text).toContain("取り組みなくして成果なし！");
    expect(text).toContain("今年一年、どうもありがとうございました。");
  });

  it("prints every photo in CMYK at 300 ppi or more", () => {
    expect(report.images).toHaveLength(7);
    for (const image of report.images) {
      expect(image.colorSpace).toBe("DeviceCMYK");
      expect(image.ppi).toBeGreaterThanOrEqual(300);
    }
  });

  it("uses no RGB colour anywhere", async () => {
    const { streams, dicts } = await allStreamsAndDicts(PRINT);
    expect(streams.length).toBeGreaterThan(2);
    const rgbOps = streams.filter((s) => /(^|\s)[\d.]+\s+[\d.]+\s+[\d.]+\s+(rg|RG)(\s|$)/.test(s));
    expect(rgbOps).toHaveLength(0);
    expect(streams.filter((s) => s.includes("/DeviceRGB"))).toEqual([]);
    expect(dicts.filter((d) => d.includes("/DeviceRGB"))).toEqual([]);
    expect(streams.some((s) => s.includes("/DeviceCMYK") || /\s(k|K)(\s|$)/.test(s))).toBe(true);
  });

  it("embeds every font", () => {
    expect(report.fonts.filter((f) => !f.embedded)).toEqual([]);
  });
});

describe("the print edition's photos", () => {
  it("are drawn with their colours, not inverted (compared with the screen edition, photo by photo)", async () => {
    const { renderPagePng } = await import("../src/render/preview.js");
    const sharp = (await import("sharp")).default;
    const screenFile = sample.out(".pdf");
    const screen = await inspectPdf(screenFile);
    const print = await inspectPdf(PRINT);
    const mean = async (
      pdf: string,
      report: PdfReport,
      box: { x: number; y: number; w: number; h: number },
    ) => {
      const page = report.pages[0];
      if (!page) throw new Error("no page");
      const width = Math.round(page.width);
      const { png } = await renderPagePng(new Uint8Array(readFileSync(pdf)), { page: 1, width });
      const scale = width / page.width;
      // PDF y grows upward; the picture's rows grow downward.
      const region = {
        left: Math.round((box.x + box.w * 0.1) * scale),
        top: Math.round((page.height - (box.y + box.h * 0.9)) * scale),
        width: Math.round(box.w * 0.8 * scale),
        height: Math.round(box.h * 0.8 * scale),
      };
      // A 16×16 grey thumbnail of the photo: enough to see light and dark where they belong.
      const { data } = await sharp(png)
        .extract(region)
        .resize(16, 16, { fit: "fill" })
        .greyscale()
        .raw()
        .toBuffer({ resolveWithObject: true });
      return [...data];
    };
    const correlation = (a: number[], b: number[]) => {
      const ma = a.reduce((s, v) => s + v, 0) / a.length;
      const mb = b.reduce((s, v) => s + v, 0) / b.length;
      let num = 0;
      let da = 0;
      let db = 0;
      a.forEach((v, i) => {
        num += (v - ma) * ((b[i] ?? 0) - mb);
        da += (v - ma) ** 2;
        db += ((b[i] ?? 0) - mb) ** 2;
      });
      return num / Math.sqrt(da * db);
    };
    const photos = screen.images.filter((i) => i.page === 1);
    expect(photos.length).toBeGreaterThan(2);
    const trim = print.pages[0]?.boxes.trim ?? [0, 0];
    for (const photo of photos) {
      const box = { x: photo.placed.x, y: photo.placed.y, w: photo.placedWidth, h: photo.placedHeight };
      const a = await mean(screenFile, screen, box);
      const b = await mean(PRINT, print, { ...box, x: box.x + (trim[0] ?? 0), y: box.y + (trim[1] ?? 0) });
      // Through a CMYK profile the tones move a little but stay where they are; an inverted photo would correlate
      // negatively, and its mean would be far off.
      expect(correlation(a, b)).toBeGreaterThan(0.9);
      const average = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
      expect(Math.abs(average(a) - average(b))).toBeLessThan(30);
    }
  });

  it("report their total ink in the preflight, within what coated paper takes", () => {
    const report = JSON.parse(readFileSync(sample.out("-preflight.json"), "utf8")) as {
      maxInk: number;
      photos: Array<{ maxInk: number }>;
    };
    expect(report.photos).toHaveLength(7);
    for (const p of report.photos) expect(p.maxInk).toBeGreaterThan(100);
    expect(report.maxInk).toBe(Math.max(...report.photos.map((p) => p.maxInk)));
    expect(report.maxInk).toBeLessThanOrEqual(350);
  });
});
