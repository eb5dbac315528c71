import { createRequire } from "node:module";
import type { LineItem } from "../layout/index.js";
import type { SetRun } from "../typeset/index.js";

/**
 * 縦組み (issue 13): a vertical line drawn glyph by glyph, each at the place the typesetter gave it down the
 * line (typeset/vertical.ts). Upright glyphs are ordinary absolutely positioned text drawn with the font's
 * `vert` alternates; a turned Latin word is one text node turned 90° clockwise about its start. Every node goes
 * out in reading order (down each line, lines right to left), so text copied from the PDF, or read by pdf.js's
 * getTextContent, comes in the order it is read. The item's `x` is the left edge of the line's em box and its
 * `baseline` the top of the line.
 */

type Node = Record<string, unknown>;
type Paint = (name: LineItem["color"]) => string | number[] | undefined;

/**
 * pdfmake has no turned text, and pdfkit does (`rotation`, about the text's top-left). pdfmake hands a node's
 * `fontFeatures` to pdfkit's `text()`, so a turned run carries this key there and pdfkit's `text` takes it out
 * again. Its presence is the message: fontkit, measuring the run first, sets every feature's value to true.
 */
const ROTATE = "kaiho-turn-clockwise";
/** pdfkit turns text counter-clockwise by `rotation` degrees. */
const CLOCKWISE = -90;

interface PdfkitText {
  text(this: PdfkitText, text: string, x?: number, y?: number, options?: Record<string, unknown>): unknown;
}

let patched = false;

/** Lets pdfkit turn a run whose features carry `ROTATE` (done once, on pdfkit's document class). */
export function allowTurnedRuns(): void {
  if (patched) return;
  const PDFDocument = createRequire(import.meta.url)("pdfkit") as { prototype: PdfkitText };
  const proto = PDFDocument.prototype;
  const original = proto.text;
  proto.text = function (this: PdfkitText, text, x, y, options) {
    const features = options?.features as Record<string, unknown> | undefined;
    if (features && ROTATE in features) {
      const { [ROTATE]: _turn, ...rest } = features;
      return original.call(this, text, x, y, { ...options, features: rest, rotation: CLOCKWISE });
    }
    return original.call(this, text, x, y, options);
  };
  patched = true;
}

function textNode(run: SetRun, text: string, x: number, y: number, color: unknown, extra: Node = {}): Node {
  return {
    text,
    font: run.family,
    bold: run.bold,
    fontSize: run.size,
    color,
    fontFeatures: run.features && { ...run.features },
    noWrap: true,
    preserveLeadingSpaces: true,
    absolutePosition: { x, y },
    ...extra,
  };
}

export function verticalNodes(item: LineItem, paint: Paint): Node[] {
  const color = paint(item.color);
  const out: Node[] = [];
  for (const run of item.line.runs) {
    const v = run.vertical;
    if (!v || !run.text) continue;
    const along = item.baseline + run.x + v.along;
    if (v.orient === "sideways") {
      // Turned clockwise about its top-left: the baseline, `ascent` below that corner, comes to stand `ascent`
      // to the left of it, so the corner goes that far right of where the baseline belongs.
      out.push(
        textNode(run, run.text, item.x + v.across + run.ascent, along, color, {
          characterSpacing: run.charSpacing || undefined,
          fontFeatures: { ...(run.features ?? {}), [ROTATE]: true },
        }),
      );
      continue;
    }
    out.push(textNode(run, run.text, item.x + v.across, along - run.ascent, color));
  }
  return out;
}

/** Ruby of a vertical line: upright, down the right side of its base, one glyph per ruby em. */
export function verticalRubyNodes(item: LineItem, paint: Paint): Node[] {
  const color = paint(item.color);
  const out: Node[] = [];
  const base = Math.max(0, ...item.line.runs.filter((r) => r.vertical?.orient !== "tcy").map((r) => r.size));
  for (const r of item.line.ruby ?? []) {
    let y = item.baseline + r.x;
    for (const ch of r.text) {
      out.push({
        text: ch,
        font: r.family,
        bold: r.bold,
        fontSize: r.size,
        color,
        fontFeatures: { kern: false, vert: true },
        noWrap: true,
        absolutePosition: { x: item.x + base, y: y + r.size * 0.88 - r.ascent },
      });
      y += r.size + r.charSpacing;
    }
  }
  return out;
}
