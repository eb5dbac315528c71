import { columnWidth, type Geometry } from "../content/geometry.js";
import type { PhotoDoc } from "../content/schema.js";
import type { LayoutContext } from "./blocks.js";
import type { ColumnReserve } from "./flow.js";
import { type Box, type Item, type Page, translate } from "./model.js";
import { BoxBuilder } from "./text.js";

/**
 * The one place photo sizes are decided. Photos sit on the column grid of their article: a row of photos spans
 * one column, several columns or the full width, and is justified to one common height (widths proportional to
 * the aspect ratios, summing to the row's width, like a justified gallery), so portrait and landscape photos sit
 * side by side without a white block. A row never grows taller than its height limit or so large that a photo
 * prints below the print resolution; it is set narrower, centred, instead. The images stage then resizes each
 * photo to exactly the size placed here (LaidOutIssue.photos).
 */

/** Below this a photo prints visibly coarse: a row is not made so large that a photo drops under it. */
export const MIN_PRINT_DPI = 200;
/**
 * A photo set larger than its natural size to fill a page keeps at least this resolution at its original pixel
 * size: growing is a choice of the page breaker, never a reason for a photo to print coarser than usual.
 */
export const GROWN_PRINT_DPI = 300;
/** A row of photos is at most this share of the type area's height. */
export const MAX_ROW_SHARE = 0.3;
/**
 * A row set larger to fill a page may be this tall: enough for two square photos side by side at the full width
 * of A4 (a third of the page, where MAX_ROW_SHARE set them centred with white beside them).
 */
export const GROWN_ROW_SHARE = 0.36;

/** Width of the masthead logo. */
export const LOGO_WIDTH_MM = 24;

export type PhotoSize = NonNullable<PhotoDoc["size"]>;

/**
 * The share of the article's width each `size` asks for. With columns, the row takes the fewest whole columns
 * that give at least that share: in 3 columns small = 1, medium = 2, large = 2, full = 3 columns; in 2 columns
 * small = medium = 1, large = full = 2. In one column the share itself is the width.
 */
export const SIZE_SHARE: Record<PhotoSize, number> = { small: 1 / 3, medium: 1 / 2, large: 2 / 3, full: 1 };

/** The next size up, for the larger photos the page breaker may choose in a one-column article. */
const LARGER: Record<PhotoSize, PhotoSize> = {
  small: "medium",
  medium: "large",
  large: "full",
  full: "full",
};

/** One photo of a row, as the engine needs it. */
export interface RowPhoto {
  /** width / height. */
  aspect: number;
  /** The tallest it may be set before its resolution drops below MIN_PRINT_DPI (pt); undefined: no limit known. */
  maxHeight?: number;
}

export interface RowFit {
  /** The common height of the row's photos. */
  height: number;
  /** Left edge of each photo, from the row's left edge. */
  xs: number[];
  widths: number[];
}

/**
 * A justified row: one common height, widths proportional to the aspect ratios, filling `width` with `gap`
 * between photos. When that would be taller than `maxHeight` or than some photo's own resolution limit, the row
 * is set lower and centred; the resolution limit never makes it narrower than `minWidth` (a photo that is simply
 * too small is then reported by the preflight rather than shrunk to a stamp).
 */
export function justifyRow(
  photos: RowPhoto[],
  width: number,
  gap: number,
  maxHeight: number,
  minWidth = 0,
): RowFit {
  const gaps = gap * Math.max(photos.length - 1, 0);
  const aspects = photos.reduce((s, p) => s + p.aspect, 0);
  const full = (width - gaps) / aspects;
  const dpiCap = Math.min(...photos.map((p) => p.maxHeight ?? Number.POSITIVE_INFINITY));
  const floor = (Math.min(width, minWidth) - gaps) / aspects;
  const height = Math.max(0, Math.min(full, maxHeight, Math.max(dpiCap, floor)));
  const widths = photos.map((p) => p.aspect * height);
  const used = widths.reduce((s, w) => s + w, 0) + gaps;
  const xs: number[] = [];
  let x = (width - used) / 2;
  for (const w of widths) {
    xs.push(x);
    x += w + gap;
  }
  return { height, xs, widths };
}

/** Width of `span` neighbouring columns, with the gaps between them. */
export function spanWidth(g: Geometry, width: number, columns: number, span: number): number {
  return span * columnWidth(g, width, columns) + (span - 1) * g.columnGap;
}

/** The fewest whole columns that give at least `share` of the width. */
export function spanFor(share: number, columns: number): number {
  return Math.min(columns, Math.max(1, Math.ceil(share * columns - 1e-6)));
}

export function maxRowHeight(g: Geometry, share = MAX_ROW_SHARE): number {
  return g.contentHeight * share;
}

/** A photo's shape and resolution limit, from the pixel size the content stage read from its header. */
export function rowPhoto(ctx: LayoutContext, path: string, dpi = MIN_PRINT_DPI): RowPhoto {
  const ref = ctx.issue.photos.find((p) => p.path === path);
  if (!ref?.pixelWidth || !ref.pixelHeight) return { aspect: 3 / 2 };
  return { aspect: ref.pixelWidth / ref.pixelHeight, maxHeight: (ref.pixelHeight / dpi) * 72 };
}

/** One row of photos set `width` wide, each with its caption wrapped to the photo's own width under it. */
export function photoRowBox(
  ctx: LayoutContext,
  photos: PhotoDoc[],
  paths: string[],
  width: number,
  minWidth: number,
  dpi = MIN_PRINT_DPI,
  rowShare = MAX_ROW_SHARE,
): Box {
  const { g, theme, ts } = ctx;
  const fit = justifyRow(
    paths.map((p) => rowPhoto(ctx, p, dpi)),
    width,
    g.photoGap,
    maxRowHeight(g, rowShare),
    minWidth,
  );
  const items: Item[] = [];
  let height = fit.height;
  photos.forEach((photo, i) => {
    const path = paths[i] as string;
    const x = fit.xs[i] ?? 0;
    const w = fit.widths[i] ?? 0;
    items.push({ kind: "image", x, y: 0, width: w, height: fit.height, path });
    if (photo.caption) {
      const cap = ts.set(
        photo.caption,
        { size: theme.caption, leading: theme.look.caption.leading, align: "center" },
        w,
        `${path}.caption`,
      );
      const capBox = new BoxBuilder(w)
        .space(theme.caption * theme.look.space.caption)
        .text(cap, theme.muted)
        .build();
      items.push(...translate(capBox.items, x, fit.height));
      height = Math.max(height, fit.height + capBox.height);
    }
  });
  return { width, height, items };
}

/** Photos standing in some columns of an article, the text flowing on beside them. */
export interface SidePhotos {
  /** Height taken at the top and bottom of each column (photo, caption and the gap to the text). */
  reserve: ColumnReserve[];
  boxes: Array<{ column: number; at: "top" | "bottom"; box: Box }>;
}

/** An article's (or a corner's) photos: full-width rows above or below the text, and photos beside it. */
export interface PhotoPlan {
  top: Box[];
  bottom: Box[];
  side?: SidePhotos;
}

export interface PhotoPlanOptions {
  columns: number;
  perRow?: number;
  at?: "top" | "bottom" | "side";
  /**
   * The larger size the page breaker may choose to fill a page: every row spans the article's full width (a
   * photo standing in a column becomes a row above or below the text), within GROWN_PRINT_DPI and the row limit.
   */
  grow?: boolean;
  /** Grown: the tallest a row may be, as a share of the type area's height (default GROWN_ROW_SHARE). */
  rowShare?: number;
}

/**
 * Where an article's photos go and how large they are. Rows of `perRow` (default: up to 3) span the article's
 * width; a row with fewer photos than `perRow` is as wide as those photos' places in a full row. A lone photo in
 * a 2- or 3-column article, or a row whose `size`s ask for fewer columns than the article has, stands in the
 * last column(s) at the top or bottom, the text flowing on beside it. `side`: every photo is stacked in the last
 * column(s), from the top, one to a row unless `perRow` says otherwise (in one column: rows below the text).
 */
export function planPhotos(
  ctx: LayoutContext,
  photos: PhotoDoc[],
  pathOf: (i: number) => string,
  width: number,
  opts: PhotoPlanOptions,
): PhotoPlan {
  const { g } = ctx;
  const plan: PhotoPlan = { top: [], bottom: [] };
  if (photos.length === 0) return plan;
  const grow = opts.grow === true;
  const { columns } = opts;
  // Grown, no photo stands beside the text: each row spans columns of its own (one column more than the editor's
  // size asks for), and photos that stood at the top of a column go above the text.
  const at = grow && opts.at === "side" ? "top" : (opts.at ?? "bottom");
  const dpi = grow ? GROWN_PRINT_DPI : MIN_PRINT_DPI;
  const side = at === "side" && columns > 1;
  const perRow = opts.perRow ?? (side ? 1 : Math.min(photos.length, 3));
  // A photo with too few pixels may be set smaller, but never below a third of the article's width (grown: the
  // resolution decides).
  const minWidth = grow ? 0 : width / 3;
  const rows: Array<{ photos: PhotoDoc[]; paths: string[]; share: number; sized: boolean }> = [];
  for (let start = 0; start < photos.length; start += perRow) {
    const row = photos.slice(start, start + perRow);
    const sized = row.some((p) => p.size !== undefined);
    const share = sized
      ? Math.min(
          1,
          row.reduce(
            (s, p) => s + (p.size ? SIZE_SHARE[grow && columns === 1 ? LARGER[p.size] : p.size] : 1 / perRow),
            0,
          ),
        )
      : photos.length === 1 && columns > 1 && !grow
        ? 1 / columns
        : row.length / perRow;
    rows.push({ photos: row, paths: row.map((_, k) => pathOf(start + k)), share, sized });
  }

  const besideText = (r: (typeof rows)[number]) =>
    !grow &&
    columns > 1 &&
    (side || ((r.sized || photos.length === 1) && spanFor(r.share, columns) < columns));
  const standing = rows.filter(besideText);
  if (standing.length > 0) {
    const span = Math.max(...standing.map((r) => (side && !r.sized ? 1 : spanFor(r.share, columns))));
    const boxWidth = spanWidth(g, width, columns, span);
    const boxes = standing.map((r) =>
      photoRowBox(ctx, r.photos, r.paths, boxWidth, Math.min(boxWidth, minWidth)),
    );
    const stack = new BoxBuilder(boxWidth);
    boxes.forEach((b, i) => {
      if (i > 0) stack.space(g.photoGap);
      stack.box(b);
    });
    const box = stack.build();
    const place = side || at === "top" ? "top" : "bottom";
    const first = columns - span;
    const reserve: ColumnReserve[] = Array.from({ length: columns }, (_, c) =>
      c >= first
        ? place === "top"
          ? { top: box.height + g.photoGap * 1.5, bottom: 0 }
          : { top: 0, bottom: box.height + g.photoGap * 1.5 }
        : { top: 0, bottom: 0 },
    );
    plan.side = { reserve, boxes: [{ column: first, at: place, box }] };
  }
  for (const r of rows) {
    if (standing.includes(r)) continue;
    // Grown on the column grid, a sized row spans one column more than its size asks for.
    const span = (share: number) => Math.min(columns, spanFor(share, columns) + (grow ? 1 : 0));
    const rowWidth = r.sized
      ? columns > 1
        ? spanWidth(g, width, columns, span(r.share))
        : width * r.share
      : // The room `perRow` photos of a full row would leave for these.
        r.photos.length * ((width - g.photoGap * (perRow - 1)) / perRow) + g.photoGap * (r.photos.length - 1);
    const box = photoRowBox(
      ctx,
      r.photos,
      r.paths,
      rowWidth,
      Math.min(rowWidth, minWidth),
      dpi,
      grow ? (opts.rowShare ?? GROWN_ROW_SHARE) : MAX_ROW_SHARE,
    );
    // A row narrower than the article is centred in it.
    const centred: Box = {
      width,
      height: box.height,
      items: translate(box.items, (width - rowWidth) / 2, 0),
    };
    (at === "top" ? plan.top : plan.bottom).push(centred);
  }
  return plan;
}

/** The printed area of the photos in a plan (pt²): what growing a plan must increase. */
export function photoArea(plan: PhotoPlan): number {
  let area = 0;
  for (const box of [...plan.top, ...plan.bottom, ...(plan.side?.boxes.map((b) => b.box) ?? [])])
    for (const item of box.items) if (item.kind === "image") area += item.width * item.height;
  return area;
}

/** Photos set in rows stacked into one box (where nothing breaks across pages). */
export function stackRows(ctx: LayoutContext, rows: Box[], width: number): Box {
  const b = new BoxBuilder(width);
  rows.forEach((row, i) => {
    if (i > 0) b.space(ctx.g.photoGap);
    b.box(row);
  });
  return b.build();
}

/** Each placed photo's size, read from the laid-out pages: what the images stage resizes to. */
export function placedPhotos(pages: Page[]): Map<string, { widthPt: number; heightPt: number }> {
  const placed = new Map<string, { widthPt: number; heightPt: number }>();
  for (const page of pages) {
    for (const item of page.items) {
      if (item.kind === "image") placed.set(item.path, { widthPt: item.width, heightPt: item.height });
    }
  }
  return placed;
}
