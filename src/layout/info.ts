import type { InfoDoc } from "../content/schema.js";
import type { TextStyle } from "../typeset/index.js";
import type { LayoutContext } from "./blocks.js";
import type { FlowItem } from "./flow.js";
import { type Box, translate } from "./model.js";
import { BoxBuilder, baselineIn } from "./text.js";

/** One line of an info list: a key (日時, 場所, …) and its values, each value starting a new line. */
export interface InfoEntry {
  key: string;
  values: string[];
}

/** The entries of an `info` block, in the order written. */
export function infoEntries(info: InfoDoc): { title?: string; entries: InfoEntry[] } {
  const list = Array.isArray(info) ? info : info.items;
  const entries = list.flatMap((entry) =>
    Object.entries(entry).map(([key, value]) => ({ key, values: Array.isArray(value) ? value : [value] })),
  );
  return { ...(!Array.isArray(info) && info.title ? { title: info.title } : {}), entries };
}

/**
 * Key–value lines as flow lines: the keys in one column as wide as the widest key (at most a third of the
 * width), each value starting one em after it and wrapping under itself, never back under the key. An entry's
 * lines are one paragraph for the column breaker, so a two-line value does not leave one line alone.
 */
export function infoFlow(
  ctx: LayoutContext,
  entries: InfoEntry[],
  width: number,
  path: (i: number, j?: number) => string,
  firstId: number,
): FlowItem[] {
  const { theme, ts } = ctx;
  const look = theme.look.info;
  const style: TextStyle = { size: theme.body, leading: theme.leading, align: "justify", indent: 0 };
  const keyStyle: TextStyle = { ...style, bold: true, align: "left" };
  const gap = theme.body;
  const keyWidth = Math.min(width / 3, Math.max(0, ...entries.map((e) => ts.widthOf(e.key, keyStyle))));
  const valueWidth = width - keyWidth - gap;
  const flow: FlowItem[] = [];
  entries.forEach((entry, i) => {
    const key = ts.set(entry.key, keyStyle, keyWidth, path(i));
    const lines = entry.values.flatMap(
      (value, j) => ts.set(value, style, valueWidth, path(i, entry.values.length > 1 ? j : undefined)).lines,
    );
    const lineHeight = theme.body * theme.leading;
    const baseline = baselineIn(lineHeight, theme.body);
    const count = Math.max(lines.length, key.lines.length);
    for (let index = 0; index < count; index++) {
      const items: FlowItem["items"] = [];
      const value = lines[index];
      const k = key.lines[index];
      if (k) items.push({ kind: "line", x: 0, baseline, line: k, color: look.key });
      if (value) items.push({ kind: "line", x: keyWidth + gap, baseline, line: value, color: look.value });
      flow.push({ height: lineHeight, items, para: { id: firstId + i, index, count } });
    }
  });
  return flow;
}

/** The `info` block: an optional title, then the key–value lines. */
export function infoBox(ctx: LayoutContext, info: InfoDoc, path: string, width: number): Box {
  const { theme, ts } = ctx;
  const { title, entries } = infoEntries(info);
  const b = new BoxBuilder(width);
  if (title) {
    const look = theme.look.subheading;
    b.text(
      ts.set(
        title,
        { size: theme.subheading, bold: true, leading: look.leading, align: "left" },
        width,
        `${path}.title`,
      ),
      look.color,
    );
  }
  const itemsPath = Array.isArray(info) ? path : `${path}.items`;
  const flow = infoFlow(ctx, entries, width, (i) => `${itemsPath}[${i}]`, 0);
  for (const line of flow) {
    b.items.push(...translate(line.items, 0, b.y));
    b.y += line.height;
  }
  return b.build();
}
