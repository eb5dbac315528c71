import { createRequire } from "node:module";
import path from "node:path";
import "./no-system-fonts.js";
import { createCanvas } from "@napi-rs/canvas";
import { getDocument, type PDFDocumentProxy, VerbosityLevel } from "pdfjs-dist/legacy/build/pdf.mjs";
import { previewPng } from "./preview-png.js";

/**
 * A PNG preview of one page of a built PDF, for the email body and the editor's own look
 * (`output/<id>-page1.png`). Rendered in-process by pdfjs-dist (the engine of Firefox's viewer) onto an
 * @napi-rs/canvas (Skia) canvas, then encoded as a 256-colour palette PNG (src/render/preview-png.ts). The build's
 * own page-1 PNG is drawn from the layout instead (src/render/page-raster.ts); this draws any PDF: the live
 * preview's pages and the tests' look at built files.
 *
 * pdfjs in Node — what this relies on:
 * - `disableFontFace: true`: embedded fonts are drawn as glyph outlines (Path2D). With font faces, pdfjs sets
 *   `ctx.font` to a family Skia never registered, and CJK text comes out as empty boxes.
 * - `useSystemFonts: false`: no system font stands in, so the result is the same on every machine.
 * - Factory URLs are plain folder paths ending in `/`: pdfjs's Node factories `fs.readFile` them.
 * - `getDocument` rejects a Buffer and transfers (detaches) a Uint8Array it is given; the caller's bytes are
 *   copied first.
 * - There is no real worker: the "fake worker" parses on the main thread, loaded on the first call.
 */

export interface PreviewOptions {
  /** 1-based page number; default 1. */
  page?: number;
  /** Output width in pixels; the height follows the page's aspect ratio. Default 1200. */
  width?: number;
}

export interface PagePreview {
  png: Buffer;
  width: number;
  height: number;
}

const MAX_WIDTH = 8000;

// pdfjs runs its "worker" in this thread in Node and imports it on the first render (~150 ms); loading it with
// this module instead lets that happen while the build is still busy elsewhere.
const workerModule: string = "pdfjs-dist/legacy/build/pdf.worker.mjs";
(globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = await import(workerModule);

const PDFJS_ROOT = path.dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json"));
const pdfjsFolder = (name: string) => `${path.join(PDFJS_ROOT, name)}${path.sep}`;

export async function renderPagePng(pdf: Uint8Array, opts: PreviewOptions = {}): Promise<PagePreview> {
  const pageNumber = opts.page ?? 1;
  const width = opts.width ?? 1200;
  if (!Number.isInteger(width) || width < 1 || width > MAX_WIDTH) {
    throw new RangeError(
      `preview width must be a whole number of pixels from 1 to ${MAX_WIDTH}, not ${width}`,
    );
  }
  if (!Number.isInteger(pageNumber) || pageNumber < 1) {
    throw new RangeError(`preview page must be a page number from 1, not ${pageNumber}`);
  }

  const doc = await openPdf(pdf);
  try {
    if (pageNumber > doc.numPages) {
      throw new RangeError(`preview page ${pageNumber} does not exist: the PDF has ${doc.numPages} page(s)`);
    }
    const { rgba, height } = await drawPage(doc, pageNumber, width);
    return { png: await previewPng(rgba, width, height), width, height };
  } finally {
    await doc.destroy();
  }
}

/**
 * A PDF opened for drawing with the options above (glyph outlines, no system fonts, pdfjs's own data folders);
 * `maxImageSize: 1` leaves photos undrawn. The caller destroys it.
 */
export function openPdf(pdf: Uint8Array, opts: { maxImageSize?: number } = {}): Promise<PDFDocumentProxy> {
  return getDocument({
    data: new Uint8Array(pdf),
    ...opts,
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
}

/**
 * Page `n` drawn on white, `size` pixels wide (its height from the page's aspect ratio) or at `size.scale` pixels
 * per point: raw RGBA (opaque).
 */
export async function drawPage(
  doc: PDFDocumentProxy,
  n: number,
  size: number | { scale: number },
): Promise<{ rgba: Buffer; width: number; height: number }> {
  const page = await doc.getPage(n);
  const scale = typeof size === "number" ? size / page.getViewport({ scale: 1 }).width : size.scale;
  const viewport = page.getViewport({ scale });
  const width = typeof size === "number" ? size : Math.max(1, Math.round(viewport.width));
  const height = Math.max(1, Math.round(viewport.height));
  const canvas = createCanvas(width, height);
  await page.render({
    canvas: canvas as unknown as HTMLCanvasElement,
    viewport,
    background: "#ffffff",
  }).promise;
  page.cleanup();
  // canvas.data() is a view of Skia's own pixel memory, freed with the canvas: once this function returns the
  // canvas may be collected, so the caller gets a copy (a bare view crashed the CLI with SIGSEGV now and then).
  return { rgba: Buffer.from(canvas.data()), width, height };
}
