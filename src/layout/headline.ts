import type { LayoutContext } from "./blocks.js";
import type { Box } from "./model.js";
import { BoxBuilder } from "./text.js";

/**
 * An article's headline in the theme's heading style: `bar` (a block of colour beside the title and a rule
 * under it, as union bulletins set them) or `pill` (the title on a rounded tint, as school letters do).
 */
export function headlineBox(ctx: LayoutContext, text: string, width: number, path: string): BoxBuilder {
  const { theme, ts } = ctx;
  const h = theme.look.heading;
  const head = new BoxBuilder(width);
  const style = { size: theme.title, bold: true, leading: h.text.leading, align: "left" as const };
  if (h.style === "pill") {
    const pad = theme.body * h.bar;
    const title = ts.set(text, style, width - pad * 4.6, path);
    const inner = new BoxBuilder(width).space(pad * 0.6).text(title, h.text.color, pad * 2.6);
    const box: Box = inner.space(pad * 0.6).build();
    const pill = h.pill;
    if (pill) {
      box.items.unshift({
        kind: "rect",
        x: 0,
        y: 0,
        width,
        height: box.height,
        ...(pill.fill ? { fill: pill.fill } : {}),
        ...(pill.stroke ? { stroke: pill.stroke, lineWidth: pill.lineWidth } : {}),
        radius: theme.body * pill.radius,
      });
      // A short stroke of the main colour at the start, like a marker pen.
      box.items.push({
        kind: "rect",
        x: pad * 1.1,
        y: box.height * 0.28,
        width: pad * 0.55,
        height: box.height * 0.44,
        fill: h.barColor,
        radius: pad * 0.27,
      });
    }
    head.box(box);
  } else {
    const bar = theme.title * h.bar;
    const title = ts.set(text, style, width - bar * 2.5, path);
    const titleTop = head.y;
    head.text(title, h.text.color, bar * 2.5);
    head.items.push({
      kind: "rect",
      x: 0,
      y: titleTop + theme.title * 0.12,
      width: bar,
      height: head.y - theme.title * 0.24,
      fill: h.barColor,
    });
  }
  if (h.rule) {
    head.space(theme.body * 0.25);
    head.items.push({
      kind: "rule",
      x1: 0,
      y1: head.y,
      x2: width,
      y2: head.y,
      color: h.rule.color,
      width: h.rule.width,
      ...(h.rule.dash ? { dash: h.rule.dash } : {}),
    });
  }
  head.space(theme.body * h.after);
  return head;
}
