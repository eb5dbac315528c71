import type { TableDoc } from "../content/schema.js";
import type { SetParagraph, TextStyle } from "../typeset/index.js";
import type { LayoutContext } from "./blocks.js";
import { type Box, type Item, translate } from "./model.js";
import { BoxBuilder } from "./text.js";

/**
 * A table cut into what a page composer places: the caption, the header row (repeated at the top of each page
 * the table continues on) and the body rows, each a box as wide as the table. `assembleTable` stacks a run of
 * rows with the header and the rules; a table that does not fit can be split between any two rows.
 */
export interface TablePieces {
  width: number;
  caption?: Box;
  /** The caption over a part that continues from the page before: 「…（続き）」. */
  captionContinued?: Box;
  header?: Box;
  rows: Box[];
  /** Column widths (padding included), left to right. */
  columns: number[];
  path: string;
  title: string;
}

/** Cells that read as figures (金額, 人数, 日付の数字) are set flush right, as tables of numbers are. */
const NUMERIC =
  /^[-+±]?[0-9０-９][0-9０-９,，.．:：/／]*\s*(円|人|名|件|回|%|％|時間|分|歳|票|冊|枚|部|個)?$/;

export function cellText(cell: string | number): string {
  return typeof cell === "number" ? String(cell) : cell;
}

/**
 * Column widths from the content, as browsers lay out automatic tables: each column gets at least its widest
 * unbreakable piece (min-content) and, when there is room, its one-line width (max-content); the room between
 * is shared in proportion to what each column would still take, and room beyond goes in proportion to the
 * one-line widths so the table spans its measure.
 */
export function columnWidths(
  min: number[],
  max: number[],
  available: number,
  grows: boolean[] = min.map(() => true),
): number[] {
  const sumMin = min.reduce((s, v) => s + v, 0);
  const sumMax = max.reduce((s, v) => s + v, 0);
  if (sumMin >= available) return min.map((v) => (v * available) / sumMin);
  if (sumMax <= available) {
    // Room beyond every column's one-line width goes to the columns of words; figures stay close to their header.
    const growing = grows.some(Boolean) ? grows : grows.map(() => true);
    const sumGrow = max.reduce((s, v, i) => s + (growing[i] ? v : 0), 0);
    const extra = available - sumMax;
    return max.map((v, i) => (growing[i] ? v + (sumGrow > 0 ? (extra * v) / sumGrow : 0) : v));
  }
  const share = (available - sumMin) / (sumMax - sumMin);
  return min.map((v, i) => v + ((max[i] ?? v) - v) * share);
}

export function tablePieces(ctx: LayoutContext, t: TableDoc, path: string, width: number): TablePieces {
  const { theme, ts } = ctx;
  const look = theme.look.table;
  const size = theme.body * look.size;
  const pad = theme.body * look.padding;
  const style: TextStyle = { size, leading: look.leading, align: "left", indent: 0 };
  const headStyle: TextStyle = { ...style, bold: true };
  const count = Math.max(t.header?.length ?? 0, ...t.rows.map((r) => r.length));
  const body = t.rows.map((r) => Array.from({ length: count }, (_, c) => cellText(r[c] ?? "")));
  const head = t.header ? Array.from({ length: count }, (_, c) => cellText(t.header?.[c] ?? "")) : undefined;
  const rowPath = (r: number, c: number) => `${path}.rows[${r}][${c}]`;
  const headPath = (c: number) => `${path}.header[${c}]`;

  // min-content: the widest piece no line may break inside (measured, not set, so nothing is reported).
  const minOf = (text: string, s: TextStyle) => (text ? ts.minContentWidth(text, s) : 0);
  const maxOf = (text: string, s: TextStyle) =>
    text ? Math.max(...text.split("\n").map((line) => ts.widthOf(line, s))) : 0;
  const min: number[] = [];
  const max: number[] = [];
  for (let c = 0; c < count; c++) {
    const cells = body.map((r) => ({ text: r[c] ?? "", s: style }));
    if (head) cells.push({ text: head[c] ?? "", s: headStyle });
    min.push(Math.max(...cells.map((x) => minOf(x.text, x.s))) + 2 * pad);
    max.push(Math.max(...cells.map((x) => maxOf(x.text, x.s))) + 2 * pad);
  }
  const numeric = min.map((_, c) => body.every((r) => !r[c] || NUMERIC.test((r[c] ?? "").trim())));
  const columns = columnWidths(
    min,
    max,
    width,
    numeric.map((n) => !n),
  );

  const rowBox = (cells: string[], s: TextStyle, pathOf: (c: number) => string, header: boolean): Box => {
    const set: SetParagraph[] = cells.map((text, c) =>
      ts.set(
        text,
        // The header reads with its column: flush right over figures, flush left over words.
        { ...s, align: numeric[c] ? "right" : "left" },
        Math.max(1, (columns[c] ?? 0) - 2 * pad),
        pathOf(c),
      ),
    );
    const height = Math.max(...set.map((p) => p.lines.length * p.lineHeight)) + 2 * pad;
    const items: Item[] = [];
    if (header && look.header.fill)
      items.push({ kind: "rect", x: 0, y: 0, width, height, fill: look.header.fill });
    let x = 0;
    set.forEach((p, c) => {
      const cell = new BoxBuilder((columns[c] ?? 0) - 2 * pad)
        .text(p, header ? look.header.color : theme.look.body.color)
        .build();
      items.push(...translate(cell.items, x + pad, pad));
      x += columns[c] ?? 0;
    });
    return { width, height, items };
  };

  const captionBox = (text: string) =>
    new BoxBuilder(width)
      .text(
        ts.set(
          text,
          { size: theme.body * look.caption.size, bold: true, leading: look.caption.leading, align: "left" },
          width,
          `${path}.caption`,
        ),
        look.caption.color,
      )
      .space(theme.body * look.afterCaption)
      .build();
  return {
    width,
    ...(t.caption
      ? { caption: captionBox(t.caption), captionContinued: captionBox(`${t.caption}（続き）`) }
      : {}),
    ...(head ? { header: rowBox(head, headStyle, headPath, true) } : {}),
    rows: body.map((r, i) => rowBox(r, style, (c) => rowPath(i, c), false)),
    columns,
    path,
    title: t.caption ?? head?.join(" / ") ?? "表",
  };
}

/**
 * Rows `from` to `to` (exclusive) of the table as one box: the caption when the table starts here, the header
 * row (again on every part), rules over and under the table and between rows.
 */
export function assembleTable(ctx: LayoutContext, p: TablePieces, from = 0, to = p.rows.length): Box {
  const look = ctx.theme.look.table;
  const b = new BoxBuilder(p.width);
  const caption = from === 0 ? p.caption : p.captionContinued;
  if (caption) b.box(caption);
  const rule = (style: typeof look.frame) => {
    b.items.push({ kind: "rule", x1: 0, y1: b.y, x2: p.width, y2: b.y, ...style });
  };
  rule(look.frame);
  if (p.header) {
    b.box(p.header);
    rule(look.frame);
  }
  p.rows.slice(from, to).forEach((row, i) => {
    if (i > 0) rule(look.rowRule);
    b.box(row);
  });
  rule(look.frame);
  return b.build();
}

/** The whole table in one box (placed whole, or inside a row). */
export function tableBox(ctx: LayoutContext, t: TableDoc, path: string, width: number): Box {
  return assembleTable(ctx, tablePieces(ctx, t, path, width));
}

/** Height of rows `from`..`to` assembled (rules take no height). */
function partHeight(p: TablePieces, from: number, to: number): number {
  const caption = (from === 0 ? p.caption : p.captionContinued)?.height ?? 0;
  return caption + (p.header?.height ?? 0) + p.rows.slice(from, to).reduce((s, r) => s + r.height, 0);
}

/**
 * The table cut for the pages it goes on: whole when it fits in `room` (what is left of this page); whole on the
 * next page (`fresh`) when it fits on a page of `pageRoom`; otherwise split between rows, each part under the
 * header (and the caption marked 「（続き）」), the first part on this page when at least two rows fit here.
 */
export function splitTable(
  ctx: LayoutContext,
  p: TablePieces,
  room: number,
  pageRoom: number,
): { parts: Box[]; fresh: boolean } {
  const all = p.rows.length;
  if (partHeight(p, 0, all) <= room) return { parts: [assembleTable(ctx, p)], fresh: false };
  if (partHeight(p, 0, all) <= pageRoom) return { parts: [assembleTable(ctx, p)], fresh: true };
  const rowsFitting = (from: number, avail: number) => {
    let to = from;
    while (to < all && partHeight(p, from, to + 1) <= avail + 0.01) to++;
    return to;
  };
  const parts: Box[] = [];
  let from = 0;
  let fresh = false;
  let avail = room;
  if (rowsFitting(0, room) < Math.min(2, all)) {
    fresh = true;
    avail = pageRoom;
  }
  const ends: number[] = [];
  while (from < all) {
    // A row taller than a page still goes somewhere: alone on its page (the composer reports the overflow).
    const to = Math.max(rowsFitting(from, avail), from + 1);
    ends.push(to);
    from = to;
    avail = pageRoom;
  }
  // The last part takes a few rows from the one before rather than stand as one or two rows on a page.
  const last = ends.length - 1;
  const lastStart = ends[last - 1];
  if (last > 0 && lastStart !== undefined) {
    const before = ends[last - 2] ?? 0;
    const short = Math.min(3, all - before - 3) - (all - lastStart);
    if (short > 0) ends[last - 1] = lastStart - short;
  }
  let start = 0;
  for (const end of ends) {
    parts.push(assembleTable(ctx, p, start, end));
    start = end;
  }
  return { parts, fresh };
}
