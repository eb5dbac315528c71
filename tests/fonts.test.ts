import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as fontkit from "fontkit";
import { PDFDict, PDFName, PDFRawStream, PDFRef, PDFDocument as PdfLibDocument } from "pdf-lib";
import PDFKitDocument from "pdfkit";
import pdfmake from "pdfmake";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { resolveGeometry } from "../src/content/geometry.js";
import type { Issue } from "../src/content/issue.js";
import type { IssueDoc } from "../src/content/schema.js";
import { KaihoError, Warnings } from "../src/diagnostics.js";
import { cacheStats } from "../src/fonts/cache.js";
import type { FontBook, FontFace } from "../src/fonts/font-book.js";
import { loadFonts } from "../src/fonts/index.js";
import { inRanges, parseUnicodeRange } from "../src/fonts/unicode-range.js";
import { FontFormatError, woffToSfnt } from "../src/fonts/woff.js";
import { resolveTheme } from "../src/theme/index.js";

const require = createRequire(import.meta.url);
const fontsource = (pkg: string, file: string) =>
  join(dirname(require.resolve(`@fontsource/${pkg}/package.json`)), "files", file);
const JP_400 = fontsource("noto-sans-jp", "noto-sans-jp-japanese-400-normal.woff");

const cp = (ch: string) => ch.codePointAt(0) ?? -1;

/** An Issue built by hand (the content stage is written elsewhere); `fonts` go on lines 4 and 5. */
function makeIssue(root: string, fonts?: { body?: string; bold?: string }): Issue {
  const doc: IssueDoc = { newsletter: "テスト通信", date: "2024-01-01", blocks: [{ slogan: "団結" }] };
  if (fonts) doc.fonts = fonts;
  const sourceLines = [
    "newsletter: テスト通信",
    "date: 2024-01-01",
    "fonts:",
    `  body: ${fonts?.body ?? ""}`,
    `  bold: ${fonts?.bold ?? ""}`,
    "blocks:",
    "  - slogan: 団結",
  ];
  const at: Record<string, { line: number; column: number }> = {
    "fonts.body": { line: 4, column: 9 },
    "fonts.bold": { line: 5, column: 9 },
  };
  return {
    id: "t",
    dir: join(root, "content", "t"),
    file: join(root, "content", "t", "issue.yaml"),
    root,
    doc,
    geometry: resolveGeometry(doc),
    theme: resolveTheme(undefined),
    photos: [],
    sourceLines,
    locate: (path) => at[path],
  };
}

const temps: string[] = [];
function temp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** File pdfmake will embed for a face. */
function fileOf(book: FontBook, face: FontFace): string {
  const family = book.pdfmakeFonts[face.family];
  if (!family) throw new Error(`family ${face.family} not registered in pdfmakeFonts`);
  return face.bold ? family.bold : family.normal;
}

describe("fallback chain", () => {
  let book: FontBook;
  let root: string;
  beforeAll(async () => {
    root = temp("kaiho-fonts-root-");
    book = await loadFonts(makeIssue(root), { cacheDir: join(root, ".cache"), warnings: new Warnings() });
  });

  const cases: [string, RegExp][] = [
    ["漢", /^NotoSansJP-japanese$/],
    ["あ", /^NotoSansJP-japanese$/],
    ["～", /^NotoSansJP-\d+$/], // U+FF5E: not in the japanese subset, in a numbered slice
    ["◎", /^NotoSansJP-\d+$/], // U+25CE
    ["①", /^NotoSansJP-\d+$/],
    ["污", /^NotoSansSC-\d+$/], // U+6C61: in no Noto Sans JP file
    ["✧", /^NotoSansSymbols2-symbols$/], // U+2727
    ["😀", /^NotoEmoji-\d+$/],
  ];
  for (const [ch, family] of cases) {
    for (const bold of [false, true]) {
      test(`${ch} U+${cp(ch).toString(16).toUpperCase()} ${bold ? "bold" : "regular"}`, () => {
        const face = book.faceFor(cp(ch), bold);
        expect(face?.family).toMatch(family);
        if (!face) return;
        expect(face.has(cp(ch))).toBe(true);
        // The glyph is real in the very file pdfmake will embed (not .notdef).
        const font = fontkit.openSync(fileOf(book, face)) as fontkit.Font;
        expect(font.glyphForCodePoint(cp(ch)).id).not.toBe(0);
        const symbols = family.source.includes("Symbols2");
        // Noto Sans Symbols 2 has no bold: a bold request gets its regular face.
        expect(face.bold).toBe(bold && !symbols);
        expect(font["OS/2"].usWeightClass).toBe(face.bold ? 700 : 400);
      });
    }
  }

  test("the japanese subset has halt/palt, the chain's first face is the primary", () => {
    const kan = book.faceFor(cp("漢"), false);
    expect(kan).toBe(book.primary(false));
    expect(kan?.hasHalfWidthFeatures).toBe(true);
    expect(book.faceFor(cp("✧"), false)?.hasHalfWidthFeatures).toBe(false);
    expect(book.primary(true).bold).toBe(true);
    expect(book.primary(false).ascent).toBeGreaterThan(0.8);
    expect(book.primary(false).descent).toBeLessThan(-0.1);
  });

  test("emoji come from a monochrome font (no colour tables)", () => {
    const face = book.faceFor(cp("😀"), false);
    expect(face).toBeDefined();
    if (!face) return;
    const font = fontkit.openSync(fileOf(book, face)) as fontkit.Font & { directory: { tables: object } };
    const tables = Object.keys(font.directory.tables);
    expect(tables).toContain("glyf");
    for (const colour of ["COLR", "CBDT", "sbix", "SVG "]) expect(tables).not.toContain(colour);
  });

  test("unknown code points give undefined; whitespace and controls give the primary face", () => {
    expect(book.faceFor(0xe000, false)).toBeUndefined(); // private use
    expect(book.faceFor(0xf8ff, true)).toBeUndefined();
    expect(book.faceFor(0x0378, false)).toBeUndefined(); // unassigned
    expect(book.faceFor(0x10fffd, false)).toBeUndefined();
    expect(book.faceFor(0xd800, false)).toBeUndefined(); // lone surrogate
    for (const ws of [0x20, 0x3000, 0x09, 0x0a]) {
      expect(book.faceFor(ws, false)).toBe(book.primary(false));
      expect(book.faceFor(ws, true)).toBe(book.primary(true));
    }
  });

  test("pdfmakeFonts holds every family faceFor returned, regular and bold files", () => {
    const families = new Set(cases.map(([ch]) => book.faceFor(cp(ch), false)?.family));
    for (const family of families) {
      const entry = family ? book.pdfmakeFonts[family] : undefined;
      expect(entry, family).toBeDefined();
      if (!entry) continue;
      expect(entry.italics).toBe(entry.normal);
      expect(entry.bolditalics).toBe(entry.bold);
      for (const file of [entry.normal, entry.bold]) expect(statSync(file).size).toBeGreaterThan(1000);
      if (family === "NotoSansSymbols2-symbols") expect(entry.bold).toBe(entry.normal);
      else expect(entry.bold).not.toBe(entry.normal);
    }
    // Families nobody asked for are not converted or registered.
    expect(book.pdfmakeFonts["NotoSansJP-cyrillic"]).toBeUndefined();
  });
});

describe("advance() equals pdfkit's measurement", () => {
  let book: FontBook;
  beforeAll(async () => {
    const root = temp("kaiho-fonts-adv-");
    book = await loadFonts(makeIssue(root), { cacheDir: join(root, ".cache"), warnings: new Warnings() });
  });

  const strings = [
    "2024高崎市職労役員合同学習会開催",
    "11月23日(木祝)、9時より j-union専属講師である小林薫氏をお招きし、『組合の基礎の話』や「会議」。",
    "Hello, World! AV To  tab\there",
    "（「括弧」）、。・：；",
    "～今後の予定～",
    "◎①②",
    "✧機関紙部のお部屋✧",
    "✧ \u20e3✧", // an enclosing mark after a space: pieces and whole string lay out differently
    "😀",
    "污",
  ];
  const featureSets: (string[] | undefined)[] = [undefined, ["halt"], ["palt"], []];

  test("bit-for-bit with pdfkit's EmbeddedFont, close to doc.widthOfString", () => {
    const doc = new PDFKitDocument({ autoFirstPage: false });
    let compared = 0;
    for (const s of strings) {
      for (const bold of [false, true]) {
        // The face the fallback chain picks for the string's first character.
        const face = book.faceFor(cp(s), bold);
        expect(face, s).toBeDefined();
        if (!face) continue;
        const name = `${face.family}/${face.bold}`;
        doc.registerFont(name, fileOf(book, face));
        doc.font(name).fontSize(1);
        const embedded = (
          doc as unknown as { _font: { widthOfString(s: string, size: number, f?: string[]): number } }
        )._font;
        for (const features of featureSets) {
          const ours = face.advance(s, features);
          expect(ours, `${name} ${s} ${features}`).toBe(embedded.widthOfString(s, 1, features));
          expect(ours).toBeCloseTo(
            doc.widthOfString(s, { features: features as PDFKit.Mixins.OpenTypeFeatures[] }),
            12,
          );
          compared++;
        }
      }
    }
    expect(compared).toBe(strings.length * 2 * featureSets.length);
  });

  test("halt/palt really change widths in the japanese face (the comparison is not vacuous)", () => {
    const face = book.primary(false);
    const s = "（「括弧」）、。";
    expect(face.advance(s)).toBeCloseTo(8, 6); // full-width brackets and commas
    expect(face.advance(s, ["halt"])).toBeCloseTo(5, 6); // the six brackets and commas halved
    expect(face.advance(s, ["palt"])).toBeLessThan(8);
    expect(face.advance("括弧", ["palt"])).toBeCloseTo(2, 6);
    expect(face.advance("AV")).toBeLessThan(face.advance("A") + face.advance("V")); // kern is on by default
    // Without features pdfkit lays out the pieces after each space separately; with features, the whole string.
    // In Noto Sans Symbols 2 the enclosing keycap mark attaches to the space only when laid out together.
    const symbols = book.faceFor(cp("✧"), false);
    expect(symbols?.advance("✧ \u20e3✧")).not.toBe(symbols?.advance("✧ \u20e3✧", []));
    expect(symbols?.advance("✧ \u20e3✧")).toBe(
      (symbols?.advance("✧ ") ?? Number.NaN) + (symbols?.advance("\u20e3✧") ?? Number.NaN),
    );
  });
});

describe("WOFF → TTF", () => {
  const woffs = [
    JP_400,
    fontsource("noto-sans-jp", "noto-sans-jp-92-700-normal.woff"),
    fontsource("noto-sans-symbols-2", "noto-sans-symbols-2-symbols-400-normal.woff"),
    fontsource("noto-emoji", "noto-emoji-9-400-normal.woff"),
  ];
  for (const file of woffs) {
    test(`round-trips ${file.split("/").pop()}`, () => {
      const woff = readFileSync(file);
      const ttf = woffToSfnt(woff);
      const fromWoff = fontkit.create(woff) as fontkit.Font;
      const fromTtf = fontkit.create(ttf) as fontkit.Font;
      expect(fromTtf.type).toBe("TTF");
      expect(fromTtf.numGlyphs).toBe(fromWoff.numGlyphs);
      // The one deliberate change: the japanese subset's "Thin" instance name (tests/fonts-names.test.ts).
      expect(fromTtf.postscriptName).toBe(fromWoff.postscriptName.replace("NotoSansJPThin", "NotoSansJP"));
      expect(fromTtf.characterSet.length).toBe(fromWoff.characterSet.length);
      const sample = fromWoff.characterSet.filter((c) => c > 0x20).slice(0, 40);
      for (const c of sample) {
        expect(fromTtf.glyphForCodePoint(c).path.toSVG()).toBe(fromWoff.glyphForCodePoint(c).path.toSVG());
      }
      checkSfnt(ttf, woff.readUInt16BE(12));
    });
  }

  test("broken WOFF files are refused with a FontFormatError", () => {
    const woff = readFileSync(JP_400);
    expect(() => woffToSfnt(woff.subarray(0, 1000))).toThrow(FontFormatError);
    expect(() => woffToSfnt(Buffer.from("not a font at all, not at all....................."))).toThrow(
      FontFormatError,
    );
    const corrupt = Buffer.from(woff);
    const firstOffset = corrupt.readUInt32BE(44 + 4);
    corrupt.fill(0xff, firstOffset, firstOffset + 64); // garbage instead of zlib data
    expect(() => woffToSfnt(corrupt)).toThrow(FontFormatError);
  });
});

/** Table directory sorted, binary-search fields right, tables 4-byte aligned, checksums valid. */
function checkSfnt(ttf: Buffer, numTables: number): void {
  expect(ttf.readUInt16BE(4)).toBe(numTables);
  const entrySelector = Math.floor(Math.log2(numTables));
  expect(ttf.readUInt16BE(6)).toBe(2 ** entrySelector * 16);
  expect(ttf.readUInt16BE(8)).toBe(entrySelector);
  expect(ttf.readUInt16BE(10)).toBe(numTables * 16 - 2 ** entrySelector * 16);
  expect(ttf.length % 4).toBe(0);
  const sum = (start: number, length: number) => {
    let s = 0;
    for (let i = start; i < start + length; i += 4) s = (s + ttf.readUInt32BE(i)) >>> 0;
    return s;
  };
  let previous = "";
  for (let i = 0; i < numTables; i++) {
    const entry = 12 + i * 16;
    const tag = ttf.toString("latin1", entry, entry + 4);
    expect(tag > previous).toBe(true);
    previous = tag;
    const offset = ttf.readUInt32BE(entry + 8);
    const length = ttf.readUInt32BE(entry + 12);
    expect(offset % 4).toBe(0);
    expect(offset + length).toBeLessThanOrEqual(ttf.length);
    const padded = (length + 3) & ~3;
    let expected = sum(offset, padded);
    if (tag === "head") expected = (expected - ttf.readUInt32BE(offset + 8)) >>> 0;
    expect(ttf.readUInt32BE(entry + 4), tag).toBe(expected);
  }
  expect(sum(0, ttf.length)).toBe(0xb1b0afba); // whole-font checksum with head.checkSumAdjustment in place
}

describe("cache", () => {
  test("a second loadFonts reads the cache: no conversion, no rewrite, same files", async () => {
    const root = temp("kaiho-fonts-cache-");
    const cacheDir = join(root, ".cache");
    const text = "会報の第485号～◎污✧①😀 Hello";
    const run = async () => {
      const writes = cacheStats.writes;
      const t0 = performance.now();
      const book = await loadFonts(makeIssue(root), { cacheDir, warnings: new Warnings() });
      for (const ch of text) for (const bold of [false, true]) book.faceFor(cp(ch), bold);
      return { book, ms: performance.now() - t0, writes: cacheStats.writes - writes };
    };
    const cold = await run();
    expect(cold.writes).toBeGreaterThan(5);
    const files = Object.values(cold.book.pdfmakeFonts).flatMap((f) => [f.normal, f.bold]);
    const before = new Map(files.map((f) => [f, statSync(f)]));
    const warm = await run();
    expect(warm.writes).toBe(0);
    expect(warm.book.pdfmakeFonts).toEqual(cold.book.pdfmakeFonts);
    for (const [file, st] of before) {
      const now = statSync(file);
      expect(now.ino).toBe(st.ino); // a rewrite (temp file + rename) would change the inode
      expect(now.mtimeMs).toBe(st.mtimeMs);
    }
    console.log(
      `fonts cache: cold ${cold.ms.toFixed(0)} ms (${cold.writes} TTFs written), warm ${warm.ms.toFixed(0)} ms`,
    );
  });

  test("a damaged cache file is made again", async () => {
    const root = temp("kaiho-fonts-damaged-");
    const cacheDir = join(root, ".cache");
    const first = await loadFonts(makeIssue(root), { cacheDir, warnings: new Warnings() });
    const file = first.pdfmakeFonts["NotoSansJP-japanese"]?.normal;
    expect(file).toBeDefined();
    if (!file) return;
    writeFileSync(file, "garbage");
    const warnings = new Warnings();
    const again = await loadFonts(makeIssue(root), { cacheDir, warnings });
    expect(again.faceFor(cp("漢"), false)?.family).toBe("NotoSansJP-japanese");
    expect(statSync(file).size).toBeGreaterThan(1_000_000);
    expect(warnings.list).toEqual([]);
  });
});

describe("editor fonts", () => {
  /** A project root with the given files in fonts/. */
  function project(files: Record<string, string | Buffer>): string {
    const root = temp("kaiho-fonts-editor-");
    mkdirSync(join(root, "fonts"));
    for (const [name, content] of Object.entries(files)) {
      if (typeof content === "string") copyFileSync(content, join(root, "fonts", name));
      else writeFileSync(join(root, "fonts", name), content);
    }
    return root;
  }
  // Noto Sans SC's Latin subset: has A (which the japanese subset also has) but not 漢.
  const SC_LATIN_WOFF2 = fontsource("noto-sans-sc", "noto-sans-sc-latin-400-normal.woff2");
  const SC_LATIN_700_WOFF = fontsource("noto-sans-sc", "noto-sans-sc-latin-700-normal.woff");

  test("a WOFF2 body font takes precedence for its characters, converted once into the cache", async () => {
    const root = project({ "Latin.woff2": SC_LATIN_WOFF2 });
    const cacheDir = join(root, ".cache");
    const warnings = new Warnings();
    const book = await loadFonts(makeIssue(root, { body: "Latin.woff2" }), { cacheDir, warnings });
    const a = book.faceFor(cp("A"), false);
    expect(a?.family).toBe("Editor-Latin");
    expect(book.primary(false)).toBe(a);
    expect(book.faceFor(cp("漢"), false)?.family).toBe("NotoSansJP-japanese");
    // No editor bold: bold Latin is Noto Sans JP Bold, and a warning says so at the fonts.body line.
    expect(book.faceFor(cp("A"), true)?.family).toBe("NotoSansJP-japanese");
    // Two warnings at the fonts.body line: no bold, and (a Latin-only font) no Japanese characters.
    expect(warnings.list).toHaveLength(2);
    expect(warnings.list.map((w) => w.line)).toEqual([4, 4]);
    expect(warnings.list.some((w) => w.en.includes("has no Japanese characters"))).toBe(true);

    const file = book.pdfmakeFonts["Editor-Latin"]?.normal ?? "";
    expect(file.startsWith(join(cacheDir, "fonts"))).toBe(true);
    expect(file.endsWith(".ttf")).toBe(true);
    const converted = fontkit.openSync(file) as fontkit.Font;
    const original = fontkit.openSync(SC_LATIN_WOFF2) as fontkit.Font;
    expect(converted.type).toBe("TTF");
    expect(converted.numGlyphs).toBe(original.numGlyphs);
    expect(a?.advance("Kaiho 2024")).toBe(
      (() => {
        const doc = new PDFKitDocument({ autoFirstPage: false });
        doc.registerFont("e", file);
        doc.font("e");
        return (
          doc as unknown as { _font: { widthOfString(s: string, n: number): number } }
        )._font.widthOfString("Kaiho 2024", 1);
      })(),
    );

    const writes = cacheStats.writes;
    const ino = statSync(file).ino;
    await loadFonts(makeIssue(root, { body: "Latin.woff2" }), { cacheDir, warnings: new Warnings() });
    expect(cacheStats.writes).toBe(writes);
    expect(statSync(file).ino).toBe(ino);
  });

  test("a WOFF bold font and a TTF body font pair into one family", async () => {
    const bodyTtf = woffToSfnt(
      readFileSync(fontsource("noto-sans-sc", "noto-sans-sc-latin-400-normal.woff")),
    );
    const root = project({ "Body.ttf": bodyTtf, "Bold.woff": SC_LATIN_700_WOFF });
    const warnings = new Warnings();
    const book = await loadFonts(makeIssue(root, { body: "Body.ttf", bold: "Bold.woff" }), {
      cacheDir: join(root, ".cache"),
      warnings,
    });
    // Both are Latin-only subsets: each is named as having no Japanese characters, nothing else.
    expect(warnings.list.map((w) => w.en.includes("has no Japanese characters"))).toEqual([true, true]);
    const regular = book.faceFor(cp("A"), false);
    const bold = book.faceFor(cp("A"), true);
    expect(regular?.family).toBe("Editor-Body");
    expect(bold?.family).toBe("Editor-Body");
    expect(bold?.bold).toBe(true);
    const family = book.pdfmakeFonts["Editor-Body"];
    expect(family?.normal).toBe(join(root, "fonts", "Body.ttf")); // TTF used where it is
    expect(family?.bold).toMatch(/editor-Bold-[0-9a-f]{16}\.ttf$/);
    expect(book.faceFor(cp("漢"), true)?.family).toBe("NotoSansJP-japanese");
  });

  async function failure(root: string, fonts: { body?: string; bold?: string }): Promise<KaihoError> {
    try {
      await loadFonts(makeIssue(root, fonts), { cacheDir: join(root, ".cache"), warnings: new Warnings() });
    } catch (e) {
      if (e instanceof KaihoError) return e;
      throw e;
    }
    throw new Error("loadFonts did not fail");
  }

  test("a missing file is a KaihoError at the YAML line, naming the file", async () => {
    const root = project({ "MaruGothic.ttf": Buffer.from("x") });
    const e = await failure(root, { bold: "MaruGothik.ttf" });
    const d = e.diagnostics[0];
    expect(d?.file).toBe(makeIssue(root).file);
    expect(d?.line).toBe(5);
    expect(d?.sourceLine).toBe("  bold: MaruGothik.ttf");
    expect(d?.ja).toContain("MaruGothik.ttf");
    expect(d?.en).toContain("MaruGothik.ttf");
    expect(d?.hintJa).toContain("MaruGothic.ttf"); // the near miss is suggested
  });

  test("files outside fonts/ are refused", async () => {
    const root = project({});
    writeFileSync(join(root, "Outside.ttf"), woffToSfnt(readFileSync(SC_LATIN_700_WOFF)));
    for (const name of ["../Outside.ttf", join(root, "Outside.ttf"), "sub/../../Outside.ttf"]) {
      const e = await failure(root, { body: name });
      expect(e.diagnostics[0]?.line).toBe(4);
      expect(e.diagnostics[0]?.en).toContain("outside the fonts/ folder");
    }
  });

  test("unreadable and non-font files are KaihoErrors", async () => {
    const root = project({
      "notes.ttf": Buffer.from("これはフォントではありません"),
      "broken.woff": Buffer.alloc(0),
    });
    mkdirSync(join(root, "fonts", "dir.ttf"));
    const notFont = await failure(root, { body: "notes.ttf" });
    expect(notFont.diagnostics[0]?.ja).toContain("notes.ttf");
    expect(notFont.diagnostics[0]?.line).toBe(4);
    const folder = await failure(root, { body: "dir.ttf" });
    expect(folder.diagnostics[0]?.en).toContain("is a folder, not a regular file");
    const empty = await failure(root, { bold: "broken.woff" });
    expect(empty.diagnostics[0]?.line).toBe(5);
    // A WOFF whose tables are cut off.
    writeFileSync(join(root, "fonts", "cut.woff"), readFileSync(JP_400).subarray(0, 5000));
    const cut = await failure(root, { body: "cut.woff" });
    expect(cut.diagnostics[0]?.en).toContain("not a usable font");
  });
});

describe("pdfmake output", () => {
  /** Split text into runs by the face faceFor gives, as the typeset stage will. */
  function runs(book: FontBook, text: string, bold = false) {
    const out: { text: string; font: string; bold: boolean }[] = [];
    for (const ch of text) {
      const face = book.faceFor(cp(ch), bold);
      if (!face) throw new Error(`no font for ${ch}`);
      const last = out[out.length - 1];
      if (last && last.font === face.family && last.bold === face.bold) last.text += ch;
      else out.push({ text: ch, font: face.family, bold: face.bold });
    }
    return out;
  }

  async function render(book: FontBook, content: unknown[]): Promise<Buffer> {
    pdfmake.setUrlAccessPolicy(() => false);
    pdfmake.setLocalAccessPolicy(() => true);
    pdfmake.setFonts(book.pdfmakeFonts);
    const pdf = pdfmake.createPdf({
      content: content as never,
      defaultStyle: { font: book.primary(false).family, fontSize: 10 },
      info: { creationDate: new Date(0), modDate: new Date(0) } as never,
    });
    return pdf.getBuffer();
  }

  /** Embedded font programs: name → compressed size. */
  async function embedded(bytes: Buffer): Promise<Map<string, number>> {
    const pdf = await PdfLibDocument.load(bytes);
    const out = new Map<string, number>();
    for (const [, obj] of pdf.context.enumerateIndirectObjects()) {
      if (!(obj instanceof PDFDict) || obj.get(PDFName.of("Type")) !== PDFName.of("FontDescriptor")) continue;
      const name = obj.get(PDFName.of("FontName"))?.toString() ?? "?";
      const ref = obj.get(PDFName.of("FontFile2"));
      const stream = ref instanceof PDFRef ? pdf.context.lookup(ref) : undefined;
      if (stream instanceof PDFRawStream) out.set(name, stream.contents.length);
    }
    return out;
  }

  test("two families embed as small subsets", async () => {
    const root = temp("kaiho-fonts-pdf-");
    const book = await loadFonts(makeIssue(root), {
      cacheDir: join(root, ".cache"),
      warnings: new Warnings(),
    });
    const text = "～今後の予定～ 第3回5役会 ◎市職労定期回答交渉、第2回市職労中央執行委員会。".repeat(20);
    const inlines = runs(book, text);
    expect(new Set(inlines.map((r) => r.font))).toEqual(
      new Set([
        "NotoSansJP-japanese",
        book.faceFor(cp("～"), false)?.family,
        book.faceFor(cp("◎"), false)?.family,
      ]),
    );
    const t0 = performance.now();
    const bytes = await render(book, [{ text: inlines }, { text: runs(book, "太字の見出し～", true) }]);
    const ms = performance.now() - t0;
    const fonts = await embedded(bytes);
    const ttfTotal = Object.values(book.pdfmakeFonts).reduce((n, f) => n + statSync(f.normal).size, 0);
    console.log(
      `pdfmake: ${bytes.length} bytes in ${ms.toFixed(0)} ms; fonts ${JSON.stringify(Object.fromEntries(fonts))}; ` +
        `source TTFs ${ttfTotal} bytes`,
    );
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    // japanese 400 and 700, the ～ slice 400 and 700, the ◎ slice 400. (The japanese subset's PostScript name
    // is NotoSansJPThin-Regular/-Bold: fontsource instanced it from the variable font; usWeightClass is right.)
    expect(fonts.size).toBe(5);
    for (const name of fonts.keys()) expect(name).toMatch(/^\/[A-Z]{6}\+NotoSansJP/);
    for (const size of fonts.values()) expect(size).toBeLessThan(20_000); // a subset, not a 2 MB font
    expect(bytes.length).toBeLessThan(80_000);
  });

  test("every face of the chain renders (symbols, Chinese, emoji)", async () => {
    const root = temp("kaiho-fonts-pdf2-");
    const book = await loadFonts(makeIssue(root), {
      cacheDir: join(root, ".cache"),
      warnings: new Warnings(),
    });
    const bytes = await render(book, [
      { text: runs(book, "✧機関紙部のお部屋✧ 污れ ①② 😀 ～◎") },
      { text: runs(book, "✧太字✧ 😀", true) },
    ]);
    const fonts = await embedded(bytes);
    console.log(
      `pdfmake, whole chain: ${bytes.length} bytes; fonts ${JSON.stringify(Object.fromEntries(fonts))}`,
    );
    expect(fonts.size).toBeGreaterThanOrEqual(7);
    for (const size of fonts.values()) expect(size).toBeLessThan(20_000);
    expect(bytes.length).toBeLessThan(120_000);
  });
});

describe("unicode-range", () => {
  test("parses singles, ranges and wildcards, and merges", () => {
    const r = parseUnicodeRange("U+0-7F, U+25ee8,U+4??,U+26ff6-26ff8,U+80-ff,bogus");
    for (const c of [0, 0x41, 0xff, 0x400, 0x4ff, 0x25ee8, 0x26ff7])
      expect(inRanges(r, c), c.toString(16)).toBe(true);
    for (const c of [0x100, 0x3ff, 0x500, 0x25ee7, 0x26ff9])
      expect(inRanges(r, c), c.toString(16)).toBe(false);
    expect(r[0]).toBe(0);
    expect(r[1]).toBe(0xff); // 0-7f and 80-ff merged
  });
});
