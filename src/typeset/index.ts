import type { FontBook } from "../fonts/font-book.js";
import { isSpace, mayBreakBetween } from "./classes.js";
import { type Cluster, createClusterer } from "./clusters.js";
import { innerBreaks } from "./hyphenate.js";
import { advanceOf, composeLine, MAX_CHAR_STRETCH, MAX_JL_STRETCH, MAX_WORD_STRETCH } from "./justify.js";
import { type Breakpoint, type BrokenLine, breakParagraph } from "./linebreak.js";
import { balanceTwo, endsWithSpace, joinPhrases } from "./phrases.js";
import { DEFAULT_RUBY_RATIO } from "./ruby.js";
import { blankAtParagraphStart, gapBetween } from "./spacing.js";
import type { ClusterNote, LooseLine, MissingChar, SetLine, SetParagraph, TextStyle } from "./types.js";
import { tateChuYoko } from "./vertical.js";

export { plainText } from "./markup.js";
export type {
  Align,
  ClusterNote,
  LooseLine,
  MissingChar,
  SetLine,
  SetParagraph,
  SetRuby,
  SetRun,
  TextStyle,
  VerticalPlacement,
} from "./types.js";

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
  /** Width of the widest piece of `text` no line may break inside (a table column's min-content width). */
  minContentWidth(text: string, style: TextStyle): number;
  /** Characters no font had, replaced by 〓 on the page. */
  readonly missing: MissingChar[];
  /** Grapheme clusters not drawn as one glyph (emoji sequences in parts, variation sequences ignored, …). */
  readonly clusters: ClusterNote[];
  /** Lines the engine could not set as JLReq wants: loose, left short by a long word, or cut inside a word. */
  readonly loose: LooseLine[];
}

/** A break inside a word with no rule behind it: taken only when the word is wider than the column. */
const EMERGENCY_PENALTY = 5_000;

export interface TypesetterOptions {
  /** Ruby size ÷ base size (issue.yaml `style.rubySize`). */
  rubySize?: number;
}

type Unit = Cluster[];

export function createTypesetter(fonts: FontBook, options: TypesetterOptions = {}): Typesetter {
  const { clustersOf, missing, notes } = createClusterer(fonts, options.rubySize ?? DEFAULT_RUBY_RATIO);
  const loose: LooseLine[] = [];

  const seenLoose = new Set<string>();
  const noteLoose = (path: string, text: string, reason: LooseLine["reason"]) => {
    // Text set without a place in the issue is a measurement (a table's min-content width), not what is printed.
    if (!path) return;
    const key = `${path}\u0000${text}`;
    if (!seenLoose.has(key)) {
      seenLoose.add(key);
      loose.push({ path, text, reason });
    }
  };

  /** Splits clusters into units that never break inside, following JLReq and keeping Latin words whole. */
  const unitsOf = (clusters: Cluster[]): Unit[] => {
    const units: Unit[] = [];
    let current: Unit = [];
    clusters.forEach((c, i) => {
      const prev = clusters[i - 1];
      // A part of a cluster drawn in parts never begins a line; ruby: a base never parts from its ruby.
      if (prev && !c.joined && !sameRuby(prev, c) && mayBreakBetween(prev.cp, c.cp)) {
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
      em += advanceOf(c) + (prev ? gapBetween(prev, c) : 0);
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
            if (!mayCut(unit, i - at)) continue;
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

  // The page composer tries a block at several widths and sizes and comes back to the same ones (on the sample a
  // quarter of the calls set a paragraph already set): a paragraph set once is handed out again. Its lines are
  // only read after this (layout places them, render draws them), so one object serves every caller. The path
  // is part of the key: what is noted about the text (a missing character, a loose line) is noted per path.
  const setParagraphs = new Map<string, SetParagraph>();
  const set = (text: string, style: TextStyle, width: number, path: string): SetParagraph => {
    const key = `${width}\u0000${styleKey(style)}\u0000${path}\u0000${text}`;
    let p = setParagraphs.get(key);
    if (!p) {
      p = setAnew(text, style, width, path);
      if (setParagraphs.size >= SET_MEMO_LIMIT) setParagraphs.clear();
      setParagraphs.set(key, p);
    }
    return p;
  };

  const setAnew = (text: string, style: TextStyle, width: number, path: string): SetParagraph => {
    const lines: SetLine[] = [];
    const indent = (style.indent ?? 0) * style.size;
    const justifyAll = (style.align ?? "justify") === "justify";
    text.split("\n").forEach((segment, segIndex) => {
      const clusters = tateChuYoko(clustersOf(segment, style.bold ?? false, path), style.vertical ?? false);
      const firstIndent = segIndex === 0 ? indent : 0;
      const units = unitsOf(clusters);
      const flat = units.flat();
      const startGap = flat[0] && segIndex === 0 ? blankAtParagraphStart(flat[0]) * style.size : 0;
      // A hair of tolerance so a line that fits by measurement is not pushed out by float rounding.
      const restEm = (width + 0.01) / style.size;
      const firstEm = (width - firstIndent - startGap + 0.01) / style.size;
      // phrases: display text (not justified) that needs more than one line breaks only between phrases.
      const lineUnits =
        !justifyAll && naturalEm(trimEndSpaces(flat)) > firstEm ? phrasesOf(units, restEm) : units;
      let broken = breakParagraph(flat, breakpointsOf(lineUnits, restEm), {
        style,
        firstEm,
        restEm,
        justify: justifyAll,
        hyphenEm: (i) => hyphenAfter(flat[i] as Cluster).em,
      });
      if (lineUnits !== units && broken.length === 2)
        broken = balancedTwo(flat, lineUnits, firstEm, restEm) ?? broken;
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

  /**
   * phrases: the units of display text joined so that a line breaks only between phrases (phrases.ts, BudouX);
   * only text that needs two lines loads the phrase model.
   */
  const phrasesOf = (units: Unit[], restEm: number): Unit[] => {
    const text = units.map((u) => u.map((c) => c.text).join("")).join("");
    return joinPhrases(units, text, (u) => naturalEm(trimEndSpaces(u)) <= restEm);
  };

  /**
   * phrases: two lines of display text balanced: the break between phrases that leaves the longer line
   * shortest, at the editor's space when one fits (phrases.ts `balanceTwo`).
   */
  const balancedTwo = (
    flat: Cluster[],
    phrased: Unit[],
    firstEm: number,
    restEm: number,
  ): BrokenLine[] | undefined => {
    const lineEm = (line: Unit[]) => naturalEm(trimEndSpaces(trimStartSpaces(line.flat())));
    const two = balanceTwo(phrased, lineEm, firstEm, restEm, endsWithSpace);
    if (!two) return undefined;
    const k = two[0].reduce((n, u) => n + u.length, 0);
    const space = (i: number) => isSpace(flat[i]?.cp ?? 0);
    const line = (from: number, to: number): BrokenLine => {
      let start = from;
      let end = to;
      while (start < end && space(start)) start++;
      while (end > start && space(end - 1)) end--;
      return { start, end, hyphen: false, emergency: false };
    };
    return [line(0, k), line(k, flat.length)];
  };

  const widthOf = (text: string, style: TextStyle): number =>
    naturalEm(
      trimEndSpaces(tateChuYoko(clustersOf(text, style.bold ?? false, ""), style.vertical ?? false)),
    ) * style.size;

  const minContentWidth = (text: string, style: TextStyle): number => {
    let widest = 0;
    for (const segment of text.split("\n"))
      for (const unit of unitsOf(clustersOf(segment, style.bold ?? false, "")))
        widest = Math.max(widest, naturalEm(trimEndSpaces(unit)));
    return widest * style.size;
  };

  return { set, widthOf, minContentWidth, missing, clusters: notes, loose };
}

/** Paragraphs kept for being asked again: bounded, for a yearbook of hundreds of pages. */
const SET_MEMO_LIMIT = 5_000;

/** Every field of the style the typesetter reads, in one string. */
function styleKey(s: TextStyle): string {
  return `${s.size}|${s.leading}|${s.bold ?? false}|${s.align ?? ""}|${s.indent ?? 0}|${s.hanging ?? false}|${s.vertical ?? false}`;
}

/** ruby: two clusters of one ruby base. */
function sameRuby(a: Cluster, b: Cluster): boolean {
  return b.ruby !== undefined && a.ruby === b.ruby;
}

/** Whether a line may be cut before `unit[i]` at all: never inside a cluster drawn in parts, nor a ruby base. */
function mayCut(unit: Unit, i: number): boolean {
  const c = unit[i];
  const prev = unit[i - 1];
  return !!c && !!prev && !c.joined && !sameRuby(prev, c);
}

/** The hyphen drawn at a hyphenated line end, in the face of the letter before it. */
function hyphenAfter(c: Cluster): Cluster {
  const { solo: _solo, joined: _joined, ruby: _ruby, ...rest } = c;
  return { ...rest, text: "-", cp: 0x2d, kind: "latin", half: false, alnum: true, em: c.face.advance("-") };
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
        if (k !== undefined && k > i && mayCut(unit, k))
          out.push({ at: offset + k, penalty: b.penalty, hyphen: b.hyphen, emergency: false });
      }
    }
    i = j;
  }
  return out;
}

function trimStartSpaces(clusters: Cluster[]): Cluster[] {
  let start = 0;
  while (start < clusters.length && isSpace(clusters[start]?.cp ?? 0)) start++;
  return clusters.slice(start);
}

function trimEndSpaces(clusters: Cluster[]): Cluster[] {
  let end = clusters.length;
  while (end > 0 && isSpace(clusters[end - 1]?.cp ?? 0)) end--;
  return clusters.slice(0, end);
}
