import { readFile } from "node:fs/promises";
import "./no-system-fonts.js";
import { createCanvas, loadImage, Path2D, type SKRSContext2D } from "@napi-rs/canvas";
import type { Item, LineItem, Page } from "../layout/model.js";
import type { SetRun } from "../typeset/types.js";
import { GlyphShapes } from "./glyph-shapes.js";
import type { RenderFonts } from "./index.js";

/**
 * A laid-out page drawn straight onto a Skia canvas (@napi-rs/canvas), for the page-1 PNG: the same items the
 * render stage hands pdfmake, drawn as pdfkit writes them into the PDF, without making or parsing a PDF (pdfjs
 * cost about 1.2 s of CPU per build in the worker: loading it, parsing the email edition, decoding its fonts
 * and JPEGs in JavaScript). Glyphs are fontkit's outlines of the same font files pdfmake embeds, shaped with
 * the same features and placed as pdfkit's text operators place them (src/render/index.ts, vertical.ts), so
 * the picture is the one a PDF viewer draws from the PDF; photos are the edition's own JPEGs.
 */

export interface PageDrawing {
  page: Page;
  /** Page size in pt. */
  width: number;
  height: number;
  /** sRGB hex of each colour name the items use (the theme's palette). */
  colours: Record<string, string>;
  /** The font files pdfmake embeds, by family (src/render/index.ts renderFonts). */
  fonts: RenderFonts["families"];
  /** The JPEG file drawn for each photo path (`logo` included). */
  photoFiles: Record<string, string>;
  /** The fonts cache folder (`<cacheDir>/fonts`), where shaped runs and outlines are kept between builds. */
  fontsCache?: string;
}

export interface PageRaster {
  /** Raw RGBA, opaque (white page). */
  rgba: Buffer;
  width: number;
  height: number;
}

/** A font and the outlines made into Skia paths, kept by the worker across the issues of one run. */
interface OpenFont {
  shapes: GlyphShapes;
  paths: Map<number, Path2D>;
}
const opened = new Map<string, Promise<OpenFont>>();

function openFont(file: string, cacheDir: string | undefined): Promise<OpenFont> {
  const key = `${cacheDir ?? ""}\u0000${file}`;
  let font = opened.get(key);
  if (!font) {
    font = GlyphShapes.open(file, cacheDir).then((shapes) => ({ shapes, paths: new Map() }));
    opened.set(key, font);
  }
  return font;
}

/** `page` drawn `widthPx` pixels wide on white; the height follows the page's proportions (as pdfjs rounds it). */
export async function drawLaidOutPage(d: PageDrawing, widthPx: number): Promise<PageRaster> {
  const scale = widthPx / d.width;
  const heightPx = Math.max(1, Math.round(d.height * scale));
  const photos = await loadPhotos(d);
  const fonts = await fontsOf(d);
  const canvas = createCanvas(widthPx, heightPx);
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, widthPx, heightPx);
  ctx.scale(scale, scale);
  const colour = (name: string | undefined) => (name === undefined ? undefined : d.colours[name]);
  // In the order render draws them: the items, then the page's ruby over everything (src/render/index.ts).
  for (const item of d.page.items) drawItem(ctx, item, colour, fonts, photos);
  for (const item of d.page.items) if (item.kind === "line") drawRuby(ctx, item, colour, fonts);
  await Promise.all([...new Set(fonts.values())].map((f) => f.shapes.save()));
  // canvas.data() is a view of Skia's memory, freed with the canvas: the caller gets a copy.
  return { rgba: Buffer.from(canvas.data()), width: widthPx, height: heightPx };
}

type Matrix = ReturnType<SKRSContext2D["getTransform"]>;
type Photo = Awaited<ReturnType<typeof loadImage>>;
type Images = Map<string, Photo>;
/** Keyed by family and weight of the runs. */
type Fonts = Map<string, OpenFont>;
type Colour = (name: string | undefined) => string | undefined;

async function loadPhotos(d: PageDrawing): Promise<Images> {
  const paths = [...new Set(d.page.items.flatMap((i) => (i.kind === "image" ? [i.path] : [])))];
  const images: Images = new Map();
  await Promise.all(
    paths.map(async (p) => {
      const file = d.photoFiles[p];
      if (!file) throw new Error(`page preview: no prepared file for the photo ${p}`);
      images.set(p, await loadImage(await readFile(file)));
    }),
  );
  return images;
}

/** Every font file a run or ruby on the page is set in, opened. */
async function fontsOf(d: PageDrawing): Promise<Fonts> {
  const files = new Map<string, string>();
  for (const item of d.page.items) {
    if (item.kind !== "line") continue;
    for (const run of [...item.line.runs, ...(item.line.ruby ?? [])])
      files.set(`${run.family}\u0000${run.bold}`, fontFile(d.fonts, run));
  }
  const fonts: Fonts = new Map();
  await Promise.all(
    [...files].map(async ([key, file]) => fonts.set(key, await openFont(file, d.fontsCache))),
  );
  return fonts;
}

function fontFile(families: RenderFonts["families"], run: Pick<SetRun, "family" | "bold">): string {
  const family = families[run.family];
  if (!family) throw new Error(`page preview: no font file for the family ${run.family}`);
  return run.bold ? family.bold : family.normal;
}

function drawItem(ctx: SKRSContext2D, item: Item, colour: Colour, fonts: Fonts, photos: Images): void {
  switch (item.kind) {
    case "line":
      drawLine(ctx, item, colour, fonts);
      return;
    case "image": {
      const img = photos.get(item.path);
      if (img) drawPhoto(ctx, img, item);
      return;
    }
    case "rect": {
      const fill = colour(item.fill);
      const stroke = colour(item.stroke);
      ctx.beginPath();
      if (item.radius) roundedRect(ctx, item.x, item.y, item.width, item.height, item.radius);
      else ctx.rect(item.x, item.y, item.width, item.height);
      // pdfmake's vector drawing (node_modules/pdfmake/js/Renderer.js renderVector): a rect with neither
      // colour is stroked in black.
      vectorStyle(ctx, stroke ? (item.lineWidth ?? 1) : 1, undefined);
      if (fill) {
        ctx.fillStyle = fill;
        ctx.fill();
      }
      if (stroke || !fill) {
        ctx.strokeStyle = stroke ?? "#000000";
        ctx.stroke();
      }
      return;
    }
    case "rule":
      ctx.beginPath();
      ctx.moveTo(item.x1, item.y1);
      ctx.lineTo(item.x2, item.y2);
      vectorStyle(ctx, item.width, item.dash);
      ctx.strokeStyle = colour(item.color) ?? "#000000";
      ctx.stroke();
      return;
  }
}

/**
 * A photo on whole pixels, as PDF viewers draw images (pdf.js `drawImageAtIntegerCoords`): its corners rounded to
 * the pixel grid, so its edges are sharp rather than blended into the page.
 */
function drawPhoto(
  ctx: SKRSContext2D,
  img: Photo,
  box: { x: number; y: number; width: number; height: number },
) {
  const m = ctx.getTransform();
  const left = Math.round(box.x * m.a + m.e);
  const top = Math.round(box.y * m.d + m.f);
  const width = Math.abs(Math.round((box.x + box.width) * m.a + m.e) - left) || 1;
  const height = Math.abs(Math.round((box.y + box.height) * m.d + m.f) - top) || 1;
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.drawImage(img, left, top, width, height);
  ctx.restore();
}

/** Line width, dash, miter joins and butt caps as pdfmake sets them for every vector. */
function vectorStyle(ctx: SKRSContext2D, width: number, dash: number | undefined): void {
  ctx.lineWidth = width || 1;
  ctx.setLineDash(dash ? [dash, dash] : []);
  ctx.lineDashOffset = 0;
  ctx.lineJoin = "miter";
  ctx.lineCap = "butt";
}

/** pdfkit's roundedRect: its Bézier corners (KAPPA), the radius limited to half the shorter side. */
const KAPPA = (4.0 * (Math.sqrt(2) - 1.0)) / 3.0;
function roundedRect(ctx: SKRSContext2D, x: number, y: number, w: number, h: number, radius: number): void {
  const r = Math.max(0, Math.min(radius, 0.5 * w, 0.5 * h));
  const c = r * (1.0 - KAPPA);
  ctx.moveTo(x + r, y);
  ctx.lineTo(x + w - r, y);
  if (r > 0) ctx.bezierCurveTo(x + w - c, y, x + w, y + c, x + w, y + r);
  ctx.lineTo(x + w, y + h - r);
  if (r > 0) ctx.bezierCurveTo(x + w, y + h - c, x + w - c, y + h, x + w - r, y + h);
  ctx.lineTo(x + r, y + h);
  if (r > 0) ctx.bezierCurveTo(x + c, y + h, x, y + h - c, x, y + h - r);
  ctx.lineTo(x, y + r);
  if (r > 0) ctx.bezierCurveTo(x, y + c, x + c, y, x + r, y);
  ctx.closePath();
}

function drawLine(ctx: SKRSContext2D, item: LineItem, colour: Colour, fonts: Fonts): void {
  ctx.fillStyle = colour(item.color) ?? "#000000";
  for (const run of item.line.runs) {
    if (!run.text) continue;
    const v = run.vertical;
    if (!v) {
      drawText(ctx, fontFor(fonts, run), run, item.x + run.x, item.baseline - run.ascent, run.charSpacing);
      continue;
    }
    // 縦組み, as src/render/vertical.ts hands the runs to pdfkit.
    const along = item.baseline + run.x + v.along;
    if (v.orient === "sideways") {
      // pdfkit's `rotation: -90`: turned clockwise about the text's top-left corner.
      const x = item.x + v.across + run.ascent;
      ctx.save();
      ctx.translate(x, along);
      ctx.rotate(Math.PI / 2);
      drawText(ctx, fontFor(fonts, run), run, 0, 0, run.charSpacing);
      ctx.restore();
      continue;
    }
    drawText(ctx, fontFor(fonts, run), run, item.x + v.across, along - run.ascent, 0);
  }
}

function drawRuby(ctx: SKRSContext2D, item: LineItem, colour: Colour, fonts: Fonts): void {
  const ruby = item.line.ruby ?? [];
  if (!ruby.length) return;
  ctx.fillStyle = colour(item.color) ?? "#000000";
  if (!item.line.vertical) {
    for (const r of ruby)
      drawText(ctx, fontFor(fonts, r), r, item.x + r.x, item.baseline - r.rise - r.ascent, r.charSpacing);
    return;
  }
  // Upright down the right side of the base, one glyph per ruby em (src/render/vertical.ts verticalRubyNodes).
  const base = Math.max(0, ...item.line.runs.filter((r) => r.vertical?.orient !== "tcy").map((r) => r.size));
  for (const r of ruby) {
    let y = item.baseline + r.x;
    for (const ch of r.text) {
      const glyph = { ...r, text: ch, features: { kern: false, vert: true } };
      drawText(ctx, fontFor(fonts, r), glyph, item.x + base, y + r.size * 0.88 - r.ascent, 0);
      y += r.size + r.charSpacing;
    }
  }
}

/** The font a run was handed to pdfmake in (fontsOf opened every one). */
function fontFor(fonts: Fonts, run: SetRun): OpenFont {
  return fonts.get(`${run.family}\u0000${run.bold}`) as OpenFont;
}

/**
 * `run.text` drawn with its top-left corner at (x, top) in pt, as pdfkit's text() writes it (pdfkit.js
 * `_fragment`): the baseline one ascender below `top`; each glyph at the pen, the pen moved by the glyph's
 * shaped advance plus the character spacing (Tc); a glyph moved off the pen (a mark placed by GPOS) is placed
 * from pdfkit's own x, which leaves the character spacing out, and so is the glyph after it.
 */
function drawText(ctx: SKRSContext2D, of: OpenFont, run: SetRun, x: number, top: number, tc: number): void {
  const { shapes } = of;
  const k = run.size / shapes.unitsPerEm;
  const baseline = top + shapes.ascent * k;
  const { ids, xAdvance, xOffset, yOffset } = shapes.shape(run.text, run.features);
  const at = ctx.getTransform();
  let pen = x;
  let px = x;
  let hadOffset = false;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    const dx = xOffset[i] as number;
    const dy = yOffset[i] as number;
    if (dx || dy) {
      fillGlyph(ctx, of, id, at, px + dx * k, baseline - dy * k, k);
      hadOffset = true;
    } else {
      if (hadOffset) {
        pen = px;
        hadOffset = false;
      }
      fillGlyph(ctx, of, id, at, pen, baseline, k);
      pen += (xAdvance[i] as number) * k + tc;
    }
    px += (xAdvance[i] as number) * k;
  }
  ctx.setTransform(at);
}

function fillGlyph(
  ctx: SKRSContext2D,
  of: OpenFont,
  id: number,
  at: Matrix,
  x: number,
  y: number,
  k: number,
) {
  let path = of.paths.get(id);
  if (!path) {
    path = new Path2D(of.shapes.outline(id));
    of.paths.set(id, path);
  }
  // The run's matrix, moved to (x, y) and scaled to font units with y up: one call instead of save, translate,
  // scale and restore for each of the page's thousands of glyphs.
  ctx.setTransform(
    at.a * k,
    at.b * k,
    -at.c * k,
    -at.d * k,
    at.a * x + at.c * y + at.e,
    at.b * x + at.d * y + at.f,
  );
  ctx.fill(path);
}
