import type { NoteDoc } from "../content/schema.js";
import type { TextStyle } from "../typeset/index.js";
import type { LayoutContext } from "./blocks.js";
import type { FlowItem } from "./flow.js";
import type { Box } from "./model.js";
import { baselineIn } from "./text.js";

/** A remark's own mark, when it starts with one: ※, ※1, ＊, *, 注: — else ※ is put in front. */
const MARK = /^(※\s*[0-9０-９]*|＊|\*|注[0-9０-９]*[:：])\s*/;

/** Splits a remark into its hanging mark and its text. */
export function splitNoteMark(text: string): { mark: string; text: string } {
  const m = MARK.exec(text.trim());
  if (!m) return { mark: "※", text: text.trim() };
  return { mark: (m[1] ?? "※").replace(/\s+/g, ""), text: text.trim().slice(m[0].length) };
}

/**
 * One ※ remark as flow lines: small text, no indent, the mark hanging in front of the first line and every
 * following line aligned after it (not under the mark), as 注記 are set.
 */
export function noteFlow(
  ctx: LayoutContext,
  remark: string,
  width: number,
  path: string,
  id: number,
): FlowItem[] {
  const { theme, ts } = ctx;
  const look = theme.look.note;
  const style: TextStyle = {
    size: theme.body * look.size,
    leading: Math.max(look.minLeading, theme.leading - look.tighter),
    align: "justify",
    indent: 0,
    hanging: ctx.g.hanging,
  };
  const { mark, text } = splitNoteMark(remark);
  const markStyle = { ...style, align: "left" as const };
  // A one-character mark (※) is full width and needs no gap; ※1 or 注: gets a quarter em after it.
  const markWidth = ts.widthOf(mark, markStyle) + ([...mark].length > 1 ? style.size * look.markGap : 0);
  const markLine = ts.set(mark, markStyle, markWidth + style.size, path).lines[0];
  const p = ts.set(text || " ", style, width - markWidth, path);
  return p.lines.map((line, index) => {
    const baseline = baselineIn(p.lineHeight, p.size);
    const items: FlowItem["items"] = [{ kind: "line", x: markWidth, baseline, line, color: look.color }];
    if (index === 0 && markLine)
      items.push({ kind: "line", x: 0, baseline, line: markLine, color: look.color });
    return { height: p.lineHeight, items, para: { id, index, count: p.lines.length } };
  });
}

/** The `note` block: its remarks one under the other. */
export function noteBox(ctx: LayoutContext, note: NoteDoc, path: string, width: number): Box {
  const remarks = Array.isArray(note) ? note : [note];
  const items: Box["items"] = [];
  let y = 0;
  remarks.forEach((remark, i) => {
    const where = Array.isArray(note) ? `${path}[${i}]` : path;
    for (const line of noteFlow(ctx, remark, width, where, i)) {
      for (const item of line.items)
        items.push(item.kind === "line" ? { ...item, baseline: item.baseline + y } : item);
      y += line.height;
    }
  });
  return { width, height: y, items };
}
