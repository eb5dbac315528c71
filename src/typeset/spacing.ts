import {
  CLOSING_BRACKETS,
  isDigit,
  isLatin,
  isSpace,
  MIDDLE_DOTS,
  OPENING_BRACKETS,
  POSTFIXED,
  PREFIXED,
  RANGE_MARKS,
  STOPS_AND_COMMAS,
} from "./classes.js";

/**
 * JLReq spacing between characters (3.1.4-3.1.6, 3.2.2): brackets and 、。 are half-width glyphs with a half-em
 * blank on their outer side; where two meet, the blanks collapse, so 」「 takes one and a half em, 。」 one em,
 * （「 one em. Between Japanese and a Latin run (a word, number, URL) there is a quarter em (3.2.3), except
 * where the run's edge is punctuation (（1,234円）, "hall."), or a number meets its own sign (3.5％, ￥500,
 * 10:00～15:00).
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
  cp: number;
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
  if (a.alnum && b.kind === "ja") return bindsToNumber(a.cp, b.cp) ? 0 : 0.25;
  if (a.kind === "ja" && b.alnum) return bindsToNumber(a.cp, b.cp) ? 0 : 0.25;
  return 0;
}

/** The blank an opening bracket carries before it when it begins a paragraph (after the indent). */
export function blankAtParagraphStart(c: Spaced): number {
  return blankBefore(c);
}

/** A digit and the sign that belongs to it: nothing is put between them. */
function bindsToNumber(before: number, after: number): boolean {
  // ㎡ ㎏ ㎞ …: the squared unit symbols (U+3380-U+33DF) are the number's too.
  if (isDigit(before))
    return POSTFIXED.has(after) || RANGE_MARKS.has(after) || (after >= 0x3380 && after <= 0x33df);
  if (isDigit(after)) return PREFIXED.has(before) || RANGE_MARKS.has(before);
  return false;
}

/**
 * The edge characters of a Latin run that take the Japanese-Latin quarter em: letters, digits and the signs that
 * start or end a word or number (-3.5℃, #5, 50%, @kaiho). Not stops, commas, colons, quotes or brackets.
 */
export function isAlnum(cp: number): boolean {
  return (
    (cp >= 0x30 && cp <= 0x39) ||
    (cp >= 0x41 && cp <= 0x5a) ||
    (cp >= 0x61 && cp <= 0x7a) ||
    (cp >= 0xc0 && cp <= 0x24f && cp !== 0xd7 && cp !== 0xf7) ||
    "#$%&*+-/=@~^_|\\<>¥£€".includes(String.fromCodePoint(cp))
  );
}
