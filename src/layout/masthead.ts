import { mm } from "../content/geometry.js";
import type { LayoutContext } from "./blocks.js";
import { formatDate } from "./blocks.js";
import type { Box } from "./model.js";
import { LOGO_WIDTH_MM, rowPhoto } from "./photos.js";
import { BoxBuilder } from "./text.js";

/** The 題字 band on page 1: the name large on the left, number, date and publisher stacked on the right. */
export function mastheadBox(ctx: LayoutContext, width: number): Box {
  const { issue, theme, ts } = ctx;
  const doc = issue.doc;
  const logoWidth = mm(LOGO_WIDTH_MM);
  const logo =
    doc.logo !== undefined
      ? { widthPt: logoWidth, heightPt: logoWidth / rowPhoto(ctx, "logo").aspect }
      : undefined;
  const logoSpace = logo ? logo.widthPt + theme.body : 0;
  const infoWidth = width * 0.34;
  const nameWidth = width - infoWidth - logoSpace - theme.body;
  const name = ts.set(
    doc.newsletter,
    { size: theme.masthead, bold: true, leading: 1.15, align: "left" },
    nameWidth,
    "newsletter",
  );
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

  const nameHeight = name.lines.length * name.lineHeight;
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
  const nameBox = new BoxBuilder(nameWidth).text(name, theme.primary).build();
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
