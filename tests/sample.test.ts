import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type Built, builtSample } from "./helpers/built.js";
import { REPO, SAMPLE } from "./helpers/cli.js";
import { inspectPdf, lineBoxes, normalizeText, type PdfReport } from "./helpers/pdf.js";

/** The seed newsletter's sentences: each line, cut after 。！？ so a sentence is checked on its own. */
function seedSentences(): string[] {
  const seed = readFileSync(path.join(REPO, "tests", "fixtures", "seed.txt"), "utf8");
  return seed
    .split("\n")
    .flatMap((line) => line.split(/(?<=[。！？])/))
    .map(normalizeText)
    .filter((s) => s.length > 0);
}

const LINE_START_FORBIDDEN =
  /^[、。，．・：；？！ー」』）］｝〉》】〕ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々ゝゞヽヾ]/u;
const LINE_END_FORBIDDEN = /[「『（［｛〈《【〔]$/u;

describe("the sample issue", () => {
  let report: PdfReport;
  let build: Built;

  beforeAll(async () => {
    build = builtSample();
    report = await inspectPdf(build.out(".pdf"));
  });

  it("builds with exit 0 and writes output/<issue-id>.pdf", () => {
    expect(build.stderr).toContain(SAMPLE);
    expect(build.status).toBe(0);
    expect(statSync(build.out(".pdf")).size).toBeGreaterThan(10_000);
  });

  it("is two A4 pages", () => {
    expect(report.pages).toHaveLength(2);
    for (const page of report.pages) {
      expect(page.width).toBeCloseTo(595.28, 1);
      expect(page.height).toBeCloseTo(841.89, 1);
    }
  });

  it("contains every sentence of the seed newsletter", () => {
    const text = normalizeText(report.pages.map((p) => p.text).join(""));
    const missing = seedSentences().filter((s) => !text.includes(s));
    expect(missing).toEqual([]);
  });

  it("embeds every font and draws no .notdef glyph", () => {
    expect(report.fonts.length).toBeGreaterThan(0);
    expect(report.fonts.filter((f) => !f.embedded).map((f) => f.baseFont)).toEqual([]);
    expect(report.fonts.every((f) => f.subset)).toBe(true);
    expect(report.notdefSamples).toEqual([]);
    expect(report.notdefCount).toBe(0);
  });

  it("sets the seed's rare characters with real glyphs: ～ ◎ 污 ✧", () => {
    const text = report.pages.map((p) => p.text).join("");
    for (const ch of ["～", "◎", "污", "✧"]) expect(text).toContain(ch);
  });

  it("places the seven photos at print resolution", () => {
    expect(report.images).toHaveLength(7);
    for (const image of report.images) {
      expect(image.ppi).toBeGreaterThanOrEqual(300);
      expect(image.ppi).toBeLessThan(360);
    }
  });

  it("breaks no line against the JLReq line-start and line-end rules", () => {
    const bad: string[] = [];
    for (const page of report.pages) {
      for (const line of lineBoxes(page)) {
        if (LINE_START_FORBIDDEN.test(line.text) || LINE_END_FORBIDDEN.test(line.text)) bad.push(line.text);
      }
    }
    expect(bad).toEqual([]);
  });

  it("keeps the page-2 article whole (it fits on one page), at the head of page 2 with no continuation marks", () => {
    const [one, two] = report.pages.map((p) => normalizeText(p.text));
    const title = "関東甲地連臨時・非常勤等職員協議会第4回定期総会/学習会";
    expect(one).not.toContain(title);
    expect(two?.indexOf(title)).toBe(0);
    for (const page of [one, two]) {
      expect(page).not.toContain("（次ページへ続く）");
      expect(page).not.toContain("（前ページから続く）");
    }
  });

  it("has the title and author of the issue in its metadata", () => {
    expect(report.info.title).toContain("第");
    expect(report.info.author).toBe("高崎市役所職員労働組合");
  });
});
