import { createRequire } from "node:module";
import path from "node:path";
import { createCanvas } from "@napi-rs/canvas";
import { getDocument, VerbosityLevel } from "pdfjs-dist/legacy/build/pdf.mjs";
import sharp from "sharp";
// Sets up pdfjs's in-thread worker, as the page-1 PNG of a build does.
import "../render/preview.js";

/**
 * The pages of a PDF as PNGs for the screen, drawn by the same pdfjs + @napi-rs/canvas path as the page-1 PNG of
 * a build (src/render/preview.ts explains the options). Unlike that one, the document is opened once for all its
 * pages, and the PNG is written fast (zlib level 1, full colour, no palette): the preview is sent over loopback
 * and drawn again on every save, so time matters and bytes do not.
 */

const PDFJS_ROOT = path.dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json"));
const pdfjsFolder = (name: string) => `${path.join(PDFJS_ROOT, name)}${path.sep}`;

export interface RasterPage {
  png: Buffer;
  width: number;
  height: number;
}

export async function rasterPages(pdf: Uint8Array, width: number): Promise<RasterPage[]> {
  const doc = await getDocument({
    data: new Uint8Array(pdf),
    disableFontFace: true,
    useSystemFonts: false,
    isEvalSupported: false,
    verbosity: VerbosityLevel.ERRORS,
    standardFontDataUrl: pdfjsFolder("standard_fonts"),
    cMapUrl: pdfjsFolder("cmaps"),
    cMapPacked: true,
    wasmUrl: pdfjsFolder("wasm"),
    iccUrl: pdfjsFolder("iccs"),
  }).promise;
  try {
    const pages: RasterPage[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const viewport = page.getViewport({ scale: width / page.getViewport({ scale: 1 }).width });
      const height = Math.max(1, Math.round(viewport.height));
      const canvas = createCanvas(width, height);
      await page.render({
        canvas: canvas as unknown as HTMLCanvasElement,
        viewport,
        background: "#ffffff",
      }).promise;
      page.cleanup();
      const png = await sharp(canvas.data(), { raw: { width, height, channels: 4 } })
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
