import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import * as fontkit from "fontkit";
import { describe, expect, it } from "vitest";
import { woffToSfnt } from "../src/fonts/woff.js";

const dir = path.dirname(createRequire(import.meta.url).resolve("@fontsource/noto-sans-jp/package.json"));

describe("font names after conversion", () => {
  it("names the japanese subset by its real weight, not the variable font's Thin default", () => {
    for (const [weight, style] of [
      [400, "Regular"],
      [700, "Bold"],
    ] as const) {
      const woff = readFileSync(path.join(dir, "files", `noto-sans-jp-japanese-${weight}-normal.woff`));
      const original = fontkit.create(Buffer.from(woff)) as fontkit.Font;
      expect(original.postscriptName).toBe(`NotoSansJPThin-${style}`);
      const font = fontkit.create(woffToSfnt(woff)) as fontkit.Font;
      expect(font.postscriptName).toBe(`NotoSansJP-${style}`);
      expect(font.familyName).toBe("Noto Sans JP");
      // Nothing else changes: the same glyphs, the same characters.
      expect(font.numGlyphs).toBe(original.numGlyphs);
      expect(font.characterSet.length).toBe(original.characterSet.length);
    }
  });
});
