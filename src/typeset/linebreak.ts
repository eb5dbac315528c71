import { advanceOf, type LineCluster, MAX_CHAR_STRETCH, pairOf, takesCharSpacing } from "./justify.js";
import type { TextStyle } from "./types.js";

/**
 * Total-fit line breaking (Knuth and Plass, "Breaking paragraphs into lines", 1981) with JLReq's adjustment
 * (justify.ts): every place a line may end is weighed over the whole paragraph, so a hard spot (a long URL, a
 * run of brackets) is prepared for lines ahead instead of leaving one loose line. Japanese may break between
 * most characters; the active set stays small because a start is dropped as soon as a line from it is too long
 * to shrink, i.e. it holds only the starts within one line's width.
 */

/** A place a line may end: before `clusters[at]`. */
export interface Breakpoint {
  at: number;
  /** TeX's demerit scale; 0 between Japanese characters and at a space. */
  penalty: number;
  /** A hyphen is drawn at the end of the line (hyphenate.ts). */
  hyphen: boolean;
  /** A break with no rule behind it, inside a word wider than the column. */
  emergency: boolean;
}

export interface BrokenLine {
  /** Clusters [start, end) of the paragraph, spaces at both ends left out. */
  start: number;
  end: number;
  hyphen: boolean;
  emergency: boolean;
}

export interface BreakOptions {
  style: TextStyle;
  /** Measure of the first line (after its indent) and of the others, in em. */
  firstEm: number;
  restEm: number;
  justify: boolean;
  /** Advance of a hyphen drawn after cluster `i`, in em. */
  hyphenEm: (i: number) => number;
}

const LINE_PENALTY = 10;
/** A line that must stay loose (nothing else fits): chosen only when every other way is worse. */
const LOOSE = 10_000;
/** Per em a line of one unstretchable word leaves empty. */
const RAGGED = 5_000;
/** Two hyphenated lines in a row (TeX's \doublehyphendemerits). */
const DOUBLE_HYPHEN = 3_000;
/** A last line of a single character (JLReq avoids it; a kana and its 。 count as one). */
const SHORT_LAST = 4e8;
/** A line wider than the column: only where a start has no other way on. */
const OVERFULL = 1e12;
const EPS = 1e-3;

interface Node {
  at: number;
  demerits: number;
  prev: Node | undefined;
  hyphen: boolean;
  emergency: boolean;
  /** Some line from here fits: this start may be dropped once its lines grow too long. */
  fed: boolean;
}

export function breakParagraph(
  clusters: LineCluster[],
  breaks: Breakpoint[],
  opts: BreakOptions,
): BrokenLine[] {
  const n = clusters.length;
  if (n === 0) return [];
  // Prefix sums over clusters and over the gaps before them, so any line's figures cost O(1).
  const gap = new Float64Array(n + 1);
  const width = new Float64Array(n + 1);
  const stretch = new Float64Array(n + 1);
  const shrink = new Float64Array(n + 1);
  const chars = new Float64Array(n + 1);
  const solid = new Float64Array(n + 1);
  const nonLatin = new Float64Array(n + 1);
  for (let j = 0; j < n; j++) {
    const c = clusters[j] as LineCluster;
    const prev = clusters[j - 1];
    const pair = prev ? pairOf(prev, c) : undefined;
    gap[j] = pair?.gap ?? 0;
    // ruby: a ruby base's spacing (its pad) is part of its width.
    width[j + 1] = (width[j] ?? 0) + (gap[j] ?? 0) + advanceOf(c);
    stretch[j] = (stretch[j - 1] ?? 0) + (pair?.stretch ?? 0);
    shrink[j] = (shrink[j - 1] ?? 0) + (pair?.shrink ?? 0);
    chars[j] = (chars[j - 1] ?? 0) + (pair && takesCharSpacing(pair.role) ? 1 : 0);
    // Characters a reader counts on a last line (not stops, closing brackets or spaces).
    const counted = c.kind !== "stop" && c.kind !== "close" && c.kind !== "space";
    solid[j + 1] = (solid[j] ?? 0) + (counted ? 1 : 0);
    nonLatin[j + 1] = (nonLatin[j] ?? 0) + (c.kind === "latin" ? 0 : 1);
  }
  const space = (i: number) => clusters[i]?.kind === "space";
  const startOf = (at: number) => {
    let s = at;
    while (s < n && space(s)) s++;
    return s;
  };
  const endOf = (at: number, s: number) => {
    let e = at;
    while (e > s && space(e - 1)) e--;
    return e;
  };
  const pairs = (arr: Float64Array, s: number, e: number) =>
    e - 1 > s ? (arr[e - 1] ?? 0) - (arr[s] ?? 0) : 0;

  /** Adjustment ratio of the line [s, e): 0 = natural, 1 = stretched to its limits, -1 = shrunk to them. */
  const ratio = (s: number, e: number, hyphen: boolean, first: boolean, last: boolean) => {
    const measure = first ? opts.firstEm : opts.restEm;
    let natural = e > s ? (width[e] ?? 0) - (width[s] ?? 0) - (gap[s] ?? 0) : 0;
    if (hyphen) natural += opts.hyphenEm(e - 1);
    let charGaps = pairs(chars, s, e);
    const lastCluster = clusters[e - 1];
    if (
      opts.style.hanging === true &&
      lastCluster &&
      lastCluster.kind === "stop" &&
      natural > measure + EPS
    ) {
      // ぶら下げ: the stop stands outside the measure (justify.ts `hangs` decides the same way).
      natural -= lastCluster.em;
      charGaps -= 1;
    }
    const slack = measure - natural;
    if (slack >= -EPS) {
      if (last || slack <= EPS) return 0;
      // Unjustified text (captions, headlines): lines of even length read best, none left nearly empty.
      if (!opts.justify) return (2 * slack) / measure;
      const room = pairs(stretch, s, e) + MAX_CHAR_STRETCH * Math.max(charGaps, 0);
      return room > 0 ? slack / room : Number.POSITIVE_INFINITY;
    }
    const room = pairs(shrink, s, e);
    return room > 0 ? slack / room : Number.NEGATIVE_INFINITY;
  };

  const ends = [
    ...breaks.filter((b) => b.at > 0 && b.at < n),
    { at: n, penalty: 0, hyphen: false, emergency: false },
  ];
  ends.sort((a, b) => a.at - b.at || a.penalty - b.penalty);
  let active: Node[] = [{ at: 0, demerits: 0, prev: undefined, hyphen: false, emergency: false, fed: false }];
  let final: Node | undefined;
  let lastAt = -1;
  for (const bp of ends) {
    if (bp.at === lastAt) continue;
    lastAt = bp.at;
    const last = bp.at === n;
    let best: Node | undefined;
    const keep: Node[] = [];
    for (const a of active) {
      const s = startOf(a.at);
      const e = endOf(bp.at, s);
      const r = ratio(s, e, bp.hyphen, a.at === 0, last);
      let d: number;
      if (r < -1 - EPS) {
        // Too long even shrunk: lines from `a` only grow from here. Keep one such line when `a` has no other.
        if (a.fed) continue;
        d = a.demerits + OVERFULL * (1 - r);
      } else {
        keep.push(a);
        a.fed = true;
        let badness = 100 * Math.abs(r) ** 3;
        if (r > 1) badness = LOOSE * Math.min(r, 100) ** 3;
        // Nothing on the line may stretch. A piece of a URL or long word ends short (ragged), the fuller the
        // better so the space goes to lines that can take it; anything else (one kana alone) is as loose as can be.
        if (!Number.isFinite(r) && (nonLatin[e] ?? 0) - (nonLatin[s] ?? 0) > 0) badness = LOOSE * 100 ** 3;
        else if (!Number.isFinite(r)) {
          const natural = (width[e] ?? 0) - (width[s] ?? 0) - (gap[s] ?? 0);
          badness = 2 * LOOSE + RAGGED * Math.max(0, (a.at === 0 ? opts.firstEm : opts.restEm) - natural);
        }
        d = a.demerits + (LINE_PENALTY + badness) ** 2 + bp.penalty ** 2;
        if (bp.hyphen && a.hyphen) d += DOUBLE_HYPHEN;
        if (last && a.at > 0 && (solid[e] ?? 0) - (solid[s] ?? 0) <= 1) d += SHORT_LAST;
      }
      if (!best || d < best.demerits) {
        best = { at: bp.at, demerits: d, prev: a, hyphen: bp.hyphen, emergency: bp.emergency, fed: false };
      }
    }
    active = keep;
    if (best) {
      if (last) final = best;
      else active.push(best);
    }
  }

  const lines: BrokenLine[] = [];
  for (let node = final; node?.prev; node = node.prev) {
    const s = startOf(node.prev.at);
    lines.push({ start: s, end: endOf(node.at, s), hyphen: node.hyphen, emergency: node.emergency });
  }
  return lines.reverse();
}
