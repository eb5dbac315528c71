import { mm } from "../content/geometry.js";
import type { SetParagraph, TextStyle, Typesetter } from "../typeset/index.js";
import type { LayoutContext } from "./blocks.js";
import { formatDate, frame } from "./blocks.js";
import { type Box, translate } from "./model.js";
import { LOGO_WIDTH_MM, rowPhoto } from "./photos.js";
import { BoxBuilder } from "./text.js";

/** The logo's placed size: a fixed width, its height from the photo's upright aspect ratio. */
function logoSize(ctx: LayoutContext): { widthPt: number; heightPt: number } | undefined {
  if (ctx.issue.doc.logo === undefined) return undefined;
  const widthPt = mm(LOGO_WIDTH_MM);
  return { widthPt, heightPt: widthPt / rowPhoto(ctx, "logo").aspect };
}

/**
 * The 題字 on one line when it can be: at the theme's size if it fits, else lowered (down to the theme's
 * `masthead.minScale` of it) until it does.
 * A title too long even then is broken at a phrase boundary into two balanced lines (phrases.ts), at the
 * largest size within the same bounds that takes two lines.
 */
export function fitMastheadTitle(
  ts: Typesetter,
  text: string,
  size: number,
  width: number,
  leading: number,
  minScale: number,
): SetParagraph {
  const style = (s: number): TextStyle => ({ size: s, bold: true, leading, align: "left" });
  const natural = ts.widthOf(text, style(size));
  if (natural <= width) return ts.set(text, style(size), width, "newsletter");
  const min = size * minScale;
  // Width grows in proportion to size; the small margin absorbs rounding in the advance widths.
  const scaled = Math.floor(((size * width) / natural) * 0.999 * 100) / 100;
  if (scaled >= min) {
    const one = ts.set(text, style(scaled), width, "newsletter");
    if (one.lines.length === 1) return one;
  }
  for (let s = size; s > min; s -= size * 0.05) {
    const two = ts.set(text, style(s), width, "newsletter");
    if (two.lines.length <= 2) return two;
  }
  return ts.set(text, style(min), width, "newsletter");
}

/** The 題字 band on page 1: the name large on the left, number, date and publisher stacked on the right. */
export function mastheadBox(ctx: LayoutContext, width: number): Box {
  const { issue, theme, ts } = ctx;
  const look = theme.look.masthead;
  const doc = issue.doc;
  if (look.style === "frame" && look.frame) return framedMasthead(ctx, width);
  const logo = logoSize(ctx);
  const logoSpace = logo ? logo.widthPt + theme.body * look.gap : 0;
  const infoWidth = width * look.infoWidth;
  const nameWidth = width - infoWidth - logoSpace - theme.body * look.gap;
  const name = fitMastheadTitle(
    ts,
    doc.newsletter,
    theme.masthead,
    nameWidth,
    look.name.leading,
    look.minScale,
  );
  const infoBox = mastheadInfo(ctx, infoWidth);

  const nameBox = new BoxBuilder(nameWidth).text(name, look.name.color).build();
  const nameHeight = nameBox.height;
  const bandHeight = Math.max(nameHeight, infoBox.height, logo?.heightPt ?? 0);
  const b = new BoxBuilder(width);
  if (logo)
    b.items.push({
      kind: "image",
      x: 0,
      y: (bandHeight - logo.heightPt) / 2,
      width: logo.widthPt,
      height: logo.heightPt,
      path: "logo",
    });
  b.items.push(...new BoxBuilder(width).space((bandHeight - nameHeight) / 2).box(nameBox, logoSpace).items);
  b.items.push(
    ...new BoxBuilder(width).space(bandHeight - infoBox.height).box(infoBox, width - infoWidth).items,
  );
  b.space(bandHeight + theme.body * look.beforeBands);
  const band = look.band;
  b.items.push({ kind: "rect", x: 0, y: b.y, width, height: band.thick, fill: band.color });
  b.space(band.gap);
  b.items.push({ kind: "rule", x1: 0, y1: b.y, x2: width, y2: b.y, color: band.color, width: band.thin });
  b.space(theme.body * look.afterBands);
  subtitleUnder(ctx, b, width);
  return b.build();
}

function subtitleUnder(ctx: LayoutContext, b: BoxBuilder, width: number): void {
  const { issue, theme, ts } = ctx;
  if (!issue.doc.subtitle) return;
  b.text(
    ts.set(
      issue.doc.subtitle,
      { size: theme.body, leading: theme.look.leading.subtitle, align: "right" },
      width,
      "subtitle",
    ),
    theme.look.masthead.subtitle,
  );
}

/** Number, date and publisher stacked, right-aligned. */
function mastheadInfo(ctx: LayoutContext, infoWidth: number): Box {
  const { issue, theme, ts } = ctx;
  const doc = issue.doc;
  const look = theme.look.masthead.info;
  const info = new BoxBuilder(infoWidth);
  const infoStyle = { size: theme.body * look.size, leading: look.leading, align: "right" as const };
  if (doc.number)
    info.text(
      ts.set(
        doc.number,
        { ...infoStyle, bold: true, size: theme.body * look.numberSize },
        infoWidth,
        "number",
      ),
      look.color,
    );
  info.text(ts.set(`${formatDate(doc.date, true)}発行`, infoStyle, infoWidth, "date"), look.color);
  if (doc.publisher) info.text(ts.set(doc.publisher, infoStyle, infoWidth, "publisher"), look.color);
  return info.build();
}

/**
 * The school-letter masthead: the name inside a rounded, tinted frame with the logo at its left, number, date and
 * publisher to the right of the frame.
 */
function framedMasthead(ctx: LayoutContext, width: number): Box {
  const { issue, theme, ts } = ctx;
  const look = theme.look.masthead;
  const frameStyle = look.frame;
  const logo = logoSize(ctx);
  const pad = theme.body * look.framePadding;
  const infoWidth = width * look.infoWidth;
  const frameWidth = width - infoWidth - theme.body * look.gap;
  const logoSpace = logo ? logo.widthPt + theme.body * look.gap : 0;
  const nameWidth = frameWidth - 2 * pad - logoSpace;
  const name = fitMastheadTitle(
    ts,
    issue.doc.newsletter,
    theme.masthead,
    nameWidth,
    look.name.leading,
    look.minScale,
  );
  const nameBox = new BoxBuilder(nameWidth).text(name, look.name.color).build();
  const nameHeight = nameBox.height;
  const inside = Math.max(nameHeight, logo?.heightPt ?? 0);
  const frameHeight = inside + pad * look.frameHeight;
  const infoBox = mastheadInfo(ctx, infoWidth);
  const bandHeight = Math.max(frameHeight, infoBox.height);
  const b = new BoxBuilder(width);
  const frameTop = (bandHeight - frameHeight) / 2;
  if (frameStyle)
    b.items.push(...translate([frame(frameStyle, frameWidth, frameHeight, theme.body)], 0, frameTop));
  if (logo)
    b.items.push({
      kind: "image",
      x: pad,
      y: frameTop + (frameHeight - logo.heightPt) / 2,
      width: logo.widthPt,
      height: logo.heightPt,
      path: "logo",
    });
  b.items.push(...translate(nameBox.items, pad + logoSpace, frameTop + (frameHeight - nameHeight) / 2));
  b.items.push(...translate(infoBox.items, width - infoWidth, (bandHeight - infoBox.height) / 2));
  b.space(bandHeight + theme.body * look.afterFrame);
  subtitleUnder(ctx, b, width);
  return b.build();
}

/** Footer in the bottom margin: name and number on the left, the page number in the middle. */
export function footerBox(ctx: LayoutContext, width: number, page: number, pages: number): Box {
  const { issue, theme, ts } = ctx;
  const look = theme.look.footer;
  const size = theme.body * look.size;
  const b = new BoxBuilder(width);
  b.items.push({ kind: "rule", x1: 0, y1: 0, x2: width, y2: 0, ...look.rule });
  b.space(size * look.gap);
  const left = ts.set(
    [issue.doc.newsletter, issue.doc.number].filter(Boolean).join(" "),
    { size, leading: theme.look.leading.footer, align: "left" },
    width / 3,
    "newsletter",
  );
  const middle = ts.set(
    `― ${page} / ${pages} ―`,
    { size, leading: theme.look.leading.footer, align: "center" },
    width / 3,
    "page",
  );
  const top = b.y;
  b.text(left, look.color);
  b.y = top;
  b.text(middle, look.color, width / 3);
  return b.build();
}
