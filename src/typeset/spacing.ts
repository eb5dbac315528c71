import {
  CLOSING_BRACKETS,
  isLatin,
  isSpace,
  MIDDLE_DOTS,
  OPENING_BRACKETS,
  STOPS_AND_COMMAS,
} from "./classes.js";

/**
 * JLReq spacing between characters (3.1.4-3.1.6, 3.2.2): brackets and 、。 are half-width glyphs with a half-em
 * blank on their outer side; where two meet, the blanks collapse, so 」「 takes one and a half em, 。」 one em,
 * （「 one em. Between Japanese and Latin letters or digits there is a quarter em.
 */
export type Kind = "open" | "close" | "stop" | "middle" | "latin" | "ja" | "space";

/** Full-width forms only: Western brackets and punctuation are proportional glyphs and keep their own widths. */
export function kindOf(cp: number): Kind {
  if (isSpace(cp)) return "space";
  if (
    cp >= 0x3000 ||
    (cp >= 0xff00 && cp <= 0xffef) ||
    cp === 0x2018 ||
    cp === 0x2019 ||
    cp === 0x201c ||
    cp === 0x201d
  ) {
    if (OPENING_BRACKETS.has(cp)) return "open";
    if (CLOSING_BRACKETS.has(cp)) return "close";
    if (STOPS_AND_COMMAS.has(cp)) return "stop";
    if (MIDDLE_DOTS.has(cp)) return "middle";
  }
  if (isLatin(cp)) return "latin";
  return "ja";
}

export interface Spaced {
  kind: Kind;
  /** The glyph is set half-width (the face's `halt`), its blank given as spacing. */
  half: boolean;
  /** A letter or digit: Japanese-Latin spacing applies next to it. */
  alnum: boolean;
}

const blankAfter = (c: Spaced) => (c.half && (c.kind === "close" || c.kind === "stop") ? 0.5 : 0);
const blankBefore = (c: Spaced) => (c.half && c.kind === "open" ? 0.5 : 0);

/** Space in em between two adjacent clusters on one line, before justification. */
export function gapBetween(a: Spaced, b: Spaced): number {
  if (a.kind === "space" || b.kind === "space") return 0;
  // A closing bracket or stop hugs what precedes it; after an opening bracket nothing is added.
  if (b.kind === "close" || b.kind === "stop" || a.kind === "open") return 0;
  const punct = Math.max(blankAfter(a), blankBefore(b));
  if (punct > 0) return punct;
  if ((a.alnum && b.kind === "ja") || (a.kind === "ja" && b.alnum)) return 0.25;
  return 0;
}

/** The blank an opening bracket carries before it when it begins a paragraph (after the indent). */
export function blankAtParagraphStart(c: Spaced): number {
  return blankBefore(c);
}

export function isAlnum(cp: number): boolean {
  return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
}
