import "./pdf-lib-zlib.js";
import { createHash } from "node:crypto";
import { PDFDocument, PDFName, PDFNumber, PDFRawStream } from "./pdf-lib.js";

/** A photo of the screen edition and what the email edition shows instead (same photo, fewer pixels). */
export interface PhotoSwap {
  /** The JPEG bytes the screen edition embeds. */
  from: Uint8Array;
  /** The JPEG to embed instead, and its pixel size. */
  to: Uint8Array;
  width: number;
  height: number;
}

/**
 * The email edition from the screen edition: the same pages, fonts and text, with every photo's JPEG replaced
 * by its smaller version. Drawing the pages a second time (and subsetting every font again) is not needed.
 */
export async function swapPhotos(screen: Uint8Array, swaps: PhotoSwap[]): Promise<Uint8Array> {
  const doc = await PDFDocument.load(screen, { updateMetadata: false });
  if (replacePhotos(doc, swaps, "rgb") === 0 && swaps.length > 0)
    throw new Error("swapPhotos: no photo of the screen edition was found");
  return doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
}

/** The number of colour components a JPEG declares in its frame header (1 grey, 3 YCbCr/RGB, 4 CMYK). */
export function jpegComponents(jpeg: Uint8Array): number | undefined {
  let i = 2;
  while (i + 9 < jpeg.length) {
    if (jpeg[i] !== 0xff) return undefined;
    const marker = jpeg[i + 1] ?? 0;
    const length = ((jpeg[i + 2] ?? 0) << 8) | (jpeg[i + 3] ?? 0);
    // SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return jpeg[i + 9];
    i += 2 + length;
  }
  return undefined;
}

/**
 * Replaces each image whose bytes are a swap's `from` by its `to`, in place; returns how many were replaced.
 * Photos are matched by their bytes, so nothing depends on how the renderer named them. With `cmyk`, the new
 * JPEGs are CMYK ones as libvips writes them (Adobe-style, inverted): declared with the Decode pdfkit uses.
 */
export function replacePhotos(doc: PDFDocument, swaps: PhotoSwap[], colour: "rgb" | "cmyk"): number {
  // Keyed by a digest of the bytes, not the bytes as text: a base64 key of every photo (in the swaps and in
  // the PDF) held about 2.7 times the photos' size in strings at once, hundreds of MB in a long issue.
  const byBytes = new Map<string, PhotoSwap>();
  for (const swap of swaps) byBytes.set(digest(swap.from), swap);
  let replaced = 0;
  for (const [ref, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFRawStream)) continue;
    if (obj.dict.get(PDFName.of("Subtype")) !== PDFName.of("Image")) continue;
    const swap = byBytes.get(digest(obj.contents));
    if (!swap) continue;
    const dict = obj.dict.clone(doc.context);
    dict.set(PDFName.of("Width"), PDFNumber.of(swap.width));
    dict.set(PDFName.of("Height"), PDFNumber.of(swap.height));
    if (jpegComponents(swap.to) === 1) {
      // A grey photo (the mono theme's) is DeviceGray in every edition: K only in print.
      dict.set(PDFName.of("ColorSpace"), PDFName.of("DeviceGray"));
      dict.delete(PDFName.of("Decode"));
    } else if (colour === "cmyk") {
      dict.set(PDFName.of("ColorSpace"), PDFName.of("DeviceCMYK"));
      dict.set(PDFName.of("Decode"), doc.context.obj([1, 0, 1, 0, 1, 0, 1, 0]));
    }
    dict.set(PDFName.of("Length"), PDFNumber.of(swap.to.length));
    doc.context.assign(ref, PDFRawStream.of(dict, swap.to));
    replaced++;
  }
  return replaced;
}

/** The bytes' identity for matching: sha256 with their length (equal bytes, equal key; no collision in practice). */
function digest(bytes: Uint8Array): string {
  return `${bytes.length}:${createHash("sha256").update(bytes).digest("base64")}`;
}
