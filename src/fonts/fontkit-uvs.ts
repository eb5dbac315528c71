import { createRequire } from "node:module";
import type * as Fontkit from "fontkit";

/**
 * fontkit 2.0.4 never finds a non-default variation sequence (倦 U+E0100 → its own glyph) when the selector's
 * cmap 14 record also has a default table, as Noto Sans JP's have: `getVariationSelector` searches the
 * non-default mappings only for code points that are in the default ranges. pdfkit draws through fontkit, so
 * the fix goes on fontkit's cmap processor itself (the CommonJS copy pdfkit requires): the same glyph is then
 * measured here and drawn there. Default sequences keep the base glyph, as the standard says.
 */

interface UvsRecord {
  varSelector: number;
  nonDefaultUVS?: ArrayLike<{ unicodeValue: number; glyphID: number }> | null;
}
interface CmapProcessor {
  uvs?: { varSelectors: { toArray(): UvsRecord[] } } | null;
  getVariationSelector(codepoint: number, selector: number): number;
  kaihoSelectors?: Map<number, UvsRecord>;
}

let fixed = false;

export function fixVariationSelectors(font: Fontkit.Font): void {
  if (fixed) return;
  const processor = (font as unknown as { _cmapProcessor?: CmapProcessor })._cmapProcessor;
  if (!processor) return;
  const proto = Object.getPrototypeOf(processor) as CmapProcessor;
  proto.getVariationSelector = function (this: CmapProcessor, codepoint: number, selector: number): number {
    if (!this.uvs) return 0;
    if (!this.kaihoSelectors)
      this.kaihoSelectors = new Map(this.uvs.varSelectors.toArray().map((r) => [r.varSelector, r]));
    const mappings = this.kaihoSelectors.get(selector)?.nonDefaultUVS;
    if (!mappings) return 0;
    // Sorted by code point (cmap format 14).
    let lo = 0;
    let hi = mappings.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = mappings[mid] as { unicodeValue: number; glyphID: number };
      if (m.unicodeValue === codepoint) return m.glyphID;
      if (m.unicodeValue < codepoint) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  };
  fixed = true;
}

/** The fix for a process that has not opened a font through the fonts stage (the render worker). */
export function fixVariationSelectorsWith(fontFile: string): void {
  if (fixed) return;
  const fontkit = createRequire(import.meta.url)("fontkit") as typeof Fontkit;
  fixVariationSelectors(fontkit.openSync(fontFile) as Fontkit.Font);
}
