import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, extname, isAbsolute, join, relative, resolve } from "node:path";
import { closest, distance } from "fastest-levenshtein";
import type * as Fontkit from "fontkit";
import type { Issue } from "../content/issue.js";
import { errorAt, type KaihoError, type Warnings } from "../diagnostics.js";
import { readBoundedSync } from "../fsx/read.js";
import { shortHash, type TtfCache } from "./cache.js";
import { isWoff, woffToSfnt } from "./woff.js";
import { isWoff2, woff2ToSfnt } from "./woff2.js";

// The CommonJS copy, the one pdfkit itself requires: importing the ES module would load fontkit a second time
// (about 100 ms) and give fonts objects pdfkit does not share.
const fontkit = createRequire(import.meta.url)("fontkit") as typeof Fontkit;

/**
 * The editor's own fonts: `fonts.body` / `fonts.bold` in issue.yaml name files in `<root>/fonts/`. TTF and OTF
 * are used where they are; WOFF and WOFF2 are converted once into the TTF cache (keyed by a hash of the bytes).
 * Everything that can go wrong is reported against the YAML line that names the file.
 */

export type EditorRole = "body" | "bold";

export interface EditorFont {
  role: EditorRole;
  /** The name as written in issue.yaml. */
  name: string;
  /** The SFNT file pdfmake will embed (the original TTF/OTF, or the cached conversion). */
  file: string;
  font: Fontkit.Font;
}

const FONT_EXTENSIONS = new Set([".ttf", ".otf", ".woff", ".woff2"]);

export async function loadEditorFonts(
  issue: Issue,
  cache: TtfCache,
  warnings?: Warnings,
): Promise<{ body?: EditorFont; bold?: EditorFont }> {
  const out: { body?: EditorFont; bold?: EditorFont } = {};
  for (const role of ["body", "bold"] as const) {
    const name = issue.doc.fonts?.[role];
    if (name === undefined) continue;
    const font = await loadEditorFont(issue, cache, role, name);
    out[role] = font;
    if (warnings && !JAPANESE_SAMPLE.some((c) => font.font.hasGlyphForCodePoint(c))) {
      const pos = issue.locate(`fonts.${role}`);
      warnings.add(
        issue.file,
        `フォント「${name}」（fonts.${role}）には日本語の文字がありません。日本語は Noto Sans JP で組みます。`,
        `The font "${name}" (fonts.${role}) has no Japanese characters: Japanese text is set in Noto Sans JP.`,
        {
          line: pos?.line,
          column: pos?.column,
          sourceLine: pos ? issue.sourceLines[pos.line - 1] : undefined,
          hintJa: "日本語のフォントを使うつもりなら、ファイルを確かめてください。",
          hintEn: "If you meant a Japanese font, check the file.",
        },
      );
    }
  }
  return out;
}

/** あ, ア, 日, 本, 。: a font with none of these is not a Japanese font. */
const JAPANESE_SAMPLE = [0x3042, 0x30a2, 0x65e5, 0x672c, 0x3002];

async function loadEditorFont(
  issue: Issue,
  cache: TtfCache,
  role: EditorRole,
  name: string,
): Promise<EditorFont> {
  const fontsDir = join(issue.root, "fonts");
  const fail = (ja: string, en: string, hintJa?: string, hintEn?: string): KaihoError => {
    const pos = issue.locate(`fonts.${role}`);
    return errorAt(issue.file, ja, en, {
      line: pos?.line,
      column: pos?.column,
      sourceLine: pos ? issue.sourceLines[pos.line - 1] : undefined,
      hintJa,
      hintEn,
    });
  };

  const path = resolve(fontsDir, name);
  const rel = relative(fontsDir, path);
  if (name.trim() === "" || isAbsolute(name) || rel === "" || rel.startsWith("..") || isAbsolute(rel)) {
    throw fail(
      `fonts.${role} のフォント「${name}」は fonts/ フォルダの外を指しています`,
      `fonts.${role}: font "${name}" points outside the fonts/ folder`,
      "フォントファイルを fonts/ フォルダに置き、ファイル名だけを書いてください（例: MyFont.ttf）",
      "put the font file in fonts/ and write its file name only (e.g. MyFont.ttf)",
    );
  }

  const pos = issue.locate(`fonts.${role}`);
  const bytes = readBoundedSync(path, {
    kind: "font",
    missingOk: true,
    allowedRoots: [issue.root],
    namedAt: {
      file: issue.file,
      ...(pos ? { line: pos.line, column: pos.column, sourceLine: issue.sourceLines[pos.line - 1] } : {}),
    },
  });
  if (!bytes) {
    const available = listFonts(fontsDir);
    const guess = available.length ? closest(name, available) : undefined;
    const near = guess !== undefined && distance(name, guess) <= Math.max(3, name.length / 3);
    throw fail(
      `フォントファイル「${name}」が fonts/ フォルダにありません`,
      `font file "${name}" (fonts.${role}) not found in fonts/`,
      near
        ? `「${guess}」のことですか？`
        : available.length
          ? `fonts/ にあるフォント: ${available.join(", ")}`
          : `fonts/ フォルダ（${fontsDir}）にフォントファイル（.ttf .otf .woff .woff2）を置いてください`,
      near
        ? `did you mean "${guess}"?`
        : available.length
          ? `fonts in fonts/: ${available.join(", ")}`
          : `put the font file (.ttf .otf .woff .woff2) in ${fontsDir}`,
    );
  }

  const magic = bytes.length >= 4 ? bytes.toString("latin1", 0, 4) : "";
  const notAFont = (detail: string): KaihoError =>
    fail(
      `フォント ${path}（fonts.${role}）が壊れているか、フォントとして読めません（${detail}）`,
      `The font ${path} (fonts.${role}) is damaged or not a usable font: ${detail}`,
      "フォントをダウンロードし直して fonts/ に置き直してください。TrueType (.ttf)、OpenType (.otf)、WOFF、WOFF2 が使えます",
      "download the font again and put it in fonts/ again; TrueType (.ttf), OpenType (.otf), WOFF and WOFF2 work",
    );
  if (magic === "ttcf") {
    throw fail(
      `「${name}」はフォントコレクション（.ttc）で、そのままでは使えません`,
      `"${name}" (fonts.${role}) is a font collection (.ttc), which kaiho does not take`,
      "コレクションに含まれる1書体を .ttf/.otf として用意してください",
      "provide one face of the collection as a .ttf or .otf file",
    );
  }

  let file = path;
  let sfnt: Buffer = bytes;
  try {
    if (isWoff(bytes) || isWoff2(bytes)) {
      const woff2 = isWoff2(bytes);
      // The flavor sits at the same offset in both headers: OTTO means CFF outlines.
      const ext = bytes.toString("latin1", 4, 8) === "OTTO" ? "otf" : "ttf";
      const stem = basename(name, extname(name)).replace(/[^\p{L}\p{N}._-]+/gu, "_");
      const cacheName = `editor-${stem}-${shortHash(bytes)}.${ext}`;
      file = woff2
        ? await cache.ensureAsync(cacheName, () => woff2ToSfnt(bytes))
        : cache.ensure(cacheName, () => woffToSfnt(bytes));
      sfnt = readBoundedSync(file, { kind: "cache" });
    } else if (!["\0\x01\0\0", "true", "OTTO"].includes(magic)) {
      throw new Error("not a TrueType/OpenType/WOFF/WOFF2 file");
    } else {
      checkSfntDirectory(sfnt, true);
    }
    checkSfntDirectory(sfnt, false);
    const font = openFont(sfnt);
    touchEverything(font);
    return { role, name, file, font };
  } catch (e) {
    if ((e as Error).name === "KaihoError") throw e;
    throw notAFont((e as Error).message);
  }
}

/** Open an SFNT with fontkit and touch the tables a layout needs, so a broken file fails here, not in render. */
export function openFont(sfnt: Buffer): Fontkit.Font {
  const font = fontkit.create(sfnt);
  if (!("unitsPerEm" in font) || "fonts" in font) throw new Error("font collection");
  if (!(font.numGlyphs > 0) || !(font.unitsPerEm > 0)) throw new Error("no glyphs");
  font.glyphForCodePoint(0x20); // parses cmap
  return font;
}

/**
 * The table directory of an SFNT: every table inside the file (a truncated download fails here) and, for a file
 * as the editor gave it, each table's checksum right (a flipped bit fails here). A WOFF converted by kaiho gets
 * the first check only.
 */
export function checkSfntDirectory(sfnt: Buffer, checksums: boolean): void {
  if (sfnt.length < 12) throw new Error("the file is too short");
  const count = sfnt.readUInt16BE(4);
  if (count === 0 || 12 + count * 16 > sfnt.length) throw new Error("the table directory is cut off");
  for (let i = 0; i < count; i++) {
    const at = 12 + i * 16;
    const tag = sfnt.toString("latin1", at, at + 4);
    const sum = sfnt.readUInt32BE(at + 4);
    const offset = sfnt.readUInt32BE(at + 8);
    const length = sfnt.readUInt32BE(at + 12);
    if (offset + length > sfnt.length)
      throw new Error(`the table "${tag}" is cut off (the file is truncated)`);
    if (!checksums) continue;
    let actual = 0;
    const end = offset + length;
    for (let p = offset; p < end; p += 4) {
      const word =
        p + 4 <= end
          ? sfnt.readUInt32BE(p)
          : Buffer.concat([sfnt.subarray(p, end), Buffer.alloc(4 - (end - p))]).readUInt32BE(0);
      actual = (actual + word) >>> 0;
    }
    // head's checksum is taken with its checkSumAdjustment (bytes 8-11) as zero.
    if (tag === "head" && length >= 12) actual = (actual - sfnt.readUInt32BE(offset + 8)) >>> 0;
    if (actual !== sum)
      throw new Error(`the table "${tag}" does not match its checksum (the file is damaged)`);
  }
}

/**
 * Parses what kaiho and pdfkit read later — head, hhea/hmtx, maxp, cmap, name, OS/2, post, and glyph outlines
 * (glyf or CFF) of a spread of glyphs — so a damaged font fails here, where the message can name it, and not
 * inside typesetting or pdfkit.
 */
function touchEverything(font: Fontkit.Font): void {
  const f = font as unknown as Record<string, unknown> & Fontkit.Font;
  for (const table of ["head", "hhea", "maxp", "OS/2", "post", "name"]) {
    if (f[table] === undefined || f[table] === null)
      throw new Error(`the "${table}" table is missing or damaged`);
  }
  void font.postscriptName;
  void font.familyName;
  void font.italicAngle;
  void font.ascent;
  void font.descent;
  void font.capHeight;
  void font.xHeight;
  void font.bbox;
  if (typeof (f.post as { isFixedPitch?: unknown }).isFixedPitch === "undefined") {
    throw new Error('the "post" table is damaged');
  }
  const ids = new Set<number>();
  for (const cp of [0x20, 0x41, 0x61, 0x30, 0x3042, 0x30a2, 0x65e5, 0x3002])
    ids.add(font.glyphForCodePoint(cp).id);
  const step = Math.max(1, Math.floor(font.numGlyphs / 200));
  for (let id = 0; id < font.numGlyphs; id += step) ids.add(id);
  ids.add(font.numGlyphs - 1);
  for (const id of ids) {
    const glyph = font.getGlyph(id);
    if (!Number.isFinite(glyph.advanceWidth)) throw new Error(`glyph ${id} has no width`);
    void glyph.path.commands.length;
    void glyph.bbox;
  }
  font.layout("あA1。");
}

function listFonts(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => FONT_EXTENSIONS.has(extname(f).toLowerCase()))
      .sort();
  } catch {
    return [];
  }
}
