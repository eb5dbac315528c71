import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, extname, isAbsolute, join, relative, resolve } from "node:path";
import { closest, distance } from "fastest-levenshtein";
import type * as Fontkit from "fontkit";
import type { Issue } from "../content/issue.js";
import { errorAt, type KaihoError } from "../diagnostics.js";
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
): Promise<{ body?: EditorFont; bold?: EditorFont }> {
  const out: { body?: EditorFont; bold?: EditorFont } = {};
  for (const role of ["body", "bold"] as const) {
    const name = issue.doc.fonts?.[role];
    if (name === undefined) continue;
    out[role] = await loadEditorFont(issue, cache, role, name);
  }
  return out;
}

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

  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
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
    throw fail(
      `フォントファイル「${name}」を読めません（${code ?? (e as Error).message}）`,
      `cannot read font file "${name}" (fonts.${role}): ${(e as Error).message}`,
      code === "EISDIR"
        ? "フォルダではなくフォントファイルの名前を書いてください"
        : "ファイルの権限を確認してください",
      code === "EISDIR" ? "name a font file, not a folder" : "check the file's permissions",
    );
  }

  const magic = bytes.length >= 4 ? bytes.toString("latin1", 0, 4) : "";
  const notAFont = (detail: string): KaihoError =>
    fail(
      `「${name}」はフォントとして読めません（${detail}）`,
      `"${name}" (fonts.${role}) is not a usable font: ${detail}`,
      "TrueType (.ttf)、OpenType (.otf)、WOFF、WOFF2 のフォントファイルを使ってください",
      "use a TrueType (.ttf), OpenType (.otf), WOFF or WOFF2 font file",
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
      sfnt = readFileSync(file);
    } else if (!["\0\x01\0\0", "true", "OTTO"].includes(magic)) {
      throw new Error("not a TrueType/OpenType/WOFF/WOFF2 file");
    }
    const font = openFont(sfnt);
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

function listFonts(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => FONT_EXTENSIONS.has(extname(f).toLowerCase()))
      .sort();
  } catch {
    return [];
  }
}
