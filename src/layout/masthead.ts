import type { SetParagraph, TextStyle, Typesetter } from "../typeset/index.js";
import type { LayoutContext } from "./blocks.js";
import { formatDate } from "./blocks.js";
import type { Box } from "./model.js";
import { BoxBuilder } from "./text.js";

/** The smallest the title may be set to stay on one line, as a fraction of the theme's masthead size. */
const MASTHEAD_MIN_SCALE = 0.7;

/**
 * The 題字 on one line when it can be: at the theme's size if it fits, else lowered (down to 70%) until it does.
 * A title too long even then is broken at a phrase boundary into two balanced lines (phrases.ts), at the
 * largest size within the same bounds that takes two lines.
 */
export function fitMastheadTitle(ts: Typesetter, text: string, size: number, width: number): SetParagraph {
  const style = (s: number): TextStyle => ({ size: s, bold: true, leading: 1.15, align: "left" });
  const natural = ts.widthOf(text, style(size));
  if (natural <= width) return ts.set(text, style(size), width, "newsletter");
  const min = size * MASTHEAD_MIN_SCALE;
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
  const { issue, theme, ts, images } = ctx;
  const doc = issue.doc;
  const logo = images.photos.get("logo");
  const logoSpace = logo ? logo.widthPt + theme.body : 0;
  const infoWidth = width * 0.34;
  const nameWidth = width - infoWidth - logoSpace - theme.body;
  const name = fitMastheadTitle(ts, doc.newsletter, theme.masthead, nameWidth);
  const info = new BoxBuilder(infoWidth);
  const infoStyle = { size: theme.body * 1.05, leading: 1.45, align: "right" as const };
  if (doc.number)
    info.text(
      ts.set(doc.number, { ...infoStyle, bold: true, size: theme.body * 1.3 }, infoWidth, "number"),
      theme.text,
    );
  info.text(ts.set(`${formatDate(doc.date, true)}発行`, infoStyle, infoWidth, "date"), theme.text);
  if (doc.publisher) info.text(ts.set(doc.publisher, infoStyle, infoWidth, "publisher"), theme.text);
  const infoBox = info.build();

  const nameBox = new BoxBuilder(nameWidth).text(name, theme.primary).build();
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
      file: logo.file,
      path: "logo",
    });
  b.items.push(...new BoxBuilder(width).space((bandHeight - nameHeight) / 2).box(nameBox, logoSpace).items);
  b.items.push(
    ...new BoxBuilder(width).space(bandHeight - infoBox.height).box(infoBox, width - infoWidth).items,
  );
  b.space(bandHeight + theme.body * 0.4);
  b.items.push({ kind: "rect", x: 0, y: b.y, width, height: 3, fill: theme.primary });
  b.space(4.2);
  b.items.push({ kind: "rule", x1: 0, y1: b.y, x2: width, y2: b.y, color: theme.primary, width: 0.6 });
  b.space(theme.body * 0.3);
  if (doc.subtitle) {
    b.text(
      ts.set(doc.subtitle, { size: theme.body, leading: 1.5, align: "right" }, width, "subtitle"),
      theme.muted,
    );
  }
  return b.build();
}

/** Footer in the bottom margin: name and number on the left, the page number in the middle. */
export function footerBox(ctx: LayoutContext, width: number, page: number, pages: number): Box {
  const { issue, theme, ts } = ctx;
  const size = theme.body * 0.85;
  const b = new BoxBuilder(width);
  b.items.push({ kind: "rule", x1: 0, y1: 0, x2: width, y2: 0, color: "footerRule", width: 0.4 });
  b.space(size * 0.5);
  const left = ts.set(
    [issue.doc.newsletter, issue.doc.number].filter(Boolean).join(" "),
    { size, leading: 1.3, align: "left" },
    width / 3,
    "newsletter",
  );
  const middle = ts.set(`― ${page} / ${pages} ―`, { size, leading: 1.3, align: "center" }, width / 3, "page");
  const top = b.y;
  b.text(left, theme.muted);
  b.y = top;
  b.text(middle, theme.muted, width / 3);
  return b.build();
}
