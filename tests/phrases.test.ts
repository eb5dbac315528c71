import { beforeAll, describe, expect, it } from "vitest";
import { plainText, type SetLine, type TextStyle, type Typesetter } from "../src/typeset/index.js";
import { balanceTwo, joinPhrases, phraseBoundaries, phrasesOf } from "../src/typeset/phrases.js";
import { type LineBox, lineBoxes, type PdfPage } from "./helpers/pdf.js";
import { buildFixture } from "./helpers/ruby-fixture.js";
import { sampleTypesetter } from "./helpers/sample-fonts.js";

const MASTHEAD = "みどり市立みどり小学校 三年二組 学級通信「なかよし」";

/** Where `line` (drawn text, spaces dropped) ends inside `text`: the break offset, in the text without spaces. */
const squeeze = (s: string) => s.replace(/\s+/gu, "");

/**
 * Where a line may break: between phrases, and after a space. Each as [offset in the text, offset in the text
 * without its spaces] (what a line drawn in the PDF shows).
 */
function allowedBreaks(text: string): Map<number, number> {
  const out = new Map<number, number>();
  let at = 0;
  let squeezed = 0;
  const boundaries = phraseBoundaries(text);
  for (const ch of text) {
    at += ch.length;
    if (/\s/u.test(ch)) out.set(at, squeezed);
    else squeezed += ch.length;
    if (boundaries.has(at)) out.set(at, squeezed);
  }
  return out;
}

const breaksIn = (text: string) => new Set(allowedBreaks(text).values());

describe("phrase boundaries (BudouX)", () => {
  it("finds the phrases of a masthead and never cuts a word", () => {
    expect(phrasesOf("三年二組 学級通信「なかよし」").join("")).toBe("三年二組 学級通信「なかよし」");
    const inside = [..."三年二組 学級通信「な"].length;
    for (let i = inside; i < inside + 3; i++)
      expect(phraseBoundaries("三年二組 学級通信「なかよし」").has(i)).toBe(false);
  });

  it("joins breakable units into phrases, leaving a phrase wider than the line in its units", () => {
    const units = [..."夏休みの自由研究は"].map((ch) => [{ text: ch }]);
    const joined = joinPhrases(units, "夏休みの自由研究は", () => true).map((u) =>
      u.map((c) => c.text).join(""),
    );
    expect(joined).toEqual(["夏休みの", "自由研究は"]);
    const narrow = joinPhrases(units, "夏休みの自由研究は", (u) => u.length <= 4).map((u) =>
      u.map((c) => c.text).join(""),
    );
    expect(narrow).toEqual(["夏休みの", "自", "由", "研", "究", "は"]);
  });

  it("balances two lines: the break whose longer line is shortest, both within the measure", () => {
    const width = (us: number[]) => us.reduce((a, b) => a + b, 0);
    expect(balanceTwo([4, 5, 5, 8], width, 14, 14)).toEqual([
      [4, 5],
      [5, 8],
    ]);
    expect(balanceTwo([4, 5, 5, 8], width, 8, 14)).toBeUndefined();
    expect(balanceTwo([3, 3], width, 10, 10)).toEqual([[3], [3]]);
    // A break after the editor's space (odd widths here) wins over a more balanced one elsewhere.
    const spaced = (u: number) => u % 2 === 1;
    expect(balanceTwo([4, 5, 5, 8], width, 14, 14, spaced)).toEqual([
      [4, 5],
      [5, 8],
    ]);
    expect(balanceTwo([4, 6, 5, 7], width, 16, 16, spaced)).toEqual([[4, 6, 5], [7]]);
    // … unless no break after a space fits: then the most balanced of the others.
    expect(balanceTwo([4, 6, 5, 7], width, 14, 14, spaced)).toEqual([
      [4, 6],
      [5, 7],
    ]);
  });
});

describe("display text set by the typesetter", () => {
  let ts: Typesetter;
  beforeAll(async () => {
    ts = await sampleTypesetter();
  });

  const lineText = (l: SetLine) => l.runs.map((r) => r.text).join("");

  it.each([
    ["夏休みの自由研究は九月一日に提出してください", 14, 220],
    ["運動会のお知らせと水泳学習の持ち物について", 14, 200],
    [MASTHEAD, 24, 340],
    ["それぞれの意見を付箋に書いて発表です", 7.65, 100],
  ])("breaks %s only between phrases, into the most balanced two lines", (text, size, width) => {
    for (const align of ["left", "center", "right"] as const) {
      const style: TextStyle = { size, leading: 1.3, align, bold: true };
      const set = ts.set(text, style, width, "t");
      expect(set.lines.length).toBe(2);
      const first = squeeze(lineText(set.lines[0] as SetLine));
      expect(squeeze(set.lines.map(lineText).join(""))).toBe(squeeze(text));
      expect(breaksIn(text).has(first.length), `${first} | …`).toBe(true);
      // No other allowed break gives a shorter longer line.
      const longer = Math.max(...set.lines.map((l) => ts.widthOf(lineText(l), style)));
      // Where the editor put a space and a break there fits, the balance is weighed among those breaks.
      const fitsBoth = (k: number) =>
        ts.widthOf(text.slice(0, k).trimEnd(), style) <= width &&
        ts.widthOf(text.slice(k).trimStart(), style) <= width;
      const all = [...allowedBreaks(text).keys()].filter((k) => k > 0 && k < text.length && fitsBoth(k));
      const spaced = all.filter((k) => /\s/u.test(text[k - 1] ?? ""));
      for (const k of spaced.length ? spaced : all) {
        const a = ts.widthOf(text.slice(0, k).trimEnd(), style);
        const b = ts.widthOf(text.slice(k).trimStart(), style);
        if (k > 0 && k < text.length && a <= width && b <= width)
          expect(Math.max(a, b)).toBeGreaterThanOrEqual(longer - 0.5);
      }
    }
  });

  it("keeps justified body text breaking by JLReq alone, full lines flush, not at phrase boundaries", () => {
    // The line engine (linebreak.ts) weighs the whole paragraph, so which line takes the one loose gap is its
    // choice; what phrase-breaking must not change is that body lines end inside phrases, flush with the measure.
    const text = "夏休みの自由研究は九月一日に提出してください";
    const style: TextStyle = { size: 10, leading: 1.6, align: "justify" };
    const set = ts.set(text, style, 75, "t");
    expect(set.lines.length).toBe(4);
    const boundaries = phraseBoundaries(text);
    let at = 0;
    let insidePhrase = 0;
    set.lines.slice(0, -1).forEach((l) => {
      const end = l.runs[l.runs.length - 1];
      expect(end && end.x + end.width).toBeCloseTo(75, 1);
      at += lineText(l).length;
      if (!boundaries.has(at)) insidePhrase++;
    });
    expect(insidePhrase).toBeGreaterThan(0);
  });
});

describe("headlines and the masthead in a built school letter", () => {
  let page: PdfPage;
  let lines: LineBox[];

  beforeAll(async () => {
    const report = await buildFixture();
    page = report.pages[0] as PdfPage;
    lines = lineBoxes(page);
  });

  /** Lines drawn at `size` in one column (same left edge), top to bottom, that together read `text`. */
  const linesOf = (text: string, size: number): LineBox[] => {
    const at = lines.filter((l) => Math.abs(l.fontSize - size) < 0.05);
    const want = squeeze(plainText(text));
    for (const left of new Set(at.map((l) => Math.round(l.left)))) {
      const column = at.filter((l) => Math.abs(l.left - left) < 1).sort((a, b) => a.top - b.top);
      for (let i = 0; i < column.length; i++) {
        for (let n = 1; n <= 3 && i + n <= column.length; n++) {
          const group = column.slice(i, i + n);
          if (squeeze(group.map((l) => l.text).join("")) === want) return group;
        }
      }
    }
    throw new Error(`no lines read ${want}`);
  };

  it("breaks a masthead too long for one line even at 70% at a phrase boundary, never inside 「なかよし」", () => {
    const name = lines.filter((l) => l.fontSize > 20).sort((a, b) => a.top - b.top);
    expect(name.length).toBe(2);
    expect(squeeze(name.map((l) => l.text).join(""))).toBe(squeeze(MASTHEAD));
    expect(breaksIn(MASTHEAD).has(squeeze((name[0] as LineBox).text).length)).toBe(true);
    expect((name[1] as LineBox).text).toContain("「なかよし」");
    for (const l of name) expect(l.fontSize).toBeGreaterThanOrEqual(9 * 3.6 * 0.7 - 0.01);
  });

  it("breaks two-line headlines between phrases, the balanced way", () => {
    const title = "夏休みの自由研究は九月一日に提出してください";
    const head = linesOf(title, 13.95);
    expect(head.map((l) => l.text)).toEqual(["夏休みの自由研究は", "九月一日に提出してください"]);
    const ruby = linesOf(
      "七月の｜遠足《えんそく》は｜動物園《どうぶつえん》へ行きます 雨の日は教室で学習",
      13.95,
    );
    // The break goes to the editor's space (BudouX alone would join 行きます 雨の).
    expect(ruby.map((l) => l.text)).toEqual(["七月の遠足は動物園へ行きます", "雨の日は教室で学習"]);
  });

  it("breaks a caption too wide for its photo between phrases", async () => {
    const source = "｜運動場《うんどうじょう》で元気に遊ぶ子どもたちと｜先生《せんせい》（六月の昼休み）";
    const caption = linesOf(source, 7.65);
    expect(caption.length).toBe(2);
    expect(breaksIn(plainText(source)).has(squeeze((caption[0] as LineBox).text).length)).toBe(true);
  });
});

describe("a masthead a little too long for one line", () => {
  it("is set on one line at a smaller size, no less than 70%", async () => {
    const yaml = `newsletter: 三年二組 学級通信「なかよし」
date: 2026-06-05
blocks:
  - slogan: みんななかよく
`;
    const report = await buildFixture(yaml);
    const name = (report.pages[0] as PdfPage).items.filter((i) => i.fontSize > 20);
    expect(new Set(name.map((i) => i.y)).size).toBe(1);
    const size = (name[0] as PdfPage["items"][number]).fontSize;
    expect(size).toBeLessThan(9 * 3.6);
    expect(size).toBeGreaterThanOrEqual(9 * 3.6 * 0.7 - 0.01);
    expect(squeeze(name.map((i) => i.str).join(""))).toBe(squeeze("三年二組 学級通信「なかよし」"));
  });
});
