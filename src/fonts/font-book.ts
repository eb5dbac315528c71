/** What the fonts stage hands on: which face sets which character, and the files pdfmake embeds. */

export interface FontFace {
  /** pdfmake font family name (a key of FontBook.pdfmakeFonts). */
  family: string;
  /** Which variant of the family to ask pdfmake for (`bold: true` in the inline). */
  bold: boolean;
  /** True when the face has OpenType `halt`/`palt` (the `japanese` subset has; the numbered slices have not). */
  hasHalfWidthFeatures: boolean;
  /** Whether the face has a real glyph (not .notdef) for the code point. */
  has(codePoint: number): boolean;
  /**
   * Advance width of `text` set in this face at size 1 (in em), measured exactly as pdfkit measures it when
   * it places the text (fontkit layout; without features pdfkit lays out space-separated pieces one by one).
   */
  advance(text: string, features?: string[]): number;
  /**
   * `text` shaped as pdfkit shapes it when it draws (fontkit layout: GSUB ligatures such as emoji ZWJ sequences
   * and flags, GPOS mark positioning, cmap 14 variation sequences): the glyph ids and the advance in em; with
   * `features`, as pdfkit shapes text drawn with them (`vert` for vertical text).
   */
  shape(text: string, features?: string[]): Shaped;
  /** Whether the face's cmap format 14 maps `base` followed by the variation selector `selector`. */
  selects(base: number, selector: number): boolean;
  /** Ascent and descent in em (descent negative), for line boxes. */
  ascent: number;
  descent: number;
}

export interface Shaped {
  /** Glyph ids in drawing order (0 is .notdef). */
  glyphs: number[];
  /** Advance at size 1, in em. */
  em: number;
  /** Some glyph is moved off its pen position (a combining mark placed by GPOS). */
  offsets: boolean;
}

export interface PdfmakeFontFamily {
  normal: string;
  bold: string;
  italics: string;
  bolditalics: string;
}

export interface FontBook {
  /** Family name → TTF file paths (cached conversions), ready for pdfmake's `fonts`. */
  pdfmakeFonts: Record<string, PdfmakeFontFamily>;
  /**
   * The first face in the fallback chain that has the code point, in the weight asked for (a bold request
   * falls back to the regular face of a family that has no bold); undefined when no font has it.
   */
  faceFor(codePoint: number, bold: boolean): FontFace | undefined;
  /**
   * The first face in the fallback chain that shapes the whole grapheme cluster `text` (several code points: an
   * emoji ZWJ sequence, a flag, a keycap) into one real glyph; with `every glyph`, the first that draws all of
   * it without .notdef (a letter and combining marks it places itself); undefined when no face does.
   */
  faceForCluster(text: string, bold: boolean, whole?: "one glyph" | "every glyph"): FontFace | undefined;
  /** The primary body face (Noto Sans JP `japanese` subset, or the editor's font), for metrics. */
  primary(bold: boolean): FontFace;
  /**
   * Keeps what was measured for the next build (`<cacheDir>/fonts/measures-*.json`, src/fonts/measures.ts): called
   * once the typesetting is done.
   */
  saveMeasures?(): void;
}
