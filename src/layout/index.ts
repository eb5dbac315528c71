import { rowCellWidth } from "../content/geometry.js";
import type { Issue } from "../content/issue.js";
import type { ArticleDoc, BlockDoc, LeafBlockDoc } from "../content/schema.js";
import type { Diagnostic } from "../diagnostics.js";
import { plainText, type Typesetter } from "../typeset/index.js";
import {
  type ArticlePieces,
  articleBox,
  articlePhotos,
  articlePieces,
  columnsBox,
  continuationBox,
  cornerBox,
  type LayoutContext,
  type PhotoSizing,
  scheduleBox,
  sloganBox,
} from "./blocks.js";
import type { Piece } from "./compose.js";
import { composeFloating } from "./float.js";
import { infoBox, infoEntries } from "./info.js";
import { footerBox, mastheadBox } from "./masthead.js";
import { type Box, type Item, type LaidOutIssue, type Page, translate } from "./model.js";
import { noteBox } from "./note.js";
import { LAST_PAGE_EMPTY_LIMIT, lastPageMessage, pagesMessage, short } from "./pages-message.js";
import { GROWN_ROW_SHARE, MAX_ROW_SHARE, photoArea, placedPhotos, type SidePhotos } from "./photos.js";
import { assembleTable, splitTable, type TablePieces, tableBox, tablePieces } from "./table.js";
import { themeFor } from "./theme.js";
import { isVertical, verticalArticleBox, verticalArticleParts, verticalCornerBox } from "./vertical.js";

export type { Item, LaidOutIssue, LineItem, Page } from "./model.js";

/** A table breaks at a page's foot only with at least this many rows on each side (as an article's lines). */
const MIN_TABLE_ROWS = 3;

/** Width fractions of the smaller photo rows the page breaker may choose to fit a page. */
const PHOTO_STEPS = [0.85, 0.7];
/**
 * The sizes, smallest last, an article's photos in a `row` are tried at until the article is no taller than
 * the row's other blocks (or the smallest is reached): a third of its natural width off at most.
 */
const ROW_BALANCE = [0.9, 0.8, 0.7, 0.6];

/**
 * Whether a block is a box that reads on its own, so it may stand a little earlier to fill a page
 * (src/layout/float.ts): a schedule, a slogan, a corner, and an info list or a table with a title of its own. A
 * note (about the block before it), an untitled info list or table (the details of an article) and an article
 * keep their place.
 */
function floats(block: LeafBlockDoc | BlockDoc): boolean {
  if ("schedule" in block || "slogan" in block || "corner" in block) return true;
  if ("info" in block) return infoEntries(block.info).title !== undefined;
  if ("table" in block) return block.table.caption !== undefined;
  if ("row" in block) return block.row.every(floats);
  return false;
}

/** An article's photos at another size, as drawn: rows above and below, and photos standing in the columns. */
interface DrawnAlt {
  top: Box[];
  bottom: Box[];
  side?: SidePhotos;
  change: number;
}

/**
 * The white beside an article's photo rows that are narrower than `width` (they are centred): the largest
 * rectangle beside a run of neighbouring rows, as the height of a full-width band of the same area
 * (ArticlePiece.sideHole in src/layout/compose.ts).
 */
function sideHole(rows: Box[], width: number, gap: number): number {
  const white = rows.map((row) => {
    const images = row.items.filter((i) => i.kind === "image");
    if (!images.length) return 0;
    const left = Math.min(...images.map((i) => i.x));
    const right = Math.max(...images.map((i) => i.x + i.width));
    return Math.max(left, width - right);
  });
  let best = 0;
  for (let a = 0; a < rows.length; a++) {
    let narrowest = Number.POSITIVE_INFINITY;
    let height = 0;
    for (let b = a; b < rows.length; b++) {
      narrowest = Math.min(narrowest, white[b] ?? 0);
      height += (rows[b]?.height ?? 0) + (b > a ? gap : 0);
      best = Math.max(best, (narrowest * height) / width);
    }
  }
  return best;
}

/**
 * The layout stage: composes the issue's blocks onto pages. Articles flow through balanced columns and may
 * continue on the next page; every other block is placed whole. Nothing is cut off: what cannot fit is reported.
 */
export function layout(issue: Issue, ts: Typesetter): LaidOutIssue {
  const g = issue.geometry;
  const ctx: LayoutContext = { issue, g, theme: themeFor(issue.theme, g), ts };
  const problems: Diagnostic[] = [];
  const left = g.margin.left;
  const W = g.contentWidth;

  const leafBox = (
    block: LeafBlockDoc,
    path: string,
    width: number,
    minHeight = 0,
  ): { box: Box; what: string } => {
    if ("article" in block) {
      const draw = isVertical(ctx, block.article) ? verticalArticleBox : articleBox;
      return { box: draw(ctx, block.article, `${path}.article`, width), what: block.article.title };
    }
    if ("slogan" in block) {
      const what = Array.isArray(block.slogan) ? (block.slogan[0] ?? "") : block.slogan;
      return { box: sloganBox(ctx, block.slogan, `${path}.slogan`, width), what };
    }
    if ("schedule" in block)
      return { box: scheduleBox(ctx, block.schedule, `${path}.schedule`, width), what: block.schedule.title };
    if ("table" in block)
      return { box: tableBox(ctx, block.table, `${path}.table`, width), what: block.table.caption ?? "表" };
    if ("info" in block) {
      const { title, entries } = infoEntries(block.info);
      return {
        box: infoBox(ctx, block.info, `${path}.info`, width),
        what: title ?? entries[0]?.key ?? "info",
      };
    }
    if ("note" in block) {
      const what = Array.isArray(block.note) ? (block.note[0] ?? "") : block.note;
      return { box: noteBox(ctx, block.note, `${path}.note`, width), what };
    }
    const corner = isVertical(ctx, block.corner) ? verticalCornerBox : cornerBox;
    return {
      box: corner(ctx, block.corner, `${path}.corner`, width, minHeight),
      what: block.corner.title,
    };
  };

  /**
   * The article's photos at the other sizes the page breaker may choose: rows a step narrower (centred), and
   * rows a size larger with no photo standing beside the text (to fill a page).
   * A size that does not differ from the natural one is left out.
   */
  const photoAlts = (a: ArticleDoc, path: string, natural: ArticlePieces): (DrawnAlt | undefined)[] => {
    if (!a.photos?.length) return [];
    const naturalArea = photoArea({
      top: natural.photosTop,
      bottom: natural.photosBottom,
      ...(natural.side ? { side: natural.side } : {}),
    });
    const alts: (DrawnAlt | undefined)[] = PHOTO_STEPS.map((fraction, s) => {
      if (!natural.photosTop.length && !natural.photosBottom.length) return undefined;
      return { ...articlePhotos(ctx, a, path, W, { fraction }), change: -(s + 1) };
    });
    // Larger, at the tallest rows allowed and at the usual row limit: the page breaker takes the size that fills
    // its page.
    for (const rowShare of [GROWN_ROW_SHARE, MAX_ROW_SHARE]) {
      const plan = articlePhotos(ctx, a, path, W, { grow: true, rowShare });
      const area = photoArea(plan);
      const seen = alts.some((alt) => alt && Math.abs(photoArea(alt) - area) < naturalArea * 0.05);
      alts.push(
        area > naturalArea * 1.1 && !seen ? { top: plan.top, bottom: plan.bottom, change: 1 } : undefined,
      );
    }
    while (alts.length && alts[alts.length - 1] === undefined) alts.pop();
    return alts;
  };

  /** A row of blocks set side by side, its articles' photos at their natural size or at `size`. */
  const rowBox = (
    cellsDoc: LeafBlockDoc[],
    path: string,
    size: PhotoSizing = {},
  ): { box: Box; what: string } => {
    const cellWidth = rowCellWidth(g, W, cellsDoc.length);
    const withPhotos = (c: LeafBlockDoc) => "article" in c && (c.article.photos?.length ?? 0) > 0;
    // Beside blocks that keep their height (a schedule, an info list, a slogan…), an article's photos give way
    // so the article ends nearer their foot, rather than leaving a white block under them.
    const fixed = cellsDoc.filter((c) => !("article" in c));
    const balance =
      fixed.length > 0 &&
      cellsDoc.some(withPhotos) &&
      cellsDoc.every((c) => !("article" in c) || withPhotos(c));
    const fixedHeight = balance
      ? Math.max(
          ...cellsDoc.map((c, j) =>
            "article" in c ? 0 : leafBox(c, `${path}.row[${j}]`, cellWidth).box.height,
          ),
        )
      : 0;
    const articleCell = (a: ArticleDoc, j: number): Box => {
      const p = `${path}.row[${j}].article`;
      let box = articleBox(ctx, a, p, cellWidth, size);
      // Set smaller, the photos stand on the side of the blocks beside them, so the white under those blocks
      // and beside the photos is one narrow strip, not a block across the page.
      const align = cellsDoc.slice(j + 1).some((c) => !("article" in c)) ? "end" : "start";
      for (const f of balance ? ROW_BALANCE : []) {
        if (box.height <= fixedHeight + 0.5) break;
        box = articleBox(ctx, a, p, cellWidth, { ...size, fraction: (size.fraction ?? 1) * f, align });
      }
      return box;
    };
    const cell = (c: LeafBlockDoc, j: number, minHeight = 0) =>
      "article" in c
        ? { box: articleCell(c.article, j), what: c.article.title }
        : leafBox(c, `${path}.row[${j}]`, cellWidth, minHeight);
    const cells = cellsDoc.map((c, j) => cell(c, j));
    const height = cells.reduce((h, c) => Math.max(h, c.box.height), 0);
    // Boxed corners stretch to the row's height so the row reads as one band.
    const boxes = cellsDoc.map((c, j) =>
      "corner" in c ? cell(c, j, height).box : (cells[j] as { box: Box }).box,
    );
    const items: Item[] = [];
    boxes.forEach((b, j) => {
      for (const item of translate(b.items, j * (cellWidth + g.columnGap), 0)) items.push(item);
    });
    return { box: { width: W, height, items }, what: cells.map((c) => c.what).join(" / ") };
  };

  /**
   * A row's other sizes, by photo step (src/layout/compose.ts): its articles' photos smaller, or larger; none
   * when no article in it has photos, or the size does not change the row's height.
   */
  const rowAlts = (cellsDoc: LeafBlockDoc[], path: string, natural: Box): (Box | undefined)[] => {
    if (!cellsDoc.some((c) => "article" in c && c.article.photos?.length)) return [];
    const sizes: PhotoSizing[] = [...PHOTO_STEPS.map((fraction) => ({ fraction })), { grow: true }];
    return sizes.map((size) => {
      const alt = rowBox(cellsDoc, path, size).box;
      return Math.abs(alt.height - natural.height) > 0.5 ? alt : undefined;
    });
  };

  // Collect: every block becomes a piece the page breaker sees (heights) and what to draw once it has chosen.
  type Drawn =
    | { kind: "whole"; box: Box; path: string; alts?: (Box | undefined)[] }
    | { kind: "article"; a: ArticlePieces; to: Box; from: Box; alts: (DrawnAlt | undefined)[] }
    | { kind: "table"; t: TablePieces; path: string };
  const pieces: Piece[] = [];
  const drawn: Drawn[] = [];
  /** Whether each piece may be moved ahead to fill a page (src/layout/float.ts). */
  const floating: boolean[] = [];
  let verticalRoom: number | undefined;
  issue.doc.blocks.forEach((block, i) => {
    const path = `blocks[${i}]`;
    // 縦組み: a vertical article is placed whole, or in parts cut between its 段 when longer than a page.
    if ("article" in block && isVertical(ctx, block.article)) {
      // Each part fits the smallest room a page offers: page 1's, under the masthead.
      verticalRoom ??= g.contentHeight - mastheadBox(ctx, W).height - g.blockGap;
      for (const part of verticalArticleParts(ctx, block.article, `${path}.article`, W, verticalRoom)) {
        drawn.push({ kind: "whole", box: part, path });
        pieces.push({ kind: "whole", height: part.height, what: block.article.title });
        floating.push(false);
      }
      return;
    }
    if ("article" in block) {
      const a = articlePieces(ctx, block.article, `${path}.article`, W);
      const to = continuationBox(ctx, W, "to", a.title, a.path);
      const from = continuationBox(ctx, W, "from", a.title, a.path);
      const alts = photoAlts(block.article, `${path}.article`, a);
      drawn.push({ kind: "article", a, to, from, alts });
      floating.push(false);
      pieces.push({
        kind: "article",
        what: a.title,
        head: a.head.height,
        top: a.photosTop.map((r) => r.height),
        flow: a.flow,
        columns: a.columns,
        ...(a.side ? { reserve: a.side.reserve } : {}),
        bottom: a.photosBottom.map((r) => r.height),
        photoGap: g.photoGap,
        toNext: to.height,
        fromPrev: from.height,
        sideHole: Math.max(sideHole(a.photosTop, W, g.photoGap), sideHole(a.photosBottom, W, g.photoGap)),
        alts: alts.map((alt) =>
          alt
            ? {
                top: alt.top.map((r) => r.height),
                bottom: alt.bottom.map((r) => r.height),
                ...(alt.side ? { reserve: alt.side.reserve } : {}),
                change: alt.change,
                sideHole: Math.max(sideHole(alt.top, W, g.photoGap), sideHole(alt.bottom, W, g.photoGap)),
              }
            : undefined,
        ),
      });
      return;
    }
    if ("table" in block) {
      // A table taller than a page goes on as parts, split between rows under a repeated header; the page
      // breaker places each part whole.
      const t = tablePieces(ctx, block.table, `${path}.table`, W);
      const { parts } = splitTable(ctx, t, g.contentHeight, g.contentHeight);
      if (parts.length === 1 && t.rows.length >= 2 * MIN_TABLE_ROWS) {
        // A table that fits on a page may still break at a page's foot, between rows, as an article does: the
        // page breaker sees its rows as lines, its caption and header as the head, and both again (the caption
        // marked 「（続き）」) over the rows that go on.
        const head = (c?: Box) => (c?.height ?? 0) + (t.header?.height ?? 0);
        drawn.push({ kind: "table", t, path: `${path}.table` });
        pieces.push({
          kind: "article",
          what: t.title,
          head: head(t.caption),
          top: [],
          flow: t.rows.map((r) => ({ height: r.height, items: [] })),
          columns: 1,
          bottom: [],
          photoGap: 0,
          toNext: 0,
          fromPrev: head(t.captionContinued),
        });
        floating.push(floats(block));
        return;
      }
      for (const part of parts) {
        drawn.push({ kind: "whole", box: part, path: `${path}.table` });
        pieces.push({ kind: "whole", height: part.height, what: t.title });
        // The parts of a table longer than a page keep their order.
        floating.push(parts.length === 1 && floats(block));
      }
      return;
    }
    let box: Box;
    let what: string;
    if ("row" in block) {
      ({ box, what } = rowBox(block.row, path));
      const alts = rowAlts(block.row, path, box);
      drawn.push({ kind: "whole", box, path, alts });
      floating.push(block.row.every(floats));
      pieces.push({
        kind: "whole",
        height: box.height,
        what,
        alts: alts.map((alt, s) =>
          alt ? { height: alt.height, change: s < PHOTO_STEPS.length ? -(s + 1) : 1 } : undefined,
        ),
      });
      return;
    } else {
      ({ box, what } = leafBox(block, path, W));
    }
    drawn.push({ kind: "whole", box, path });
    pieces.push({ kind: "whole", height: box.height, what });
    floating.push(floats(block));
  });
  // A block a note follows keeps its place: the note is about it, and stays under it.
  issue.doc.blocks.forEach((block, i) => {
    if (!("note" in block)) return;
    const before = drawn.findIndex((d) => d.kind !== "article" && d.path.startsWith(`blocks[${i - 1}]`));
    if (before >= 0) floating[before] = false;
  });

  // Distribute: the page breaker chooses where pages and articles break and how space is spread.
  const masthead = mastheadBox(ctx, W);
  const lineHeight = ctx.theme.body * ctx.theme.leading;
  const wanted = issue.doc.pages;
  const floated = composeFloating(pieces, floating, {
    height: g.contentHeight,
    firstTop: masthead.height,
    gap: g.blockGap,
    lineHeight,
    pages: wanted,
  });
  const plan = floated.composition;
  // The pieces in the order composed (a floating block may have moved ahead): what the plan's entries index.
  const placedPieces = floated.order.map((i) => pieces[i] as Piece);
  const placedDrawn = floated.order.map((i) => drawn[i] as Drawn);

  // Compose: draw each page as planned.
  const pages: Page[] = plan.pages.map(() => ({ items: [] }));
  if (!pages.length) pages.push({ items: [] });
  const put = (page: Page, box: Box, y: number) => {
    for (const item of translate(box.items, left, y)) page.items.push(item);
    return y + box.height;
  };
  put(pages[0] as Page, masthead, g.margin.top);
  // Where the last page's content ends, and the path of the block that ends it: its white is reported.
  let end: { y: number; path: string } | undefined;
  plan.pages.forEach((pagePlan, p) => {
    const page = pages[p] as Page;
    let y = g.margin.top + (p === 0 ? masthead.height : 0);
    pagePlan.entries.forEach((entry, n) => {
      if (n > 0 || p === 0) y += pagePlan.gap;
      const d = placedDrawn[entry.piece];
      if (!d) return;
      if (d.kind === "whole") {
        y = put(page, (pagePlan.step > 0 ? d.alts?.[pagePlan.step - 1] : undefined) ?? d.box, y);
        return;
      }
      if (d.kind === "table") {
        if (entry.kind === "part") y = put(page, assembleTable(ctx, d.t, entry.from, entry.to), y);
        return;
      }
      if (entry.kind !== "part") return;
      const a = d.a;
      const alt = pagePlan.step > 0 ? d.alts[pagePlan.step - 1] : undefined;
      const top = alt?.top ?? a.photosTop;
      const bottom = alt?.bottom ?? a.photosBottom;
      const side = alt ? alt.side : a.side;
      const fill = entry.fills?.[pagePlan.step] ?? entry.fill;
      if (entry.first) {
        y = put(page, a.head, y);
        for (const row of top) y = put(page, row, y) + g.photoGap;
      } else {
        y = put(page, d.from, y);
      }
      if (entry.to > entry.from)
        y = put(page, columnsBox(ctx, fill.columns, W, a.columns, entry.first ? side : undefined), y);
      // Row indices count the natural rows; their count stands for all the rows of the page's size (a larger
      // size may set the photos in more rows), and an article's last part takes the rest.
      const all = a.photosBottom.length;
      const from = all > 0 && entry.rows[0] >= all ? bottom.length : entry.rows[0];
      const rows = bottom.slice(from, entry.last || entry.rows[1] >= all ? bottom.length : entry.rows[1]);
      for (const row of rows) y = put(page, row, y + g.photoGap);
      if (!entry.last && entry.to < a.flow.length) y = put(page, d.to, y);
    });
    const lastEntry = pagePlan.entries[pagePlan.entries.length - 1];
    const lastDrawn = lastEntry ? placedDrawn[lastEntry.piece] : undefined;
    end = { y, path: lastDrawn?.kind === "article" ? lastDrawn.a.path : (lastDrawn?.path ?? "blocks") };
    if (pagePlan.over > 0.5) {
      const big = pagePlan.entries.reduce((b, e) => (e.height > b.height ? e : b));
      const d = placedDrawn[big.piece];
      const path = d?.kind === "article" ? d.a.path : (d?.path ?? "blocks");
      overflow(path, placedPieces[big.piece]?.what ?? "", pagePlan.over);
    }
  });

  function overflow(path: string, whole: string, by: number) {
    const what = short(whole);
    const pos = issue.locate(path);
    problems.push({
      severity: "warning",
      file: issue.file,
      line: pos?.line,
      column: pos?.column,
      ja: `「${what}」が1ページに収まりません（${by.toFixed(0)} pt はみ出します）。文章や写真を減らすか、段数を増やしてください。`,
      en: `"${what}" does not fit on one page (${by.toFixed(0)} pt over). Shorten it, use fewer photos or more columns.`,
    });
  }

  if (wanted !== undefined && plan.off !== undefined) {
    problems.push(pagesMessage(issue, wanted, plan.off, g.contentHeight, lineHeight, placedPieces));
  }
  if (wanted === undefined && pages.length > 1 && end) {
    const free = g.margin.top + g.contentHeight - end.y;
    if (free > LAST_PAGE_EMPTY_LIMIT * g.contentHeight) {
      const used = end.y - g.margin.top;
      problems.push(lastPageMessage(issue, pages.length, free, used, g.contentHeight, lineHeight, end.path));
    }
  }

  pages.forEach((p, i) => {
    // What runs past the foot of its page has been reported as not fitting; drawn, it would make the PDF writer
    // open pages of its own behind the footers' count, so the pages and their "n/N" stay true instead.
    const foot = g.margin.top + g.contentHeight;
    p.items = p.items.filter((item) => startsAbove(item, foot));
    const footer = footerBox(ctx, W, i + 1, pages.length);
    for (const item of translate(
      footer.items,
      left,
      g.pageHeight - g.margin.bottom + g.bodySize * ctx.theme.look.space.footer,
    ))
      p.items.push(item);
  });

  return {
    width: g.pageWidth,
    height: g.pageHeight,
    pages,
    photos: placedPhotos(pages),
    title: [plainText(issue.doc.newsletter), issue.doc.number].filter(Boolean).join(" "),
    author: plainText(issue.doc.publisher ?? issue.doc.newsletter),
    palette: issue.theme.palette,
    problems,
    choices: [...plan.choices, ...floated.moved],
  };
}

/** Whether an item begins above `foot` (a line by its baseline, anything else by its top edge). */
function startsAbove(item: Item, foot: number): boolean {
  // 縦組み: a vertical line runs down from its `baseline` (layout/vertical.ts); one that runs past is dropped whole.
  if (item.kind === "line" && item.line.vertical) return item.baseline + item.line.width <= foot + 1;
  if (item.kind === "line") return item.baseline <= foot + 1;
  if (item.kind === "rule") return Math.min(item.y1, item.y2) <= foot + 1;
  return item.y <= foot + 1;
}
