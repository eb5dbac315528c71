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
    const inset = h.pillInset;
    const title = ts.set(text, style, width - pad * inset.across, path);
    const inner = new BoxBuilder(width).space(pad * inset.y).text(title, h.text.color, pad * inset.start);
    const box: Box = inner.space(pad * inset.y).build();
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
        x: pad * h.marker.x,
        y: box.height * h.marker.top,
        width: pad * h.marker.width,
        height: box.height * h.marker.height,
        fill: h.barColor,
        radius: pad * h.marker.radius,
      });
    }
    head.box(box);
  } else {
    const bar = theme.title * h.bar;
    const title = ts.set(text, style, width - bar * h.barIndent, path);
    const titleTop = head.y;
    head.text(title, h.text.color, bar * h.barIndent);
    head.items.push({
      kind: "rect",
      x: 0,
      y: titleTop + theme.title * h.barInset,
      width: bar,
      height: head.y - theme.title * (h.barInset * 2),
      fill: h.barColor,
    });
  }
  if (h.rule) {
    head.space(theme.body * h.ruleGap);
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
