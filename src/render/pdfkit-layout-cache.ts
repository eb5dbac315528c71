import { createRequire } from "node:module";

/**
 * pdfkit remembers the layout of text set without OpenType features, but lays out again, each time, text set
 * with them, and pdfmake asks twice per run (to measure, then to draw). kaiho sets every Japanese run with
 * features (`kern: false`, and `halt` for brackets), so the same fontkit layout was done twice for every run:
 * about 80 ms of a build. This keeps those layouts too, per font of each document, as pdfkit does for the rest.
 */
interface EmbeddedFont {
  layout(text: string, features?: unknown, onlyWidth?: boolean): unknown;
  layoutRun(text: string, features?: unknown): unknown;
  featureLayouts?: Map<string, unknown>;
}

let patched = false;

export function cacheFeatureLayouts(anyFontFile: string): void {
  if (patched) return;
  const PDFDocument = createRequire(import.meta.url)("pdfkit") as new (
    opts: object,
  ) => {
    font(src: string): { _font: EmbeddedFont };
  };
  const doc = new PDFDocument({ autoFirstPage: false });
  const proto = Object.getPrototypeOf(doc.font(anyFontFile)._font) as EmbeddedFont;
  const original = proto.layout;
  proto.layout = function (this: EmbeddedFont, text: string, features?: unknown, onlyWidth?: boolean) {
    if (!features) return original.call(this, text, features, onlyWidth);
    this.featureLayouts ??= new Map();
    const key = `${JSON.stringify(features)}\u0000${text}`;
    let run = this.featureLayouts.get(key);
    if (run === undefined) {
      run = this.layoutRun(text, features);
      this.featureLayouts.set(key, run);
    }
    return run;
  };
  patched = true;
}
