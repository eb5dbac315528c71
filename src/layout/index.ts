import { rowCellWidth } from "../content/geometry.js";
import type { Issue } from "../content/issue.js";
import type { LeafBlockDoc } from "../content/schema.js";
import type { Diagnostic } from "../diagnostics.js";
import type { PreparedImages } from "../images/prepared.js";
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
import { flowColumns } from "./flow.js";
import { footerBox, mastheadBox } from "./masthead.js";
import { type Box, type LaidOutIssue, type Page, translate } from "./model.js";
import { themeFor } from "./theme.js";

export type { Item, LaidOutIssue, LineItem, Page } from "./model.js";

/**
 * The layout stage: composes the issue's blocks onto pages. Articles flow through balanced columns and may
 * continue on the next page; every other block is placed whole. Nothing is cut off: what cannot fit is reported.
 */
export function layout(issue: Issue, images: PreparedImages, ts: Typesetter): LaidOutIssue {
  const g = issue.geometry;
  const ctx: LayoutContext = { issue, g, theme: themeFor(g), ts, images };
  const problems: Diagnostic[] = [];
  const pages: Page[] = [{ items: [] }];
  const top = g.margin.top;
  const bottom = g.margin.top + g.contentHeight;
  const left = g.margin.left;
  const W = g.contentWidth;
  let y = top;
  let page = pages[0] as Page;
  let first = true;

  const newPage = () => {
    page = { items: [] };
    pages.push(page);
    y = top;
    first = true;
  };
  const room = () => bottom - y;
  const gapBefore = () => (first ? 0 : g.blockGap);
  const place = (box: Box, x = left) => {
    page.items.push(...translate(box.items, x, y));
    y += box.height;
    first = false;
  };
  const overflow = (path: string, what: string, by: number) => {
    const pos = issue.locate(path);
    problems.push({
      severity: "warning",
      file: issue.file,
      line: pos?.line,
      column: pos?.column,
      ja: `「${plainText(what)}」が1ページに収まりません（${by.toFixed(0)} pt はみ出します）。文章や写真を減らすか、段数を増やしてください。`,
      en: `"${plainText(what)}" does not fit on one page (${by.toFixed(0)} pt over). Shorten it, use fewer photos or more columns.`,
    });
  };

  /** Places a box whole: on this page if it fits, else at the top of the next. */
  const placeWhole = (box: Box, path: string, what: string) => {
    if (box.height + gapBefore() > room() && !first) newPage();
    if (box.height > room()) overflow(path, what, box.height - room());
    y += gapBefore();
    place(box);
  };

  /** A row of photos (each with its caption) goes whole: here if it fits, else at the top of the next page. */
  const placeRow = (row: Box, p: ArticlePieces) => {
    if (row.height > room() && !first) newPage();
    if (row.height > room()) overflow(p.path, p.title, row.height - room());
    place(row);
    if (p.photosTop.includes(row)) y += g.photoGap;
  };

  const placeArticle = (p: ArticlePieces) => {
    const lineH = p.flow[0]?.height ?? 0;
    // The headline never stands alone at the foot of a page: it needs two lines of body under it.
    const firstTop = p.photosTop[0];
    const headNeed = p.head.height + (firstTop ? firstTop.height + g.photoGap : 0) + lineH * 2;
    if (headNeed + gapBefore() > room() && !first) newPage();
    y += gapBefore();
    place(p.head);
    for (const row of p.photosTop) placeRow(row, p);
    let index = 0;
    const toNext = continuationBox(ctx, W, "to", p.title, p.path);
    // True while the page holds nothing of this article but its 「前ページから続く」 line.
    let onlyContinuation = false;
    const carryOn = () => {
      newPage();
      place(continuationBox(ctx, W, "from", p.title, p.path));
      onlyContinuation = true;
    };
    while (index < p.flow.length) {
      let fill = flowColumns(p.flow, index, p.columns, room());
      // When the text must carry on, the note saying so needs its line on this page too.
      if (fill.next < p.flow.length && fill.next > index) {
        fill = flowColumns(p.flow, index, p.columns, room() - toNext.height);
      }
      if (fill.next === index) {
        if (first || onlyContinuation) {
          overflow(p.path, p.title, p.flow[index]?.height ?? 0);
          break;
        }
        carryOn();
        continue;
      }
      place(columnsBox(ctx, fill.columns, W, p.columns));
      onlyContinuation = false;
      index = fill.next;
      if (index < p.flow.length) {
        place(toNext);
        carryOn();
      }
    }
    for (const row of p.photosBottom) {
      y += first ? 0 : g.photoGap;
      placeRow(row, p);
    }
  };

  const leafBox = (
    block: LeafBlockDoc,
    path: string,
    width: number,
    minHeight = 0,
  ): { box: Box; what: string } => {
    if ("article" in block)
      return { box: articleBox(ctx, block.article, `${path}.article`, width), what: block.article.title };
    if ("slogan" in block) {
      const what = Array.isArray(block.slogan) ? (block.slogan[0] ?? "") : block.slogan;
      return { box: sloganBox(ctx, block.slogan, `${path}.slogan`, width), what };
    }
    if ("schedule" in block)
      return { box: scheduleBox(ctx, block.schedule, `${path}.schedule`, width), what: block.schedule.title };
    return {
      box: cornerBox(ctx, block.corner, `${path}.corner`, width, minHeight),
      what: block.corner.title,
    };
  };

  place(mastheadBox(ctx, W));
  issue.doc.blocks.forEach((block, i) => {
    const path = `blocks[${i}]`;
    if ("article" in block) {
      placeArticle(articlePieces(ctx, block.article, `${path}.article`, W));
    } else if ("row" in block) {
      const cellWidth = rowCellWidth(g, W, block.row.length);
      const cells = block.row.map((cell, j) => leafBox(cell, `${path}.row[${j}]`, cellWidth));
      const height = Math.max(...cells.map((c) => c.box.height));
      // Boxed corners stretch to the row's height so the row reads as one band.
      const boxes = block.row.map((cell, j) =>
        "corner" in cell
          ? leafBox(cell, `${path}.row[${j}]`, cellWidth, height).box
          : (cells[j] as { box: Box }).box,
      );
      const row: Box = {
        width: W,
        height,
        items: boxes.flatMap((b, j) => translate(b.items, j * (cellWidth + g.columnGap), 0)),
      };
      placeWhole(row, path, cells.map((c) => c.what).join(" / "));
    } else {
      const { box, what } = leafBox(block, path, W);
      placeWhole(box, path, what);
    }
  });

  pages.forEach((p, i) => {
    const footer = footerBox(ctx, W, i + 1, pages.length);
    p.items.push(...translate(footer.items, left, g.pageHeight - g.margin.bottom + g.bodySize * 0.8));
  });

  return {
    width: g.pageWidth,
    height: g.pageHeight,
    pages,
    title: [plainText(issue.doc.newsletter), issue.doc.number].filter(Boolean).join(" "),
    author: plainText(issue.doc.publisher ?? issue.doc.newsletter),
    problems,
  };
}
