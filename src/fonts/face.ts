import type { Font } from "fontkit";
import type { FontFace, Shaped } from "./font-book.js";
import { fixVariationSelectors } from "./fontkit-uvs.js";
import type { Measures } from "./measures.js";

/** fontkit's parsed cmap format 14 subtable (the parts read here). */
interface UvsTable {
  varSelectors: {
    toArray(): Array<{
      varSelector: number;
      defaultUVS?: Iterable<{ startUnicodeValue: number; additionalCount: number }> | null;
      nonDefaultUVS?: Iterable<{ unicodeValue: number; glyphID: number }> | null;
    }>;
  };
}

/** Widths measured per face are remembered; the typeset stage asks for the same pieces again and again. */
const MEMO_LIMIT = 20_000;

/**
 * One font file in one role (family + the variant pdfmake is asked for), measured the way pdfkit measures.
 *
 * pdfkit's EmbeddedFont (pdfkit 0.19, js/pdfkit.js `layout`/`widthOfString`) scales every glyph position by
 * 1000/unitsPerEm, sums xAdvance, and multiplies by size/1000. Without features it lays out the pieces ending
 * after each space or tab separately and adds them up. The same operations in the same order are done here so
 * that `advance()` is bit-for-bit what pdfkit will use at size 1, not merely close.
 */
export class KaihoFontFace implements FontFace {
  readonly family: string;
  readonly bold: boolean;
  readonly ascent: number;
  readonly descent: number;
  /** The TTF/OTF file pdfmake embeds for this face. */
  readonly file: string;
  readonly font: Font;
  private readonly scale: number;
  private readonly memo: Map<string, number>;
  private readonly pieces = new Map<string, number>();
  /** What an earlier build measured in this font file (src/fonts/measures.ts); the memo is its map. */
  readonly measures: Measures | undefined;

  constructor(family: string, bold: boolean, file: string, font: Font, measures?: Measures) {
    this.family = family;
    this.bold = bold;
    this.file = file;
    this.font = font;
    this.measures = measures;
    this.memo = measures?.advances ?? new Map();
    fixVariationSelectors(font);
    this.scale = 1000 / font.unitsPerEm;
    this.ascent = font.ascent / font.unitsPerEm;
    this.descent = font.descent / font.unitsPerEm;
  }

  /** True when the face has `halt` and `palt`; asked of the font once, or read from the measurements. */
  get hasHalfWidthFeatures(): boolean {
    const m = this.measures ?? this.ownFeatures;
    if (m.halfWidth === undefined) {
      const features = new Set(this.font.availableFeatures);
      m.halfWidth = features.has("halt") && features.has("palt");
    }
    return m.halfWidth;
  }
  private readonly ownFeatures: { halfWidth?: boolean } = {};

  has(codePoint: number): boolean {
    return this.font.hasGlyphForCodePoint(codePoint);
  }

  shape(text: string, features?: string[]): Shaped {
    const run = features ? this.font.layout(text, features) : this.font.layout(text);
    let width = 0;
    let offsets = false;
    for (const p of run.positions) {
      width += p.xAdvance * this.scale;
      if (p.xOffset || p.yOffset) offsets = true;
    }
    return { glyphs: run.glyphs.map((g) => g.id), em: width / 1000, offsets };
  }

  selects(base: number, selector: number): boolean {
    // fontkit 2 reads cmap format 14 (Unicode variation sequences) into its cmap processor and uses it when it maps
    // a string, but offers no public question "does the face know this sequence": asked of its table here.
    const uvs = (this.font as unknown as { _cmapProcessor?: { uvs?: UvsTable | null } })._cmapProcessor?.uvs;
    if (!uvs) return false;
    const record = uvs.varSelectors.toArray().find((r) => r.varSelector === selector);
    if (!record) return false;
    const nonDefault = record.nonDefaultUVS ? [...record.nonDefaultUVS] : [];
    if (nonDefault.some((m) => m.unicodeValue === base)) return true;
    const ranges = record.defaultUVS ? [...record.defaultUVS] : [];
    return ranges.some((r) => base >= r.startUnicodeValue && base <= r.startUnicodeValue + r.additionalCount);
  }

  advance(text: string, features?: string[]): number {
    const key = features ? `${features.join(",")}\u0000${text}` : text;
    const known = this.memo.get(key);
    if (known !== undefined) return known;
    let width: number;
    if (features) {
      width = this.runWidth(text, features);
    } else {
      width = 0;
      let last = 0;
      let index = 0;
      while (index <= text.length) {
        const ch = text.charAt(index);
        if ((index === text.length && last < index) || ch === " " || ch === "\t") {
          width += this.pieceWidth(text.slice(last, ++index));
          last = index;
        } else {
          index++;
        }
      }
    }
    const em = width * (1 / 1000);
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
    this.memo.set(key, em);
    return em;
  }

  /** Width in pdfkit's 1000-unit space of one piece laid out without features (pdfkit caches these too). */
  private pieceWidth(piece: string): number {
    const known = this.pieces.get(piece);
    if (known !== undefined) return known;
    const width = this.runWidth(piece, undefined);
    if (this.pieces.size >= MEMO_LIMIT) this.pieces.clear();
    this.pieces.set(piece, width);
    return width;
  }

  private runWidth(text: string, features: string[] | undefined): number {
    const run = this.font.layout(text, features);
    let width = 0;
    for (const position of run.positions) width += position.xAdvance * this.scale;
    return width;
  }
}
