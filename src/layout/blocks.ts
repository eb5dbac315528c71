import { boxInnerWidth, columnWidth, type Geometry } from "../content/geometry.js";
import type { Issue } from "../content/issue.js";
import type { ArticleDoc, CornerDoc, ScheduleDoc, SignatureDoc } from "../content/schema.js";
import type { BoxStyle } from "../theme/index.js";
import type { TextStyle, Typesetter } from "../typeset/index.js";
import { parseBody } from "./body.js";
import { type FlowItem, flowColumns } from "./flow.js";
import { headlineBox } from "./headline.js";
import { infoFlow } from "./info.js";
import { type Box, type Item, translate } from "./model.js";
import { noteFlow } from "./note.js";
import { type PhotoPlan, planPhotos, type SidePhotos, stackRows } from "./photos.js";
import { BoxBuilder, paragraphFlow } from "./text.js";
import type { Theme } from "./theme.js";

export interface LayoutContext {
  issue: Issue;
  g: Geometry;
  theme: Theme;
  ts: Typesetter;
}

/** An article broken into what the page composer places: a head, photo rows and a body that flows in columns. */
export interface ArticlePieces {
  width: number;
  head: Box;
  /** Photo rows, above or below the body. */
  photosTop: Box[];
  flow: FlowItem[];
  columns: number;
  photosBottom: Box[];
  /** Photos standing in some columns beside the text, in the article's first page part (src/layout/photos.ts). */
  side?: SidePhotos;
  path: string;
  title: string;
}

const WEEKDAYS = "日月火水木金土";

export function formatDate(iso: string, withYear: boolean): string {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  const weekday = WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
  return withYear ? `${y}年${m}月${d}日` : `${m}月${d}日(${weekday})`;
}

function bodyStyle(ctx: LayoutContext, extra: Partial<TextStyle> = {}): TextStyle {
  return {
    size: ctx.theme.body,
    leading: ctx.theme.leading,
    align: "justify",
    indent: 1,
    hanging: ctx.g.hanging,
    ...extra,
  };
}

/** Body text (paragraphs, subheadings, quotes, signature) as flow items for a column `width` wide. */
export function bodyFlow(
  ctx: LayoutContext,
  body: string,
  width: number,
  path: string,
  signature?: SignatureDoc,
): FlowItem[] {
  const { theme, ts } = ctx;
  const look = theme.look;
  const flow: FlowItem[] = [];
  let id = 0;
  let afterHeading = false;
  for (const el of parseBody(body)) {
    id++;
    if (el.kind === "note" || el.kind === "info") {
      flow.push({ height: theme.body * look.space.aroundInset, items: [], discardAtTop: true });
      if (el.kind === "note") flow.push(...noteFlow(ctx, el.text, width, path, id));
      else {
        flow.push(...infoFlow(ctx, el.entries, width, () => path, id));
        id += el.entries.length;
      }
      flow.push({ height: theme.body * look.space.aroundInset, items: [], discardAtTop: true });
      afterHeading = false;
      continue;
    }
    if (el.kind === "subheading") {
      const p = ts.set(
        el.text,
        { size: theme.subheading, bold: true, leading: look.subheading.leading, align: "left" },
        width,
        path,
      );
      flow.push({ height: theme.body * look.subheading.before, items: [], discardAtTop: true });
      paragraphFlow(p, look.subheading.color, id).forEach((item) => {
        flow.push({ ...item, keepWithNext: true });
      });
      afterHeading = true;
      continue;
    }
    const quote = el.kind === "quote";
    const indentPt = quote ? theme.body * look.space.quoteIndent : 0;
    const p = ts.set(
      el.text,
      bodyStyle(ctx, { indent: quote || (afterHeading && !ctx.g.indentAfterHeading) ? 0 : 1 }),
      width - indentPt * 2,
      path,
    );
    const items = paragraphFlow(p, quote ? look.body.quote : look.body.color, id, indentPt);
    if (quote) {
      for (const item of items) {
        item.items.unshift({
          kind: "rule",
          x1: indentPt * look.space.quoteRule,
          y1: 0,
          x2: indentPt * look.space.quoteRule,
          y2: item.height,
          color: look.body.quoteRule.color,
          width: look.body.quoteRule.width,
        });
      }
    }
    flow.push(...items);
    afterHeading = false;
  }
  if (signature) appendSignature(ctx, flow, signature, width, path);
  return flow;
}

/** The signature as printed: its name in the brackets it asks for (the theme's, 【】, when it names none). */
export function signatureText(signature: SignatureDoc, defaultBrackets: string): string {
  const name = typeof signature === "string" ? signature : signature.text;
  const brackets = typeof signature === "string" ? defaultBrackets : (signature.brackets ?? defaultBrackets);
  if (brackets === "none") return name;
  const [open = "", close = ""] = [...brackets];
  return `${open}${name}${close}`;
}

/** 【name】 goes right-aligned on the last line when it fits there, else on a line of its own. */
function appendSignature(
  ctx: LayoutContext,
  flow: FlowItem[],
  signature: SignatureDoc,
  width: number,
  path: string,
): void {
  const { theme, ts } = ctx;
  const text = signatureText(signature, theme.look.signatureBrackets);
  const style: TextStyle = { size: theme.body, leading: theme.leading, align: "right" };
  const sig = ts.set(text, style, width, `${path}.signature`);
  const sigLine = sig.lines[0];
  if (!sigLine) return;
  const last = flow[flow.length - 1];
  const lastLine = last?.items.find((i) => i.kind === "line");
  const sigWidth = sigLine.width - (sigLine.runs[0]?.x ?? 0);
  if (
    last &&
    lastLine?.kind === "line" &&
    lastLine.line.width + sigWidth + theme.body * theme.look.space.signature <= width
  ) {
    last.items.push({ ...lastLine, x: 0, line: sigLine, color: theme.look.body.color });
    return;
  }
  flow.push(...paragraphFlow(sig, theme.look.body.color, -1));
}

/**
 * Another size of an article's photos, for the page breaker to choose: rows `fraction` of the natural width
 * (centred; photos standing in the columns keep theirs), or `grow`n a size larger (src/layout/photos.ts).
 */
export interface PhotoSizing {
  fraction?: number;
  grow?: boolean;
  /** Grown: rows up to this share of the type area's height (src/layout/photos.ts, GROWN_ROW_SHARE by default). */
  rowShare?: number;
  /** Where rows set narrower than the article stand: centred (default), or at its start or end. */
  align?: "start" | "end";
}

/** An article's photos planned at the article's width, at their natural size or at `size`. */
export function articlePhotos(
  ctx: LayoutContext,
  a: ArticleDoc,
  path: string,
  width: number,
  size: PhotoSizing = {},
): PhotoPlan {
  const plan = (w: number) =>
    planPhotos(ctx, a.photos ?? [], (i) => `${path}.photos[${i}]`, w, {
      columns: a.columns ?? 1,
      ...(a.photosPerRow !== undefined ? { perRow: a.photosPerRow } : {}),
      ...(a.photosAt !== undefined ? { at: a.photosAt } : {}),
      ...(size.grow ? { grow: true } : {}),
      ...(size.rowShare !== undefined ? { rowShare: size.rowShare } : {}),
    });
  const natural = plan(width);
  const f = size.fraction;
  if (f === undefined || f === 1) return natural;
  const smaller = plan(width * f);
  const offset =
    size.align === "start" ? 0 : size.align === "end" ? width - width * f : (width - width * f) / 2;
  const centre = (row: Box): Box => ({ width, height: row.height, items: translate(row.items, offset, 0) });
  return {
    top: smaller.top.map(centre),
    bottom: smaller.bottom.map(centre),
    ...(natural.side ? { side: natural.side } : {}),
  };
}

export function articlePieces(
  ctx: LayoutContext,
  a: ArticleDoc,
  path: string,
  width: number,
  size: PhotoSizing = {},
): ArticlePieces {
  const { g, theme, ts } = ctx;
  const columns = a.columns ?? 1;
  const head = headlineBox(ctx, a.title, width, `${path}.title`);
  if (a.lead) {
    head.text(
      ts.set(a.lead, bodyStyle(ctx, { bold: true, indent: 0 }), width, `${path}.lead`),
      theme.look.body.color,
    );
    head.space(theme.body * theme.look.space.afterLead);
  }
  const photos = articlePhotos(ctx, a, path, width, size);
  const flow = bodyFlow(ctx, a.body, columnWidth(g, width, columns), `${path}.body`, a.signature);
  return {
    width,
    head: head.build(),
    photosTop: photos.top,
    photosBottom: photos.bottom,
    ...(photos.side ? { side: photos.side } : {}),
    flow,
    columns,
    path,
    title: a.title,
  };
}

/**
 * Draws flowed columns into a box, with the photos standing in some of them (`side`, the same one flowColumns
 * reserved room for).
 */
export function columnsBox(
  ctx: LayoutContext,
  columns: FlowItem[][],
  width: number,
  count: number,
  side?: SidePhotos,
): Box {
  const cw = columnWidth(ctx.g, width, count);
  const items: Item[] = [];
  const reserve = (c: number) => side?.reserve[c] ?? { top: 0, bottom: 0 };
  let height = 0;
  columns.forEach((col, c) => {
    let y = reserve(c).top;
    for (const it of col) {
      items.push(...translate(it.items, c * (cw + ctx.g.columnGap), y));
      y += it.height;
    }
    height = Math.max(height, y + reserve(c).bottom);
  });
  for (const s of side?.boxes ?? []) height = Math.max(height, s.box.height);
  for (const s of side?.boxes ?? []) {
    const x = s.column * (cw + ctx.g.columnGap);
    items.push(...translate(s.box.items, x, s.at === "top" ? 0 : height - s.box.height));
  }
  // A hairline between columns, as newspapers set them; it stops short of a photo spanning both columns.
  const spans = (s: SidePhotos["boxes"][number], c: number) =>
    s.column < c && s.column + (s.box.width + ctx.g.columnGap) / (cw + ctx.g.columnGap) > c + 0.5;
  const rule = ctx.theme.look.columnRule;
  for (let c = 1; rule && c < count; c++) {
    const x = c * (cw + ctx.g.columnGap) - ctx.g.columnGap / 2;
    const across = (side?.boxes ?? []).filter((s) => spans(s, c));
    const y1 = across.some((s) => s.at === "top") ? reserve(c).top : 0;
    const y2 = across.some((s) => s.at === "bottom") ? height - reserve(c).bottom : height;
    if (columns[c]?.length || reserve(c).top || reserve(c).bottom)
      items.push({ kind: "rule", x1: x, y1, x2: x, y2, ...rule });
  }
  return { width, height, items };
}

/** An article set whole (inside a row, where it cannot break across pages). */
export function articleBox(
  ctx: LayoutContext,
  a: ArticleDoc,
  path: string,
  width: number,
  size: PhotoSizing = {},
): Box {
  const p = articlePieces(ctx, a, path, width, size);
  const b = new BoxBuilder(width).box(p.head);
  for (const row of p.photosTop) b.box(row).space(ctx.g.photoGap);
  const fill = flowColumns(p.flow, 0, p.columns, Number.MAX_SAFE_INTEGER / 4, p.side?.reserve);
  b.box(columnsBox(ctx, fill.columns, width, p.columns, p.side));
  for (const row of p.photosBottom) b.space(ctx.g.photoGap).box(row);
  return b.build();
}

export function sloganBox(ctx: LayoutContext, slogan: string | string[], path: string, width: number): Box {
  const { g, theme, ts } = ctx;
  const look = theme.look.slogan;
  const lines = Array.isArray(slogan) ? slogan : [slogan];
  const inner = boxInnerWidth(g, width);
  const b = new BoxBuilder(width).space(g.boxPadding * theme.look.space.boxInset);
  lines.forEach((text, i) => {
    const p = ts.set(
      text,
      { size: theme.slogan, bold: true, leading: look.text.leading, align: "center" },
      inner,
      `${path}[${i}]`,
    );
    b.text(p, look.text.color, g.boxPadding);
  });
  b.space(g.boxPadding * theme.look.space.boxInset);
  const box = b.build();
  box.items.unshift(frame(look.box, width, box.height, theme.body));
  return box;
}

export function scheduleBox(ctx: LayoutContext, s: ScheduleDoc, path: string, width: number): Box {
  const { theme, ts } = ctx;
  const look = theme.look.schedule;
  const b = new BoxBuilder(width);
  b.text(
    ts.set(
      s.title,
      { size: theme.body * look.title.size, bold: true, leading: look.title.leading, align: "center" },
      width,
      `${path}.title`,
    ),
    look.title.color,
  );
  b.space(theme.body * look.afterTitle);
  const dateStyle: TextStyle = { size: theme.body, bold: true, leading: theme.leading, align: "right" };
  const dates = s.items.map((item) => formatDate(item.date, false));
  const dateWidth = Math.max(...dates.map((d) => ts.widthOf(d, dateStyle)));
  const gap = theme.body * look.dateGap;
  const textWidth = width - dateWidth - gap;
  b.items.push({ kind: "rule", x1: 0, y1: b.y, x2: width, y2: b.y, ...look.topRule });
  s.items.forEach((item, i) => {
    const top = b.y;
    const date = ts.set(dates[i] ?? "", dateStyle, dateWidth, `${path}.items[${i}].date`);
    const entries = Array.isArray(item.text) ? item.text : [item.text];
    const rowBox = new BoxBuilder(textWidth);
    entries.forEach((entry, j) => {
      rowBox.text(
        ts.set(
          entry,
          { size: theme.body, leading: theme.leading, align: "left" },
          textWidth,
          `${path}.items[${i}].text${entries.length > 1 ? `[${j}]` : ""}`,
        ),
        theme.look.body.color,
      );
    });
    const row = rowBox.build();
    b.text(date, look.date);
    b.y = top;
    b.box(row, dateWidth + gap);
    b.items.push({
      kind: "rule",
      x1: 0,
      y1: b.y,
      x2: width,
      y2: b.y,
      ...look.rowRule,
    });
  });
  return b.build();
}

export function cornerBox(ctx: LayoutContext, c: CornerDoc, path: string, width: number, minHeight = 0): Box {
  const { g, theme, ts } = ctx;
  const look = theme.look.corner;
  const inner = boxInnerWidth(g, width);
  const pad = g.boxPadding;
  const b = new BoxBuilder(width).space(pad * theme.look.space.boxInset);
  const title = ts.set(
    c.title,
    { size: theme.cornerTitle, bold: true, leading: look.title.leading, align: "center" },
    inner,
    `${path}.title`,
  );
  b.text(title, look.title.color, pad);
  if (c.subtitle) {
    b.space(theme.body * look.beforeSubtitle);
    b.text(
      ts.set(
        c.subtitle,
        { size: theme.subheading, bold: true, leading: theme.look.leading.cornerSubtitle, align: "left" },
        inner,
        `${path}.subtitle`,
      ),
      look.subtitle,
      pad,
    );
  }
  b.space(theme.body * look.beforeBody);
  const columns = c.columns ?? 1;
  const flow = bodyFlow(ctx, c.body, columnWidth(g, inner, columns), `${path}.body`, c.signature);
  const photos = planPhotos(ctx, c.photos ?? [], (i) => `${path}.photos[${i}]`, inner, {
    columns,
    ...(c.photosPerRow !== undefined ? { perRow: c.photosPerRow } : {}),
  });
  const fill = flowColumns(flow, 0, columns, Number.MAX_SAFE_INTEGER / 4, photos.side?.reserve);
  b.box(columnsBox(ctx, fill.columns, inner, columns, photos.side), pad);
  if (photos.bottom.length) {
    b.space(g.photoGap);
    b.box(stackRows(ctx, photos.bottom, inner), pad);
  }
  b.space(pad * theme.look.space.boxInset);
  const box = b.build(minHeight);
  box.items.unshift(frame(look.box, width, box.height, theme.body));
  return box;
}

/**
 * The small lines that tie an article split across pages together, as bulletins print them: 「次ページへ続く」
 * under the part that breaks off, 「前ページから続く」 and the headline over the part that carries on.
 */
export function continuationBox(
  ctx: LayoutContext,
  width: number,
  kind: "to" | "from",
  title: string,
  path: string,
): Box {
  const { theme, ts } = ctx;
  const look = theme.look.continuation;
  const size = theme.caption;
  const leading = theme.look.leading.continuation;
  if (kind === "to") {
    const p = ts.set("（次ページへ続く）", { size, leading, align: "right" }, width, `${path}.title`);
    return new BoxBuilder(width).text(p, look.to).build();
  }
  const p = ts.set(
    `${title}（前ページから続く）`,
    { size, bold: true, leading, align: "left" },
    width,
    `${path}.title`,
  );
  const b = new BoxBuilder(width).text(p, look.from);
  b.items.push({ kind: "rule", x1: 0, y1: b.y, x2: width, y2: b.y, ...look.rule });
  return b.space(theme.body * look.after).build();
}

/** A box's frame and fill in the theme's style, `width` × `height` at the box's origin. */
export function frame(style: BoxStyle, width: number, height: number, body: number): Item {
  return {
    kind: "rect",
    x: 0,
    y: 0,
    width,
    height,
    ...(style.fill ? { fill: style.fill } : {}),
    ...(style.stroke ? { stroke: style.stroke, lineWidth: style.lineWidth } : {}),
    radius: body * style.radius,
  };
}
