import "./pdf-lib-bytes.js";
import "./pdf-lib-zlib.js";
import { deflateSync, inflateSync } from "node:zlib";
import type { Palette } from "../theme/index.js";
import { type PhotoSwap, replacePhotos } from "./email-swap.js";
import { PDFArray, PDFDocument, PDFName, PDFNumber, PDFRawStream, PDFRef } from "./pdf-lib.js";

/**
 * The print edition's pages from the screen edition, without drawing them again: every colour the layout uses
 * comes from one palette defined in CMYK and RGB, so each RGB colour operator pdfkit wrote is turned into the
 * palette colour's CMYK one, and each photo's JPEG into its CMYK version. Drawing the pages a second time with
 * pdfmake took about 0.3 s of every build. Anything this does not recognise stays as it was, and the PDF/X
 * check that follows finds it (the caller then draws the pages instead).
 */
export async function printFromScreen(
  screen: Uint8Array,
  photos: PhotoSwap[],
  palette: Palette,
): Promise<Uint8Array> {
  const doc = await printPagesFromScreen(screen, photos, palette);
  return doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
}

/**
 * printFromScreen's pages as a document in memory, for the print edition made in one pass (src/editions/print.ts).
 * With `compress: false` the rewritten page contents are left uncompressed: the print marks decode every page's
 * contents and compress them once, into the sheet's form.
 */
export async function printPagesFromScreen(
  screen: Uint8Array,
  photos: PhotoSwap[],
  palette: Palette,
  opts: { compress?: boolean } = {},
): Promise<PDFDocument> {
  const colours = cmykByRgb(palette);
  const doc = await PDFDocument.load(screen, { updateMetadata: false });

  for (const page of doc.getPages()) {
    // The references, not the streams (Contents() resolves them): a stream is replaced under its reference.
    const contents = page.node.get(PDFName.of("Contents"));
    const refs = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : [];
    for (const ref of refs) {
      if (!(ref instanceof PDFRef)) continue;
      const stream = doc.context.lookup(ref);
      if (!(stream instanceof PDFRawStream)) continue;
      if (stream.dict.get(PDFName.of("Filter")) !== PDFName.of("FlateDecode")) continue;
      const text = Buffer.from(inflateSync(stream.contents)).toString("latin1");
      const rewritten = text.replace(
        /\/DeviceRGB (cs|CS)\n([0-9.]+ [0-9.]+ [0-9.]+) (scn|SCN)/g,
        (all, space: string, rgb: string, op: string) => {
          const cmyk = colours.get(rgb);
          return cmyk ? `/DeviceCMYK ${space}\n${cmyk} ${op}` : all;
        },
      );
      if (rewritten === text) continue;
      const plain = Buffer.from(rewritten, "latin1");
      const data = opts.compress === false ? plain : deflateSync(plain);
      const dict = stream.dict.clone(doc.context);
      if (opts.compress === false) dict.delete(PDFName.of("Filter"));
      dict.set(PDFName.of("Length"), PDFNumber.of(data.length));
      doc.context.assign(ref, PDFRawStream.of(dict, data));
    }
  }

  replacePhotos(doc, photos, "cmyk");
  return doc;
}

/**
 * pdfkit's operands for each palette colour: `r g b` as it writes them (x/255) → `c m y k` (x/100). An RGB that
 * two palette colours share with different CMYK (an editor's override can do that) cannot be told apart here: it
 * is left in RGB, the PDF/X check refuses it, and the pages are drawn again from the colour names.
 */
function cmykByRgb(palette: Palette): Map<string, string> {
  const map = new Map<string, string>();
  const ambiguous = new Set<string>();
  for (const { rgb, cmyk } of Object.values(palette)) {
    const hex = Number.parseInt(rgb.slice(1), 16);
    const key = [hex >> 16, (hex >> 8) & 0xff, hex & 0xff].map((v) => v / 255).join(" ");
    const value = cmyk.map((v) => v / 100).join(" ");
    if (map.has(key) && map.get(key) !== value) ambiguous.add(key);
    map.set(key, value);
  }
  for (const key of ambiguous) map.delete(key);
  return map;
}
