import { sharp } from "../images/sharp.js";
import { drawPage, openPdf } from "../render/preview.js";

/**
 * The pages of a PDF as PNGs for the screen, drawn by the same pdfjs + @napi-rs/canvas path as the page-1 PNG of
 * a build (src/render/preview.ts explains the options). Unlike that one, the document is opened once for all its
 * pages, and the PNG is written fast (zlib level 1, full colour, no palette): the preview is sent over loopback
 * and drawn again on every save, so time matters and bytes do not.
 */

export interface RasterPage {
  png: Buffer;
  width: number;
  height: number;
}

export async function rasterPages(pdf: Uint8Array, width: number): Promise<RasterPage[]> {
  const doc = await openPdf(pdf);
  try {
    const pages: RasterPage[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const { rgba, height } = await drawPage(doc, n, width);
      const png = await sharp(rgba, { raw: { width, height, channels: 4 } })
        .removeAlpha()
        .png({ compressionLevel: 1 })
        .toBuffer();
      pages.push({ png, width, height });
    }
    return pages;
  } finally {
    await doc.destroy();
  }
}
