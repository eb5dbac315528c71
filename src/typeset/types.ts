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
}

export interface SetLine {
  runs: SetRun[];
  /** Width the runs occupy from the line's left edge, in pt. */
  width: number;
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
