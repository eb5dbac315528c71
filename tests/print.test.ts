import { readFileSync } from "node:fs";
import path from "node:path";
import { decodePDFRawStream, PDFDocument, PDFRawStream } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { kaiho, REPO, SAMPLE } from "./helpers/cli.js";
import { inspectPdf, normalizeText, type PdfReport } from "./helpers/pdf.js";

const PRINT = path.join(REPO, "output", `${SAMPLE}-print.pdf`);
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
    const r = kaiho(["build", path.join("content", SAMPLE)]);
    if (r.status !== 0) throw new Error(r.stderr);
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
