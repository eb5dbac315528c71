import { resolveTheme, type Theme } from "../theme/index.js";
import type { IssueDoc, PaperName } from "./schema.js";

/**
 * Page geometry follows from the content (paper, orientation, style), so the content stage resolves it once and
 * every later stage reads the same numbers. Photo sizes are not here: the layout decides them (src/layout/photos.ts).
 */

const MM = 72 / 25.4;

/** Japanese B sizes are JIS B, not ISO B (pdfmake's 'B5' would be ISO). */
const PAPER_MM: Record<PaperName, [number, number]> = {
  A4: [210, 297],
  B5: [182, 257],
  A3: [297, 420],
  B4: [257, 364],
};

export interface Geometry {
  paper: PaperName;
  orientation: "portrait" | "landscape";
  pageWidth: number;
  pageHeight: number;
  margin: { top: number; right: number; bottom: number; left: number };
  /** Width between the side margins. */
  contentWidth: number;
  /** Height between the top and bottom margins (the footer sits in the bottom margin). */
  contentHeight: number;
  /** Space between text columns and between blocks set side by side. */
  columnGap: number;
  /** Space between stacked blocks. */
  blockGap: number;
  bodySize: number;
  /** Line height as a multiple of bodySize. */
  leading: number;
  /** ぶら下げ: line-end 、。 may hang outside the measure. */
  hanging: boolean;
  /** Ruby (furigana) size as a fraction of its base's size. */
  rubySize: number;
  /** 縦組み: the direction of articles and corners that do not name their own (`style.direction`). */
  direction: "horizontal" | "vertical";
  /** Whether the paragraph right after a subheading gets the one-em indent too. */
  indentAfterHeading: boolean;
  /** Padding inside a boxed corner or slogan. */
  boxPadding: number;
  /** Gap between photos in a row. */
  photoGap: number;
}

export function mm(value: number): number {
  return value * MM;
}

/** The margins, the body size and the spaces between and inside blocks are the theme's (src/theme/types.ts). */
export function resolveGeometry(doc: IssueDoc, theme: Theme = resolveTheme(doc.theme)): Geometry {
  const paper = doc.paper ?? "A4";
  const orientation = doc.orientation ?? "portrait";
  const [w, h] = PAPER_MM[paper];
  const [pw, ph] = orientation === "portrait" ? [w, h] : [h, w];
  const pageWidth = mm(pw);
  const pageHeight = mm(ph);
  // Margins scale with the paper so B5 and A3 keep the A4 proportions.
  const side = mm(theme.page.margin) * Math.sqrt((pw * ph) / (210 * 297));
  const margin = { top: side, right: side, bottom: side + mm(theme.page.footer), left: side };
  const bodySize = doc.style?.bodySize ?? theme.page.bodySize[paper];
  return {
    paper,
    orientation,
    pageWidth,
    pageHeight,
    margin,
    contentWidth: pageWidth - margin.left - margin.right,
    contentHeight: pageHeight - margin.top - margin.bottom,
    columnGap: bodySize * theme.space.columnGap,
    blockGap: bodySize * theme.space.blockGap,
    bodySize,
    leading: doc.style?.leading ?? theme.leading.body,
    hanging: doc.style?.hanging ?? false,
    rubySize: doc.style?.rubySize ?? 0.5,
    indentAfterHeading: doc.style?.indentAfterHeading ?? true,
    direction: doc.style?.direction ?? "horizontal",
    boxPadding: bodySize * theme.space.boxPadding,
    photoGap: bodySize * theme.space.photoGap,
  };
}

/** Width of each of `count` blocks set side by side in a `row`. */
export function rowCellWidth(g: Geometry, outerWidth: number, count: number): number {
  return (outerWidth - g.columnGap * (count - 1)) / count;
}

/** Width of one text column when `columns` share `outerWidth`. */
export function columnWidth(g: Geometry, outerWidth: number, columns: number): number {
  return (outerWidth - g.columnGap * (columns - 1)) / columns;
}

/** Width inside a boxed corner (border and padding taken off). */
export function boxInnerWidth(g: Geometry, outerWidth: number): number {
  return outerWidth - 2 * g.boxPadding - 1;
}
