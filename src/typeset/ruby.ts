import type { FontBook, FontFace } from "../fonts/font-book.js";
import type { SetRuby } from "./types.js";

/**
 * Ruby (furigana) placement after JLReq 3.3. A ruby group is its base (one character: mono-ruby; several:
 * group-ruby) and the ruby set above it at `ratio` × the base size, centred. Ruby longer than its base may
 * overhang an adjacent kana by at most half a ruby character on each side; beyond that the base is spaced out
 * (the same space on both sides of every base character, so a group's characters stand 1:2:1). Ruby shorter than
 * a group base is spread over it the same way (1:2:1). A group never breaks across lines (see index.ts).
 */

/** JLReq 3.3: ruby is usually half the base size. */
export const DEFAULT_RUBY_RATIO = 0.5;
/** How far ruby may reach over an adjacent kana, in ruby characters. */
export const MAX_OVERHANG_RUBY_CHARS = 0.5;

export interface RubyPiece {
  text: string;
  face: FontFace;
  /** Advance in ruby em. */
  em: number;
}

export interface RubyGroup {
  text: string;
  /** The ruby in runs of one face each. */
  pieces: RubyPiece[];
  /** Number of ruby characters. */
  count: number;
  /** Natural ruby width in base em. */
  em: number;
  /** Ruby size ÷ base size. */
  ratio: number;
  /** Space before and after every base character, in base em (filled by `fitGroups`). */
  pad: number;
  /** Spread ruby: space at each end of the ruby, twice that between its characters, in base em. */
  spread: number;
}

/** The part of a typesetter cluster that ruby needs. */
export interface RubyCluster {
  cp: number;
  em: number;
  ruby?: RubyGroup;
  /** The typesetter's spacing class (spacing.ts): a half-width bracket or stop has a blank ruby may cover. */
  kind?: string;
  half?: boolean;
}

export function rubyGroup(fonts: FontBook, text: string, bold: boolean, ratio: number): RubyGroup {
  const pieces: RubyPiece[] = [];
  let count = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const face = fonts.faceFor(cp, bold) ?? fonts.primary(bold);
    const em = face.advance(ch, undefined);
    const last = pieces[pieces.length - 1];
    if (last && last.face === face) {
      last.text += ch;
      last.em += em;
    } else {
      pieces.push({ text: ch, face, em });
    }
    count++;
  }
  const rubyEm = pieces.reduce((s, p) => s + p.em, 0);
  return { text, pieces, count, em: rubyEm * ratio, ratio, pad: 0, spread: 0 };
}

export function isKana(cp: number): boolean {
  return (cp >= 0x3041 && cp <= 0x309f) || (cp >= 0x30a0 && cp <= 0x30ff) || (cp >= 0x31f0 && cp <= 0x31ff);
}

/**
 * Fits one group to its base: how much the base is spaced out (`pad`, each side of each character) and how the
 * ruby is spread. `overhang` is how far the ruby may reach past the base on each side, in base em.
 */
export function fitRuby(
  baseEm: number,
  baseCount: number,
  rubyEm: number,
  rubyCount: number,
  overhang: number,
): { pad: number; spread: number } {
  const excess = rubyEm - baseEm;
  if (excess <= 0) {
    // Mono-ruby is centred; group ruby is spread 1:2:1 over the base.
    const spread = baseCount > 1 && rubyCount > 0 ? -excess / (2 * rubyCount) : 0;
    return { pad: 0, spread };
  }
  const pad = Math.max(0, excess - 2 * overhang) / (2 * baseCount);
  return { pad, spread: 0 };
}

/**
 * Fits every ruby group of a paragraph segment. Ruby stays centred, so it overhangs both sides equally: only as
 * far as the side with less room allows: half a ruby character over a kana without ruby or over the blank
 * half of a bracket or stop (、 before the base, 「 after it); none over a kanji, a Latin letter or the text's end.
 */
export function fitGroups(clusters: RubyCluster[]): void {
  let i = 0;
  while (i < clusters.length) {
    const group = clusters[i]?.ruby;
    if (!group) {
      i++;
      continue;
    }
    let end = i;
    while (clusters[end + 1]?.ruby === group) end++;
    const max = MAX_OVERHANG_RUBY_CHARS * group.ratio;
    const kana = (c: RubyCluster) => !c.ruby && isKana(c.cp);
    const before = clusters[i - 1];
    const after = clusters[end + 1];
    const roomBefore =
      before && (kana(before) || (before.half && (before.kind === "close" || before.kind === "stop")));
    const roomAfter = after && (kana(after) || (after.half && after.kind === "open"));
    const overhang = roomBefore && roomAfter ? max : 0;
    const base = clusters.slice(i, end + 1);
    const baseEm = base.reduce((s, c) => s + c.em, 0);
    const fit = fitRuby(baseEm, base.length, group.em, group.count, overhang);
    group.pad = fit.pad;
    group.spread = fit.spread;
    i = end + 1;
  }
}

/**
 * Where the ruby starts (pt from the line's left edge) over a base whose spaced-out box runs from `left` to
 * `right`, kept inside the line's measure (JLReq 3.3: at a line's head or end, ruby does not stand outside it).
 */
export function rubyStart(
  group: RubyGroup,
  size: number,
  left: number,
  right: number,
  measure: number,
): number {
  const width = group.em * size;
  const x = group.spread > 0 ? left + group.spread * size : (left + right) / 2 - width / 2;
  return Math.min(Math.max(x, 0), Math.max(measure - width, 0));
}

/** What placing ruby on a line needs of a cluster there (the typesetter's clusters, justify.ts). */
export interface PlacedCluster {
  text: string;
  /** Advance in em. */
  em: number;
  ruby?: RubyGroup;
}

const SOLID = { kern: false };

/**
 * How far the ruby of a line's first and last groups would reach past the line's head and end, in pt (`headRoom`:
 * the room before the line's first glyph, its indent). The line takes that room inside its measure.
 */
export function rubyAtEdges(
  body: PlacedCluster[],
  size: number,
  headRoom: number,
): { lead: number; trail: number } {
  const reach = (group: RubyGroup | undefined): number => {
    if (!group || group.spread > 0) return 0;
    const base = body.filter((c) => c.ruby === group);
    const box = base.reduce((sum, c) => sum + c.em + 2 * group.pad, 0);
    return Math.max(0, ((group.em - box) * size) / 2);
  };
  const first = body[0]?.ruby;
  const last = body[body.length - 1]?.ruby;
  return { lead: Math.max(0, reach(first) - headRoom), trail: reach(last) };
}

/**
 * The ruby of every group on a line, centred over (or spread across) its base's final position: `xs[i]` is where
 * the glyph of `content[i]` starts, in pt from the line's left edge.
 */
export function rubyRuns(content: PlacedCluster[], xs: number[], size: number, measure: number): SetRuby[] {
  const out: SetRuby[] = [];
  let i = 0;
  while (i < content.length) {
    const group = content[i]?.ruby;
    if (!group) {
      i++;
      continue;
    }
    let end = i;
    while (content[end + 1]?.ruby === group) end++;
    const last = content[end] as PlacedCluster;
    const left = (xs[i] ?? 0) - group.pad * size;
    const right = (xs[end] ?? 0) + last.em * size + group.pad * size;
    const rsize = size * group.ratio;
    const spacing = group.spread > 0 ? 2 * group.spread * size : 0;
    let rx = rubyStart(group, size, left, right, measure);
    const base = content
      .slice(i, end + 1)
      .map((c) => c.text)
      .join("");
    for (const piece of group.pieces) {
      const count = [...piece.text].length;
      out.push({
        text: piece.text,
        family: piece.face.family,
        bold: piece.face.bold,
        size: rsize,
        x: rx,
        width: piece.em * rsize + spacing * (count - 1),
        charSpacing: spacing,
        ascent: piece.face.ascent * rsize,
        features: SOLID,
        // The ruby's em box stands on the base's (ideographic em box: 0.88 em above the baseline, 0.12 below).
        rise: size * 0.88 + rsize * 0.12,
        base,
      });
      rx += piece.em * rsize + spacing * count;
    }
    i = end + 1;
  }
  return out;
}
