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

export interface ColumnFill {
  columns: FlowItem[][];
  /** Index of the first item not placed. */
  next: number;
  /** Height of the tallest column. */
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

function fill(items: FlowItem[], start: number, columns: number, h: number, strict = true): ColumnFill {
  const cols: FlowItem[][] = [];
  let index = start;
  let tallest = 0;
  for (let c = 0; c < columns; c++) {
    const { end, first } = fillColumn(items, index, h, strict);
    const col = items.slice(first, end);
    while (col.length && col[col.length - 1]?.discardAtTop) col.pop();
    cols.push(col);
    tallest = Math.max(
      tallest,
      col.reduce((s, it) => s + it.height, 0),
    );
    index = Math.max(end, index);
  }
  return { columns: cols, next: index, height: tallest };
}

/**
 * Sets `items` from `start` into `columns` columns no taller than `maxHeight`. When everything fits, the columns
 * are balanced (the shortest height that takes it all); otherwise they are filled to `maxHeight` and `next` says
 * where the next page continues.
 */
export function flowColumns(
  items: FlowItem[],
  start: number,
  columns: number,
  maxHeight: number,
): ColumnFill {
  let full = fill(items, start, columns, maxHeight);
  // Breaking a rule beats placing nothing at all on an empty page.
  if (full.next === start) full = fill(items, start, columns, maxHeight, false);
  if (full.next < items.length) return full;
  const total = items.slice(start).reduce((s, it) => s + it.height, 0);
  let lo = Math.min(total / columns, maxHeight);
  // Everything fits in one column as tall as all of it, so the search need not start higher.
  let hi = Math.min(maxHeight, total);
  let best = full;
  for (let i = 0; i < 30 && hi - lo > 0.25; i++) {
    const mid = (lo + hi) / 2;
    const trial = fill(items, start, columns, mid);
    if (trial.next >= items.length) {
      best = trial;
      hi = mid;
    } else {
      lo = mid;
    }
  }
  const tight = fill(items, start, columns, lo);
  const balanced = tight.next >= items.length ? tight : best;
  if (descending(balanced)) return balanced;
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
    const trial = fill(items, start, columns, h);
    if (trial.next >= items.length && descending(trial)) return trial;
  }
  return balanced;
}

function descending(f: ColumnFill): boolean {
  const heights = f.columns.map((col) => col.reduce((s, it) => s + it.height, 0));
  return heights.every((h, i) => i === 0 || h <= (heights[i - 1] ?? 0) + EPS);
}
