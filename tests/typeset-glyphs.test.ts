import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Warnings } from "../src/diagnostics.js";
import { TtfCache } from "../src/fonts/cache.js";
import { readCatalogue } from "../src/fonts/catalogue.js";
import { ChainFontBook } from "../src/fonts/chain.js";
import { type Cluster, type Clusterer, createClusterer, graphemesOf } from "../src/typeset/clusters.js";
import { pairOf } from "../src/typeset/justify.js";
import { builtWith } from "./helpers/built.js";
import { REPO } from "./helpers/cli.js";
import { inspectPdf, type PdfReport, type PdfTextItem } from "./helpers/pdf.js";

/**
 * Grapheme clusters (issue 9, item 4): what a reader takes for one character is set as one, measured as it is
 * drawn. Checked on small inputs (segmentation, the clusters the typesetter makes) and on the built fixture
 * tests/fixtures/issues/glyphs (body 9 pt), from the PDF's text items.
 */

const FIXTURE = path.join(REPO, "tests", "fixtures", "issues", "glyphs", "issue.yaml");

const FAMILY = "👨‍👩‍👧";
const FLAG = "🇯🇵";
const RAINBOW = "🏳️‍🌈";
const KEYCAP = "1️⃣";
const THUMB_TONE = "👍🏽";
const HEART = "❤️";
const CODER_TONE = "👩🏻‍💻";
const BOW = "🙇‍♀️";

describe("grapheme segmentation", () => {
  it.each([
    ["ZWJ family", FAMILY],
    ["flag", FLAG],
    ["ZWJ flag with a selector", RAINBOW],
    ["keycap", KEYCAP],
    ["skin tone", THUMB_TONE],
    ["skin tone in a ZWJ sequence", CODER_TONE],
    ["e + U+0301", "e\u0301"],
    ["A + U+030A", "A\u030a"],
    ["ideographic variation sequence", "葛\u{e0100}"],
  ])("%s is one cluster", (_, text) => {
    const around = `あ${text}い`;
    expect(graphemesOf(around).map((g) => g.text)).toEqual(["あ", text, "い"]);
  });
});

describe("clusters on small inputs (the bundled fonts)", () => {
  let clusterer: Clusterer;
  beforeAll(() => {
    const book = new ChainFontBook(
      readCatalogue(),
      {},
      new TtfCache(path.join(REPO, ".cache", "kaiho")),
      new Warnings(),
      "issue.yaml",
    );
    clusterer = createClusterer(book);
  });
  const set = (text: string) => clusterer.clustersOf(text, false, "blocks[0].article.body");

  it.each([FAMILY, FLAG, RAINBOW, KEYCAP, HEART, BOW])(
    "%s is one cluster, one glyph of an emoji face, as wide as that glyph",
    (text) => {
      const [c, ...rest] = set(text);
      expect(rest).toEqual([]);
      expect(c?.text).toBe(text);
      expect(c?.face.family).toMatch(/^NotoEmoji-/);
      const shaped = c?.face.shape(text);
      expect(shaped?.glyphs.length).toBe(1);
      expect(shaped?.glyphs[0]).not.toBe(0);
      expect(c?.em).toBeCloseTo(shaped?.em ?? 0, 9);
      // A keycap is a picture, not a digit: no Japanese-Latin quarter em around it.
      expect(c?.alnum).toBe(false);
    },
  );

  it("a letter and a combining mark that NFC composes become the composed letter", () => {
    expect(set("e\u0301cole").map((c) => c.text)).toEqual(["é", "c", "o", "l", "e"]);
    expect(set("A\u030a").map((c) => c.text)).toEqual(["Å"]);
  });

  it("a letter and a mark with no composed form are one cluster, drawn by a face that has both", () => {
    const [q, ...rest] = set("q\u0303");
    expect(rest).toEqual([]);
    expect(q?.text).toBe("q\u0303");
    expect(q?.face.has(0x303)).toBe(true);
    expect(q?.face.shape("q\u0303").glyphs).not.toContain(0);
    expect(q?.solo).toBe(true);
  });

  it("a variation sequence the font has selects its glyph through cmap 14; one it lacks draws the base and is noted", () => {
    for (const ch of ["倦", "葛"]) {
      const [ivs] = set(`${ch}\u{e0100}`);
      expect(ivs?.text).toBe(`${ch}\u{e0100}`);
      // Noto Sans JP maps 倦 and 葛 + U+E0100 to glyphs of their own (non-default variation sequences).
      expect(ivs?.face.shape(`${ch}\u{e0100}`).glyphs).not.toEqual(ivs?.face.shape(ch).glyphs);
    }
    const [base, ...rest] = set("辻\u{e0101}");
    expect(rest).toEqual([]);
    expect(base?.text).toBe("辻");
    expect(clusterer.notes).toContainEqual(
      expect.objectContaining({ text: "辻\u{e0101}", reason: "variation", codePoints: "U+8FBB U+E0101" }),
    );
  });

  it("a skin tone the monochrome emoji face cannot show is one glyph, and noted", () => {
    expect(set(THUMB_TONE)).toHaveLength(1);
    expect(clusterer.notes).toContainEqual(expect.objectContaining({ text: THUMB_TONE, reason: "tone" }));
  });

  it("a sequence the font draws as its first emoji is one glyph, and noted; a real ligature is not", () => {
    expect(set(BOW)).toHaveLength(1);
    expect(set(FAMILY)).toHaveLength(1);
    expect(clusterer.notes).toContainEqual(expect.objectContaining({ text: BOW, reason: "base" }));
    expect(clusterer.notes.map((n) => n.text)).not.toContain(FAMILY);
  });

  it("a sequence no face has whole is drawn in parts that never break apart, and noted", () => {
    // Two emoji joined by ZWJ into no real sequence: no font has a ligature for it.
    const text = "🍣\u200d🍺";
    const parts = set(text);
    expect(parts.map((c) => c.text)).toEqual(["🍣", "🍺"]);
    expect(parts[1]?.joined).toBe(true);
    expect(clusterer.notes).toContainEqual(expect.objectContaining({ text, reason: "parts" }));
  });

  it("justification never spaces the parts of one cluster apart, but does space two clusters", () => {
    const [sushi, beer] = set("🍣\u200d🍺") as [Cluster, Cluster];
    expect(pairOf(sushi, beer)).toMatchObject({ role: "none", gap: 0, stretch: 0, shrink: 0 });
    const [a, b] = set("🍣🍺") as [Cluster, Cluster];
    expect(pairOf(a, b).role).toBe("char");
  });
});

describe("the glyphs fixture, built", () => {
  let report: PdfReport;
  let items: PdfTextItem[];
  let preflight: {
    clusters: Array<{ text: string; reason: string; line?: number; path: string }>;
    missingGlyphs: unknown[];
  };
  let source: string[];
  const SIZE = 9;

  beforeAll(async () => {
    // The same build as tests/links.test.ts reads (tests/helpers/built.ts).
    const r = builtWith(readFileSync(FIXTURE));
    if (r.status !== 0) throw new Error(r.stderr);
    report = await inspectPdf(r.out(".pdf"));
    items = report.pages.flatMap((p) => p.items);
    preflight = JSON.parse(readFileSync(r.out("-preflight.json"), "utf8"));
    source = readFileSync(FIXTURE, "utf8").split("\n");
  }, 120_000);

  /** The emoji item drawn for `text` and the first visible item after it on its line. */
  const drawn = (text: string) => {
    // A ligature glyph's ToUnicode may give only the sequence's first emoji (🙇‍♀️ copies as 🙇).
    const first = String.fromCodePoint(text.codePointAt(0) ?? 0);
    const index = items.findIndex((i) => i.str === text || (i.str === first && /NotoEmoji/.test(i.fontName)));
    const item = items[index];
    if (!item) throw new Error(`${text} not drawn as one item: ${items.map((i) => i.str).join("|")}`);
    const next = items.slice(index + 1).find((i) => i.str.trim() !== "" && Math.abs(i.y - item.y) < 0.5);
    return { item, next };
  };

  it.each([FAMILY, FLAG, RAINBOW, KEYCAP, HEART, CODER_TONE, BOW])(
    "%s is drawn by an emoji font, and the next character follows its own advance, no hole",
    (text) => {
      const { item, next } = drawn(text);
      expect(item.fontName).toMatch(/NotoEmoji/);
      if (!next) return;
      // Noto Emoji's advance is 2600/2048 em; justification may add a little (at most a quarter em here).
      const advance = (2600 / 2048) * SIZE;
      const gap = next.x - item.x - advance;
      expect(gap).toBeGreaterThan(-0.05);
      expect(gap).toBeLessThan(0.25 * SIZE);
    },
  );

  it("every emoji sequence is one glyph: the emoji fonts draw as many glyphs as the fixture has emoji clusters", () => {
    const text = source.join("\n");
    const emoji = graphemesOf(text).filter((g) =>
      /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3/u.test(g.text),
    );
    const glyphs = report.fonts
      .filter((f) => f.baseFont.includes("NotoEmoji"))
      .reduce((n, f) => n + f.glyphsDrawn, 0);
    expect(emoji.length).toBeGreaterThan(6);
    expect(glyphs).toBe(emoji.length);
    expect(report.notdefCount).toBe(0);
  });

  it("e + U+0301 and A + U+030A (as the fixture writes them) are drawn as é and Å; q̃ as one item", () => {
    expect(source.join("\n")).toContain("e\u0301cole");
    expect(source.join("\n")).toContain("A\u030a");
    expect(items.map((i) => i.str)).toContain("école");
    expect(items.some((i) => i.str === "Å")).toBe(true);
    expect(items.some((i) => i.str.normalize("NFC") === "q\u0303")).toBe(true);
  });

  it("the preflight lists the clusters not drawn as one glyph (and tones not shown), with their lines", () => {
    const listed = preflight.clusters.map((c) => [c.text, c.reason, c.line]);
    const lineOf = (text: string) => source.findIndex((l) => l.includes(text)) + 1;
    expect(listed).toEqual(
      expect.arrayContaining([
        ["q\u0303", "marks", lineOf("q\u0303")],
        ["辻\u{e0101}", "variation", lineOf("辻\u{e0101}")],
        [THUMB_TONE, "tone", lineOf(THUMB_TONE)],
        [CODER_TONE, "tone", lineOf(CODER_TONE)],
        [BOW, "base", lineOf(BOW)],
      ]),
    );
    // The sequences drawn as one glyph are not listed.
    for (const ok of [FAMILY, FLAG, RAINBOW, KEYCAP, HEART, "葛\u{e0100}", "倦\u{e0100}"])
      expect(listed.map(([t]) => t)).not.toContain(ok);
    expect(preflight.missingGlyphs).toEqual([]);
  });
});
