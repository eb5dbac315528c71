import "./pdf-lib-zlib.js";
import { PDFDocument, PDFName, PDFNumber, PDFRawStream } from "pdf-lib";

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
 * by its smaller version. Photos are matched by their bytes, so nothing depends on how the renderer named
 * them; drawing the pages a second time (and subsetting every font again) is not needed.
 */
export async function swapPhotos(screen: Uint8Array, swaps: PhotoSwap[]): Promise<Uint8Array> {
  const byBytes = new Map<string, PhotoSwap>();
  for (const swap of swaps) byBytes.set(Buffer.from(swap.from).toString("base64"), swap);
  const doc = await PDFDocument.load(screen, { updateMetadata: false });
  let replaced = 0;
  for (const [ref, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFRawStream)) continue;
    if (obj.dict.get(PDFName.of("Subtype")) !== PDFName.of("Image")) continue;
    const swap = byBytes.get(Buffer.from(obj.contents).toString("base64"));
    if (!swap) continue;
    const dict = obj.dict.clone(doc.context);
    dict.set(PDFName.of("Width"), PDFNumber.of(swap.width));
    dict.set(PDFName.of("Height"), PDFNumber.of(swap.height));
    dict.set(PDFName.of("Length"), PDFNumber.of(swap.to.length));
    doc.context.assign(ref, PDFRawStream.of(dict, swap.to));
    replaced++;
  }
  if (replaced === 0 && swaps.length > 0)
    throw new Error("swapPhotos: no photo of the screen edition was found");
  return doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
}
