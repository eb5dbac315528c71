import type { FontBook } from "../fonts/font-book.js";
import { isSpace, mayBreakBetween, STOPS_AND_COMMAS } from "./classes.js";
import { type Cluster, createClusterer } from "./clusters.js";
import { balanceTwo, endsWithSpace, joinPhrases } from "./phrases.js";
import { DEFAULT_RUBY_RATIO, type RubyGroup, rubyStart } from "./ruby.js";
import { blankAtParagraphStart, gapBetween } from "./spacing.js";
import type { ClusterNote, MissingChar, SetLine, SetParagraph, SetRuby, SetRun, TextStyle } from "./types.js";

export { plainText } from "./markup.js";
export type {
  Align,
  ClusterNote,
  MissingChar,
  SetLine,
  SetParagraph,
  SetRuby,
  SetRun,
  TextStyle,
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
  /** Characters no font had, replaced by 〓 on the page. */
  readonly missing: MissingChar[];
  /** Grapheme clusters not drawn as one glyph (emoji sequences in parts, variation sequences ignored, …). */
  readonly clusters: ClusterNote[];
}

/**
 * Japanese runs are drawn without the font's pair kerning: JLReq sets kana and kanji solid on the em grid
 * (ベタ組み), and a run is then exactly as wide as its characters, so one measurement per character serves.
 */
const SOLID = { kern: false };
const SOLID_HALF = { kern: false, halt: true };

export interface TypesetterOptions {
  /** Ruby size ÷ base size (issue.yaml `style.rubySize`). */
  rubySize?: number;
}

type Unit = Cluster[];

export function createTypesetter(fonts: FontBook, options: TypesetterOptions = {}): Typesetter {
  const { clustersOf, missing, notes } = createClusterer(fonts, options.rubySize ?? DEFAULT_RUBY_RATIO);

  /** Splits clusters into units that never break inside, following JLReq and keeping Latin words whole. */
  const unitsOf = (clusters: Cluster[]): Unit[] => {
    const units: Unit[] = [];
    let current: Unit = [];
    clusters.forEach((c, i) => {
      const prev = clusters[i - 1];
      // ruby: a base never parts from its ruby, so never breaks inside.
      if (prev && !c.joined && mayBreakBetween(prev.cp, c.cp) && !(c.ruby && prev.ruby === c.ruby)) {
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
      em += c.em + (prev ? gapBetween(prev, c) : 0) + 2 * (c.ruby?.pad ?? 0);
    });
    return em;
  };

  const breakLines = (units: Unit[], style: TextStyle, width: number, firstIndent: number): Unit[][] => {
    const size = style.size;
    const lines: Unit[][] = [];
    let line: Unit[] = [];
    let lineEm = 0;
    let last: Cluster | undefined;
    // A hair of tolerance so a line that fits by measurement is not pushed out by float rounding.
    const avail = () => (width - (lines.length === 0 ? firstIndent : 0) + 0.01) / size;
    const hangs = (unit: Unit) =>
      style.hanging === true && STOPS_AND_COMMAS.has(unit[unit.length - 1]?.cp ?? 0);
    const push = () => {
      lines.push(line);
      line = [];
      lineEm = 0;
      last = undefined;
    };
    for (const unit of units) {
      const content = trimEndSpaces(unit);
      const lead = last && unit[0] ? gapBetween(last, unit[0]) : 0;
      const roomFor = (cl: Cluster[]) => lineEm + lead + naturalEm(cl) <= avail();
      // ぶら下げ: a line-end 、。 may stand outside the measure.
      const fits = roomFor(content) || (hangs(content) && roomFor(content.slice(0, -1)));
      if (line.length && !fits) push();
      // After a push the unit opens the line: no spacing before it.
      const startEm = last && unit[0] ? gapBetween(last, unit[0]) : 0;
      if (
        !line.length &&
        naturalEm(content) > avail() &&
        !(hangs(content) && naturalEm(content.slice(0, -1)) <= avail())
      ) {
        // A unit wider than the measure (a long URL) is split by characters rather than overflow the column.
        for (const c of unit) {
          const gap = last ? gapBetween(last, c) : 0;
          if (line.length && lineEm + gap + c.em > avail()) push();
          lineEm += (last ? gapBetween(last, c) : 0) + c.em;
          line.push([c]);
          last = c;
        }
        continue;
      }
      lineEm += startEm + naturalEm(unit);
      line.push(unit);
      last = unit[unit.length - 1];
    }
    if (line.length) lines.push(line);
    // JLReq avoids a last line of one character (a kana and its 。 count as one): take a unit down with it.
    const lastLine = lines[lines.length - 1];
    const before = lines[lines.length - 2];
    if (lastLine && before && before.length > 1 && lastLine.length === 1) {
      const chars = (lastLine[0] ?? []).filter(
        (c) => c.kind !== "stop" && c.kind !== "close" && c.kind !== "space",
      );
      if (chars.length <= 1) lastLine.unshift(before.pop() as Unit);
    }
    return lines;
  };

  const composeLine = (
    clusters: Cluster[],
    style: TextStyle,
    width: number,
    indent: number,
    justify: boolean,
    paragraphStart: boolean,
  ): SetLine => {
    const size = style.size;
    const content = trimEndSpaces(trimStartSpaces(clusters));
    const first = content[0];
    // The opening bracket that begins a paragraph keeps its blank after the indent (起こしの括弧は全角).
    const startGap = paragraphStart && first ? blankAtParagraphStart(first) : 0;
    const lastCluster = content[content.length - 1];
    const measure = width - indent - startGap * size;
    const natural = naturalEm(content) * size;
    const hanging =
      style.hanging === true &&
      lastCluster !== undefined &&
      STOPS_AND_COMMAS.has(lastCluster.cp) &&
      natural > measure + 0.01;
    const body = hanging ? content.slice(0, -1) : content;
    const bodyNatural = hanging ? naturalEm(body) * size : natural;
    // Justification spreads the slack evenly over every gap between characters, never inside a Latin word.
    // ruby: nor inside a ruby base, whose spacing is the ruby's.
    const stretchable = (a: Cluster, b: Cluster) =>
      !(a.kind === "latin" && b.kind === "latin") && !(a.ruby && a.ruby === b.ruby);
    let gaps = 0;
    body.forEach((c, i) => {
      const prev = body[i - 1];
      if (prev && stretchable(prev, c)) gaps++;
    });
    // ruby: ruby that would reach past the line's head or end takes that room inside the measure, so it stays
    // centred over its base and within the line (when the line has the room).
    const edges = rubyAtEdges(body, size, indent + startGap * size);
    const withinRoom = edges.lead + edges.trail <= Math.max(measure - bodyNatural, 0) + 0.01;
    const rubyLead = withinRoom ? edges.lead : 0;
    const slack = measure - bodyNatural - (withinRoom ? edges.lead + edges.trail : 0);
    const spacing = justify && gaps > 0 && slack > 0 ? slack / gaps : 0;
    const align = style.align ?? "justify";
    let x = indent + startGap * size + rubyLead;
    if (!justify || spacing === 0) {
      if (align === "center") x += Math.max(slack, 0) / 2;
      else if (align === "right") x += Math.max(slack, 0);
    }

    // Clusters become runs: one face, one feature set, evenly spaced; a run ends where a fixed gap begins.
    const runs: SetRun[] = [];
    let run: { clusters: Cluster[]; x: number } | undefined;
    const flush = () => {
      if (!run) return;
      const head = run.clusters[0] as Cluster;
      const cs = head.ruby
        ? 2 * head.ruby.pad * size
        : run.clusters.length > 1 && head.kind !== "latin"
          ? spacing
          : 0;
      const text = run.clusters.map((c) => c.text).join("");
      const latin = head.kind === "latin";
      // Latin words keep their kerning (measured whole); Japanese runs are solid, their width the characters'.
      const em = latin ? head.face.advance(text) : run.clusters.reduce((sum, c) => sum + c.em, 0);
      runs.push({
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
      });
      run = undefined;
    };
    // ruby: where each cluster's glyph starts, for placing ruby over the final positions of its base.
    const xs: number[] = [];
    x += (content[0]?.ruby?.pad ?? 0) * size;
    content.forEach((c, i) => {
      const prev = content[i - 1];
      const isHanging = hanging && i === content.length - 1;
      if (prev) {
        const rubyPad = ((prev.ruby?.pad ?? 0) + (c.ruby?.pad ?? 0)) * size;
        const fixed = gapBetween(prev, c) * size;
        const stretch = !isHanging && stretchable(prev, c) ? spacing : 0;
        const sameRun =
          run &&
          fixed === 0 &&
          prev.face === c.face &&
          prev.half === c.half &&
          prev.link === c.link &&
          !prev.solo &&
          !c.solo &&
          prev.ruby === c.ruby &&
          (prev.kind === "latin") === (c.kind === "latin") &&
          stretch === (c.kind === "latin" || (c.ruby && prev.ruby === c.ruby) ? 0 : spacing) &&
          // The line's last character stands alone, so its run ends exactly at the measure.
          !(justify && spacing > 0 && i === content.length - 1 && !(c.ruby && prev.ruby === c.ruby));
        x += prev.em * size + fixed + stretch + rubyPad;
        xs[i] = x;
        if (sameRun && run) {
          run.clusters.push(c);
          return;
        }
        flush();
      }
      xs[i] = x;
      run = { clusters: [c], x };
    });
    flush();
    const end = runs[runs.length - 1];
    const ruby = rubyRuns(content, xs, size, width);
    return { runs, width: end ? end.x + end.width : x, ...(ruby.length ? { ruby } : {}) };
  };

  /** ruby: how far the ruby of a line's first and last groups would reach past the line's head and end, in pt. */
  const rubyAtEdges = (body: Cluster[], size: number, headRoom: number): { lead: number; trail: number } => {
    const reach = (group: RubyGroup | undefined): number => {
      if (!group || group.spread > 0) return 0;
      const base = body.filter((c) => c.ruby === group);
      const box = base.reduce((sum, c) => sum + c.em + 2 * group.pad, 0);
      return Math.max(0, ((group.em - box) * size) / 2);
    };
    const first = body[0]?.ruby;
    const last = body[body.length - 1]?.ruby;
    return { lead: Math.max(0, reach(first) - headRoom), trail: reach(last) };
  };

  /** ruby: the ruby of every group on a line, centred over (or spread across) its base's final position. */
  const rubyRuns = (content: Cluster[], xs: number[], size: number, measure: number): SetRuby[] => {
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
      const last = content[end] as Cluster;
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
  };

  const set = (text: string, style: TextStyle, width: number, path: string): SetParagraph => {
    const lines: SetLine[] = [];
    const indent = (style.indent ?? 0) * style.size;
    const justifyAll = (style.align ?? "justify") === "justify";
    text.split("\n").forEach((segment, segIndex) => {
      const clusters = clustersOf(segment, style.bold ?? false, path);
      const firstIndent = segIndex === 0 ? indent : 0;
      const startGap = clusters[0] && segIndex === 0 ? blankAtParagraphStart(clusters[0]) * style.size : 0;
      const broken = justifyAll
        ? breakLines(unitsOf(clusters), style, width, firstIndent + startGap)
        : displayLines(clusters, style, width, firstIndent + startGap);
      broken.forEach((line, i) => {
        const isLast = i === broken.length - 1;
        lines.push(
          composeLine(
            line.flat(),
            style,
            width,
            i === 0 ? firstIndent : 0,
            justifyAll && !isLast,
            i === 0 && segIndex === 0,
          ),
        );
      });
      if (!broken.length) lines.push({ runs: [], width: 0 });
    });
    return { lines, lineHeight: style.size * style.leading, size: style.size };
  };

  /**
   * phrases: short display text (not justified) that needs more than one line breaks only between phrases, and
   * two lines are balanced (phrases.ts); text that fits on one line never loads the phrase model.
   */
  const displayLines = (
    clusters: Cluster[],
    style: TextStyle,
    width: number,
    firstIndent: number,
  ): Unit[][] => {
    const units = unitsOf(clusters);
    const size = style.size;
    const lineEm = (line: Unit[]) => naturalEm(trimEndSpaces(line.flat()));
    const oneLine = (width - firstIndent + 0.01) / size;
    if (lineEm(units) <= oneLine) return breakLines(units, style, width, firstIndent);
    const text = clusters.map((c) => c.text).join("");
    const phrased = joinPhrases(units, text, (u) => naturalEm(trimEndSpaces(u)) <= (width + 0.01) / size);
    const lines = breakLines(phrased, style, width, firstIndent);
    if (lines.length !== 2) return lines;
    const balanced = balanceTwo(phrased, lineEm, oneLine, (width + 0.01) / size, endsWithSpace);
    return balanced ?? lines;
  };

  const widthOf = (text: string, style: TextStyle): number =>
    naturalEm(trimEndSpaces(clustersOf(text, style.bold ?? false, ""))) * style.size;

  return { set, widthOf, missing, clusters: notes };
}

function trimEndSpaces(clusters: Cluster[]): Cluster[] {
  let end = clusters.length;
  while (end > 0 && isSpace(clusters[end - 1]?.cp ?? 0)) end--;
  return clusters.slice(0, end);
}

function trimStartSpaces(clusters: Cluster[]): Cluster[] {
  let start = 0;
  while (start < clusters.length && isSpace(clusters[start]?.cp ?? 0)) start++;
  return clusters.slice(start);
}
