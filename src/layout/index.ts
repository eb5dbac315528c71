import { rowCellWidth } from "../content/geometry.js";
import type { Issue } from "../content/issue.js";
import type { ArticleDoc, LeafBlockDoc } from "../content/schema.js";
import type { Diagnostic } from "../diagnostics.js";
import { plainText, type Typesetter } from "../typeset/index.js";
import {
  type ArticlePieces,
  articleBox,
  articlePieces,
  columnsBox,
  continuationBox,
  cornerBox,
  type LayoutContext,
  scheduleBox,
  sloganBox,
} from "./blocks.js";
import { compose, type Piece } from "./compose.js";
import { infoBox, infoEntries } from "./info.js";
import { footerBox, mastheadBox } from "./masthead.js";
import { type Box, type Item, type LaidOutIssue, type Page, translate } from "./model.js";
import { noteBox } from "./note.js";
import { pagesMessage, short } from "./pages-message.js";
import { placedPhotos, planPhotos } from "./photos.js";
import { splitTable, tableBox, tablePieces } from "./table.js";
import { themeFor } from "./theme.js";
import { isVertical, verticalArticleBox, verticalArticleParts, verticalCornerBox } from "./vertical.js";

export type { Item, LaidOutIssue, LineItem, Page } from "./model.js";

/** Width fractions of the smaller photo rows the page breaker may choose to fit a page (`pages:`). */
const PHOTO_STEPS = [0.85, 0.7];

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
   * The photo-row builder asked for an article's rows at a fraction of the width, centred: the smaller
   * alternatives the page breaker may choose to fit a page.
   */
  const photoRowsAt = (a: ArticleDoc, path: string, fraction: number): { top: Box[]; bottom: Box[] } => {
    if (!a.photos?.length) return { top: [], bottom: [] };
    const width = W * fraction;
    const plan = planPhotos(ctx, a.photos, (i) => `${path}.photos[${i}]`, width, {
      columns: a.columns ?? 1,
      ...(a.photosPerRow !== undefined ? { perRow: a.photosPerRow } : {}),
      ...(a.photosAt !== undefined ? { at: a.photosAt } : {}),
    });
    const centre = (row: Box): Box => ({
      width: W,
      height: row.height,
      items: translate(row.items, (W - width) / 2, 0),
    });
    return { top: plan.top.map(centre), bottom: plan.bottom.map(centre) };
  };

  // Collect: every block becomes a piece the page breaker sees (heights) and what to draw once it has chosen.
  type Drawn =
    | { kind: "whole"; box: Box; path: string }
    | { kind: "article"; a: ArticlePieces; to: Box; from: Box; smaller: { top: Box[]; bottom: Box[] }[] };
  const pieces: Piece[] = [];
  const drawn: Drawn[] = [];
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
      }
      return;
    }
    if ("article" in block) {
      const a = articlePieces(ctx, block.article, `${path}.article`, W);
      const to = continuationBox(ctx, W, "to", a.title, a.path);
      const from = continuationBox(ctx, W, "from", a.title, a.path);
      // Smaller photos only when the editor asked for a page count: otherwise photos keep the size they were given.
      const smaller =
        issue.doc.pages === undefined
          ? []
          : PHOTO_STEPS.map((f) => photoRowsAt(block.article, `${path}.article`, f));
      drawn.push({ kind: "article", a, to, from, smaller });
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
        smaller: smaller.map((alt) => ({
          top: alt.top.map((r) => r.height),
          bottom: alt.bottom.map((r) => r.height),
        })),
      });
      return;
    }
    if ("table" in block) {
      // A table taller than a page goes on as parts, split between rows under a repeated header; the page
      // breaker places each part whole.
      const t = tablePieces(ctx, block.table, `${path}.table`, W);
      for (const part of splitTable(ctx, t, g.contentHeight, g.contentHeight).parts) {
        drawn.push({ kind: "whole", box: part, path: `${path}.table` });
        pieces.push({ kind: "whole", height: part.height, what: t.title });
      }
      return;
    }
    let box: Box;
    let what: string;
    if ("row" in block) {
      const cellWidth = rowCellWidth(g, W, block.row.length);
      const cells = block.row.map((cell, j) => leafBox(cell, `${path}.row[${j}]`, cellWidth));
      const height = cells.reduce((h, c) => Math.max(h, c.box.height), 0);
      // Boxed corners stretch to the row's height so the row reads as one band.
      const boxes = block.row.map((cell, j) =>
        "corner" in cell
          ? leafBox(cell, `${path}.row[${j}]`, cellWidth, height).box
          : (cells[j] as { box: Box }).box,
      );
      const items: Item[] = [];
      boxes.forEach((b, j) => {
        for (const item of translate(b.items, j * (cellWidth + g.columnGap), 0)) items.push(item);
      });
      box = { width: W, height, items };
      what = cells.map((c) => c.what).join(" / ");
    } else {
      ({ box, what } = leafBox(block, path, W));
    }
    drawn.push({ kind: "whole", box, path });
    pieces.push({ kind: "whole", height: box.height, what });
  });

  // Distribute: the page breaker chooses where pages and articles break and how space is spread.
  const masthead = mastheadBox(ctx, W);
  const lineHeight = ctx.theme.body * ctx.theme.leading;
  const wanted = issue.doc.pages;
  const plan = compose(pieces, {
    height: g.contentHeight,
    firstTop: masthead.height,
    gap: g.blockGap,
    lineHeight,
    pages: wanted,
  });

  // Compose: draw each page as planned.
  const pages: Page[] = plan.pages.map(() => ({ items: [] }));
  if (!pages.length) pages.push({ items: [] });
  const put = (page: Page, box: Box, y: number) => {
    for (const item of translate(box.items, left, y)) page.items.push(item);
    return y + box.height;
  };
  put(pages[0] as Page, masthead, g.margin.top);
  plan.pages.forEach((pagePlan, p) => {
    const page = pages[p] as Page;
    let y = g.margin.top + (p === 0 ? masthead.height : 0);
    pagePlan.entries.forEach((entry, n) => {
      if (n > 0 || p === 0) y += pagePlan.gap;
      const d = drawn[entry.piece];
      if (!d) return;
      if (d.kind === "whole") {
        y = put(page, d.box, y);
        return;
      }
      if (entry.kind !== "part") return;
      const a = d.a;
      const alt = pagePlan.step > 0 ? d.smaller[pagePlan.step - 1] : undefined;
      const top = alt?.top ?? a.photosTop;
      const bottom = alt?.bottom ?? a.photosBottom;
      if (entry.first) {
        y = put(page, a.head, y);
        for (const row of top) y = put(page, row, y) + g.photoGap;
      } else {
        y = put(page, d.from, y);
      }
      if (entry.to > entry.from)
        y = put(page, columnsBox(ctx, entry.fill.columns, W, a.columns, entry.first ? a.side : undefined), y);
      for (const row of bottom.slice(entry.rows[0], entry.rows[1])) y = put(page, row, y + g.photoGap);
      if (!entry.last && entry.to < a.flow.length) y = put(page, d.to, y);
    });
    if (pagePlan.over > 0.5) {
      const big = pagePlan.entries.reduce((b, e) => (e.height > b.height ? e : b));
      const d = drawn[big.piece];
      const path = d?.kind === "article" ? d.a.path : (d?.path ?? "blocks");
      overflow(path, pieces[big.piece]?.what ?? "", pagePlan.over);
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
    problems.push(pagesMessage(issue, wanted, plan.off, g.contentHeight, lineHeight, pieces));
  }

  pages.forEach((p, i) => {
    // What runs past the foot of its page has been reported as not fitting; drawn, it would make the PDF writer
    // open pages of its own behind the footers' count, so the pages and their "n/N" stay true instead.
    const foot = g.margin.top + g.contentHeight;
    p.items = p.items.filter((item) => startsAbove(item, foot));
    const footer = footerBox(ctx, W, i + 1, pages.length);
    for (const item of translate(footer.items, left, g.pageHeight - g.margin.bottom + g.bodySize * 0.8))
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
    choices: plan.choices,
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
