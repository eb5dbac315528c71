/** What the typesetter hands the layout: lines of positioned runs, ready to be placed at a baseline. */

export interface SetRun {
  text: string;
  /** pdfmake font family and variant. */
  family: string;
  bold: boolean;
  size: number;
  /** Offset of the run's start from the line's left edge, in pt. */
  x: number;
  /** Set width including its inter-character spacing, in pt. */
  width: number;
  /** Extra space after each character of the run (justification), in pt. */
  charSpacing: number;
  /** Ascent of the run's face in pt, so the layout can put every run on one baseline. */
  ascent: number;
  /** OpenType features the run is set with: `halt` for half-width brackets and stops, kerning off. */
  features?: Record<string, boolean>;
  /** The URI this text opens (a URL or e-mail address in the text): a link annotation in screen editions. */
  link?: string;
  /** 縦組み: how the run is drawn in a vertical line (typeset/vertical.ts); `x` is then its start along the line. */
  vertical?: VerticalPlacement;
}

/**
 * A run of a vertical line: `upright` (one full-width glyph with its vertical alternate), `sideways` (a Latin
 * word turned 90° clockwise) or `tcy` (縦中横, a short number set across the line in one em cell). `along` is
 * the distance from the run's start to the point it is drawn from (an upright glyph's baseline, the start of a
 * turned run's baseline), `across` the distance from the left edge of the line's em box to that point, in pt.
 */
export interface VerticalPlacement {
  orient: "upright" | "sideways" | "tcy";
  along: number;
  across: number;
}

/** Ruby (furigana) over a base on the line: a small run drawn above the baseline (see ruby.ts). */
export interface SetRuby extends SetRun {
  /** Height of the ruby's baseline above the line's baseline, in pt. */
  rise: number;
  /** The base text it reads. */
  base: string;
}

export interface SetLine {
  runs: SetRun[];
  /** Width the runs occupy from the line's left edge, in pt. */
  width: number;
  /** Ruby over bases on this line, positioned from the final positions of their bases. */
  ruby?: SetRuby[];
  /** 縦組み: the line runs top to bottom; `width` is then its length down the page (typeset/vertical.ts). */
  vertical?: boolean;
}

export type Align = "justify" | "left" | "center" | "right";

export interface TextStyle {
  size: number;
  bold?: boolean;
  align?: Align;
  /** First-line indent in em. */
  indent?: number;
  /** Line height as a multiple of size. */
  leading: number;
  /** ぶら下げ: a line-end 、。 may stand outside the measure instead of pushing a character down. */
  hanging?: boolean;
  /** 縦組み: set the lines top to bottom; `width` given to the typesetter is then the line's length. */
  vertical?: boolean;
}

export interface SetParagraph {
  lines: SetLine[];
  /** Distance between baselines, in pt. */
  lineHeight: number;
  size: number;
}

/** A character no font could set, and where it stands. */
export interface MissingChar {
  char: string;
  codePoint: number;
  /** Schema path of the text it is in, e.g. blocks[3].article.body. */
  path: string;
}

/** A grapheme cluster not drawn as one glyph, or drawn without part of what it says, and where it stands. */
export interface ClusterNote {
  text: string;
  /** Its code points, `U+1F468 U+200D U+1F469`. */
  codePoints: string;
  /** Schema path of the text it is in. */
  path: string;
  /**
   * `parts`: no font has the sequence as one glyph; its parts are drawn side by side.
   * `variation`: no font has the variation sequence (cmap 14); the base character is drawn.
   * `marks`: drawn as a letter with its combining marks, placed by the font.
   * `tone`: drawn as one glyph, but the emoji font is monochrome: the skin tone is not shown.
   * `base`: drawn as one glyph, the font's glyph of its first emoji (🙇‍♀️ as 🙇): the rest is not shown.
   */
  reason: "parts" | "variation" | "marks" | "tone" | "base";
  /** The face that drew it (the base's face), when one did. */
  family?: string;
}

/**
 * A line the engine could not set as JLReq wants (justify.ts): `loose`, gaps wider than JLReq 3.8 allows;
 * `ragged`, a justified line of one unbreakable word (a URL, a long word) that ends short of the edge, as
 * letters are never spaced out; `broken`, a word wider than the column cut where no rule allows.
 */
export interface LooseLine {
  /** Schema path of the text it is in. */
  path: string;
  /** The line's text. */
  text: string;
  reason: "loose" | "ragged" | "broken";
}
