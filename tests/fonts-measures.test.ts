import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { loadIssue } from "../src/content/index.js";
import { Warnings } from "../src/diagnostics.js";
import type { KaihoFontFace } from "../src/fonts/face.js";
import type { FontBook } from "../src/fonts/font-book.js";
import { loadFonts } from "../src/fonts/index.js";
import { readMeasures } from "../src/fonts/measures.js";
import { createTypesetter } from "../src/typeset/index.js";
import { projectWith } from "./helpers/cli.js";

/**
 * What the typesetter measured in each font is kept in the cache folder (src/fonts/measures.ts): the next build
 * reads it instead of shaping every character again, and sets the same lines.
 */

const TEXT = "「組合員の皆さん、こんにちは。」12月のKaiho講座は、ＡＢＣホールで開きます（参加費：無料）。";
const STYLE = { size: 9, leading: 1.7 };

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

async function fontsFor(root: string, issueDir: string): Promise<FontBook> {
  const warnings = new Warnings();
  const issue = await loadIssue(issueDir, { root, warnings, problems: [] });
  return loadFonts(issue, { cacheDir: join(root, ".cache", "kaiho"), warnings });
}

/** Counts the fontkit layouts (shapings) the primary faces do while `run` runs. */
async function shapings(book: FontBook, run: () => void): Promise<number> {
  let count = 0;
  for (const bold of [false, true]) {
    const font = (book.primary(bold) as KaihoFontFace).font;
    const layout = font.layout.bind(font);
    font.layout = ((...args: Parameters<typeof layout>) => {
      count++;
      return layout(...args);
    }) as typeof font.layout;
  }
  run();
  return count;
}

describe("measurements kept between builds", () => {
  const { root, issue } = projectWith(
    ["newsletter: テスト通信", "date: 2024-01-01", "blocks:", "  - slogan: 団結", ""].join("\n"),
  );
  roots.push(root);
  const measuresDir = join(root, ".cache", "kaiho", "fonts");
  const measureFiles = () => readdirSync(measuresDir).filter((f) => f.startsWith("measures-"));

  test("a second build shapes nothing the first measured, and sets the same lines", async () => {
    const first = await fontsFor(root, issue);
    const ts1 = createTypesetter(first);
    let set1: ReturnType<typeof ts1.set> | undefined;
    expect(await shapings(first, () => (set1 = ts1.set(TEXT, STYLE, 120, "t")))).toBeGreaterThan(20);
    first.saveMeasures?.();
    expect(measureFiles().length).toBeGreaterThan(0);

    const second = await fontsFor(root, issue);
    const ts2 = createTypesetter(second);
    let set2: ReturnType<typeof ts2.set> | undefined;
    expect(await shapings(second, () => (set2 = ts2.set(TEXT, STYLE, 120, "t")))).toBe(0);
    expect(JSON.stringify(set2)).toBe(JSON.stringify(set1));
  });

  test("a damaged measurements file is measured again, with the same result", async () => {
    const reference = createTypesetter(await fontsFor(root, issue)).set(TEXT, STYLE, 120, "t");
    for (const f of measureFiles()) writeFileSync(join(measuresDir, f), '{"advances": [["、", "x"], 3');
    const book = await fontsFor(root, issue);
    const ts = createTypesetter(book);
    let again: ReturnType<typeof ts.set> | undefined;
    expect(await shapings(book, () => (again = ts.set(TEXT, STYLE, 120, "t")))).toBeGreaterThan(20);
    expect(JSON.stringify(again)).toBe(JSON.stringify(reference));
    book.saveMeasures?.();
    for (const f of measureFiles())
      expect(() => JSON.parse(readFileSync(join(measuresDir, f), "utf8"))).not.toThrow();
  });

  test("are named by the font file's bytes: another font, or the same font changed, reads none of them", () => {
    const font = Buffer.from("a font's bytes");
    const changed = Buffer.from("a font's bytez");
    expect(readMeasures(measuresDir, font).file).toBe(readMeasures(measuresDir, Buffer.from(font)).file);
    expect(readMeasures(measuresDir, changed).file).not.toBe(readMeasures(measuresDir, font).file);
    expect(readMeasures(measuresDir, changed).advances.size).toBe(0);
  });
});
