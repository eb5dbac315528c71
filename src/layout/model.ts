import type { Diagnostic } from "../diagnostics.js";
import type { ColorName, Palette } from "../theme/index.js";
import type { SetLine } from "../typeset/types.js";

/** The laid-out issue: every page with every item at its final position (pt, origin top-left of the page). */

export interface LineItem {
  kind: "line";
  x: number;
  /** Baseline y; for a vertical line (`line.vertical`), the top of the line, `x` its em box's left edge. */
  baseline: number;
  line: SetLine;
  color: ColorName;
}

export interface ImageItem {
  kind: "image";
  x: number;
  y: number;
  width: number;
  height: number;
  /** Schema path of the photo (`logo` for the logo): render draws the images stage's file for it. */
  path: string;
}

export interface RectItem {
  kind: "rect";
  x: number;
  y: number;
  width: number;
  height: number;
  fill?: ColorName;
  stroke?: ColorName;
  lineWidth?: number;
  radius?: number;
}

export interface RuleItem {
  kind: "rule";
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  color: ColorName;
  width: number;
  dash?: number;
}

export type Item = LineItem | ImageItem | RectItem | RuleItem;

export interface Page {
  items: Item[];
}

export interface LaidOutIssue {
  width: number;
  height: number;
  pages: Page[];
  /**
   * Each photo's placed size in pt, by schema path: decided here once; the images stage resizes to exactly this
   * (× dpi) and the preflight judges resolution at it.
   */
  photos: Map<string, { widthPt: number; heightPt: number }>;
  title: string;
  author: string;
  /** The theme's colours by name, in both forms: render paints every item's colour from here. */
  palette: Palette;
  /** Problems found while laying out (text that does not fit), reported, never silently cut. */
  problems: Diagnostic[];
  /** What the page breaker chose (where articles break, how space was spread), in words, for the report. */
  choices: string[];
}

/** A piece of layout that is placed whole: items relative to its own top-left corner. */
export interface Box {
  width: number;
  height: number;
  items: Item[];
}

export function translate(items: Item[], dx: number, dy: number): Item[] {
  return items.map((item): Item => {
    if (item.kind === "line") return { ...item, x: item.x + dx, baseline: item.baseline + dy };
    if (item.kind === "rule")
      return { ...item, x1: item.x1 + dx, x2: item.x2 + dx, y1: item.y1 + dy, y2: item.y2 + dy };
    return { ...item, x: item.x + dx, y: item.y + dy };
  });
}
