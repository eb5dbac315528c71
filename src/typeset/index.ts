import type { FontBook, FontFace } from "../fonts/font-book.js";
import { isAttached, isLatin, isSpace, mayBreakBetween } from "./classes.js";
import { parseInline } from "./markup.js";
import type { MissingChar, SetLine, SetParagraph, SetRun, TextStyle } from "./types.js";

export { plainText } from "./markup.js";
export type { Align, MissingChar, SetLine, SetParagraph, SetRun, TextStyle } from "./types.js";

/**
 * The typeset stage: Japanese text in, lines of positioned runs out. It owns line breaking (JLReq line-start and
 * line-end rules), font fallback per character and justification, so pdfmake only draws what is decided here.
 */
export interface Typesetter {
  /** Sets `text` (with `**bold**` markup and `\n` forced breaks) in a measure `width` pt wide. */
  set(text: string, style: TextStyle, width: number, path: string): SetParagraph;
  /** Width of `text` on one line, unbroken. */
  widthOf(text: string, style: TextStyle): number;
  /** Characters no font had, replaced by 〓 on the page. */
  readonly missing: MissingChar[];
}

/** 〓 (geta) is the typesetter's traditional stand-in for a character that has no type. */
const GETA = "〓";

interface Cluster {
  text: string;
  cp: number;
  face: FontFace;
  bold: boolean;
  latin: boolean;
  space: boolean;
}

export function createTypesetter(fonts: FontBook): Typesetter {
  const missing: MissingChar[] = [];
  const seenMissing = new Set<string>();
  const advanceCache = new Map<FontFace, Map<string, number>>();

  const advance = (face: FontFace, text: string): number => {
    let cache = advanceCache.get(face);
    if (!cache) {
      cache = new Map();
      advanceCache.set(face, cache);
    }
    let em = cache.get(text);
    if (em === undefined) {
      em = face.advance(text);
      cache.set(text, em);
    }
    return em;
  };

  const clustersOf = (text: string, bold: boolean, path: string): Cluster[] => {
    const out: Cluster[] = [];
    for (const span of parseInline(text, bold)) {
      for (const ch of span.text) {
        const cp = ch.codePointAt(0) ?? 0;
        const last = out[out.length - 1];
        if (isAttached(cp) && last) {
          // A variation selector the face cannot map would be drawn as .notdef: drop it, the base stays.
          if (last.face.has(cp)) last.text += ch;
          continue;
        }
        let face = fonts.faceFor(cp, span.bold);
        let shown = ch;
        if (!face) {
          const key = `${path}\u0000${cp}`;
          if (!seenMissing.has(key)) {
            seenMissing.add(key);
            missing.push({ char: ch, codePoint: cp, path });
          }
          shown = GETA;
          face = fonts.faceFor(GETA.codePointAt(0) ?? 0, span.bold) ?? fonts.primary(span.bold);
        }
        out.push({ text: shown, cp, face, bold: span.bold, latin: isLatin(cp), space: isSpace(cp) });
      }
    }
    return out;
  };

  /** Splits clusters into units that never break inside, following JLReq and keeping Latin words whole. */
  const unitsOf = (clusters: Cluster[]): Cluster[][] => {
    const units: Cluster[][] = [];
    let current: Cluster[] = [];
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

  const widthOfClusters = (clusters: Cluster[], size: number): number => {
    let width = 0;
    for (const run of groupRuns(clusters)) width += advance(run.face, run.text) * size;
    return width;
  };

  const breakLines = (
    units: Cluster[][],
    style: TextStyle,
    width: number,
    firstIndent: number,
  ): Cluster[][] => {
    const lines: Cluster[][] = [];
    let line: Cluster[] = [];
    let lineWidth = 0;
    // A hair of tolerance so a line that fits by measurement is not pushed out by float rounding.
    const avail = () => width - (lines.length === 0 ? firstIndent : 0) + 0.01;
    for (const unit of units) {
      const content = trimEndSpaces(unit);
      const unitWidth = widthOfClusters(unit, style.size);
      const contentWidth = widthOfClusters(content, style.size);
      if (line.length && lineWidth + contentWidth > avail()) {
        lines.push(line);
        line = [];
        lineWidth = 0;
      }
      if (!line.length && contentWidth > avail()) {
        // A unit wider than the measure (a long URL) is split by characters rather than overflow the column.
        for (const c of unit) {
          const w = widthOfClusters([c], style.size);
          if (line.length && lineWidth + w > avail()) {
            lines.push(line);
            line = [];
            lineWidth = 0;
          }
          line.push(c);
          lineWidth += w;
        }
        continue;
      }
      line.push(...unit);
      lineWidth += unitWidth;
    }
    if (line.length) lines.push(line);
    return lines;
  };

  const composeLine = (
    clusters: Cluster[],
    style: TextStyle,
    width: number,
    indent: number,
    justify: boolean,
  ): SetLine => {
    const content = trimEndSpaces(trimStartSpaces(clusters));
    const runs = groupRuns(content).map((r) => ({
      ...r,
      natural: advance(r.face, r.text) * style.size,
      chars: [...r.text].length,
    }));
    const natural = runs.reduce((sum, r) => sum + r.natural, 0);
    const measure = width - indent;
    // Justification spreads the slack evenly over the gaps between characters, never inside a Latin word.
    const stretchable = runs.map((r) => (r.latin ? 0 : r.chars - 1));
    const gaps = stretchable.reduce((a, b) => a + b, 0) + Math.max(runs.length - 1, 0);
    const slack = measure - natural;
    const spacing = justify && gaps > 0 && slack > 0 ? slack / gaps : 0;
    const align = style.align ?? "justify";
    let x = indent;
    if (!justify || spacing === 0) {
      if (align === "center") x += Math.max(slack, 0) / 2;
      else if (align === "right") x += Math.max(slack, 0);
    }
    const setRuns: SetRun[] = [];
    runs.forEach((r, i) => {
      const cs = r.latin ? 0 : spacing;
      const runWidth = r.natural + cs * Math.max(r.chars - 1, 0);
      setRuns.push({
        text: r.text,
        family: r.face.family,
        bold: r.face.bold,
        size: style.size,
        x,
        width: runWidth,
        charSpacing: cs,
        ascent: r.face.ascent * style.size,
      });
      x += runWidth + (i < runs.length - 1 ? spacing : 0);
    });
    return { runs: setRuns, width: x };
  };

  const set = (text: string, style: TextStyle, width: number, path: string): SetParagraph => {
    const lines: SetLine[] = [];
    const indent = (style.indent ?? 0) * style.size;
    const justifyAll = (style.align ?? "justify") === "justify";
    text.split("\n").forEach((segment, segIndex) => {
      const clusters = clustersOf(segment, style.bold ?? false, path);
      const firstIndent = segIndex === 0 ? indent : 0;
      const broken = breakLines(unitsOf(clusters), style, width, firstIndent);
      broken.forEach((line, i) => {
        const isLast = i === broken.length - 1;
        lines.push(composeLine(line, style, width, i === 0 ? firstIndent : 0, justifyAll && !isLast));
      });
      if (!broken.length) lines.push({ runs: [], width: 0 });
    });
    return { lines, lineHeight: style.size * style.leading, size: style.size };
  };

  const widthOf = (text: string, style: TextStyle): number =>
    widthOfClusters(trimEndSpaces(clustersOf(text, style.bold ?? false, "")), style.size);

  return { set, widthOf, missing };
}

interface Run {
  text: string;
  face: FontFace;
  latin: boolean;
}

/** Consecutive clusters in one face and of one kind (Latin or not) make one run drawn by one text call. */
function groupRuns(clusters: Cluster[]): Run[] {
  const runs: Run[] = [];
  for (const c of clusters) {
    const last = runs[runs.length - 1];
    if (last && last.face === c.face && last.latin === c.latin) last.text += c.text;
    else runs.push({ text: c.text, face: c.face, latin: c.latin });
  }
  return runs;
}

function trimEndSpaces(clusters: Cluster[]): Cluster[] {
  let end = clusters.length;
  while (end > 0 && clusters[end - 1]?.space) end--;
  return clusters.slice(0, end);
}

function trimStartSpaces(clusters: Cluster[]): Cluster[] {
  let start = 0;
  while (start < clusters.length && clusters[start]?.space) start++;
  return clusters.slice(start);
}
