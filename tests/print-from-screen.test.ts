import { readFileSync } from "node:fs";
import { inflateSync } from "node:zlib";
import { PDFArray, PDFDocument, PDFName, PDFRawStream, PDFRef } from "pdf-lib";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { printInOnePass } from "../src/editions/print.js";
import type { PhotoSwap } from "../src/render/email-swap.js";
import { checkPdfX, defaultOutputProfile, toPdfX1a } from "../src/render/pdfx.js";
import { printFromScreen } from "../src/render/print-from-screen.js";
import { addPrintMarks } from "../src/render/print-marks.js";
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

/** The screen edition's photos, each with a CMYK version as the images stage makes them (libvips' profile). */
async function cmykSwaps(screen: Uint8Array): Promise<PhotoSwap[]> {
  const doc = await PDFDocument.load(screen, { updateMetadata: false });
  const images = doc.context
    .enumerateIndirectObjects()
    .map(([, o]) => o)
    .filter((o): o is PDFRawStream => o instanceof PDFRawStream)
    .filter((o) => o.dict.get(PDFName.of("Subtype")) === PDFName.of("Image"));
  return Promise.all(
    images.map(async (image) => {
      const from = image.contents.slice();
      const { data, info } = await sharp(from)
        .withIccProfile("cmyk", { attach: false })
        .jpeg({ quality: 85 })
        .toBuffer({ resolveWithObject: true });
      return { from, to: new Uint8Array(data), width: info.width, height: info.height };
    }),
  );
}

describe("the print edition made in one pass", () => {
  it("is the file the three passes give (pages from the screen, marks, PDF/X), but for its document ID", async () => {
    const r = builtSample();
    if (r.status !== 0) throw new Error(r.stderr);
    const screen = new Uint8Array(readFileSync(r.out(".pdf")));
    const photos = await cmykSwaps(screen);
    expect(photos.length).toBeGreaterThan(3);
    const palette = BUILT_IN_THEMES.union.palette;
    const date = new Date(Date.UTC(2026, 0, 1));
    const profile = defaultOutputProfile();
    const photoKeys = photos.map((_, i) => `photo-${i}`);
    const once = await printInOnePass({
      screen,
      photos,
      photoKeys,
      palette,
      title: "会報",
      date,
      slug: "s",
      profile,
    });
    if (!once) throw new Error("the one pass was refused");
    const marked = await addPrintMarks(await printFromScreen(screen, photos, palette), { slug: "s", date });
    const three = await toPdfX1a(marked, { title: "会報", date, profile });
    const withoutId = (pdf: Uint8Array) =>
      Buffer.from(pdf)
        .toString("latin1")
        .replace(/\/ID \[[^\]]*\]/, "");
    expect(once.pdf.length).toBe(three.length);
    expect(withoutId(once.pdf)).toBe(withoutId(three));
    expect(Buffer.from(once.pdf).equals(Buffer.from(three))).toBe(false);
    expect(await checkPdfX(once.pdf)).toEqual([]);
  });

  it("is refused, for the pages to be drawn again, when a photo is left in RGB", async () => {
    const r = builtSample();
    if (r.status !== 0) throw new Error(r.stderr);
    const screen = new Uint8Array(readFileSync(r.out(".pdf")));
    const photos = (await cmykSwaps(screen)).slice(1);
    const palette = BUILT_IN_THEMES.union.palette;
    const date = new Date(Date.UTC(2026, 0, 1));
    const input = {
      screen,
      photos,
      photoKeys: [],
      palette,
      title: "会報",
      date,
      slug: "s",
      profile: defaultOutputProfile(),
    };
    expect(await printInOnePass(input)).toBeUndefined();
  });
});
