import type { Item } from "./model.js";

/**
 * Text that flows through columns: each flow item is one line (or a small space) of an article body. Lines know
 * their paragraph so a column break never leaves one line of a paragraph alone at the foot or the head of a column.
 */
export interface FlowItem {
  height: number;
  /** Items relative to the flow item's own top-left. */
  items: Item[];
  para?: { id: number; index: number; count: number };
  /** A heading: never the last thing in a column. */
  keepWithNext?: boolean;
  /** Space that is dropped when it would open a column. */
  discardAtTop?: boolean;
}

/**
 * Height taken at the top and at the bottom of one column (a photo standing in it, with its caption and the gap
 * to the text); the text of that column flows in what is left.
 */
export interface ColumnReserve {
  top: number;
  bottom: number;
}

export interface ColumnFill {
  columns: FlowItem[][];
  /** Index of the first item not placed. */
  next: number;
  /** Height of the tallest column, reserved space included. */
  height: number;
}

const EPS = 0.01;

function legalBreak(items: FlowItem[], k: number): boolean {
  const prev = items[k - 1];
  const next = items[k];
  if (!prev || !next) return true;
  if (prev.keepWithNext) return false;
  if (prev.para && next.para && prev.para.id === next.para.id) {
    if (prev.para.index === 0) return false;
    if (next.para.index === next.para.count - 1) return false;
  }
  return true;
}

/**
 * Fills one column of height `h` from `start`; returns the index after the last item placed. When `strict`, a
 * column that has no legal break takes nothing (the caller tries a taller column); otherwise it takes what fits.
 */
function fillColumn(
  items: FlowItem[],
  start: number,
  h: number,
  strict: boolean,
): { end: number; first: number } {
  let first = start;
  while (first < items.length && items[first]?.discardAtTop) first++;
  let used = 0;
  let k = first;
  while (k < items.length && used + (items[k]?.height ?? 0) <= h + EPS) {
    used += items[k]?.height ?? 0;
    k++;
  }
  if (k >= items.length) return { end: items.length, first };
  let legal = k;
  while (legal > first && !legalBreak(items, legal)) legal--;
  if (legal > first) return { end: legal, first };
  return { end: strict ? first : Math.max(k, first + 1), first };
}

function fill(
  items: FlowItem[],
  start: number,
  columns: number,
  h: number,
  strict = true,
  reserve?: ColumnReserve[],
): ColumnFill {
  const cols: FlowItem[][] = [];
  let index = start;
  let tallest = 0;
  for (let c = 0; c < columns; c++) {
    const taken = (reserve?.[c]?.top ?? 0) + (reserve?.[c]?.bottom ?? 0);
    const room = h - taken;
    const { end, first } = room > 0 ? fillColumn(items, index, room, strict) : { end: index, first: index };
    const col = items.slice(first, end);
    while (col.length && col[col.length - 1]?.discardAtTop) col.pop();
    cols.push(col);
    tallest = Math.max(tallest, taken + col.reduce((s, it) => s + it.height, 0));
    index = Math.max(end, index);
  }
  return { columns: cols, next: index, height: tallest };
}

/**
 * Sets `items` from `start` into `columns` columns no taller than `maxHeight`. When everything fits, the columns
 * are balanced (the shortest height that takes it all); otherwise they are filled to `maxHeight` and `next` says
 * where the next page continues. `reserve` (optional, one entry per column) takes height at the top and bottom
 * of a column for a photo standing there (src/layout/photos.ts); the text of that column flows in the rest.
 */
export function flowColumns(
  items: FlowItem[],
  start: number,
  columns: number,
  maxHeight: number,
  reserve?: ColumnReserve[],
): ColumnFill {
  let full = fill(items, start, columns, maxHeight, true, reserve);
  // Breaking a rule beats placing nothing at all on an empty page.
  if (full.next === start) full = fill(items, start, columns, maxHeight, false, reserve);
  if (full.next < items.length) return full;
  const total = items.slice(start).reduce((s, it) => s + it.height, 0);
  const reserved = (reserve ?? []).reduce((s, r) => s + r.top + r.bottom, 0);
  let lo = Math.min((total + reserved) / columns, maxHeight);
  // Everything already fits at the height `full` reached: the search starts there, not at a page-less maximum.
  let hi = Math.min(maxHeight, full.height);
  let best = full;
  for (let i = 0; i < 30 && hi - lo > 0.25; i++) {
    const mid = (lo + hi) / 2;
    const trial = fill(items, start, columns, mid, true, reserve);
    if (trial.next >= items.length) {
      best = trial;
      hi = mid;
    } else {
      lo = mid;
    }
  }
  const tight = fill(items, start, columns, lo, true, reserve);
  const balanced = tight.next >= items.length ? tight : best;
  // A photo standing in a column already evens the columns out as the photos engine balanced them.
  if (reserve?.some((r) => r.top > 0 || r.bottom > 0) || descending(balanced, reserve)) return balanced;
  // A column shorter than the one after it leaves a hole under it (3 lines | heading + 5 lines, when the heading
  // may not end the first column): grow the columns a line at a time until each is at least as tall as the next.
  const step = Math.min(
    ...items
      .slice(start, start + 50)
      .map((it) => it.height)
      .filter((h) => h > 0),
    maxHeight,
  );
  for (let h = balanced.height + step, n = 0; h <= maxHeight + EPS && n < 60; h += step, n++) {
    const trial = fill(items, start, columns, h, true, reserve);
    if (trial.next >= items.length && descending(trial, reserve)) return trial;
  }
  return balanced;
}

/** Whether each column is at least as tall as the next, counting what a standing photo takes in it. */
function descending(f: ColumnFill, reserve?: ColumnReserve[]): boolean {
  const heights = f.columns.map(
    (col, c) =>
      (reserve?.[c]?.top ?? 0) + (reserve?.[c]?.bottom ?? 0) + col.reduce((s, it) => s + it.height, 0),
  );
  return heights.every((h, i) => i === 0 || h <= (heights[i - 1] ?? 0) + EPS);
}
