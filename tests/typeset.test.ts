import { beforeAll, describe, expect, it } from "vitest";
import { builtWith } from "./helpers/built.js";
import { inspectPdf, type LineBox, lineBoxes, normalizeText, type PdfReport } from "./helpers/pdf.js";

/**
 * JLReq composition measured where a reader sees it: glyph runs' positions in the built PDF (pdfjs text items).
 * Body text 13.5 pt in a row of three on A4: each column is 12 em wide.
 */
const SIZE = 13.5;
const EM = SIZE;
const DENSE =
  "「えっ、本当？」「うん、本当。」――そう言って、彼女は笑った。（ちょっと、待ってよ！）『なぜ？』j-unionの講師、小林さん（講師）は2024年度、100円のチョコレート・ケーキ……ショッピング、ファイル、チェック、ティッシュ。";

/** One-line paragraphs (never justified) whose width JLReq fixes, in em. */
const PAIRS: Array<[string, number]> = [
  ["「あ」「い」", 4.5], // 」「: half-width brackets, a half em between them
  ["あ。」い", 3.5], // 。」: no space between, half em after
  ["（「あ」）", 3], // （「 and 」）: no space between
  ["あ、「い」", 4], // 、「: half em between
];

const yaml = (hanging: boolean) => `newsletter: 組版テスト
date: 2024-03-01
style:
  bodySize: ${SIZE}
  leading: 1.7
  hanging: ${hanging}
blocks:
  - row:
      - article:
          title: 禁則と約物
          body: |
            ${DENSE}${DENSE}

${PAIRS.map(([t]) => `            ${t}`).join("\n\n")}

            あj-unionい

            2024年度
      - article:
          title: 二
          body: |
            ${DENSE}
      - slogan: 三
`;

/**
 * Edges of what is drawn. Brackets and stops are set half-width with the font's `halt`: pdfjs counts a closing
 * one's full em in the item width, and an opening one's item starts half an em left of its glyph (halt shifts
 * the glyph, not the pen).
 */
const visualRight = (l: LineBox) =>
  l.right - (/[、。，．」』）】〕〉》]$/u.test(l.text) ? l.fontSize / 2 : 0);
const visualLeft = (l: LineBox) => l.left + (/^[「『（【〔〈《]/u.test(l.text) ? l.fontSize / 2 : 0);
/** These tests read the screen PDF only; the other editions have tests of their own. */
const SCREEN_ONLY = ["--only", "screen"];

/** A4, 12 mm margins, a row of three with 1.5 em gaps: the column's width. */
const COLUMN = (595.276 - (2 * (12 * 72)) / 25.4 - 2 * 1.5 * SIZE) / 3;

/** Built once per text (tests/helpers/built.ts): the beforeAll's build without hanging serves its test too. */
async function build(hanging: boolean): Promise<PdfReport> {
  const r = builtWith(yaml(hanging), {}, SCREEN_ONLY);
  if (r.status !== 0) throw new Error(r.stderr);
  return inspectPdf(r.out(".pdf"));
}

/** Body lines of the first column (the first article), top to bottom. */
function firstColumn(report: PdfReport): LineBox[] {
  const page = report.pages[0];
  if (!page) throw new Error("no page");
  const body = lineBoxes(page).filter((l) => Math.abs(l.fontSize - SIZE) < 0.01);
  const left = Math.min(...body.map((l) => l.left));
  return body.filter((l) => l.left < left + 3 * EM).sort((a, b) => a.top - b.top);
}

describe("JLReq composition in a 12-em column", () => {
  let report: PdfReport;
  let lines: LineBox[];
  let colLeft: number;

  beforeAll(async () => {
    report = await build(false);
    lines = firstColumn(report);
    colLeft = Math.min(...lines.map(visualLeft));
  });

  it("sets every character", () => {
    const text = normalizeText(report.pages.map((p) => p.text).join(""));
    expect(text).toContain(normalizeText(DENSE + DENSE));
  });

  it("breaks no line-start or line-end rule, keeps numbers with units and Latin words whole", () => {
    expect(lines.length).toBeGreaterThan(12);
    for (const l of lines) {
      expect(l.text).not.toMatch(
        /^[、。，．・：；？！ー」』）］｝〉》】〕ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々ゝゞ]/u,
      );
      expect(l.text).not.toMatch(/[「『（［｛〈《【〔]$/u);
      expect(l.text).not.toMatch(/^(年度|円|union)|j-$/u);
    }
  });

  it("justifies every line but a paragraph's last to the column edge within 0.1 pt", () => {
    const dense = lines.slice(0, lines.findIndex((l) => l.text.endsWith("ティッシュ。")) + 1);
    expect(dense.length).toBeGreaterThan(6);
    expect(COLUMN / EM).toBeCloseTo(12, 1);
    const edge = colLeft + COLUMN;
    for (const l of dense.slice(0, -1)) expect(Math.abs(visualRight(l) - edge)).toBeLessThan(0.1);
    // The paragraph's last line starts at the left and is not stretched: here the breaks chosen over the whole
    // paragraph (total fit) let it end at the edge, its two 、 giving up part of their blanks (追い込み).
    const last = dense[dense.length - 1] as LineBox;
    expect(visualLeft(last)).toBeCloseTo(colLeft, 1);
    expect(visualRight(last)).toBeLessThan(edge + 0.1);
  });

  it("collapses the blanks of consecutive brackets and stops (」「 1.5 em, 。」 1 em, （「 1 em, 、「 1.5 em)", () => {
    for (const [text, em] of PAIRS) {
      const line = lines.find((l) => normalizeText(l.text) === text);
      if (!line) throw new Error(`no line ${text}`);
      const width = visualRight(line) - visualLeft(line);
      expect(width / EM, text).toBeCloseTo(em, 2);
    }
  });

  it("puts a quarter em between Japanese and Latin letters or digits, none inside the word", () => {
    const line = lines.find((l) => normalizeText(l.text) === "あj-unionい");
    if (!line) throw new Error("no j-union line");
    const items = line.items.filter((i) => i.str.trim());
    const word = items.find((i) => i.str === "j-union");
    const before = items[items.indexOf(word as (typeof items)[number]) - 1];
    const after = items[items.indexOf(word as (typeof items)[number]) + 1];
    if (!word || !before || !after) throw new Error(`unexpected items ${items.map((i) => i.str)}`);
    expect((word.x - (before.x + before.width)) / EM).toBeCloseTo(0.25, 2);
    expect((after.x - (word.x + word.width)) / EM).toBeCloseTo(0.25, 2);
    // In a justified line j-union is as wide as here, where nothing is justified: no letter-spacing in words.
    const justified = lines.flatMap((l) => l.items).filter((i) => i.str === "j-union");
    expect(justified.length).toBeGreaterThan(1);
    for (const j of justified) expect(j.width).toBeCloseTo(word.width, 2);
    const year = lines.find((l) => normalizeText(l.text) === "2024年度");
    const [digits, kanji] = (year?.items ?? []).filter((i) => i.str.trim());
    if (!digits || !kanji) throw new Error("no 2024年度 line");
    expect((kanji.x - (digits.x + digits.width)) / EM).toBeCloseTo(0.25, 2);
  });

  it("indents a paragraph's first line by one em and sets lines at the leading", () => {
    const dense = lines[0] as LineBox;
    expect((visualLeft(dense) - colLeft) / EM).toBeCloseTo(1.5, 2); // one em, then 「's own blank
    const steps = lines.slice(1, 6).map((l, i) => l.top - (lines[i] as LineBox).top);
    for (const s of steps) expect(s / SIZE).toBeCloseTo(1.7, 2);
  });
});

describe("ぶら下げ (hanging punctuation)", () => {
  it("lets a line-end 、。 stand outside the measure when style.hanging is on, and only then", async () => {
    const off = firstColumn(await build(false));
    const on = firstColumn(await build(true));
    const edgeOff = Math.max(...off.map(visualRight));
    const hanging = on.filter((l) => /[、。]$/u.test(l.text) && visualRight(l) > edgeOff + EM * 0.4);
    expect(hanging.length).toBeGreaterThan(0);
    expect(off.filter((l) => visualRight(l) > edgeOff + 0.1)).toEqual([]);
    for (const l of on) expect(l.text).not.toMatch(/^[、。]/u);
  });
});

describe("column flow", () => {
  const para = (n: number) => "組合の活動報告です。".repeat(n * 2);
  const flowYaml = `newsletter: 段組テスト
date: 2024-03-01
blocks:
  - article:
      title: 二段の記事
      columns: 2
      body: |
${[7, 3, 11, 2, 5, 9, 4].map((n) => `        ${para(n)}`).join("\n\n")}
`;

  it("balances two columns to within one line and leaves no paragraph's single line at a column's foot or head", async () => {
    const r = builtWith(flowYaml, {}, SCREEN_ONLY);
    if (r.status !== 0) throw new Error(r.stderr);
    const report = await inspectPdf(r.out(".pdf"));
    const page = report.pages[0];
    if (!page) throw new Error("no page");
    const body = lineBoxes(page).filter((l) => Math.abs(l.fontSize - 9) < 0.01);
    const mid = page.width / 2;
    const columns = [body.filter((l) => l.left < mid), body.filter((l) => l.left >= mid)].map((c) =>
      c.sort((a, b) => a.top - b.top),
    );
    const [left, right] = columns as [LineBox[], LineBox[]];
    expect(left.length + right.length).toBeGreaterThan(20);
    expect(Math.abs(left.length - right.length)).toBeLessThanOrEqual(1);
    // The two columns start on the same line.
    expect(right[0]?.top).toBeCloseTo(left[0]?.top ?? 0, 1);
    const colLeft = (c: LineBox[]) => Math.min(...c.map((l) => l.left));
    const starts = (c: LineBox[], l: LineBox | undefined) => l !== undefined && l.left > colLeft(c) + 4;
    // Orphan: a paragraph's first line alone at the foot of the left column.
    expect(starts(left, left[left.length - 1])).toBe(false);
    // Widow: one line carried to the head of the right column, the next line starting a new paragraph.
    if (!starts(right, right[0])) expect(starts(right, right[1])).toBe(false);
  });
});

describe("indent after a subheading", () => {
  const doc = (indent: boolean) => `newsletter: 字下げ
date: 2024-03-01
style:
  indentAfterHeading: ${indent}
blocks:
  - article:
      title: 見出しの後
      body: |
        最初の段落は一字下げで始まります。

        ### 小見出し
        小見出しの後の段落です。設定で字下げを止められます。
`;
  const firstLines = async (indent: boolean) => {
    const r = builtWith(doc(indent), {}, SCREEN_ONLY);
    if (r.status !== 0) throw new Error(r.stderr);
    const page = (await inspectPdf(r.out(".pdf"))).pages[0];
    const lines = lineBoxes(page as NonNullable<typeof page>).filter((l) => Math.abs(l.fontSize - 9) < 0.01);
    const find = (start: string) => lines.find((l) => l.text.startsWith(start)) as LineBox;
    return { first: find("最初"), after: find("小見出しの後") };
  };

  it("indents the paragraph after a subheading by default, and not when style.indentAfterHeading is false", async () => {
    const on = await firstLines(true);
    const off = await firstLines(false);
    expect(on.after.left).toBeCloseTo(on.first.left, 1);
    expect(on.first.left - off.after.left).toBeCloseTo(9, 1);
  });
});
