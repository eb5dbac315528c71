import type { SetLine, SetParagraph } from "../typeset/types.js";
import type { FlowItem } from "./flow.js";
import { type Box, type Item, translate } from "./model.js";
import type { ColorName } from "./theme.js";

/**
 * The baseline sits where the ideographic em box (from -0.12 em to 0.88 em around the baseline) is centred in
 * the line box, so CJK text looks vertically centred whatever the leading.
 */
export function baselineIn(lineHeight: number, size: number): number {
  return (lineHeight - size) / 2 + size * 0.88;
}

/**
 * Extra space a line needs above its line box so that its ruby does not run into the line above: ruby stands
 * on the base's em box, and the room above it is the gap between em boxes, `lineHeight − size` (with a body
 * leading of 1.6 and ruby at half size there is room; a headline's tight leading needs some).
 */
export function rubyRoom(line: SetLine, lineHeight: number, size: number): number {
  if (!line.ruby?.length) return 0;
  const rubyTop = Math.max(...line.ruby.map((r) => r.rise + r.size * 0.88));
  return Math.max(0, rubyTop - size * 0.88 - (lineHeight - size));
}

export function paragraphFlow(p: SetParagraph, color: ColorName, id: number, dx = 0): FlowItem[] {
  return p.lines.map((line, index) => {
    const room = rubyRoom(line, p.lineHeight, p.size);
    return {
      height: p.lineHeight + room,
      items: [{ kind: "line", x: dx, baseline: room + baselineIn(p.lineHeight, p.size), line, color }],
      para: { id, index, count: p.lines.length },
    };
  });
}

/** Stacks paragraphs and boxes top to bottom into one box. */
export class BoxBuilder {
  readonly items: Item[] = [];
  y = 0;
  constructor(readonly width: number) {}

  text(p: SetParagraph, color: ColorName, dx = 0): this {
    for (const line of p.lines) {
      this.y += rubyRoom(line, p.lineHeight, p.size);
      this.items.push({
        kind: "line",
        x: dx,
        baseline: this.y + baselineIn(p.lineHeight, p.size),
        line,
        color,
      });
      this.y += p.lineHeight;
    }
    return this;
  }

  box(b: Box, dx = 0): this {
    for (const item of translate(b.items, dx, this.y)) this.items.push(item);
    this.y += b.height;
    return this;
  }

  space(h: number): this {
    this.y += h;
    return this;
  }

  build(minHeight = 0): Box {
    return { width: this.width, height: Math.max(this.y, minHeight), items: this.items };
  }
}
