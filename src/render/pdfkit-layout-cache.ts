import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fontCacheFile } from "../fonts/measures.js";
import { replaceFileSync } from "../fsx/write.js";

/**
 * pdfkit remembers the layout of text set without OpenType features, but lays out again, each time, text set
 * with them, and pdfmake asks twice per run (to measure, then to draw). kaiho sets every Japanese run with
 * features (`kern: false`, and `halt` for brackets), so the same fontkit layout was done twice for every run:
 * about 80 ms of a build. This keeps those layouts too, per font of each document, as pdfkit does for the rest.
 *
 * And from one build to the next (`useRunsCache`): each run's glyphs and positions are kept in
 * `<cacheDir>/fonts/runs-*.json`, named by the font file's bytes and kaiho's and fontkit's versions (as
 * src/fonts/measures.ts names its files), so a warm build draws every run it drew before without shaping it:
 * fontkit's first layouts in a font (a shaping plan, its substitution and positioning tables read) were a good
 * part of the render stage. A kept run is made again of the font's own glyph objects and the same numbers, so
 * pdfkit writes the same bytes.
 */
interface Glyph {
  id: number;
  codePoints: number[];
  advanceWidth: number;
}
interface Position {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
  advanceWidth?: number;
}
interface Run {
  glyphs: Glyph[];
  positions: Position[];
  readonly advanceWidth: number;
}
interface FontkitFont {
  getGlyph(id: number, codePoints?: number[]): Glyph;
  layout(text: string, features?: unknown): Run;
  stream?: { buffer?: Uint8Array };
}
interface EmbeddedFont {
  font: FontkitFont;
  scale: number;
  layout(text: string, features?: unknown, onlyWidth?: boolean): unknown;
  layoutRun(text: string, features?: unknown): Run;
  featureLayouts?: Map<string, unknown>;
  keptRuns?: KeptRuns | null;
}

/** A run as kept on disk: glyph ids, their code points, and fontkit's positions before pdfkit scales them. */
type StoredRun = [ids: number[], codePoints: number[][], positions: number[][]];

interface KeptRuns {
  file: string;
  runs: Map<string, StoredRun>;
  /** The runs drawn in this process: what is kept when the file grows past RUNS_LIMIT. */
  used: Set<string>;
  learnt: boolean;
}

/** Runs kept per font before the ones this process did not draw are let go (issue after issue adds runs). */
const RUNS_LIMIT = 30_000;

let patched = false;
/** Where kept runs are read from and written to during a render (`<cacheDir>/fonts`); none: not kept. */
let cacheDir: string | undefined;
/** The files read in this process, by file name: shared by every document drawn with the same fonts. */
const kept = new Map<string, KeptRuns>();

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
      run = runOf(this, key, text, features);
      this.featureLayouts.set(key, run);
    }
    return run;
  };
  patched = true;
}

/** Reads and keeps runs in `dir` (the fonts cache) while drawing, until `saveRuns`. */
export function useRunsCache(dir: string | undefined): void {
  cacheDir = dir;
}

/** Writes what the drawing shaped for the next build; a cache that cannot be written only costs speed. */
export function saveRuns(): void {
  for (const k of kept.values()) {
    if (!k.learnt) continue;
    k.learnt = false;
    if (k.runs.size > RUNS_LIMIT) for (const key of k.runs.keys()) if (!k.used.has(key)) k.runs.delete(key);
    try {
      replaceFileSync(k.file, JSON.stringify([...k.runs]));
    } catch {
      // Only speed is lost: the next build shapes again.
    }
  }
}

/** The run from the kept ones, else laid out by pdfkit (and kept). */
function runOf(font: EmbeddedFont, key: string, text: string, features: unknown): Run {
  const store = keptRunsOf(font);
  if (!store) return font.layoutRun(text, features);
  store.used.add(key);
  const stored = store.runs.get(key);
  if (stored) return rebuilt(font, stored);
  // pdfkit's layoutRun (pdfkit.js) is fontkit's layout with every position scaled in place: the numbers are
  // kept as fontkit gave them, then scaled by the same multiplication as a kept run is (rebuilt).
  const run = font.font.layout(text, features);
  const kept: StoredRun = [
    run.glyphs.map((g) => g.id),
    run.glyphs.map((g) => [...g.codePoints]),
    run.positions.map((p) => [p.xAdvance, p.yAdvance, p.xOffset, p.yOffset]),
  ];
  store.runs.set(key, kept);
  store.learnt = true;
  return rebuilt(font, kept, run.glyphs);
}

/**
 * The run pdfkit's layoutRun would return (pdfkit.js): the font's glyphs, and each position scaled to pdfkit's
 * 1000-unit space with the glyph's own advance beside it. Positions are kept unscaled and scaled here with the
 * same multiplication, so the numbers are pdfkit's to the last bit.
 */
function rebuilt(font: EmbeddedFont, [ids, codePoints, positions]: StoredRun, shaped?: Glyph[]): Run {
  const glyphs = shaped ?? ids.map((id, i) => font.font.getGlyph(id, codePoints[i]));
  const scaled = positions.map(([xAdvance = 0, yAdvance = 0, xOffset = 0, yOffset = 0], i) => ({
    xAdvance: xAdvance * font.scale,
    yAdvance: yAdvance * font.scale,
    xOffset: xOffset * font.scale,
    yOffset: yOffset * font.scale,
    advanceWidth: (glyphs[i] as Glyph).advanceWidth * font.scale,
  }));
  return {
    glyphs,
    positions: scaled,
    // fontkit's GlyphRun.advanceWidth: the positions' xAdvance summed in order.
    get advanceWidth() {
      let width = 0;
      for (const p of scaled) width += p.xAdvance;
      return width;
    },
  };
}

function keptRunsOf(font: EmbeddedFont): KeptRuns | undefined {
  if (font.keptRuns !== undefined) return font.keptRuns ?? undefined;
  const bytes = font.font.stream?.buffer;
  if (!cacheDir || !bytes) {
    font.keptRuns = null;
    return undefined;
  }
  const file = fontCacheFile(cacheDir, "runs", bytes);
  let store = kept.get(file);
  if (!store) {
    store = { file, runs: new Map(), used: new Set(), learnt: false };
    try {
      const data = JSON.parse(readFileSync(file, "utf8")) as unknown;
      if (Array.isArray(data)) store.runs = new Map(data as Array<[string, StoredRun]>);
    } catch {
      // None yet, or unreadable: laid out again, and written again.
    }
    kept.set(file, store);
  }
  font.keptRuns = store;
  return store;
}
