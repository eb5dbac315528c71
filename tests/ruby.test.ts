import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseInline, plainText } from "../src/typeset/markup.js";
import { fitGroups, fitRuby, type RubyCluster, type RubyGroup, rubyStart } from "../src/typeset/ruby.js";
import { type LineBox, lineBoxes, normalizeText, type PdfPage } from "./helpers/pdf.js";
import {
  buildFixture,
  type DrawnRuby,
  drawnRuby,
  glyphs,
  RUBY_FIXTURE,
  visualRight,
} from "./helpers/ruby-fixture.js";

describe("Aozora Bunko ruby notation", () => {
  it("takes ｜ to 《 as the base", () => {
    expect(parseInline("来週から｜水泳《すいえい》学習")).toEqual([
      { text: "来週から", bold: false },
      { text: "水泳", bold: false, ruby: "すいえい" },
      { text: "学習", bold: false },
    ]);
  });

  it("takes the run of kanji before 《 as the base when there is no ｜", () => {
    expect(parseInline("この体《からだ》を、毎日給食当番《まいにちきゅうしょくとうばん》")).toEqual([
      { text: "この", bold: false },
      { text: "体", bold: false, ruby: "からだ" },
      { text: "を、", bold: false },
      { text: "毎日給食当番", bold: false, ruby: "まいにちきゅうしょくとうばん" },
    ]);
    expect(parseInline("佐々木《ささき》")).toEqual([{ text: "佐々木", bold: false, ruby: "ささき" }]);
  });

  it("keeps ruby inside bold and gives mono-ruby a base of one character", () => {
    expect(parseInline("**水《みず》と｜お茶《ちゃ》**")).toEqual([
      { text: "水", bold: true, ruby: "みず" },
      { text: "と", bold: true },
      { text: "お茶", bold: true, ruby: "ちゃ" },
    ]);
  });

  it("prints marks that close nothing as written", () => {
    expect(plainText("ひらがな《かな》")).toBe("ひらがな《かな》");
    expect(plainText("《注》は｜ここ")).toBe("《注》は｜ここ");
    expect(plainText("漢字《かんじ")).toBe("漢字《かんじ");
    expect(plainText("｜《》")).toBe("｜《》");
    expect(plainText("a|b c")).toBe("a|b c");
  });

  it("reads as its base text with the ruby left out", () => {
    expect(plainText("｜水泳《すいえい》と漢字《かんじ》")).toBe("水泳と漢字");
  });
});

const group = (em: number, count: number, ratio = 0.5): RubyGroup => ({
  text: "",
  pieces: [],
  count,
  em,
  ratio,
  pad: 0,
  spread: 0,
});

describe("ruby placement (JLReq 3.3)", () => {
  it("centres mono-ruby that is not longer than its base, the base unspaced", () => {
    expect(fitRuby(1, 1, 1, 2, 0)).toEqual({ pad: 0, spread: 0 });
    expect(fitRuby(1, 1, 0.5, 1, 0)).toEqual({ pad: 0, spread: 0 });
  });

  it("spreads group ruby shorter than its base 1:2:1", () => {
    // 紫陽花《あじさい》: 2 em of ruby over 3 em: ¼ em... (3 − 2) / (2 × 4) at the ends, twice that between.
    expect(fitRuby(3, 3, 2, 4, 0).spread).toBeCloseTo(1 / 8, 9);
    expect(fitRuby(3, 3, 2, 4, 0).pad).toBe(0);
  });

  it("lets longer ruby overhang by the allowed amount, and spaces the base out only beyond it", () => {
    // 体《からだ》 between kana: 1.5 em of ruby over 1 em, a quarter em over each neighbour, the base as it is.
    expect(fitRuby(1, 1, 1.5, 3, 0.25).pad).toBe(0);
    // Between kanji: no overhang, the base gets a quarter em on each side.
    expect(fitRuby(1, 1, 1.5, 3, 0).pad).toBeCloseTo(0.25, 9);
    // 給食《きゅうしょく》 between kanji: 2.5 em over 2 em, ⅛ em each side of each base character (1:2:1).
    expect(fitRuby(2, 2, 2.5, 5, 0).pad).toBeCloseTo(0.125, 9);
    // Ruby much longer than the allowed overhang: overhang used, the rest as spacing.
    expect(fitRuby(1, 1, 2.5, 5, 0.25).pad).toBeCloseTo(0.5, 9);
  });

  it("overhangs only where both neighbours leave room: kana, or the blank side of a bracket or stop", () => {
    const padWith = (before: RubyCluster | undefined, after: RubyCluster | undefined) => {
      const g = group(1.5, 3);
      const cs = [before, { cp: 0x4f53, em: 1, ruby: g }, after].filter((c): c is RubyCluster => !!c);
      fitGroups(cs);
      return g.pad;
    };
    const kana = (ch: string): RubyCluster => ({ cp: ch.codePointAt(0) ?? 0, em: 1 });
    expect(padWith(kana("の"), kana("を"))).toBe(0);
    expect(padWith(kana("ノ"), kana("ヲ"))).toBe(0);
    expect(padWith({ cp: 0x3001, em: 0.5, kind: "stop", half: true }, kana("を"))).toBe(0);
    expect(padWith(kana("の"), { cp: 0x300c, em: 0.5, kind: "open", half: true })).toBe(0);
    expect(padWith(kana("の"), { cp: 0x3002, em: 0.5, kind: "stop", half: true })).toBeCloseTo(0.25, 9);
    expect(padWith({ cp: 0x6bce, em: 1 }, kana("を"))).toBeCloseTo(0.25, 9);
    expect(padWith(undefined, kana("を"))).toBeCloseTo(0.25, 9);
    // A kana that has ruby of its own leaves no room.
    expect(padWith({ ...kana("の"), ruby: group(1, 2) }, kana("を"))).toBeCloseTo(0.25, 9);
  });

  it("starts ruby centred over its base, or spread from its left, but never outside the line", () => {
    const g = group(1.5, 3);
    expect(rubyStart(g, 10, 20, 30, 100)).toBeCloseTo(17.5, 9);
    expect(rubyStart(g, 10, 0, 10, 100)).toBe(0);
    expect(rubyStart(g, 10, 90, 100, 100)).toBe(85);
    const spread = { ...group(2, 4), spread: 1 / 8 };
    expect(rubyStart(spread, 10, 20, 50, 100)).toBeCloseTo(21.25, 9);
  });
});

/** Every base and its ruby the fixture's text fields hold, in the order written. */
function sourcePairs(): string[] {
  const pairs: string[] = [];
  const visit = (v: unknown) => {
    if (typeof v === "string") {
      for (const s of parseInline(v)) if (s.ruby) pairs.push(`${s.text}《${s.ruby}》`);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") Object.values(v).forEach(visit);
  };
  visit(parse(readFileSync(RUBY_FIXTURE, "utf8")));
  return pairs;
}

describe("ruby in a built school letter", () => {
  let page: PdfPage;
  let drawn: DrawnRuby[];
  let lines: LineBox[];

  beforeAll(async () => {
    const report = await buildFixture();
    expect(report.pages.length).toBe(1);
    page = report.pages[0] as PdfPage;
    drawn = drawnRuby(page.items);
    lines = lineBoxes(page);
  });

  const lineOf = (item: DrawnRuby["base"]) => lines.find((l) => l.items.includes(item)) as LineBox;

  it("draws every ruby of the source over the whole of its base: none split from its base by a line break", () => {
    const found = drawn.map((d) => `${glyphs(d.base)}《${glyphs(d.ruby)}》`);
    expect(sourcePairs().length).toBeGreaterThan(25);
    expect(found.sort()).toEqual(sourcePairs().sort());
  });

  it("sets ruby at half the size of its base", () => {
    const sizes = new Set(drawn.map((d) => d.base.fontSize));
    expect(sizes.size).toBeGreaterThanOrEqual(3); // body, caption, headlines
    for (const d of drawn) expect(d.ruby.fontSize / d.base.fontSize).toBeCloseTo(0.5, 3);
  });

  it("centres ruby over its base within 0.1 pt, except where a line's edge holds it inside the measure", () => {
    let centred = 0;
    for (const d of drawn) {
      const offset = (d.ruby.x + visualRight(d.ruby)) / 2 - (d.base.x + visualRight(d.base)) / 2;
      if (Math.abs(offset) < 0.1) {
        centred++;
        continue;
      }
      const line = lineOf(d.base);
      const atStart = Math.abs(d.ruby.x - line.left) < 0.05 && line.items[0] === d.base;
      const atEnd = line.items[line.items.length - 1] === d.base;
      expect(atStart || atEnd, `${d.base.str}《${d.ruby.str}》 off by ${offset.toFixed(2)} pt`).toBe(true);
    }
    expect(centred).toBeGreaterThan(drawn.length - 3);
  });

  it("lets ruby reach past its base by at most half a ruby character on each side", () => {
    for (const d of drawn) {
      const over = (visualRight(d.ruby) - d.ruby.x - (visualRight(d.base) - d.base.x)) / 2;
      expect(over, `${d.base.str}《${d.ruby.str}》`).toBeLessThan(0.5 * d.ruby.fontSize + 0.01);
    }
    // Between kanji 給食《きゅうしょく》 (3 em of ruby over 2 em) has no room to overhang: its base is spaced
    // out, a quarter em on each side of each character, so the characters stand half an em apart.
    const kyushoku = drawn.find((d) => glyphs(d.base) === "給食") as DrawnRuby;
    const em = kyushoku.base.fontSize;
    expect(kyushoku.base.width).toBeCloseTo(2.5 * em, 1);
    expect(kyushoku.ruby.width).toBeCloseTo(3 * em, 1);
    expect(kyushoku.base.x - kyushoku.ruby.x).toBeCloseTo(0.25 * em, 1);
    // Between kana この体《からだ》を overhangs a quarter em on each side and the base keeps its width.
    const karada = drawn.find((d) => glyphs(d.base) === "体") as DrawnRuby;
    expect(karada.base.width).toBeCloseTo(karada.base.fontSize, 2);
    expect(karada.base.x - karada.ruby.x).toBeCloseTo(0.25 * karada.base.fontSize, 1);
  });

  it("never lets ruby touch other text", () => {
    const rubies = new Set(drawn.map((d) => d.ruby));
    const emBox = (i: DrawnRuby["ruby"]) => [i.y - 0.12 * i.fontSize, i.y + 0.88 * i.fontSize] as const;
    for (const { ruby } of drawn) {
      const [bottom, top] = emBox(ruby);
      for (const other of page.items) {
        if (rubies.has(other) || glyphs(other) === "") continue;
        const [ob, ot] = emBox(other);
        const vertical = Math.min(top, ot) - Math.max(bottom, ob);
        const horizontal = Math.min(visualRight(ruby), other.x + other.width) - Math.max(ruby.x, other.x);
        expect(vertical > 0.01 && horizontal > 0.01, `${ruby.str} touches ${other.str}`).toBe(false);
      }
    }
  });

  it("keeps the body's line pitch where ruby fits in the leading, and adds room only above a tight headline", () => {
    const body = lines.filter((l) => Math.abs(l.fontSize - 9) < 0.01 && l.left < 60);
    const first = body.slice(0, 4).map((l) => l.y);
    for (let i = 1; i < first.length; i++)
      expect((first[i - 1] as number) - (first[i] as number)).toBeCloseTo(9 * 1.6, 2);
    // The two-line headline with ruby on its first line: the lines keep the headline's own pitch.
    const head = lines.filter((l) => l.text.startsWith("七月の") || l.text.startsWith("雨の日"));
    expect(head.length).toBe(2);
    expect((head[0] as LineBox).y - (head[1] as LineBox).y).toBeCloseTo(13.95 * 1.3, 1);
  });

  it("copies out of the PDF as the base text, the ruby after the page's text", () => {
    const doc = parse(readFileSync(RUBY_FIXTURE, "utf8"));
    const paragraphs = String(doc.blocks[0].article.body)
      .trim()
      .split(/\n\s*\n/u);
    const text = normalizeText(page.text);
    for (const p of paragraphs) expect(text).toContain(normalizeText(plainText(p)));
    const firstRuby = Math.min(...drawn.map((d) => page.items.indexOf(d.ruby)));
    const lastBase = Math.max(...drawn.map((d) => page.items.indexOf(d.base)));
    expect(firstRuby).toBeGreaterThan(lastBase);
  });
});

describe("style.rubySize", () => {
  it("sets the ruby size, and gives a body line room above only where its ruby needs it", async () => {
    const yaml = `newsletter: ルビの大きさ
date: 2026-06-05
style:
  rubySize: 0.7
blocks:
  - article:
      title: お知らせ
      body: |
        来週の月曜日から｜水泳《すいえい》学習が始まります。

        タオルを忘れずに持たせてください。

        ｜明日《あした》はプールの日です。
`;
    const report = await buildFixture(yaml);
    const page = report.pages[0] as PdfPage;
    const drawn = drawnRuby(page.items, 0.7);
    expect(drawn.map((d) => glyphs(d.base))).toEqual(["水泳", "明日"]);
    for (const d of drawn) expect(d.ruby.fontSize / d.base.fontSize).toBeCloseTo(0.7, 3);
    // Leading 1.6 leaves 0.6 em between lines; ruby of 0.7 em needs 0.1 em more, over its own line only.
    const body = lineBoxes(page)
      .filter((l) => Math.abs(l.fontSize - 9) < 0.01)
      .sort((a, b) => b.y - a.y);
    const [first, second, third] = body.map((l) => l.y) as [number, number, number];
    expect(first - second).toBeCloseTo(9 * 1.6, 2);
    expect(second - third).toBeCloseTo(9 * 1.6 + 0.1 * 9, 2);
  });
});
