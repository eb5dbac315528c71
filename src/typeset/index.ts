import type { FontBook, FontFace } from "../fonts/font-book.js";
import { isAttached, isSpace, mayBreakBetween } from "./classes.js";
import { innerBreaks } from "./hyphenate.js";
import { composeLine, MAX_CHAR_STRETCH, MAX_JL_STRETCH, MAX_WORD_STRETCH } from "./justify.js";
import { type Breakpoint, breakParagraph } from "./linebreak.js";
import { parseInline } from "./markup.js";
import { blankAtParagraphStart, gapBetween, isAlnum, type Kind, kindOf } from "./spacing.js";
import type { LooseLine, MissingChar, SetLine, SetParagraph, TextStyle } from "./types.js";

export { plainText } from "./markup.js";
export type { Align, LooseLine, MissingChar, SetLine, SetParagraph, SetRun, TextStyle } from "./types.js";

/**
 * The typeset stage: Japanese text in, lines of positioned runs out. It owns line breaking (JLReq line-start and
 * line-end rules), font fallback per character, punctuation and Japanese-Latin spacing, and justification, so
 * pdfmake only draws what is decided here.
 */
export interface Typesetter {
  /** Sets `text` (with `**bold**` markup and `\n` forced breaks) in a measure `width` pt wide. */
  set(text: string, style: TextStyle, width: number, path: string): SetParagraph;
  /** Width of `text` on one line, unbroken. */
  widthOf(text: string, style: TextStyle): number;
  /** Characters no font had, replaced by 〓 on the page. */
  readonly missing: MissingChar[];
  /** Lines the engine could not set as JLReq wants: loose, left short by a long word, or cut inside a word. */
  readonly loose: LooseLine[];
}

/** 〓 (geta) is the typesetter's traditional stand-in for a character that has no type. */
const GETA = "〓";
const HALT = ["halt"];
/** A break inside a word with no rule behind it: taken only when the word is wider than the column. */
const EMERGENCY_PENALTY = 5_000;

interface Cluster {
  text: string;
  cp: number;
  face: FontFace;
  bold: boolean;
  kind: Kind;
  /** Set half-width with the face's `halt` feature; its blank is spacing (see spacing.ts). */
  half: boolean;
  alnum: boolean;
  /** Advance in em. */
  em: number;
}

type Unit = Cluster[];

export function createTypesetter(fonts: FontBook): Typesetter {
  const missing: MissingChar[] = [];
  const loose: LooseLine[] = [];
  const seenMissing = new Set<string>();
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

  const seenLoose = new Set<string>();
  const noteLoose = (path: string, text: string, reason: LooseLine["reason"]) => {
    const key = `${path}\u0000${text}`;
    if (!seenLoose.has(key)) {
      seenLoose.add(key);
      loose.push({ path, text, reason });
    }
  };

  const noteMissing = (ch: string, cp: number, path: string) => {
    const key = `${path}\u0000${cp}`;
    if (!seenMissing.has(key)) {
      seenMissing.add(key);
      missing.push({ char: ch, codePoint: cp, path });
    }
  };

  /** Everything about a character that does not depend on where it stands, worked out once per character. */
  const templates = new Map<string, { cluster: Cluster; missing: boolean }>();
  const clusterTemplate = (ch: string, cp: number, bold: boolean, path: string) => {
    let face = fonts.faceFor(cp, bold);
    let shown = ch;
    const missingGlyph = !face;
    if (!face) {
      noteMissing(ch, cp, path);
      shown = GETA;
      face = fonts.faceFor(GETA.codePointAt(0) ?? 0, bold) ?? fonts.primary(bold);
    }
    const kind = kindOf(cp);
    const half = (kind === "open" || kind === "close" || kind === "stop") && halvable(face, shown);
    const cluster: Cluster = {
      text: shown,
      cp,
      face,
      bold,
      kind,
      half,
      alnum: isAlnum(cp),
      em: face.advance(shown, half ? HALT : undefined),
    };
    return { cluster, missing: missingGlyph };
  };

  const clustersOf = (text: string, bold: boolean, path: string): Cluster[] => {
    const out: Cluster[] = [];
    for (const span of parseInline(text, bold)) {
      for (const ch of span.text) {
        const cp = ch.codePointAt(0) ?? 0;
        const last = out[out.length - 1];
        if (isAttached(cp) && last) {
          // A variation selector the face cannot map would be drawn as .notdef: drop it, the base stays.
          if (last.face.has(cp)) {
            last.text += ch;
            last.em = last.face.advance(last.text, last.half ? HALT : undefined);
          }
          continue;
        }
        const key = span.bold ? `b${ch}` : ch;
        let template = templates.get(key);
        if (!template) {
          template = clusterTemplate(ch, cp, span.bold, path);
          templates.set(key, template);
        } else if (template.missing) {
          noteMissing(ch, cp, path);
        }
        out.push({ ...template.cluster });
      }
    }
    return out;
  };

  /** Splits clusters into units that never break inside, following JLReq and keeping Latin words whole. */
  const unitsOf = (clusters: Cluster[]): Unit[] => {
    const units: Unit[] = [];
    let current: Unit = [];
    clusters.forEach((c, i) => {
      const prev = clusters[i - 1];
      if (prev && mayBreakBetween(prev.cp, c.cp)) {
        units.push(current);
        current = [];
      }
      current.push(c);
    });
    if (current.length) units.push(current);
    return units;
  };

  /** Natural width in em of clusters set side by side (their spacing included, none before the first). */
  const naturalEm = (clusters: Cluster[]): number => {
    let em = 0;
    clusters.forEach((c, i) => {
      const prev = clusters[i - 1];
      em += c.em + (prev ? gapBetween(prev, c) : 0);
    });
    return em;
  };

  /** Where lines may end: between units, and inside a Latin run where hyphenate.ts allows (URLs, long words). */
  const breakpointsOf = (units: Unit[], restEm: number): Breakpoint[] => {
    const out: Breakpoint[] = [];
    let at = 0;
    units.forEach((unit, u) => {
      if (u > 0) out.push({ at, penalty: 0, hyphen: false, emergency: false });
      const inner = latinBreaks(unit, at);
      out.push(...inner);
      if (naturalEm(trimEndSpaces(unit)) > restEm) {
        // A piece wider than the column breaks anywhere rather than overflow it (and the preflight says so).
        const cuts = [at, ...inner.map((b) => b.at), at + unit.length];
        for (let k = 0; k + 1 < cuts.length; k++) {
          const from = cuts[k] as number;
          const to = cuts[k + 1] as number;
          if (naturalEm(trimEndSpaces(unit.slice(from - at, to - at))) <= restEm) continue;
          for (let i = from + 1; i < to; i++) {
            const letters =
              /\p{L}/u.test(unit[i - at - 1]?.text ?? "") && /\p{L}/u.test(unit[i - at]?.text ?? "");
            out.push({ at: i, penalty: EMERGENCY_PENALTY, hyphen: letters, emergency: true });
          }
        }
      }
      at += unit.length;
    });
    return out;
  };

  const set = (text: string, style: TextStyle, width: number, path: string): SetParagraph => {
    const lines: SetLine[] = [];
    const indent = (style.indent ?? 0) * style.size;
    const justifyAll = (style.align ?? "justify") === "justify";
    text.split("\n").forEach((segment, segIndex) => {
      const clusters = clustersOf(segment, style.bold ?? false, path);
      const firstIndent = segIndex === 0 ? indent : 0;
      const units = unitsOf(clusters);
      const flat = units.flat();
      const startGap = flat[0] && segIndex === 0 ? blankAtParagraphStart(flat[0]) * style.size : 0;
      // A hair of tolerance so a line that fits by measurement is not pushed out by float rounding.
      const restEm = (width + 0.01) / style.size;
      const firstEm = (width - firstIndent - startGap + 0.01) / style.size;
      const broken = breakParagraph(flat, breakpointsOf(units, restEm), {
        style,
        firstEm,
        restEm,
        justify: justifyAll,
        hyphenEm: (i) => hyphenAfter(flat[i] as Cluster).em,
      });
      broken.forEach((b, i) => {
        const isLast = i === broken.length - 1;
        const content = flat.slice(b.start, b.end);
        const tail = content[content.length - 1];
        if (b.hyphen && tail) content.push(hyphenAfter(tail));
        const { line, extra, ragged } = composeLine(
          content,
          style,
          width,
          i === 0 ? firstIndent : 0,
          justifyAll && !isLast,
          i === 0 && segIndex === 0,
        );
        lines.push(line);
        const tooLoose =
          extra.char > MAX_CHAR_STRETCH + 1e-6 ||
          extra.word > MAX_WORD_STRETCH + 1e-6 ||
          extra.jl > MAX_JL_STRETCH + 1e-6;
        if (b.emergency || ragged || tooLoose) {
          const reason = b.emergency ? "broken" : tooLoose ? "loose" : "ragged";
          noteLoose(path, content.map((c) => c.text).join(""), reason);
        }
      });
      if (!broken.length) lines.push({ runs: [], width: 0 });
    });
    return { lines, lineHeight: style.size * style.leading, size: style.size };
  };

  const widthOf = (text: string, style: TextStyle): number =>
    naturalEm(trimEndSpaces(clustersOf(text, style.bold ?? false, ""))) * style.size;

  return { set, widthOf, missing, loose };
}

/** The hyphen drawn at a hyphenated line end, in the face of the letter before it. */
function hyphenAfter(c: Cluster): Cluster {
  return { ...c, text: "-", cp: 0x2d, kind: "latin", half: false, alnum: true, em: c.face.advance("-") };
}

/** Breaks inside the unit's Latin runs (hyphenate.ts), as positions in the paragraph (`offset` is the unit's). */
function latinBreaks(unit: Unit, offset: number): Breakpoint[] {
  const out: Breakpoint[] = [];
  let i = 0;
  while (i < unit.length) {
    if (unit[i]?.kind !== "latin") {
      i++;
      continue;
    }
    let j = i;
    // Cluster index at each UTF-16 offset of the run's text, so the run's breaks map back to clusters.
    const at = new Map<number, number>();
    let text = "";
    while (j < unit.length && unit[j]?.kind === "latin") {
      at.set(text.length, j);
      text += unit[j]?.text ?? "";
      j++;
    }
    if (j - i > 3) {
      for (const b of innerBreaks(text)) {
        const k = at.get(b.offset);
        if (k !== undefined && k > i)
          out.push({ at: offset + k, penalty: b.penalty, hyphen: b.hyphen, emergency: false });
      }
    }
    i = j;
  }
  return out;
}

function trimEndSpaces(clusters: Cluster[]): Cluster[] {
  let end = clusters.length;
  while (end > 0 && isSpace(clusters[end - 1]?.cp ?? 0)) end--;
  return clusters.slice(0, end);
}
