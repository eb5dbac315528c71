import type { FontFace } from "../fonts/font-book.js";
import { type RubyGroup, rubyAtEdges, rubyRuns } from "./ruby.js";
import { blankAtParagraphStart, gapBetween, type Kind } from "./spacing.js";
import type { SetLine, SetRun, TextStyle } from "./types.js";
import { verticalRun } from "./vertical.js";

/** What the line engine needs to know of a cluster (index.ts makes them). */
export interface LineCluster {
  text: string;
  cp: number;
  kind: Kind;
  half: boolean;
  alnum: boolean;
  /** Advance in em. */
  em: number;
  /** ruby: the ruby group this cluster is the base of (ruby.ts); the base is spaced by `ruby.pad` each side. */
  ruby?: RubyGroup;
  /** A part of the cluster before it, drawn beside it (clusters.ts). */
  joined?: boolean;
}

export interface DrawnCluster extends LineCluster {
  face: FontFace;
  /** Drawn in a run of its own (clusters.ts): several glyphs or a ligature shaped as a whole. */
  solo?: boolean;
  /** The URI the text belongs to: runs end where it changes, so each link is its own run. */
  link?: string;
  /** 縦中横 (vertical.ts). */
  tcy?: boolean;
}

/** ruby: the room a cluster takes on a line, its base's spacing included (ruby.ts `pad`), in em. */
export function advanceOf(c: LineCluster): number {
  return c.em + 2 * (c.ruby?.pad ?? 0);
}

/**
 * JLReq 3.8 line adjustment. Every gap between two clusters has a role:
 * - `word`: after a Latin word space; stretches first, by up to half an em, and shrinks first;
 * - `jl`: the quarter em between Japanese and a Latin run; stretches first to half an em, shrinks to an eighth;
 * - `punct`: a bracket's or comma's half-em blank; shrinks (追い込み) after the two above, and with `char` takes
 *   the inter-character spacing;
 * - `char`: between Japanese characters; stretches only when the spaces above are used up, by at most a quarter em
 *   per gap before the line counts as loose;
 * - `none`: inside a Latin run or before a space: never adjusted, so words are never letter-spaced.
 */
export type GapRole = "none" | "word" | "jl" | "punct" | "char";

export interface Pair {
  role: GapRole;
  /** Natural space in em (spacing.ts). */
  gap: number;
  /** Stretch of the first stage, em. */
  stretch: number;
  /** Most it may shrink, em. */
  shrink: number;
}

/** Largest extra space between Japanese characters before a line is loose (JLReq 3.8.3, and issue 9). */
export const MAX_CHAR_STRETCH = 0.25;
export const MAX_WORD_STRETCH = 0.5;
export const MAX_JL_STRETCH = 0.25;
const JL_SHRINK = 0.125;
/** A word space gives up at most this share of its width. */
const WORD_SHRINK = 0.25;
/** The order in which a line that is too long gives up space (JLReq 3.8.2). */
const SHRINK_ORDER: GapRole[] = ["word", "jl", "punct"];
/** A full stop's blank is kept: the end of a sentence stays visible. */
const FULL_STOPS = new Set([0x3002, 0xff0e, 0xff61]);

export function pairOf(a: LineCluster, b: LineCluster): Pair {
  // ruby: inside a ruby base the spacing is the ruby's (its pad), never adjusted.
  // The parts of one cluster drawn side by side are never spaced apart either.
  if ((a.ruby && a.ruby === b.ruby) || b.joined) return { role: "none", gap: 0, stretch: 0, shrink: 0 };
  if (b.kind === "space") return { role: "none", gap: 0, stretch: 0, shrink: 0 };
  if (a.kind === "space") {
    if (a.cp === 0x3000) return { role: "char", gap: 0, stretch: 0, shrink: 0 };
    return { role: "word", gap: 0, stretch: MAX_WORD_STRETCH, shrink: a.em * WORD_SHRINK };
  }
  if (a.kind === "latin" && b.kind === "latin") return { role: "none", gap: 0, stretch: 0, shrink: 0 };
  const gap = gapBetween(a, b);
  if (gap === 0.25) return { role: "jl", gap, stretch: MAX_JL_STRETCH, shrink: JL_SHRINK };
  if (gap > 0) return { role: "punct", gap, stretch: 0, shrink: FULL_STOPS.has(a.cp) ? 0 : gap };
  return { role: "char", gap, stretch: 0, shrink: 0 };
}

/** Gaps that take the inter-character spacing (second stage). */
export const takesCharSpacing = (role: GapRole) => role === "char" || role === "punct";

/** A line-end 、。 that stands outside the measure (ぶら下げ) when the line is too long without it. */
export function hangs(
  content: LineCluster[],
  naturalEm: number,
  measureEm: number,
  style: TextStyle,
): boolean {
  const last = content[content.length - 1];
  return style.hanging === true && last?.kind === "stop" && naturalEm > measureEm;
}

/**
 * Japanese runs are drawn without the font's pair kerning: JLReq sets kana and kanji solid on the em grid
 * (ベタ組み), and a run is then exactly as wide as its characters, so one measurement per character serves.
 */
const SOLID = { kern: false };
const SOLID_HALF = { kern: false, halt: true };
const EPS = 1e-6;

export interface ComposedLine {
  line: SetLine;
  /** Largest extra space in em at a gap between Japanese characters, a word space and a Japanese-Latin gap. */
  extra: { char: number; word: number; jl: number };
  /** A justified line that could not be: nothing on it may stretch (a piece of a word wider than the column). */
  ragged: boolean;
}

/**
 * Places one line's clusters: the slack of a justified line goes first to word spaces and Japanese-Latin gaps,
 * then evenly to the gaps between characters; a line too long gives up word space, then Japanese-Latin space,
 * then punctuation blanks. Clusters become runs (one face, one feature set, evenly spaced).
 */
export function composeLine(
  content: DrawnCluster[],
  style: TextStyle,
  width: number,
  indent: number,
  justify: boolean,
  paragraphStart: boolean,
): ComposedLine {
  const size = style.size;
  content = kerned(content);
  const first = content[0];
  // The opening bracket that begins a paragraph keeps its blank after the indent (起こしの括弧は全角).
  const startGap = paragraphStart && first ? blankAtParagraphStart(first) : 0;
  const measureEm = (width - indent - startGap * size + 0.01) / size;
  const pairs = content.map((c, i) => {
    const prev = content[i - 1];
    return prev ? pairOf(prev, c) : undefined;
  });
  let natural = 0;
  content.forEach((c, i) => {
    natural += advanceOf(c) + (pairs[i]?.gap ?? 0);
  });
  const hanging = hangs(content, natural, measureEm, style);
  const bodyEnd = hanging ? content.length - 1 : content.length;
  const bodyNatural = hanging ? natural - advanceOf(content[bodyEnd] as LineCluster) : natural;
  let slack = measureEm - 0.01 / size - bodyNatural;
  // ruby: ruby that would reach past the line's head or end takes that room inside the measure, so it stays
  // centred over its base and within the line (when the line has the room).
  const edges = rubyAtEdges(content.slice(0, bodyEnd), size, indent + startGap * size);
  const withinRoom = edges.lead + edges.trail <= Math.max(slack * size, 0) + 0.01;
  const rubyLead = withinRoom ? edges.lead : 0;
  if (withinRoom) slack -= (edges.lead + edges.trail) / size;

  const adjust = new Array<number>(content.length).fill(0);
  let charSpacing = 0;
  const extra = { char: 0, word: 0, jl: 0 };
  const inBody = (i: number) => i > 0 && i < bodyEnd;
  if (justify && slack > EPS) {
    let firstStage = 0;
    let chars = 0;
    pairs.forEach((p, i) => {
      if (!p || !inBody(i)) return;
      firstStage += p.stretch;
      if (takesCharSpacing(p.role)) chars++;
    });
    const used = Math.min(slack, firstStage);
    let rest = slack - used;
    // Past the limits only when nothing else can take the space (a line of one word and its spaces).
    const ratio = firstStage > 0 ? (chars > 0 ? used : slack) / firstStage : 0;
    if (chars === 0 && firstStage > 0) rest = 0;
    pairs.forEach((p, i) => {
      if (p && inBody(i)) adjust[i] = p.stretch * ratio;
    });
    charSpacing = chars > 0 ? rest / chars : 0;
  } else if (slack < -EPS) {
    let need = -slack;
    for (const role of SHRINK_ORDER) {
      let room = 0;
      pairs.forEach((p, i) => {
        if (p?.role === role && inBody(i)) room += p.shrink;
      });
      if (room <= 0 || need <= 0) continue;
      const take = Math.min(need, room);
      pairs.forEach((p, i) => {
        if (p?.role === role && inBody(i)) adjust[i] = -(p.shrink * take) / room;
      });
      need -= take;
    }
  }
  pairs.forEach((p, i) => {
    if (!p || !inBody(i)) return;
    const e = adjust[i] ?? 0;
    if (p.role === "word") extra.word = Math.max(extra.word, e);
    if (p.role === "jl") extra.jl = Math.max(extra.jl, e);
  });
  if (charSpacing > 0) extra.char = charSpacing;

  const spacing = charSpacing * size;
  const align = style.align ?? "justify";
  let x = indent + startGap * size + rubyLead;
  const adjusted = justify && slack > EPS && adjust.some((a) => a !== 0);
  if (!adjusted && spacing === 0 && slack > 0) {
    if (align === "center") x += (slack * size) / 2;
    else if (align === "right") x += slack * size;
  }

  const runs: SetRun[] = [];
  let run: { clusters: DrawnCluster[]; x: number; cs: number } | undefined;
  const flush = () => {
    if (!run) return;
    const cs = run.clusters.length > 1 ? run.cs : 0;
    const text = run.clusters.map((c) => c.text).join("");
    const head = run.clusters[0] as DrawnCluster;
    const latin = head.kind === "latin";
    // Latin words keep their kerning (measured whole); Japanese runs are solid, their width the characters'.
    const em = latin ? head.face.advance(text) : run.clusters.reduce((sum, c) => sum + c.em, 0);
    const set: SetRun = {
      text,
      family: head.face.family,
      bold: head.face.bold,
      size,
      x: run.x,
      width: em * size + cs * (run.clusters.length - 1),
      charSpacing: cs,
      ascent: head.face.ascent * size,
      features: latin ? undefined : head.half ? SOLID_HALF : SOLID,
      ...(head.link ? { link: head.link } : {}),
    };
    runs.push(style.vertical ? verticalRun(set, head, text) : set);
    run = undefined;
  };
  // ruby: where each cluster's glyph starts, for placing ruby over the final positions of its base.
  const xs: number[] = [];
  x += (content[0]?.ruby?.pad ?? 0) * size;
  content.forEach((c, i) => {
    const prev = content[i - 1];
    const pair = pairs[i];
    if (prev && pair) {
      const stretch = inBody(i) && takesCharSpacing(pair.role) ? spacing : 0;
      const move = (pair.gap + (adjust[i] ?? 0)) * size + stretch;
      // ruby: a base's characters stand `pad` apart from each other and from their neighbours on each side.
      const rubyPad = ((prev.ruby?.pad ?? 0) + (c.ruby?.pad ?? 0)) * size;
      const sameGroup = c.ruby !== undefined && prev.ruby === c.ruby;
      const sameRun =
        run !== undefined &&
        pair.gap === 0 &&
        (adjust[i] ?? 0) === 0 &&
        prev.face === c.face &&
        prev.half === c.half &&
        prev.link === c.link &&
        !prev.solo &&
        !c.solo &&
        prev.ruby === c.ruby &&
        (prev.kind === "latin") === (c.kind === "latin") &&
        // 縦組み: every upright glyph is drawn in its own em cell (vertical.ts).
        !(style.vertical && c.kind !== "latin") &&
        (sameGroup ? rubyPad : stretch) === run.cs &&
        // The line's last character stands alone, so its run ends exactly at the measure.
        !(justify && spacing > 0 && i === content.length - 1 && c.kind !== "latin" && !sameGroup);
      x += prev.em * size + move + rubyPad;
      xs[i] = x;
      if (sameRun && run) {
        run.clusters.push(c);
        return;
      }
      flush();
    }
    xs[i] = x;
    run = { clusters: [c], x, cs: c.ruby ? 2 * c.ruby.pad * size : c.kind === "latin" ? 0 : spacing };
  });
  flush();
  const end = runs[runs.length - 1];
  const ragged = justify && slack > MAX_CHAR_STRETCH && !adjusted && spacing === 0;
  const ruby = rubyRuns(content, xs, size, width);
  const line: SetLine = {
    runs,
    width: end ? end.x + end.width : x,
    ...(ruby.length ? { ruby } : {}),
    ...(style.vertical ? { vertical: true } : {}),
  };
  return { line, extra, ragged };
}

/**
 * Latin runs are drawn with the font's kerning, measured whole: the difference from their letters' advances is
 * given to each run's last letter, so the line is placed and justified with the widths that are drawn.
 */
function kerned(content: DrawnCluster[]): DrawnCluster[] {
  let out: DrawnCluster[] | undefined;
  let i = 0;
  while (i < content.length) {
    const head = content[i] as DrawnCluster;
    let j = i + 1;
    if (head.kind !== "latin") {
      i = j;
      continue;
    }
    // The same runs as composeLine draws: a solo cluster or a change of link ends one.
    const together = (c: DrawnCluster | undefined) =>
      c?.kind === "latin" && c.face === head.face && c.link === head.link && !c.solo && !head.solo;
    while (j < content.length && together(content[j])) j++;
    if (j - i > 1) {
      const run = content.slice(i, j);
      const drawn = head.face.advance(run.map((c) => c.text).join(""));
      const sum = run.reduce((em, c) => em + c.em, 0);
      if (Math.abs(drawn - sum) > 1e-9) {
        out ??= [...content];
        const tail = content[j - 1] as DrawnCluster;
        out[j - 1] = { ...tail, em: tail.em + drawn - sum };
      }
    }
    i = j;
  }
  return out ?? content;
}
