import type { FontBook, FontFace } from "../fonts/font-book.js";
import { linksIn } from "./links.js";
import { parseInline } from "./markup.js";
import { DEFAULT_RUBY_RATIO, fitGroups, type RubyGroup, rubyGroup } from "./ruby.js";
import { isAlnum, type Kind, kindOf } from "./spacing.js";
import type { ClusterNote, MissingChar } from "./types.js";

/**
 * Text becomes clusters: what a reader takes for one character (a Unicode grapheme cluster, `Intl.Segmenter`),
 * each set by one face and measured as pdfkit will draw it. An emoji ZWJ sequence, a flag, a keycap and a
 * skin-toned emoji are one cluster shaped by a face whose ligature makes them one glyph; a letter and its
 * combining marks are one cluster (precomposed when NFC gives one character the face has); an ideographic
 * variation sequence keeps its selector where the face's cmap format 14 knows it. What cannot be drawn as one
 * glyph is still drawn without a hole, and noted for the preflight.
 */

export interface Cluster {
  text: string;
  /** The first code point (of the text drawn), which the line-breaking classes look at. */
  cp: number;
  face: FontFace;
  bold: boolean;
  kind: Kind;
  /** Set half-width with the face's `halt` feature; its blank is spacing (see spacing.ts). */
  half: boolean;
  alnum: boolean;
  /** Advance in em. */
  em: number;
  /**
   * Drawn with several glyphs (letter and marks) or shaped as a whole (a ligature): set in a run of its own,
   * so that justification spacing never falls between its glyphs and pdfkit shapes exactly this text.
   */
  solo?: boolean;
  /** A part of the cluster before it (an emoji sequence no face has whole): a line never breaks before it. */
  joined?: boolean;
  /** The URI the text belongs to (a URL or an e-mail address in the text). */
  link?: string;
  /** ruby: the ruby group this cluster is (part of) the base of; the base is spaced by `ruby.pad` each side. */
  ruby?: RubyGroup;
  /** 縦中横: a short number set upright across a vertical line in one em cell (vertical.ts). */
  tcy?: boolean;
}

export interface Clusterer {
  clustersOf(text: string, bold: boolean, path: string): Cluster[];
  /** Characters no font had, replaced by 〓 on the page. */
  readonly missing: MissingChar[];
  /** Clusters not drawn as one glyph (or drawn without part of what they say), for the preflight. */
  readonly notes: ClusterNote[];
}

/** 〓 (geta) is the typesetter's traditional stand-in for a character that has no type. */
export const GETA = "〓";
const HALT = ["halt"];

const graphemes = new Intl.Segmenter("ja", { granularity: "grapheme" });

/** Variation selectors: standardised (FE00-FE0F) and ideographic (E0100-E01EF). */
export function isVariationSelector(cp: number): boolean {
  return (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);
}

/** Joiners and selectors that are not drawn themselves: ZWJ, variation selectors, emoji tag characters. */
function isInvisible(cp: number): boolean {
  return cp === 0x200d || isVariationSelector(cp) || (cp >= 0xe0020 && cp <= 0xe007f);
}

const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3|\ufe0f/u;
const PICTURE = /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3)$/u;
const MARK = /^\p{M}$/u;
const SKIN_TONE = /[\u{1f3fb}-\u{1f3ff}]/u;

export function codePointsOf(text: string): string {
  return [...text]
    .map((ch) => `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`)
    .join(" ");
}

/** Splits text into grapheme clusters (user-perceived characters), with their UTF-16 offsets. */
export function graphemesOf(text: string): Array<{ text: string; index: number }> {
  return [...graphemes.segment(text)].map((s) => ({ text: s.segment, index: s.index }));
}

/** Texts whose segmentation is kept: bounded, for a yearbook of hundreds of pages. */
const SEGMENTED_LIMIT = 5_000;

/** `rubyRatio`: ruby size ÷ base size (see ruby.ts). */
export function createClusterer(fonts: FontBook, rubyRatio = DEFAULT_RUBY_RATIO): Clusterer {
  const missing: MissingChar[] = [];
  const notes: ClusterNote[] = [];
  const seen = new Set<string>();
  const halves = new Map<FontFace, Map<string, boolean>>();

  /** Whether `halt` really halves this glyph in this face (some faces lack the feature or the glyph's lookup). */
  const halvable = (face: FontFace, ch: string): boolean => {
    if (!face.hasHalfWidthFeatures) return false;
    let known = halves.get(face);
    if (!known) {
      known = new Map();
      halves.set(face, known);
    }
    let half = known.get(ch);
    if (half === undefined) {
      half = face.advance(ch, HALT) < face.advance(ch) * 0.75;
      known.set(ch, half);
    }
    return half;
  };

  const once = (key: string): boolean => {
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  const noteMissing = (ch: string, cp: number, path: string) => {
    if (once(`m${path}\u0000${cp}`)) missing.push({ char: ch, codePoint: cp, path });
  };
  const note = (text: string, path: string, reason: ClusterNote["reason"], face?: FontFace) => {
    // widthOf measures without a place in the issue; the same text is set, and noted, where it stands.
    if (path && once(`n${path}\u0000${text}`))
      notes.push({ text, codePoints: codePointsOf(text), path, reason, family: face?.family });
  };

  interface Template {
    clusters: Cluster[];
    /** Characters with no font, to report wherever the template is used. */
    missing: Array<{ ch: string; cp: number }>;
    note?: { reason: ClusterNote["reason"]; face?: FontFace };
  }

  /** One code point set on its own: everything about it that does not depend on where it stands. */
  const single = (ch: string, bold: boolean, t: Template): Cluster => {
    const cp = ch.codePointAt(0) ?? 0;
    let face = fonts.faceFor(cp, bold);
    let shown = ch;
    if (!face) {
      t.missing.push({ ch, cp });
      shown = GETA;
      face = fonts.faceFor(GETA.codePointAt(0) ?? 0, bold) ?? fonts.primary(bold);
    }
    const kind = kindOf(cp);
    const half = (kind === "open" || kind === "close" || kind === "stop") && halvable(face, shown);
    return {
      text: shown,
      cp,
      face,
      bold,
      kind,
      half,
      alnum: isAlnum(cp),
      em: face.advance(shown, half ? HALT : undefined),
    };
  };

  /** A cluster drawn whole by `face` (one glyph, or a letter with its marks placed by the face). */
  const whole = (text: string, face: FontFace, bold: boolean): Cluster => {
    const emoji = EMOJI.test(text);
    // The line-breaking classes see a keycap as its enclosing keycap, not as the digit 1 that begins it.
    const shown = emoji ? ([...text].find((ch) => PICTURE.test(ch)) ?? text) : text;
    const cp = shown.codePointAt(0) ?? 0;
    return {
      text,
      cp,
      face,
      bold,
      // A keycap 1️⃣ is a picture, not a digit: no Japanese-Latin space around it, and no word with the digits.
      kind: emoji ? "ja" : kindOf(cp),
      half: false,
      alnum: !emoji && isAlnum(cp),
      em: face.advance(text),
      solo: true,
    };
  };

  const build = (g: string, bold: boolean): Template => {
    const t: Template = { clusters: [], missing: [] };
    const cps = [...g];
    if (cps.length === 1) {
      t.clusters.push(single(g, bold, t));
      return t;
    }
    // é from e + U+0301, Å from A + U+030A: one character the face has draws best (its own accent, its own width).
    const nfc = g.normalize("NFC");
    if ([...nfc].length === 1 && fonts.faceFor(nfc.codePointAt(0) ?? 0, bold)) {
      t.clusters.push(single(nfc, bold, t));
      return t;
    }
    const base = cps[0] as string;
    const baseCp = base.codePointAt(0) ?? 0;
    const selector = cps.length === 2 ? (cps[1]?.codePointAt(0) ?? 0) : 0;
    if (selector === 0xfe0e) {
      // Text presentation asked for: the base character as the text faces draw it.
      t.clusters.push(single(base, bold, t));
      return t;
    }
    if (isVariationSelector(selector) && selector !== 0xfe0f) {
      // A variation sequence (葛󠄀): the face of the base draws the selected glyph when its cmap 14 has it.
      const face = fonts.faceFor(baseCp, bold);
      if (face?.selects(baseCp, selector)) {
        t.clusters.push(whole(g, face, bold));
        return t;
      }
      const alone = single(base, bold, t);
      t.clusters.push(alone);
      t.note = { reason: "variation", face: alone.face };
      return t;
    }
    const ligature = fonts.faceForCluster(g, bold);
    if (ligature) {
      t.clusters.push(whole(g, ligature, bold));
      const glyph = ligature.shape(g).glyphs[0];
      const same = (text: string) => {
        const other = ligature.shape(text).glyphs;
        return other.length === 1 && other[0] === glyph;
      };
      const visible = cps.filter((ch) => !isInvisible(ch.codePointAt(0) ?? 0));
      // Noto Emoji is monochrome: its skin-toned emoji are the plain glyph, the tone is not shown.
      if (SKIN_TONE.test(g) && same(g.replace(/[\u{1f3fb}-\u{1f3ff}]/gu, "")))
        t.note = { reason: "tone", face: ligature };
      // Some sequences are the glyph of their first emoji (🙇‍♀️ is 🙇): what the rest says is not shown.
      else if (visible.length > 1 && same(visible[0] as string)) t.note = { reason: "base", face: ligature };
      return t;
    }
    const visible = cps.filter((ch) => !isInvisible(ch.codePointAt(0) ?? 0));
    if (visible.length <= 1) {
      // Nothing but selectors and joiners around one character (❤️ where no emoji face has it): the character.
      t.clusters.push(single(visible[0] ?? base, bold, t));
      return t;
    }
    // A letter with combining marks: drawn by the first face that has them all, its marks placed by the face.
    if (visible.slice(1).every((ch) => MARK.test(ch))) {
      const drawn = visible.join("");
      const face = fonts.faceForCluster(drawn, bold, "every glyph");
      if (face) {
        t.clusters.push(whole(drawn, face, bold));
        t.note = { reason: "marks", face };
        return t;
      }
    }
    // No face has it whole: each visible part in its own face, side by side, measured so no hole follows.
    visible.forEach((ch, i) => {
      const part = single(ch, bold, t);
      if (i > 0) part.joined = true;
      // A keycap or emoji part is a picture, not a digit.
      if (EMOJI.test(g)) {
        part.kind = part.kind === "latin" ? "ja" : part.kind;
        part.alnum = false;
      }
      t.clusters.push(part);
    });
    t.note = { reason: "parts" };
    return t;
  };

  // Segmenting text into graphemes (Intl.Segmenter) costs more than anything else here once the faces have
  // measured every character; the layout sets the same text at several widths, so each text is segmented once.
  const segmented = new Map<string, Array<{ text: string; index: number }>>();
  const segments = (text: string) => {
    let known = segmented.get(text);
    if (!known) {
      known = graphemesOf(text);
      if (segmented.size >= SEGMENTED_LIMIT) segmented.clear();
      segmented.set(text, known);
    }
    return known;
  };

  const templates = new Map<string, Template>();
  const clustersOf = (text: string, bold: boolean, path: string): Cluster[] => {
    const out: Cluster[] = [];
    for (const span of parseInline(text, bold)) {
      const spanStart = out.length;
      const links = linksIn(span.text);
      for (const { text: g, index } of segments(span.text)) {
        const key = span.bold ? `b${g}` : `r${g}`;
        let t = templates.get(key);
        if (!t) {
          t = build(g, span.bold);
          templates.set(key, t);
        }
        for (const m of t.missing) noteMissing(m.ch, m.cp, path);
        if (t.note) note(g, path, t.note.reason, t.note.face);
        const link = links.find((l) => index >= l.start && index < l.end)?.uri;
        for (const c of t.clusters) out.push(link ? { ...c, link } : { ...c });
      }
      // ruby: every cluster of the base carries the group; fitGroups spaces the bases once neighbours are known.
      if (span.ruby && out.length > spanStart) {
        const group = rubyGroup(fonts, span.ruby, span.bold, rubyRatio);
        for (let i = spanStart; i < out.length; i++) (out[i] as Cluster).ruby = group;
      }
    }
    fitGroups(out);
    return out;
  };

  return { clustersOf, missing, notes };
}
