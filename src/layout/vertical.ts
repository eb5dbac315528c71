import { boxInnerWidth } from "../content/geometry.js";
import type { ArticleDoc, CornerDoc, SignatureDoc } from "../content/schema.js";
import type { SetLine, TextStyle } from "../typeset/index.js";
import { frame, type LayoutContext, signatureText } from "./blocks.js";
import { parseBody } from "./body.js";
import { type FlowItem, flowColumns } from "./flow.js";
import { headlineBox } from "./headline.js";
import { type Box, type Item, translate } from "./model.js";
import { planPhotos, stackRows } from "./photos.js";
import { BoxBuilder } from "./text.js";
import type { ColorName } from "./theme.js";

/**
 * 縦組み (issue 13): an article or corner whose text runs top to bottom, its lines right to left, in 1–3 段
 * (tiers) stacked top to bottom inside the box the page gives it. The lines are set by the same engine as
 * horizontal text (typeset/, with `vertical`), at a line length of a whole number of ems (the 段's height); the
 * tiers are filled by the same column filler (flow.ts: a paragraph never leaves one line alone at the end or
 * head of a 段, a heading never ends one), the line pitch taking the place of a line's height. The shortest
 * line length that takes the whole text in the 段s is chosen, so the 段s come out balanced.
 *
 * A vertical line is a LineItem whose `x` is the left edge of its em box and whose `baseline` is the top of the
 * line (render/vertical.ts draws each glyph down from there).
 */

/** Whether a block's text runs vertically: its own `direction`, else the issue's `style.direction`. */
export function isVertical(ctx: LayoutContext, block: { direction?: "horizontal" | "vertical" }): boolean {
  return (block.direction ?? ctx.g.direction) === "vertical";
}

/** Lines longer than this many characters read badly down a page (JLReq 2.4: a 段 of 15–45 characters). */
const MAX_LINE_EM = 40;
const MIN_LINE_EM = 12;
/** More 段s than the editor asked for, when the text is too long for theirs at the longest line. */
const MAX_TIERS = 40;

interface VLine extends FlowItem {
  line?: SetLine;
  size: number;
  color: ColorName;
  /** Distance from the 段's top to the line's start (a quote's indent), in pt. */
  along: number;
  /** The signature, at the foot of this same line when it fits there. */
  signature?: SetLine;
}

interface VerticalText {
  width: number;
  height: number;
  items: Item[];
  /** The line length (a 段's height) and the space between 段, in pt. */
  length: number;
  gap: number;
  /** Width the vertical headline takes at the right, with its gap (0 without one). */
  titleSpace?: number;
}

/** The body's elements as vertical lines for a line length of `length` pt. */
function bodyLines(
  ctx: LayoutContext,
  body: string,
  length: number,
  path: string,
  lead?: { text: string; path: string },
  signature?: SignatureDoc,
): VLine[] {
  const { theme, ts } = ctx;
  const look = theme.look;
  const out: VLine[] = [];
  const pitch = theme.body * theme.leading;
  const style = (extra: Partial<TextStyle> = {}): TextStyle => ({
    size: theme.body,
    leading: theme.leading,
    align: "justify",
    indent: 1,
    hanging: ctx.g.hanging,
    vertical: true,
    ...extra,
  });
  let id = 0;
  const push = (
    text: string,
    s: TextStyle,
    color: ColorName,
    textPath: string,
    opts: { along?: number; keep?: boolean } = {},
  ) => {
    id++;
    const along = opts.along ?? 0;
    const p = ts.set(text, s, length - along, textPath);
    p.lines.forEach((line, index) => {
      out.push({
        height: p.lineHeight,
        items: [],
        para: { id, index, count: p.lines.length },
        line,
        size: p.size,
        color,
        along,
        ...(opts.keep ? { keepWithNext: true } : {}),
      });
    });
  };
  const space = (em: number) =>
    out.push({ height: theme.body * em, items: [], discardAtTop: true, size: 0, color: "text", along: 0 });
  if (lead) push(lead.text, style({ bold: true, indent: 0 }), look.body.color, lead.path);
  let afterHeading = false;
  for (const el of parseBody(body)) {
    if (el.kind === "subheading") {
      space(look.subheading.before);
      push(
        el.text,
        style({
          size: theme.subheading,
          bold: true,
          leading: look.subheading.leading,
          align: "left",
          indent: 0,
        }),
        look.subheading.color,
        path,
        { keep: true },
      );
      afterHeading = true;
      continue;
    }
    if (el.kind === "info") {
      for (const e of el.entries)
        push(`${e.key}：${e.values.join("　")}`, style({ indent: 0 }), look.body.color, path);
    } else if (el.kind === "note") {
      push(el.text, style({ indent: 0, size: theme.caption }), look.caption.color, path);
    } else if (el.kind === "quote") {
      push(el.text, style({ indent: 0 }), look.body.quote, path, { along: theme.body });
    } else {
      const indent = afterHeading && !ctx.g.indentAfterHeading ? 0 : 1;
      push(el.text, style({ indent }), look.body.color, path);
    }
    afterHeading = false;
  }
  if (signature) {
    // At the foot of the last line when it fits there, as in horizontal text (blocks.ts), else on its own line.
    const text = signatureText(signature, look.signatureBrackets);
    const sigStyle = style({ align: "right", indent: 0 });
    const sig = ts.set(text, sigStyle, length, path && `${path}.signature`).lines;
    const last = out[out.length - 1];
    const own = (sig[0]?.width ?? 0) - (sig[0]?.runs[0]?.x ?? 0);
    if (sig.length === 1 && last?.line && last.along === 0 && last.line.width + own + theme.body <= length)
      last.signature = sig[0];
    else push(text, sigStyle, look.body.color, path && `${path}.signature`);
  }
  // Keep the ruler honest: a flow of nothing still takes one empty line.
  if (!out.length) out.push({ height: pitch, items: [], size: theme.body, color: "text", along: 0 });
  return out;
}

/**
 * The body set vertically in `tiers` 段 across `width`: the shortest line (a whole number of ems, at least
 * `minLength` pt) with which the text fits; more 段s when it would not fit even at the longest line.
 */
export function verticalText(
  ctx: LayoutContext,
  body: string,
  width: number,
  path: string,
  opts: {
    tiers: number;
    minLength?: number;
    lead?: { text: string; path: string };
    signature?: SignatureDoc;
  },
): VerticalText {
  const { theme, g } = ctx;
  const em = theme.body;
  const tierGap = em * 2;
  // Trial lengths are measured without a place in the issue (no loose-line notes for lines never printed).
  const linesAt = (k: number, place = "") =>
    bodyLines(
      ctx,
      body,
      k * em,
      place,
      opts.lead && { ...opts.lead, path: place && opts.lead.path },
      opts.signature,
    );
  const fits = (k: number, tiers: number) => {
    const lines = linesAt(k);
    const fill = flowColumns(lines, 0, tiers, width);
    return fill.next >= lines.length ? { lines, fill } : undefined;
  };
  const fromTitle = opts.minLength ?? 0;
  let tiers = opts.tiers;
  const lowFor = (t: number) =>
    Math.max(MIN_LINE_EM, Math.ceil((fromTitle - (t - 1) * tierGap) / t / em - 1e-6));
  const maxEm = Math.max(
    lowFor(tiers),
    Math.min(MAX_LINE_EM, Math.floor((g.contentHeight * 0.85 - (tiers - 1) * tierGap) / tiers / em)),
  );
  while (tiers < MAX_TIERS && !fits(maxEm, tiers)) tiers++;
  let lo = lowFor(tiers);
  let hi = Math.max(lo, maxEm);
  let best = fits(hi, tiers);
  // The longest line may still not take it all (a very long text): it is set at that length and reported by
  // the page breaker as too tall, never cut.
  if (best) {
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const trial = fits(mid, tiers);
      if (trial) {
        best = trial;
        hi = mid;
      } else lo = mid + 1;
    }
  }
  const k = hi;
  // Set once more where it is printed: its paths go with what the preflight reports of it.
  const lines = linesAt(k, path);
  const fill = flowColumns(lines, 0, tiers, width);
  const length = k * em;
  const items: Item[] = [];
  const used = fill.columns.filter((c) => c.length > 0).length || 1;
  fill.columns.forEach((col, t) => {
    const top = t * (length + tierGap);
    let o = 0;
    for (const it of col as VLine[]) {
      if (it.line) {
        const x = width - o - (it.height + it.size) / 2;
        items.push({ kind: "line", x, baseline: top + it.along, line: it.line, color: it.color });
        if (it.signature) items.push({ kind: "line", x, baseline: top, line: it.signature, color: it.color });
      }
      o += it.height;
    }
    const rule = theme.look.columnRule;
    if (rule && t > 0 && col.length) {
      const y = top - tierGap / 2;
      items.push({ kind: "rule", x1: 0, y1: y, x2: width, y2: y, ...rule });
    }
  });
  return { width, height: used * length + (used - 1) * tierGap, items, length, gap: tierGap };
}

/** A title set vertically: its lines (one, or two balanced when long) and the width they take. */
function verticalTitle(
  ctx: LayoutContext,
  title: string,
  style: TextStyle,
  color: ColorName,
  path: string,
  maxLength: number,
): { box: Box; length: number } {
  const natural = ctx.ts.widthOf(title, style);
  const length = natural <= maxLength ? natural + 0.5 : Math.min(maxLength, natural / 2 + style.size * 1.5);
  const p = ctx.ts.set(title, style, length, path);
  const items: Item[] = [];
  p.lines.forEach((line, i) => {
    items.push({
      kind: "line",
      x: p.lineHeight * (p.lines.length - i) - (p.lineHeight + p.size) / 2,
      baseline: 0,
      line,
      color,
    });
  });
  const drawn = Math.max(...p.lines.map((l) => l.width), 0);
  return { box: { width: p.lineHeight * p.lines.length, height: drawn, items }, length: drawn };
}

/** Vertical text with its title at the right (or nothing there), as one box `width` wide. */
function textWithTitle(
  ctx: LayoutContext,
  title: { text: string; style: TextStyle; color: ColorName; path: string } | undefined,
  body: string,
  width: number,
  path: string,
  opts: { tiers: number; lead?: { text: string; path: string }; signature?: SignatureDoc },
): VerticalText {
  const { theme, g } = ctx;
  if (!title) return verticalText(ctx, body, width, path, opts);
  const head = verticalTitle(ctx, title.text, title.style, title.color, title.path, g.contentHeight * 0.5);
  const gap = theme.body * 1.2;
  const bodyWidth = width - head.box.width - gap;
  const t = verticalText(ctx, body, bodyWidth, path, { ...opts, minLength: head.length });
  const height = Math.max(t.height, head.length);
  const items: Item[] = [...t.items];
  for (const it of head.box.items) items.push(it.kind === "line" ? { ...it, x: it.x + bodyWidth + gap } : it);
  const rule = theme.look.heading.rule;
  if (rule) {
    const x = bodyWidth + gap / 2;
    items.push({
      kind: "rule",
      x1: x,
      y1: 0,
      x2: x,
      y2: height,
      color: rule.color,
      width: rule.width,
      ...(rule.dash ? { dash: rule.dash } : {}),
    });
  }
  return { width, height, items, length: t.length, gap: t.gap, titleSpace: width - bodyWidth };
}

/** Whether the theme (or the block) wants the title of a vertical block set vertically at its right. */
function titleIsVertical(ctx: LayoutContext, block: { titleDirection?: "horizontal" | "vertical" }): boolean {
  return (block.titleDirection ?? ctx.theme.look.heading.vertical ?? "vertical") === "vertical";
}

/** A vertical article, placed whole: photos across its top, then its title and text. */
export function verticalArticleBox(ctx: LayoutContext, a: ArticleDoc, path: string, width: number): Box {
  return verticalArticle(ctx, a, path, width).box;
}

/**
 * A vertical article in the page flow: whole when it fits a page, else cut between its 段 into parts no taller
 * than `maxHeight` (the first with the headline and photos), which the page breaker places one after another.
 */
export function verticalArticleParts(
  ctx: LayoutContext,
  a: ArticleDoc,
  path: string,
  width: number,
  maxHeight: number,
): Box[] {
  const { box, textTop, length, gap, titleSpace } = verticalArticle(ctx, a, path, width);
  if (box.height <= maxHeight + 0.5) return [box];
  const pitch = length + gap;
  const tiers = Math.max(1, Math.round((box.height - textTop + gap) / pitch));
  // Greedy: a part takes 段 while it stays within maxHeight (every part takes at least one).
  const starts: number[] = [0];
  let y0 = 0;
  for (let t = 1; t < tiers; t++) {
    if (textTop + t * pitch + length - y0 > maxHeight) {
      starts.push(t);
      y0 = textTop + t * pitch;
    }
  }
  const partOf = (t: number) => {
    let p = 0;
    while (p + 1 < starts.length && (starts[p + 1] as number) <= t) p++;
    return p;
  };
  const top = (p: number) => (p === 0 ? 0 : textTop + (starts[p] as number) * pitch);
  const end = (p: number) => textTop + ((starts[p + 1] ?? tiers) - 1) * pitch + length;
  const parts: Item[][] = starts.map(() => []);
  for (const item of box.items) {
    const y =
      item.kind === "line" ? item.baseline : item.kind === "rule" ? Math.min(item.y1, item.y2) : item.y;
    const t = y < textTop ? 0 : Math.max(0, Math.floor((y - textTop + gap / 2 + 0.01) / pitch));
    const p = partOf(t);
    // The rule between two 段 that now stand on different pages goes.
    if (p > 0 && item.kind === "rule" && item.y1 === item.y2 && Math.abs(item.y1 - (top(p) - gap / 2)) < 0.5)
      continue;
    let placed = item;
    // The rule beside a vertical headline stops with the first part.
    if (item.kind === "rule" && item.x1 === item.x2) placed = { ...item, y2: Math.min(item.y2, end(0)) };
    // Past the first part there is no headline at the right: the 段 begin at the block's right edge.
    parts[p]?.push(...translate([placed], p > 0 ? titleSpace : 0, -top(p)));
  }
  return parts.map((items, p) => ({ width, height: end(p) - top(p), items }));
}

function verticalArticle(
  ctx: LayoutContext,
  a: ArticleDoc,
  path: string,
  width: number,
): { box: Box; textTop: number; length: number; gap: number; titleSpace: number } {
  const { theme, g } = ctx;
  const b = new BoxBuilder(width);
  const vTitle = titleIsVertical(ctx, a);
  if (!vTitle) b.box(headlineBox(ctx, a.title, width, `${path}.title`).build());
  // Photos across the top (default), or, with photosAt bottom or side, in a column at the left end, where the
  // text ends.
  const atEnd = (a.photosAt === "bottom" || a.photosAt === "side") && (a.photos?.length ?? 0) > 0;
  const photoWidth = atEnd ? width / 3 : width;
  const photos = planPhotos(ctx, a.photos ?? [], (i) => `${path}.photos[${i}]`, photoWidth, {
    columns: 1,
    ...(atEnd ? { perRow: 1 } : a.photosPerRow !== undefined ? { perRow: a.photosPerRow } : {}),
    at: "top",
  });
  if (photos.top.length && !atEnd) b.box(stackRows(ctx, photos.top, width)).space(g.photoGap);
  const title = vTitle
    ? {
        text: a.title,
        style: {
          size: theme.title,
          bold: true,
          leading: theme.look.heading.text.leading,
          align: "left" as const,
          vertical: true,
        },
        color: theme.look.heading.text.color,
        path: `${path}.title`,
      }
    : undefined;
  const textTop = b.y;
  const endGap = atEnd ? ctx.g.columnGap : 0;
  const textWidth = atEnd ? width - photoWidth - endGap : width;
  const text = textWithTitle(ctx, title, a.body, textWidth, `${path}.body`, {
    tiers: a.columns ?? 1,
    ...(a.lead ? { lead: { text: a.lead, path: `${path}.lead` } } : {}),
    ...(a.signature ? { signature: a.signature } : {}),
  });
  if (atEnd) {
    const column = stackRows(ctx, photos.top, photoWidth);
    b.box({
      width,
      height: Math.max(text.height, column.height),
      items: [...column.items, ...translate(text.items, photoWidth + endGap, 0)],
    });
  } else b.box(text);
  return { box: b.build(), textTop, length: text.length, gap: text.gap, titleSpace: text.titleSpace ?? 0 };
}

/** A vertical corner: its frame, photos at the top, title at the right (or across the top) and the text. */
export function verticalCornerBox(
  ctx: LayoutContext,
  c: CornerDoc,
  path: string,
  width: number,
  minHeight = 0,
): Box {
  const { g, theme, ts } = ctx;
  const look = theme.look.corner;
  const inner = boxInnerWidth(g, width);
  const pad = g.boxPadding;
  const b = new BoxBuilder(width).space(pad * 0.8);
  const vTitle = titleIsVertical(ctx, c);
  if (!vTitle) {
    b.text(
      ts.set(
        c.title,
        { size: theme.cornerTitle, bold: true, leading: look.title.leading, align: "center" },
        inner,
        `${path}.title`,
      ),
      look.title.color,
      pad,
    );
    b.space(theme.body * 0.3);
  }
  const photos = planPhotos(ctx, c.photos ?? [], (i) => `${path}.photos[${i}]`, inner, {
    columns: 1,
    ...(c.photosPerRow !== undefined ? { perRow: c.photosPerRow } : {}),
    at: "top",
  });
  if (photos.top.length) b.box(stackRows(ctx, photos.top, inner), pad).space(g.photoGap);
  const title = vTitle
    ? {
        text: c.title,
        style: {
          size: theme.cornerTitle,
          bold: true,
          leading: look.title.leading,
          align: "left" as const,
          vertical: true,
        },
        color: look.title.color,
        path: `${path}.title`,
      }
    : undefined;
  const lead = c.subtitle ? { text: c.subtitle, path: `${path}.subtitle` } : undefined;
  b.box(
    textWithTitle(ctx, title, c.body, inner, `${path}.body`, {
      tiers: c.columns ?? 1,
      ...(lead ? { lead } : {}),
      ...(c.signature ? { signature: c.signature } : {}),
    }),
    pad,
  );
  b.space(pad * 0.8);
  const box = b.build(minHeight);
  box.items.unshift(frame(look.box, width, box.height, theme.body));
  return box;
}
