import { readFileSync } from "node:fs";
import { inflateSync } from "node:zlib";
import { PDFArray, PDFDocument, PDFName, PDFRawStream, PDFRef } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { printFromScreen } from "../src/render/print-from-screen.js";
import { BUILT_IN_THEMES } from "../src/theme/index.js";
import { builtSample } from "./helpers/built.js";

/** Every page content stream of a PDF, decoded. */
async function contentStreams(pdf: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  return doc.getPages().flatMap((page) => {
    const contents = page.node.get(PDFName.of("Contents"));
    const refs = contents instanceof PDFArray ? contents.asArray() : [contents];
    return refs
      .filter((r): r is PDFRef => r instanceof PDFRef)
      .map((r) => doc.context.lookup(r))
      .filter((s): s is PDFRawStream => s instanceof PDFRawStream)
      .map((s) => Buffer.from(inflateSync(s.contents)).toString("latin1"));
  });
}

describe("the print pages made from the screen pages", () => {
  let screen: Uint8Array;

  beforeAll(() => {
    const r = builtSample();
    if (r.status !== 0) throw new Error(r.stderr);
    screen = new Uint8Array(readFileSync(r.out(".pdf")));
  });

  it("turn every palette colour into its CMYK form, leaving no RGB operator", async () => {
    const before = await contentStreams(screen);
    expect(before.join("").match(/\/DeviceRGB (cs|CS)/g)?.length).toBeGreaterThan(100);
    const after = await contentStreams(await printFromScreen(screen, [], BUILT_IN_THEMES.union.palette));
    const text = after.join("");
    expect(text).not.toContain("/DeviceRGB");
    // Body text is K only: the screen's black (0 0 0) became 0 0 0 1.
    expect(text).toContain("/DeviceCMYK cs\n0 0 0 1 scn");
    // The crimson of the masthead, from the palette's CMYK.
    expect(text).toContain("0 0.95 0.8 0.25 scn");
    // Nothing else in the pages changed: the same number of text-showing operators.
    const count = (all: string[]) => all.join("").match(/\bTJ\b/g)?.length ?? 0;
    expect(count(after)).toBe(count(before));
  });
});
