import type { FontBook } from "../fonts/font-book.js";
import { isSpace, mayBreakBetween, STOPS_AND_COMMAS } from "./classes.js";
import { type Cluster, createClusterer } from "./clusters.js";
import { blankAtParagraphStart, gapBetween } from "./spacing.js";
import type { ClusterNote, MissingChar, SetLine, SetParagraph, SetRun, TextStyle } from "./types.js";

export { plainText } from "./markup.js";
export type { Align, ClusterNote, MissingChar, SetLine, SetParagraph, SetRun, TextStyle } from "./types.js";

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

type Unit = Cluster[];

export function createTypesetter(fonts: FontBook): Typesetter {
  const { clustersOf, missing, notes } = createClusterer(fonts);

  /** Splits clusters into units that never break inside, following JLReq and keeping Latin words whole. */
  const unitsOf = (clusters: Cluster[]): Unit[] => {
    const units: Unit[] = [];
    let current: Unit = [];
    clusters.forEach((c, i) => {
      const prev = clusters[i - 1];
      if (prev && !c.joined && mayBreakBetween(prev.cp, c.cp)) {
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
    const stretchable = (a: Cluster, b: Cluster) => !(a.kind === "latin" && b.kind === "latin");
    let gaps = 0;
    body.forEach((c, i) => {
      const prev = body[i - 1];
      if (prev && stretchable(prev, c)) gaps++;
    });
    const slack = measure - bodyNatural;
    const spacing = justify && gaps > 0 && slack > 0 ? slack / gaps : 0;
    const align = style.align ?? "justify";
    let x = indent + startGap * size;
    if (!justify || spacing === 0) {
      if (align === "center") x += Math.max(slack, 0) / 2;
      else if (align === "right") x += Math.max(slack, 0);
    }

    // Clusters become runs: one face, one feature set, evenly spaced; a run ends where a fixed gap begins.
    const runs: SetRun[] = [];
    let run: { clusters: Cluster[]; x: number } | undefined;
    const flush = () => {
      if (!run) return;
      const cs = run.clusters.length > 1 && run.clusters[0]?.kind !== "latin" ? spacing : 0;
      const text = run.clusters.map((c) => c.text).join("");
      const head = run.clusters[0] as Cluster;
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
    content.forEach((c, i) => {
      const prev = content[i - 1];
      const isHanging = hanging && i === content.length - 1;
      if (prev) {
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
          (prev.kind === "latin") === (c.kind === "latin") &&
          stretch === (c.kind === "latin" ? 0 : spacing) &&
          // The line's last character stands alone, so its run ends exactly at the measure.
          !(justify && spacing > 0 && i === content.length - 1);
        x += prev.em * size + fixed + stretch;
        if (sameRun && run) {
          run.clusters.push(c);
          return;
        }
        flush();
      }
      run = { clusters: [c], x };
    });
    flush();
    const end = runs[runs.length - 1];
    return { runs, width: end ? end.x + end.width : x };
  };

  const set = (text: string, style: TextStyle, width: number, path: string): SetParagraph => {
    const lines: SetLine[] = [];
    const indent = (style.indent ?? 0) * style.size;
    const justifyAll = (style.align ?? "justify") === "justify";
    text.split("\n").forEach((segment, segIndex) => {
      const clusters = clustersOf(segment, style.bold ?? false, path);
      const firstIndent = segIndex === 0 ? indent : 0;
      const units = unitsOf(clusters);
      const startGap = clusters[0] && segIndex === 0 ? blankAtParagraphStart(clusters[0]) * style.size : 0;
      const broken = breakLines(units, style, width, firstIndent + startGap);
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
