import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type * as Fontkit from "fontkit";
import { fixVariationSelectors } from "../fonts/fontkit-uvs.js";
import { fontCacheFile } from "../fonts/measures.js";
import { replaceFile } from "../fsx/write.js";

/**
 * A font as the page preview draws it (src/render/page-raster.ts): runs shaped as pdfkit shapes them and glyph
 * outlines, both kept on disk beside the converted fonts (`<cacheDir>/fonts/shapes-*.json`, named by the font
 * file's bytes and kaiho's and fontkit's versions, as src/fonts/measures.ts names its files). Shaping a run and
 * decoding a glyph's outline cost fontkit most of the preview's time; a warm build finds every run of an
 * unchanged page in the file, and then does not even load fontkit.
 */

/** A run shaped: glyph ids and positions in font units (fontkit's GlyphPosition, the fields pdfkit reads). */
export interface Shaped {
  ids: number[];
  xAdvance: number[];
  xOffset: number[];
  yOffset: number[];
}

interface Stored {
  unitsPerEm: number;
  ascent: number;
  runs: Array<[string, Shaped]>;
  glyphs: Array<[number, string]>;
}

/** Runs kept per font before the ones not drawn in this process are let go. */
const RUNS_LIMIT = 30_000;

const require = createRequire(import.meta.url);
let fontkitModule: typeof Fontkit | undefined;

export class GlyphShapes {
  readonly unitsPerEm: number;
  readonly ascent: number;
  private readonly runs: Map<string, Shaped>;
  private readonly outlines: Map<number, string>;
  private learnt = false;
  /** The runs drawn in this process: what is kept when the file grows past RUNS_LIMIT. */
  private readonly used = new Set<string>();
  private opened: Fontkit.Font | undefined;
  /** pdfkit's cache of feature-less pieces (pdfkit.js `layoutCached`). */
  private readonly pieces = new Map<string, Fontkit.GlyphRun>();

  private constructor(
    private readonly bytes: Buffer,
    private readonly cacheFile: string | undefined,
    stored: Stored | undefined,
  ) {
    this.runs = new Map(stored?.runs);
    this.outlines = new Map(stored?.glyphs);
    this.unitsPerEm = stored?.unitsPerEm ?? this.font.unitsPerEm;
    this.ascent = stored?.ascent ?? this.font.ascent;
  }

  /** The font in `file`, with what earlier builds learnt of it when `cacheDir` (the fonts cache) is given. */
  static async open(file: string, cacheDir: string | undefined): Promise<GlyphShapes> {
    const bytes = await readFile(file);
    const cacheFile = cacheDir === undefined ? undefined : fontCacheFile(cacheDir, "shapes", bytes);
    let stored: Stored | undefined;
    if (cacheFile) {
      try {
        stored = valid(JSON.parse(await readFile(cacheFile, "utf8")));
      } catch {
        // None yet, or unreadable: shaped again, and written again.
      }
    }
    return new GlyphShapes(bytes, cacheFile, stored);
  }

  /** fontkit's font, opened on the first run or glyph not in the cache. */
  private get font(): Fontkit.Font {
    if (!this.opened) {
      fontkitModule ??= require("fontkit") as typeof Fontkit;
      this.opened = fontkitModule.create(this.bytes) as Fontkit.Font;
      // The glyph pdfkit draws for a variation sequence (src/fonts/fontkit-uvs.ts).
      fixVariationSelectors(this.opened);
    }
    return this.opened;
  }

  /**
   * `text` shaped as pdfkit's EmbeddedFont.layout shapes it (pdfkit.js): with features the whole text at once;
   * without, piece by piece, each piece ending after a space or tab.
   */
  shape(text: string, features: Record<string, boolean> | undefined): Shaped {
    const key = `${features ? JSON.stringify(features) : ""}\u0000${text}`;
    this.used.add(key);
    let shaped = this.runs.get(key);
    if (!shaped) {
      shaped = features ? shapedOf(this.layout(text, features)) : this.byPieces(text);
      this.runs.set(key, shaped);
      this.learnt = true;
    }
    return shaped;
  }

  /** The glyph's outline as SVG path data, in font units with y up. */
  outline(id: number): string {
    let svg = this.outlines.get(id);
    if (svg === undefined) {
      svg = this.font.getGlyph(id).path.toSVG();
      this.outlines.set(id, svg);
      this.learnt = true;
    }
    return svg;
  }

  /** Keeps what this drawing learnt for the next build; a cache that cannot be written only costs speed. */
  async save(): Promise<void> {
    if (!this.learnt || !this.cacheFile) return;
    this.learnt = false;
    // Issue after issue adds runs: past the limit, only the ones drawn now are kept.
    if (this.runs.size > RUNS_LIMIT)
      for (const key of this.runs.keys()) if (!this.used.has(key)) this.runs.delete(key);
    const stored: Stored = {
      unitsPerEm: this.unitsPerEm,
      ascent: this.ascent,
      runs: [...this.runs],
      glyphs: [...this.outlines],
    };
    try {
      await replaceFile(this.cacheFile, JSON.stringify(stored));
    } catch {
      // Only speed is lost: the next preview shapes again.
    }
  }

  private layout(text: string, features?: Record<string, boolean>): Fontkit.GlyphRun {
    // fontkit writes every feature of its plan into the object it is given: each call gets its own copy.
    return this.font.layout(text, features && ({ ...features } as unknown as string[]));
  }

  private byPieces(text: string): Shaped {
    const out: Shaped = { ids: [], xAdvance: [], xOffset: [], yOffset: [] };
    let last = 0;
    let index = 0;
    while (index <= text.length) {
      const ch = text.charAt(index);
      if ((index === text.length && last < index) || ch === " " || ch === "\t") {
        const piece = text.slice(last, ++index);
        let run = this.pieces.get(piece);
        if (!run) {
          run = this.layout(piece);
          this.pieces.set(piece, run);
        }
        const s = shapedOf(run);
        out.ids.push(...s.ids);
        out.xAdvance.push(...s.xAdvance);
        out.xOffset.push(...s.xOffset);
        out.yOffset.push(...s.yOffset);
        last = index;
      } else {
        index++;
      }
    }
    return out;
  }
}

function shapedOf(run: Fontkit.GlyphRun): Shaped {
  return {
    ids: run.glyphs.map((g) => g.id),
    xAdvance: run.positions.map((p) => p.xAdvance),
    xOffset: run.positions.map((p) => p.xOffset),
    yOffset: run.positions.map((p) => p.yOffset),
  };
}

/** A parsed cache file when it has the expected shape (anything else is as good as none). */
function valid(data: unknown): Stored | undefined {
  const d = data as Partial<Stored> | null;
  if (!d || typeof d.unitsPerEm !== "number" || typeof d.ascent !== "number") return undefined;
  if (!Array.isArray(d.runs) || !Array.isArray(d.glyphs)) return undefined;
  return d as Stored;
}
