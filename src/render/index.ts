import path from "node:path";
import pdfmake from "pdfmake";
import type { FontBook, PdfmakeFontFamily } from "../fonts/font-book.js";
import { fixVariationSelectorsWith } from "../fonts/fontkit-uvs.js";
import type { Item, LaidOutIssue, LineItem } from "../layout/index.js";
import type { ColorName } from "../theme/index.js";
import { linkAreas } from "./links.js";
import { cacheFeatureLayouts, saveRuns, useRunsCache } from "./pdfkit-layout-cache.js";
import { allowTurnedRuns, verticalNodes, verticalRubyNodes } from "./vertical.js";

/**
 * The render stage: pdfmake draws the laid-out pages. Every item is already at its final position, so each one
 * becomes an absolutely positioned pdfmake node; pdfmake breaks no lines and moves nothing.
 */

export interface RenderOptions {
  /** Fixed creation date: the same input then gives the same bytes. */
  date: Date;
  /** Folders pdfmake may read fonts and photos from; nothing else on disk, nothing from the network. */
  allowedRoots: string[];
  language?: string;
  /** `screen`: RGB colours; `print`: every colour DeviceCMYK, for the print shop. */
  edition?: "screen" | "print";
  /** The images stage's file of each photo (for the print edition its CMYK versions), by photo path. */
  photoFiles: Map<string, string>;
  /** The fonts cache folder (`<cacheDir>/fonts`): each run's shaping is kept there for the next build. */
  fontsCache?: string;
}

// pdfmake's documentation types describe 0.2; 0.3's nodes are plain objects and are built here directly.
type Node = Record<string, unknown>;

/** The fonts pdfmake needs, as plain data (it crosses into the worker that makes the print edition). */
export interface RenderFonts {
  families: Record<string, PdfmakeFontFamily>;
  defaultFamily: string;
}

/** Read after layout: the font book registers a family the first time a character needs it. */
export function renderFonts(book: FontBook): RenderFonts {
  return { families: { ...book.pdfmakeFonts }, defaultFamily: book.primary(false).family };
}

export async function render(laid: LaidOutIssue, fonts: RenderFonts, opts: RenderOptions): Promise<Buffer> {
  const roots = opts.allowedRoots.map((r) => path.resolve(r) + path.sep);
  const pm = pdfmake as unknown as PdfmakeApi;
  pm.setUrlAccessPolicy(() => false);
  pm.setLocalAccessPolicy((file: string) => roots.some((r) => path.resolve(file).startsWith(r)));

  const edition = opts.edition ?? "screen";
  // pdfkit reads a four-number array as DeviceCMYK in percent, a string as RGB.
  const palette = laid.palette;
  const paint = (name: ColorName | undefined) =>
    name === undefined ? undefined : edition === "print" ? [...palette[name].cmyk] : palette[name].rgb;
  const content: Node[] = [];
  laid.pages.forEach((page, i) => {
    if (i > 0) content.push({ text: "", pageBreak: "before" });
    for (const item of page.items) content.push(...nodesOf(item, paint, opts.photoFiles));
    // Ruby is drawn after everything else on the page, so text copied out of a paragraph is its base text.
    for (const item of page.items)
      if (item.kind === "line")
        content.push(...(item.line.vertical ? verticalRubyNodes(item, paint) : rubyNodes(item, paint)));
  });
  pm.setFonts(fonts.families);
  allowTurnedRuns();
  const anyFont = Object.values(fonts.families)[0]?.normal;
  if (anyFont) {
    cacheFeatureLayouts(anyFont);
    fixVariationSelectorsWith(anyFont);
  }
  const docDefinition = {
    pageSize: { width: laid.width, height: laid.height },
    pageMargins: [0, 0, 0, 0],
    // pdfmake fills with its default black (RGB) where a node names no colour; make that the edition's black.
    defaultStyle: { font: fonts.defaultFamily, fontSize: 9, color: paint("text") },
    language: opts.language ?? "ja",
    info: {
      title: laid.title,
      author: laid.author,
      creator: "kaiho",
      producer: "kaiho (pdfmake)",
      creationDate: opts.date,
      modDate: opts.date,
    },
    content,
  };
  useRunsCache(opts.fontsCache);
  try {
    return await draw(pm, docDefinition, laid, edition);
  } finally {
    useRunsCache(undefined);
    saveRuns();
  }
}

async function draw(
  pm: PdfmakeApi,
  docDefinition: object,
  laid: LaidOutIssue,
  edition: "screen" | "print",
): Promise<Buffer> {
  // Links only in the screen edition (and the email edition made from it): PDF/X forbids them in print.
  const links = edition === "screen" ? linkAreas(laid) : [];
  const out = pm.createPdf(docDefinition, links.length ? { bufferPages: true } : {});
  if (links.length) {
    // pdfmake gives a run's link annotation the run's own width: a URL drawn as several runs (or broken over two
    // lines) would get many small ones. One annotation per line piece is added on the pdfkit document instead.
    const doc = (await out.getStream()) as unknown as PdfkitDoc;
    for (const l of links) {
      doc.switchToPage(l.page);
      doc.link(l.x, l.y, l.width, l.height, l.uri);
    }
  }
  return Buffer.from(await out.getBuffer());
}

interface PdfkitDoc {
  switchToPage(n: number): void;
  link(x: number, y: number, w: number, h: number, uri: string): void;
}

interface PdfmakeApi {
  setUrlAccessPolicy(cb: (url: string) => boolean): void;
  setLocalAccessPolicy(cb: (file: string) => boolean): void;
  setFonts(fonts: unknown): void;
  createPdf(
    doc: unknown,
    options?: object,
  ): { getBuffer(): Promise<Uint8Array>; getStream(): Promise<unknown> };
}

/**
 * fontkit keeps the features object it is given and writes every feature of its shaping plan into it (frac,
 * numr, liga… set to true), so a shared object from the typesetter would be changed by the first page drawn and
 * reach later runs altered; each run hands pdfkit a copy of its own.
 */
function ownCopy<T extends object>(features: T | undefined): T | undefined {
  return features && { ...features };
}

type Paint = (name: ColorName | undefined) => string | number[] | undefined;

function rubyNodes(item: LineItem, paint: Paint): Node[] {
  return (item.line.ruby ?? []).map((r) => ({
    text: r.text,
    font: r.family,
    bold: r.bold,
    fontSize: r.size,
    color: paint(item.color),
    characterSpacing: r.charSpacing || undefined,
    fontFeatures: ownCopy(r.features),
    noWrap: true,
    absolutePosition: { x: item.x + r.x, y: item.baseline - r.rise - r.ascent },
  }));
}

function nodesOf(item: Item, paint: Paint, photoFiles: Map<string, string>): Node[] {
  switch (item.kind) {
    case "line":
      if (item.line.vertical) return verticalNodes(item, paint);
      return item.line.runs
        .filter((run) => run.text.length > 0)
        .map((run) => ({
          text: run.text,
          font: run.family,
          bold: run.bold,
          fontSize: run.size,
          color: paint(item.color),
          characterSpacing: run.charSpacing || undefined,
          fontFeatures: ownCopy(run.features),
          noWrap: true,
          preserveLeadingSpaces: true,
          absolutePosition: { x: item.x + run.x, y: item.baseline - run.ascent },
        }));
    case "image": {
      const file = photoFiles.get(item.path);
      if (!file) throw new Error(`render: no prepared file for the photo ${item.path}`);
      return [
        {
          image: file,
          width: item.width,
          height: item.height,
          absolutePosition: { x: item.x, y: item.y },
        },
      ];
    }
    case "rect":
      return [
        {
          canvas: [
            {
              type: "rect",
              x: item.x,
              y: item.y,
              w: item.width,
              h: item.height,
              r: item.radius,
              color: paint(item.fill),
              lineColor: paint(item.stroke),
              lineWidth: item.stroke ? (item.lineWidth ?? 1) : undefined,
            },
          ],
          absolutePosition: { x: 0, y: 0 },
        },
      ];
    case "rule":
      return [
        {
          canvas: [
            {
              type: "line",
              x1: item.x1,
              y1: item.y1,
              x2: item.x2,
              y2: item.y2,
              lineColor: paint(item.color),
              lineWidth: item.width,
              dash: item.dash ? { length: item.dash } : undefined,
            },
          ],
          absolutePosition: { x: 0, y: 0 },
        },
      ];
  }
}
