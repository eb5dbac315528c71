import { cpSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as fontkit from "fontkit";
import { beforeAll, describe, expect, it } from "vitest";
import { loadIssue } from "../src/content/index.js";
import { Warnings } from "../src/diagnostics.js";
import type { FontBook } from "../src/fonts/font-book.js";
import { loadFonts } from "../src/fonts/index.js";
import { createTypesetter, type SetLine, type TextStyle, type Typesetter } from "../src/typeset/index.js";
import { kaiho, projectWith, REPO, SAMPLE } from "./helpers/cli.js";
import { inspectPdf, type PdfPage, type PdfTextItem } from "./helpers/pdf.js";

/**
 * 縦組み (issue 13): the vertical composer on small inputs, and the fixtures under tests/fixtures/vertical built
 * by the CLI and read back from their PDFs (glyph positions from pdf.js, in content-stream order).
 */
const SIZE = 10;
const vstyle: TextStyle = { size: SIZE, leading: 1.6, indent: 1, vertical: true };
let ts: Typesetter;
let fonts: FontBook;

beforeAll(async () => {
  const warnings = new Warnings();
  const issue = await loadIssue(path.join(REPO, "content", SAMPLE), { root: REPO, warnings });
  fonts = await loadFonts(issue, { cacheDir: path.join(REPO, ".cache", "kaiho"), warnings });
  ts = createTypesetter(fonts);
});

const set = (text: string, em: number, s: TextStyle = vstyle) => ts.set(text, s, em * SIZE, "test").lines;
const textOf = (l: SetLine) => l.runs.map((r) => r.text).join("");
const START_FORBIDDEN =
  /^[、。，．」』）】〕・：；？！ー～ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々ゝゞ]/;

describe("the vertical composer", () => {
  it("puts every upright character in a run of its own, down the line, with the font's vert alternates", () => {
    const [line] = set("「あ、い。」う", 20);
    expect(line?.vertical).toBe(true);
    const runs = line?.runs ?? [];
    expect(runs.map((r) => r.text)).toEqual(["「", "あ", "、", "い", "。", "」", "う"]);
    for (let i = 1; i < runs.length; i++) expect(runs[i]?.x ?? 0).toBeGreaterThan(runs[i - 1]?.x ?? 0);
    for (const r of runs) {
      expect(r.vertical?.orient).toBe("upright");
      expect(r.features).toMatchObject({ vert: true });
    }
  });

  it("draws 、。 in the upper right of their cell and brackets as the vertical forms (vert glyph ids)", () => {
    const face = fonts.faceFor("、".codePointAt(0) ?? 0, false);
    expect(face).toBeDefined();
    const file = (fonts.pdfmakeFonts[face?.family ?? ""] as { normal: string }).normal;
    const font = fontkit.openSync(file) as fontkit.Font;
    for (const ch of ["、", "。"]) {
      const [glyph] = font.layout(ch, ["vert"]).glyphs;
      const b = glyph?.bbox;
      // The em box runs from -0.12 em to 0.88 em: the upper right quarter is x > 0.5 em, y > 0.38 em.
      expect(b?.minX ?? 0).toBeGreaterThan(500);
      expect(b?.minY ?? 0).toBeGreaterThan(380);
    }
    for (const ch of ["「", "」", "（", "）", "ー", "…", "ゃ"]) {
      const h = font.layout(ch).glyphs[0]?.id;
      const v = font.layout(ch, ["vert"]).glyphs[0]?.id;
      expect(v, ch).not.toBe(h);
    }
    // The line engine hands exactly these features to the renderer.
    const [line] = set("あ「い」、", 20);
    for (const r of line?.runs ?? []) {
      const [g] = font.layout(
        r.text,
        Object.keys(r.features ?? {}).filter((k) => r.features?.[k]),
      ).glyphs;
      expect(g?.id).toBe(font.layout(r.text, ["vert"]).glyphs[0]?.id);
    }
  });

  it("keeps the half-width blank of brackets on the outer side: an opening bracket's em box starts half an em up", () => {
    const [line] = set("あ「い」う", 20);
    const open = line?.runs.find((r) => r.text === "「");
    const close = line?.runs.find((r) => r.text === "」");
    expect(open?.vertical?.along).toBeCloseTo(0.88 * SIZE - SIZE / 2, 5);
    expect(close?.vertical?.along).toBeCloseTo(0.88 * SIZE, 5);
    // 「 and 」 take half an em each, plus the half-em blanks before 「 and after 」.
    const u = line?.runs.find((r) => r.text === "う");
    expect(u?.x).toBeCloseTo(5 * SIZE, 5);
  });

  it("sets 1-2 digits and ^^…^^ upright as 縦中横 within one em, and turns Latin words and long numbers", () => {
    const [line] = set("5月12日、2026年にPCで^^100^^回、Twitterを見た", 40);
    const runs = line?.runs ?? [];
    const tcy = runs.filter((r) => r.vertical?.orient === "tcy").map((r) => r.text);
    expect(tcy).toEqual(["5", "12", "PC", "100"]);
    for (const r of runs.filter((x) => x.vertical?.orient === "tcy")) {
      expect(r.width).toBeCloseTo(SIZE, 5);
      // The glyphs, side by side, within one em across the line: centred, with air (across) on both sides.
      expect(r.vertical?.across ?? -1).toBeGreaterThanOrEqual(0);
      expect(r.size).toBeLessThanOrEqual(SIZE);
    }
    const sideways = runs.filter((r) => r.vertical?.orient === "sideways").map((r) => r.text);
    expect(sideways).toEqual(["2026", "Twitter"]);
    expect(textOf(line as SetLine)).not.toContain("^");
  });

  it("turns a wave or dash whose face has no vertical form, so it still runs along the line", () => {
    const [line] = set("気持ちいい～、あっ――、スーパー", 20);
    for (const ch of ["～", "―"]) {
      const run = line?.runs.find((r) => r.text === ch);
      const face = fonts.faceFor(ch.codePointAt(0) ?? 0, false);
      const hasVert = face && face.shape(ch, ["vert"]).glyphs[0] !== face.shape(ch).glyphs[0];
      expect(run?.vertical?.orient, ch).toBe(hasVert ? "upright" : "sideways");
    }
    expect(line?.runs.find((r) => r.text === "ー")?.vertical?.orient).toBe("upright");
  });

  it("drops the ^^ marks in horizontal text", () => {
    const [line] = set("第^^12^^回", 20, { size: SIZE, leading: 1.6 });
    expect(textOf(line as SetLine)).toBe("第12回");
  });

  it("applies the line-start rules down the line and justifies every line but the last to the line length", () => {
    const text =
      "今日は、とても良い天気でした。「みんなで公園へ行こう！」と言って、ちょっと遠くまで歩きました。ジャングルジムやブランコで遊びました。";
    const lines = set(text, 9);
    expect(lines.length).toBeGreaterThan(3);
    lines.forEach((l, i) => {
      expect(textOf(l)).not.toMatch(START_FORBIDDEN);
      if (i < lines.length - 1) expect(l.width).toBeCloseTo(9 * SIZE, 0);
    });
    expect(lines.map(textOf).join("")).toBe(text);
  });
});

/** Items grouped into vertical lines, in stream order: a new line starts where x moves left by a line pitch. */
function verticalLines(items: PdfTextItem[], size: number): PdfTextItem[][] {
  const lines: PdfTextItem[][] = [];
  let current: PdfTextItem[] = [];
  let lineX = Number.NaN;
  for (const it of items) {
    const upright = it.height > 0 && Math.abs(it.height - size) < 0.6;
    const x = upright ? it.x : lineX;
    if (current.length && upright && Math.abs(x - lineX) > size * 0.9) {
      lines.push(current);
      current = [];
    }
    if (upright && !current.length) lineX = x;
    current.push(it);
  }
  if (current.length) lines.push(current);
  return lines;
}

describe("direction in issue.yaml", () => {
  it("explains a mistyped direction or titleDirection with its line and a did-you-mean", () => {
    const { root, issue } = projectWith(
      [
        "newsletter: テスト",
        "date: 2026-01-10",
        "blocks:",
        "  - corner:",
        "      title: 編集後記",
        "      direction: vertcal",
        "      titledirection: vertical",
        "      body: 本文です。",
        "",
      ].join("\n"),
    );
    const r = kaiho(["check", "--root", root, issue]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("issue.yaml:6:");
    expect(r.stderr).toContain("もしかして「vertical」");
    expect(r.stderr).toContain('Did you mean "titleDirection"?');
  });
});

describe("the B5 neighbourhood letter", () => {
  it("lays out its vertical article and corners on one page, nothing left over", () => {
    const root = mkdtempSync(path.join(tmpdir(), "kaiho-vertical-"));
    cpSync(
      path.join(REPO, "tests", "fixtures", "vertical", "b5-vertical"),
      path.join(root, "content", "b5"),
      {
        recursive: true,
      },
    );
    const r = kaiho(["check", "--root", root, path.join(root, "content", "b5")]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toContain("1 ページ pages");
    expect(r.stdout + r.stderr).not.toContain("収まりません");
  }, 120_000);
});

describe("a vertical article longer than a page", () => {
  it("goes on to the next page, cut between its 段, with nothing reported as not fitting", () => {
    const para =
      "町内の清掃活動は毎月第2日曜日の朝8時から行っています。参加者は毎回30人ほどで、小学生からお年寄りまで、みんなで公園や通学路をきれいにしています。";
    const body = Array.from({ length: 45 }, () => `        ${para}`).join("\n\n");
    const { root, issue } = projectWith(
      [
        "newsletter: 長文テスト",
        "date: 2026-01-10",
        "style:",
        "  direction: vertical",
        "blocks:",
        "  - article:",
        "      title: とても長い記事",
        "      columns: 3",
        "      body: |",
        body,
        "",
      ].join("\n"),
    );
    const r = kaiho(["check", "--root", root, issue]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/[2-9] ページ pages/);
    expect(r.stdout + r.stderr).not.toContain("収まりません");
  }, 120_000);
});

describe("vertical fixtures, built", () => {
  let root = "";
  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), "kaiho-vertical-"));
    mkdirSync(path.join(root, "content"), { recursive: true });
    for (const f of ["corner-in-union", "a4-vertical"])
      cpSync(path.join(REPO, "tests", "fixtures", "vertical", f), path.join(root, "content", f), {
        recursive: true,
      });
    // The screen PDF is what is measured; print and email are made from the same drawing (tests/editions.test.ts).
    const r = kaiho([
      "build",
      "--only",
      "screen",
      "--root",
      root,
      path.join(root, "content", "corner-in-union"),
      path.join(root, "content", "a4-vertical"),
    ]);
    expect(r.status, r.stderr).toBe(0);
  }, 240_000);

  it("sets the corner's lines right to left, its characters downwards, in reading order", async () => {
    const report = await inspectPdf(path.join(root, "output", "corner-in-union.pdf"));
    const page = report.pages[0] as PdfPage;
    const start = page.items.findIndex((it) => it.str === "四");
    expect(start).toBeGreaterThan(0);
    const first = page.items[start] as PdfTextItem;
    const size = first.height;
    // The corner: everything drawn after its first character, to the right half of the page.
    // The title (larger, drawn after the text) and the footer are left out.
    const items = page.items
      .slice(start)
      .filter(
        (it) => it.x > page.width / 2 && it.top < page.height - 72 && it.str.trim() && it.height < size + 0.6,
      );
    const lines = verticalLines(items, size);
    expect(lines.length).toBeGreaterThan(6);
    const uprightX = (l: PdfTextItem[]) => l.find((it) => Math.abs(it.height - size) < 0.6)?.x ?? 0;
    for (let i = 1; i < lines.length; i++)
      expect(uprightX(lines[i] as PdfTextItem[])).toBeLessThan(uprightX(lines[i - 1] as PdfTextItem[]));
    for (const line of lines) {
      for (let k = 1; k < line.length; k++)
        expect((line[k] as PdfTextItem).top).toBeGreaterThan((line[k - 1] as PdfTextItem).top);
      expect(line[0]?.str).not.toMatch(START_FORBIDDEN);
    }
    // Copying the text gives it in reading order.
    const text = items.map((it) => it.str).join("");
    expect(text).toContain("四月、庁舎の桜が満開になりました。");
    expect(text).toContain("Twitter");
  });

  it("draws 縦中横 digits side by side within one em, and a Latin word turned down the line", async () => {
    const report = await inspectPdf(path.join(root, "output", "corner-in-union.pdf"));
    const page = report.pages[0] as PdfPage;
    const i = page.items.findIndex((it) => it.str === "23");
    expect(i).toBeGreaterThan(0);
    const tcy = page.items[i] as PdfTextItem;
    const next = page.items[i + 1] as PdfTextItem;
    const size = next.height;
    expect(tcy.width).toBeLessThanOrEqual(size);
    expect(tcy.x).toBeGreaterThanOrEqual(next.x - 0.01);
    expect(tcy.x + tcy.width).toBeLessThanOrEqual(next.x + size + 0.01);
    expect(next.str).toBe("人");
    expect(next.top).toBeGreaterThan(tcy.top);
    // Twitter: drawn across no other line: the character after it stands on the same line, below the word.
    const w = page.items.findIndex((it) => it.str.includes("Twitter"));
    const word = page.items[w] as PdfTextItem;
    const after = page.items.slice(w + 1).find((it) => it.str.trim()) as PdfTextItem;
    const before = page.items
      .slice(0, w)
      .reverse()
      .find((it) => it.str.trim()) as PdfTextItem;
    expect(Math.abs(after.x - before.x)).toBeLessThan(0.5);
    expect(Math.abs(word.x - before.x)).toBeLessThan(size);
    expect(word.top).toBeGreaterThan(before.top);
    expect(after.top - before.top).toBeGreaterThan(size * 3);
  });

  it("stands a vertical article's photo across its top, the caption horizontal under it, the text below", async () => {
    const report = await inspectPdf(path.join(root, "output", "a4-vertical.pdf"));
    const page = report.pages[0] as PdfPage;
    const photo = page.images[0];
    expect(photo).toBeDefined();
    const photoBottom = page.height - (photo?.placed.y ?? 0);
    const caption = page.items.find((it) => it.str.startsWith("初めてのプール"));
    expect(caption, "the caption is one horizontal run").toBeDefined();
    expect(caption?.top ?? 0).toBeGreaterThan(photoBottom - 1);
    const at = (i: number) => page.items[i]?.str;
    const first = page.items.find((_, i) => at(i) === "6" && at(i + 1) === "月" && at(i + 2) === "9");
    expect(first?.top ?? 0).toBeGreaterThan(caption?.top ?? Number.POSITIVE_INFINITY);
  });

  it("sets ruby down the right side of its base", async () => {
    const report = await inspectPdf(path.join(root, "output", "a4-vertical.pdf"));
    const page = report.pages[0] as PdfPage;
    const base = page.items.findIndex((it, i) => it.str === "水" && page.items[i + 1]?.str === "泳");
    expect(base).toBeGreaterThan(0);
    const sui = page.items[base] as PdfTextItem;
    const ei = page.items[base + 1] as PdfTextItem;
    const size = sui.height;
    const ruby = page.items.filter((it) => "すいえ".includes(it.str) && Math.abs(it.height - size / 2) < 0.3);
    const near = ruby.filter((r) => r.x > sui.x + size * 0.9 && r.x < sui.x + size * 1.6);
    expect(near.map((r) => r.str).join("")).toBe("すいえい");
    for (const r of near) {
      expect(r.top).toBeGreaterThan(sui.top - size * 0.5);
      expect(r.top).toBeLessThan(ei.top + size);
    }
    // Drawn after the rest of the page: the text reads 水泳学習 without the reading in between.
    expect(page.items[base + 2]?.str).toBe("学");
  });

  it("balances a two-段 article of the fully vertical A4 letter", async () => {
    const report = await inspectPdf(path.join(root, "output", "a4-vertical.pdf"));
    const page = report.pages[0] as PdfPage;
    const at = (i: number) => page.items[i]?.str;
    const start = page.items.findIndex((_, i) => at(i) === "6" && at(i + 1) === "月" && at(i + 2) === "9");
    const end = page.items.findIndex((it) => it.str === "佐");
    expect(start).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(start);
    const body = page.items.slice(start, end + 1).filter((it) => it.str.trim());
    const size = (page.items[start + 1] as PdfTextItem).height;
    const tops = body.map((it) => it.top);
    const split = (Math.min(...tops) + Math.max(...tops)) / 2;
    const upper = body.filter((it) => it.top < split);
    const lower = body.filter((it) => it.top >= split);
    const count = (items: PdfTextItem[]) => verticalLines(items, size).length;
    expect(count(upper)).toBeGreaterThan(3);
    expect(Math.abs(count(upper) - count(lower))).toBeLessThanOrEqual(3);
    // Both 段 start at the right edge of the text, under each other.
    expect(
      Math.abs(Math.max(...upper.map((it) => it.x)) - Math.max(...lower.map((it) => it.x))),
    ).toBeLessThan(size);
  });
});
