import type { LaidOutIssue } from "../layout/index.js";

/** A link annotation to add: a URI over one line piece of its text (pt, top-left origin of the page). */
export interface LinkArea {
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
  uri: string;
}

/**
 * Where the links of the laid-out issue are: one area per line piece of each URL or address (a URL broken over
 * two lines gets two areas, both opening the whole URL), from the first to the last of its runs on that line,
 * as high as the em box of its text with a little room above and below for the finger or pointer.
 */
export function linkAreas(laid: LaidOutIssue): LinkArea[] {
  const areas: LinkArea[] = [];
  laid.pages.forEach((page, index) => {
    for (const item of page.items) {
      if (item.kind !== "line") continue;
      let open: LinkArea | undefined;
      for (const run of item.line.runs) {
        if (!run.link) {
          open = undefined;
          continue;
        }
        if (item.line.vertical) {
          // 縦組み: the URL runs down its line (render/vertical.ts); the area is the line's em box, widened a little.
          const top = item.baseline + run.x;
          if (open && open.uri === run.link) {
            open.height = Math.max(open.y + open.height, top + run.width) - open.y;
            continue;
          }
          open = {
            page: index,
            x: item.x - run.size * 0.15,
            y: top,
            width: run.size * 1.3,
            height: run.width,
            uri: run.link,
          };
          areas.push(open);
          continue;
        }
        const left = item.x + run.x;
        const right = left + run.width;
        if (open && open.uri === run.link) {
          open.width = Math.max(open.x + open.width, right) - open.x;
          continue;
        }
        // The ideographic em box runs from 0.88 em above the baseline to 0.12 em below (layout/text.ts).
        const top = item.baseline - run.size * 1.0;
        open = { page: index, x: left, y: top, width: run.width, height: run.size * 1.3, uri: run.link };
        areas.push(open);
      }
    }
  });
  return areas;
}
