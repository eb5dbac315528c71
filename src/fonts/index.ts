import type { Issue } from "../content/issue.js";
import type { Warnings } from "../diagnostics.js";
import { TtfCache } from "./cache.js";
import { readCatalogue } from "./catalogue.js";
import { ChainFontBook } from "./chain.js";
import { loadEditorFonts } from "./editor.js";
import type { FontBook } from "./font-book.js";

export type { FontBook, FontFace, PdfmakeFontFamily } from "./font-book.js";

export interface LoadFontsOptions {
  /** Project cache folder; converted TTFs go to `<cacheDir>/fonts/`. */
  cacheDir: string;
  warnings: Warnings;
}

/**
 * The fonts stage. Resolves the editor's fonts (`fonts.body` / `fonts.bold`, files in `<root>/fonts/`; a
 * missing, unreadable or out-of-folder file is a KaihoError at its YAML line), reads the @fontsource catalogue,
 * and returns the fallback chain as a FontBook.
 *
 * Per weight (400 regular, 700 bold) the chain is: editor font → Noto Sans JP `japanese` (halt/palt) → Noto Sans
 * JP `latin`, `latin-ext` → its numbered slices → `cyrillic`, `vietnamese` → Noto Sans SC slices and subsets →
 * Noto Sans Symbols 2 (400 only; bold requests get it too) → Noto Emoji (monochrome). With an editor body font
 * but no editor bold, bold text is set in Noto Sans JP Bold (a warning says so) and the editor's regular font
 * comes last in the bold chain.
 *
 * Fonts are converted to TTF lazily, when `faceFor` first needs them, and kept in the cache.
 * `book.pdfmakeFonts` is filled on first use: it holds the primary families from the start and gains every
 * family `faceFor` returns, so the render stage must read it after the typeset stage has run.
 */
export async function loadFonts(issue: Issue, opts: LoadFontsOptions): Promise<FontBook> {
  const cache = new TtfCache(opts.cacheDir);
  const editor = await loadEditorFonts(issue, cache, opts.warnings);
  const book = new ChainFontBook(readCatalogue(), editor, cache, opts.warnings, issue.file);
  book.primary(false);
  book.primary(true);
  if (editor.body && !editor.bold) {
    const pos = issue.locate("fonts.body");
    opts.warnings.add(
      issue.file,
      `fonts.bold がないため、太字は Noto Sans JP Bold で組みます（本文は「${editor.body.name}」）`,
      `no fonts.bold: bold text is set in Noto Sans JP Bold (body in "${editor.body.name}")`,
      {
        line: pos?.line,
        column: pos?.column,
        sourceLine: pos ? issue.sourceLines[pos.line - 1] : undefined,
        hintJa: "太字用のフォントファイルがあれば fonts.bold に書いてください",
        hintEn: "if you have a bold font file, name it in fonts.bold",
      },
    );
  }
  return book;
}
