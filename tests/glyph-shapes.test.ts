import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import * as fontkit from "fontkit";
import { afterAll, describe, expect, it } from "vitest";
import { woffToSfnt } from "../src/fonts/woff.js";
import { GlyphShapes } from "../src/render/glyph-shapes.js";

/** The page preview's shaped runs and outlines, kept per font file between builds (src/render/glyph-shapes.ts). */

const require = createRequire(import.meta.url);
const JP_400_WOFF = path.join(
  path.dirname(require.resolve("@fontsource/noto-sans-jp/package.json")),
  "files",
  "noto-sans-jp-japanese-400-normal.woff",
);

const dir = mkdtempSync(path.join(tmpdir(), "kaiho-shapes-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ttf = path.join(dir, "jp.ttf");
writeFileSync(ttf, woffToSfnt(readFileSync(JP_400_WOFF)));
const cache = path.join(dir, "cache");
mkdirSync(cache);

describe("glyph shapes", () => {
  it("shapes as fontkit does (halt halves the bracket's advance), without features piece by piece", async () => {
    const shapes = await GlyphShapes.open(ttf, cache);
    const font = fontkit.openSync(ttf) as fontkit.Font;
    const text = "「会報」 kaiho";
    const plain = shapes.shape(text, undefined);
    const reference = font.layout(text);
    expect(plain.ids).toEqual(reference.glyphs.map((g) => g.id));
    expect(plain.xAdvance).toEqual(reference.positions.map((p) => p.xAdvance));
    const halt = shapes.shape("「会報」", { kern: false, halt: true });
    expect(halt.xAdvance[0]).toBeLessThan((plain.xAdvance[0] ?? 0) * 0.75);
    expect(shapes.outline(plain.ids[1] as number)).toBe(font.getGlyph(plain.ids[1] as number).path.toSVG());
    await shapes.save();
  });

  it("finds what an earlier drawing kept in the file named by the font's bytes, in any copy of the font", async () => {
    const files = readdirSync(cache).filter((f) => f.startsWith("shapes-"));
    expect(files).toHaveLength(1);
    // Marked: a shape only the file has, so finding it proves the file was read rather than fontkit asked.
    const file = path.join(cache, files[0] as string);
    const stored = JSON.parse(readFileSync(file, "utf8"));
    stored.runs.push(["\u0000marked", { ids: [7], xAdvance: [1], xOffset: [0], yOffset: [0] }]);
    writeFileSync(file, JSON.stringify(stored));
    const copy = path.join(dir, "copy.ttf");
    copyFileSync(ttf, copy);
    const again = await GlyphShapes.open(copy, cache);
    expect(again.shape("marked", undefined).ids).toEqual([7]);
    // Another font (other bytes) does not read it.
    writeFileSync(copy, Buffer.concat([readFileSync(ttf), Buffer.alloc(4)]));
    const other = await GlyphShapes.open(copy, cache);
    expect(other.shape("marked", undefined).ids).not.toEqual([7]);
  });

  it("takes a damaged file for none", async () => {
    const file = path.join(cache, readdirSync(cache).find((f) => f.startsWith("shapes-")) as string);
    writeFileSync(file, "{ not json");
    const shapes = await GlyphShapes.open(ttf, cache);
    expect(shapes.shape("会", undefined).ids).toHaveLength(1);
    await shapes.save();
    expect(() => JSON.parse(readFileSync(file, "utf8"))).not.toThrow();
  });
});
