import { readFileSync } from "node:fs";
import path from "node:path";
import { kaiho, projectWith, REPO, SAMPLE } from "./cli.js";
import { inspectPdf, type PdfReport, type PdfTextItem } from "./pdf.js";

/** The ruby fixture issue (tests/fixtures/issues/ruby), built once per test file with the sample's photo beside it. */
export const RUBY_FIXTURE = path.join(REPO, "tests", "fixtures", "issues", "ruby", "issue.yaml");

export async function buildFixture(yaml = readFileSync(RUBY_FIXTURE, "utf8")): Promise<PdfReport> {
  const photo = readFileSync(path.join(REPO, "content", SAMPLE, "kantoko-1.jpg"));
  const { root, issue } = projectWith(yaml, { "kantoko-1-1500x1000.jpg": photo });
  const r = kaiho(["build", issue, "--root", root]);
  if (r.status !== 0) throw new Error(r.stderr);
  return inspectPdf(path.join(root, "output", "test-issue.pdf"));
}

/** A ruby item and the base item under it, as drawn. */
export interface DrawnRuby {
  ruby: PdfTextItem;
  base: PdfTextItem;
}

/** Text of an item without the spaces pdfjs adds for wide gaps. */
export const glyphs = (item: PdfTextItem) => item.str.replace(/\s+/gu, "");

/** Where the glyphs of an item end: pdfjs measures an item from its first glyph's start to its last glyph's end. */
export function visualRight(item: PdfTextItem): number {
  return item.x + item.width;
}

/**
 * Ruby is recognised by where it stands: an item at `ratio` × the size of an item below it, whose baseline is 0.88 em
 * of the base plus 0.12 em of the ruby higher (the ruby's em box on the base's), overlapping it horizontally.
 */
export function drawnRuby(items: readonly PdfTextItem[], ratio = 0.5): DrawnRuby[] {
  const out: DrawnRuby[] = [];
  for (const ruby of items) {
    const overlap = (b: PdfTextItem) => Math.min(visualRight(b), visualRight(ruby)) - Math.max(b.x, ruby.x);
    const base = items
      .filter(
        (b) =>
          b !== ruby &&
          glyphs(b) !== "" &&
          Math.abs(b.fontSize * ratio - ruby.fontSize) < 0.1 &&
          Math.abs(ruby.y - b.y - (0.88 * b.fontSize + 0.12 * ruby.fontSize)) < 0.3 &&
          overlap(b) > 0,
      )
      .sort((a, b) => overlap(b) - overlap(a))[0];
    if (base && glyphs(ruby) !== "") out.push({ ruby, base });
  }
  return out;
}
