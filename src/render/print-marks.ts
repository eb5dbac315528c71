import "./pdf-lib-bytes.js";
import "./pdf-lib-zlib.js";
import { createHash, type Hash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type * as Fontkit from "fontkit";
import { woffToSfnt } from "../fonts/woff.js";
import {
  appendBezierCurve,
  closePath,
  fill,
  LineCapStyle,
  lineTo,
  moveTo,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  type PDFOperator,
  type PDFPage,
  PDFString,
  popGraphicsState,
  pushGraphicsState,
  setFillingCmykColor,
  setLineCap,
  setLineWidth,
  setStrokingCmykColor,
  stroke,
} from "./pdf-lib.js";
import { pruneUnreachable } from "./pdf-prune.js";

/**
 * The print shop's edition of a finished PDF (DESIGN.md, "Print (for the print shop)"): every trim-size page is
 * placed unscaled, as a form XObject, on a larger sheet that carries
 *
 * - the page boxes: TrimBox = the paper, BleedBox = trim + bleed (3 mm), MediaBox = CropBox = bleed + room for
 *   the marks;
 * - Japanese crop marks (トンボ): at each corner two lines in each direction, the inner one on the trim line and
 *   the outer one on the bleed line, from just outside the bleed outward;
 * - centre marks (センタートンボ, a cross): on each side, the centre line plus a short bar across it;
 * - a slug line (`shishokuro-485  p.1/2`) in 6 pt, bottom left, in an embedded font;
 *
 * all in registration colour (DeviceCMYK 1 1 1 1), 0.25 pt lines, nothing inside the BleedBox. The same input
 * and options give the same bytes.
 *
 * Bleed content: the source page is clipped to its own boxes widened by the bleed, so a source whose TrimBox is
 * smaller than its MediaBox (a layout that already paints 3 mm beyond the paper) keeps that bleed; a plain
 * trim-size page (pdfmake's) has nothing there, and the bleed stays white.
 */

export interface PrintMarksOptions {
  /** Bleed (塗り足し) on every side, mm. Default 3. */
  bleedMm?: number;
  /** Identifies the job in the slug line, e.g. the issue id. */
  slug: string;
  /** ModDate of the output; default the source's ModDate, else its CreationDate. Never the clock. */
  date?: Date;
}

/** Where everything sits, in mm measured outward from the trim edge (bleed aside, which is an option). */
export const PRINT_MARKS_GEOMETRY = {
  /** Marks start this far outside the bleed edge. */
  gapMm: 1,
  /** Length of every corner line and of each centre line. */
  markLengthMm: 10,
  /** Length of the centre marks' cross bar (centred on the centre line). */
  crossBarMm: 10,
  /** MediaBox edge, beyond the bleed edge. */
  marginBeyondBleedMm: 13,
  lineWidthPt: 0.25,
  slugSizePt: 6,
  /** Smallest size the slug shrinks to when it would reach the bottom centre mark on a narrow page. */
  slugMinSizePt: 4,
  /** Slug starts this far right of the trim's left edge … */
  slugInsetMm: 5,
  /** … with its baseline this far below the trim's bottom edge. */
  slugBaselineMm: 10,
} as const;

const MM = 72 / 25.4;

export interface Box {
  left: number;
  bottom: number;
  right: number;
  top: number;
}

export interface Segment {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  kind: "trim" | "bleed" | "centre" | "cross";
}

/** Rounds to 0.001 pt: short, stable numbers in the file (3 mm = 8.504 pt). */
function r(v: number): number {
  return Math.round(v * 1000) / 1000 + 0; // + 0 turns -0 into 0
}

/**
 * The mark lines for one page, in the output page's user space. Corner marks: for each corner two horizontal
 * lines (at the trim's and the bleed's y) running outward in x, and two vertical ones (at the trim's and the
 * bleed's x) running outward in y, each from `bleed + gap` to `bleed + gap + length` beyond the trim. Centre
 * marks: the centre line of each side plus a cross bar halfway along it.
 */
export function markSegments(trim: Box, bleedPt: number): Segment[] {
  const g = PRINT_MARKS_GEOMETRY;
  const d0 = bleedPt + g.gapMm * MM;
  const d1 = d0 + g.markLengthMm * MM;
  const segs: Segment[] = [];
  const seg = (x1: number, y1: number, x2: number, y2: number, kind: Segment["kind"]) =>
    segs.push({ x1: r(x1), y1: r(y1), x2: r(x2), y2: r(y2), kind });

  for (const sx of [-1, 1] as const) {
    for (const sy of [-1, 1] as const) {
      const cx = sx < 0 ? trim.left : trim.right;
      const cy = sy < 0 ? trim.bottom : trim.top;
      seg(cx + sx * d0, cy, cx + sx * d1, cy, "trim");
      seg(cx + sx * d0, cy + sy * bleedPt, cx + sx * d1, cy + sy * bleedPt, "bleed");
      seg(cx, cy + sy * d0, cx, cy + sy * d1, "trim");
      seg(cx + sx * bleedPt, cy + sy * d0, cx + sx * bleedPt, cy + sy * d1, "bleed");
    }
  }

  const midX = (trim.left + trim.right) / 2;
  const midY = (trim.bottom + trim.top) / 2;
  const half = (g.crossBarMm * MM) / 2;
  const barAt = (d0 + d1) / 2;
  for (const s of [-1, 1] as const) {
    const y = s < 0 ? trim.bottom : trim.top; // bottom / top side
    seg(midX, y + s * d0, midX, y + s * d1, "centre");
    seg(midX - half, y + s * barAt, midX + half, y + s * barAt, "cross");
    const x = s < 0 ? trim.left : trim.right; // left / right side
    seg(x + s * d0, midY, x + s * d1, midY, "centre");
    seg(x + s * barAt, midY - half, x + s * barAt, midY + half, "cross");
  }
  return segs;
}

// ---------------------------------------------------------------------------------------------------------
// Slug font: Noto Sans JP's latin subset, embedded as a subset (a print shop's preflight refuses Helvetica,
// which pdf-lib would reference without embedding).
// ---------------------------------------------------------------------------------------------------------

// The CommonJS fontkit pdfkit already loaded: the slug is drawn as glyph outlines, so the print edition needs no
// second font engine (pdf-lib's fontkit took ~150 ms to load) and no extra embedded font.
const fontkit = createRequire(import.meta.url)("fontkit") as typeof Fontkit;

let slugFont: Fontkit.Font | undefined;

function loadSlugFont(): Fontkit.Font {
  if (!slugFont) {
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve("@fontsource/noto-sans-jp/package.json"));
    const font = fontkit.create(
      woffToSfnt(readFileSync(join(dir, "files", "noto-sans-jp-latin-400-normal.woff"))),
    );
    if ("fonts" in font) throw new Error("the slug font is a collection");
    slugFont = font;
  }
  return slugFont;
}

// ---------------------------------------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------------------------------------

export async function addPrintMarks(pdf: Uint8Array, opts: PrintMarksOptions): Promise<Uint8Array> {
  const src = await PDFDocument.load(pdf, { updateMetadata: false });
  // A deterministic document ID (PDF/X wants one; a random one would break "same input, same bytes").
  const id = createHash("md5").update(pdf);
  const out = await printMarksDocument(src, opts, id);
  return out.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
}

/**
 * addPrintMarks on a document in memory, for the print edition made in one pass (src/editions/print.ts): the
 * sheets, as a new document not yet saved. `id` is a hash of what identifies the source (its bytes, or what they
 * are made from); the options are added to it for the document ID.
 */
export async function printMarksDocument(
  src: PDFDocument,
  opts: PrintMarksOptions,
  id: Hash,
): Promise<PDFDocument> {
  const bleedMm = opts.bleedMm ?? 3;
  if (!(Number.isFinite(bleedMm) && bleedMm >= 0 && bleedMm <= 20)) {
    throw new RangeError(`bleedMm must be between 0 and 20 mm, got ${bleedMm}`);
  }
  const bleed = r(bleedMm * MM);
  const g = PRINT_MARKS_GEOMETRY;
  const off = r(bleed + g.marginBeyondBleedMm * MM); // trim's distance from the MediaBox edge

  const srcPages = src.getPages();
  if (srcPages.length === 0) throw new Error("addPrintMarks: the PDF has no pages");

  // pdf-lib cannot embed a page without content (a blank page): give it an empty stream.
  for (const p of srcPages) {
    if (!p.node.Contents()) p.node.set(PDFName.of("Contents"), src.context.register(src.context.stream("")));
  }

  const out = await PDFDocument.create({ updateMetadata: false });

  // Geometry of each source page, in its own user space.
  const geometry = srcPages.map((p) => {
    const media = boxOf(p.getMediaBox());
    const trim = intersect(boxOf(p.getTrimBox()), media); // pdf-lib: TrimBox, else CropBox, else MediaBox
    const clip = intersect(widen(trim, bleed), media);
    return { trim, clip, rotate: p.getRotation().angle };
  });

  const embedded = await out.embedPages(
    srcPages,
    geometry.map((p) => p.clip),
  );

  const total = srcPages.length;
  const outlines: Outlines = new Map();
  const slugs = srcPages.map((_, i) =>
    sanitise([opts.slug.trim(), `p.${i + 1}/${total}`].filter(Boolean).join("  ")),
  );
  geometry.forEach(({ trim, clip, rotate }, i) => {
    const w = trim.right - trim.left;
    const h = trim.top - trim.bottom;
    const W = r(w + 2 * off);
    const H = r(h + 2 * off);
    const page = out.addPage([W, H]);
    const t: Box = { left: off, bottom: off, right: r(off + w), top: r(off + h) };
    page.setMediaBox(0, 0, W, H);
    page.setCropBox(0, 0, W, H);
    page.setBleedBox(r(off - bleed), r(off - bleed), r(w + 2 * bleed), r(h + 2 * bleed));
    page.setTrimBox(t.left, t.bottom, r(w), r(h));
    if (rotate) page.node.set(PDFName.of("Rotate"), PDFNumber.of(rotate));

    const placed = embedded[i];
    if (!placed) throw new Error(`addPrintMarks: page ${i + 1} was not embedded`);
    page.drawPage(placed, { x: r(off + clip.left - trim.left), y: r(off + clip.bottom - trim.bottom) });

    drawMarks(page, markSegments(t, bleed));
    drawSlug(page, slugs[i] ?? "", t, outlines);
  });

  copyInfo(src, out, opts.date);

  const docId = id
    .update(JSON.stringify({ bleedMm, slug: opts.slug, date: opts.date?.toISOString() ?? null }))
    .digest("hex");
  out.context.trailerInfo.ID = out.context.obj([PDFHexString.of(docId), PDFHexString.of(docId)]);

  await out.flush();
  pruneUnreachable(out);
  // The next object is numbered after the last one kept, as when the saved file is read again (toPdfX1a then
  // numbers the output intent the same in one pass as after a save).
  let last = 0;
  for (const [ref] of out.context.enumerateIndirectObjects()) last = Math.max(last, ref.objectNumber);
  out.context.largestObjectNumber = last;
  return out;
}

function drawMarks(page: PDFPage, segs: Segment[]): void {
  const ops = [
    pushGraphicsState(),
    setLineWidth(PRINT_MARKS_GEOMETRY.lineWidthPt),
    setLineCap(LineCapStyle.Butt),
    setStrokingCmykColor(1, 1, 1, 1),
  ];
  for (const s of segs) ops.push(moveTo(s.x1, s.y1), lineTo(s.x2, s.y2));
  ops.push(stroke(), popGraphicsState());
  page.pushOperators(...ops);
}

/**
 * A glyph's outline operators by glyph, size and place: every page's slug begins with the same text at the same
 * place, and making pdf-lib's operators (their numbers formatted one by one) was most of the print marks' time at
 * 100 pages. The same operators are written.
 */
type Outlines = Map<string, PDFOperator[]>;

/** The slug as filled glyph outlines in registration colour: shrunk to stay clear of the bottom centre mark. */
function drawSlug(page: PDFPage, text: string, trim: Box, outlines: Outlines): void {
  const g = PRINT_MARKS_GEOMETRY;
  const font = loadSlugFont();
  const x0 = trim.left + g.slugInsetMm * MM;
  // Room up to the bottom centre mark's cross bar, less a 2 mm gap.
  const room = (trim.left + trim.right) / 2 - (g.crossBarMm / 2 + 2) * MM - x0;
  const run = font.layout(text);
  const natural = (run.advanceWidth / font.unitsPerEm) * g.slugSizePt;
  const size = natural > room ? Math.max(g.slugMinSizePt, (g.slugSizePt * room) / natural) : g.slugSizePt;
  const k = size / font.unitsPerEm;
  const baseline = trim.bottom - g.slugBaselineMm * MM;
  const ops = [pushGraphicsState(), setFillingCmykColor(1, 1, 1, 1)];
  let pen = x0;
  run.glyphs.forEach((glyph, i) => {
    const key = `${glyph.id} ${pen} ${baseline} ${k}`;
    const known = outlines.get(key);
    if (known) ops.push(...known);
    else outlines.set(key, outline(glyph, pen, baseline, k, ops));
    pen += (run.positions[i]?.xAdvance ?? glyph.advanceWidth) * k;
  });
  ops.push(fill(), popGraphicsState());
  page.pushOperators(...ops);
}

/** The glyph's outline at `pen` on `baseline`, scaled by `k`, added to `ops`; returns its operators. */
function outline(
  glyph: Fontkit.Glyph,
  pen: number,
  baseline: number,
  k: number,
  ops: PDFOperator[],
): PDFOperator[] {
  const start = ops.length;
  const X = (v: number) => r(pen + v * k);
  const Y = (v: number) => r(baseline + v * k);
  // Current point in font units: a TrueType quadratic becomes the equivalent cubic (PDF has no quadratics).
  let cx = 0;
  let cy = 0;
  for (const c of glyph.path.commands) {
    const [a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0] = c.args;
    if (c.command === "moveTo") ops.push(moveTo(X(a0), Y(a1)));
    else if (c.command === "lineTo") ops.push(lineTo(X(a0), Y(a1)));
    else if (c.command === "quadraticCurveTo") {
      const c1x = cx + (2 / 3) * (a0 - cx);
      const c1y = cy + (2 / 3) * (a1 - cy);
      const c2x = a2 + (2 / 3) * (a0 - a2);
      const c2y = a3 + (2 / 3) * (a1 - a3);
      ops.push(appendBezierCurve(X(c1x), Y(c1y), X(c2x), Y(c2y), X(a2), Y(a3)));
    } else if (c.command === "bezierCurveTo") {
      ops.push(appendBezierCurve(X(a0), Y(a1), X(a2), Y(a3), X(a4), Y(a5)));
    } else if (c.command === "closePath") ops.push(closePath());
    if (c.command === "moveTo" || c.command === "lineTo") [cx, cy] = [a0, a1];
    else if (c.command === "quadraticCurveTo") [cx, cy] = [a2, a3];
    else if (c.command === "bezierCurveTo") [cx, cy] = [a4, a5];
  }
  return ops.slice(start);
}

/** Characters the slug font lacks become `?` (the slug is an id; .notdef boxes help nobody). */
function sanitise(text: string): string {
  const font = loadSlugFont();
  let outText = "";
  for (const ch of text) outText += font.hasGlyphForCodePoint(ch.codePointAt(0) ?? 0) ? ch : "?";
  return outText;
}

function copyInfo(src: PDFDocument, out: PDFDocument, date: Date | undefined): void {
  const title = src.getTitle();
  const author = src.getAuthor();
  const subject = src.getSubject();
  const keywords = src.getKeywords();
  const creator = src.getCreator();
  const created = src.getCreationDate();
  const modified = date ?? src.getModificationDate() ?? created;
  if (title !== undefined) out.setTitle(title);
  if (author !== undefined) out.setAuthor(author);
  if (subject !== undefined) out.setSubject(subject);
  if (keywords !== undefined) out.setKeywords(keywords.split(" ").filter(Boolean));
  if (creator !== undefined) out.setCreator(creator);
  out.setProducer("kaiho print marks (pdf-lib)");
  if (created) out.setCreationDate(created);
  else if (date) out.setCreationDate(date);
  if (modified) out.setModificationDate(modified);
  const lang = src.catalog.lookup(PDFName.of("Lang"));
  if (lang instanceof PDFString || lang instanceof PDFHexString) out.setLanguage(lang.decodeText());
}

// ---------------------------------------------------------------------------------------------------------
// Boxes
// ---------------------------------------------------------------------------------------------------------

function boxOf(b: { x: number; y: number; width: number; height: number }): Box {
  const x2 = b.x + b.width;
  const y2 = b.y + b.height;
  return {
    left: Math.min(b.x, x2),
    bottom: Math.min(b.y, y2),
    right: Math.max(b.x, x2),
    top: Math.max(b.y, y2),
  };
}

function widen(b: Box, d: number): Box {
  return { left: b.left - d, bottom: b.bottom - d, right: b.right + d, top: b.top + d };
}

function intersect(a: Box, b: Box): Box {
  const box = {
    left: Math.max(a.left, b.left),
    bottom: Math.max(a.bottom, b.bottom),
    right: Math.min(a.right, b.right),
    top: Math.min(a.top, b.top),
  };
  if (box.right <= box.left || box.top <= box.bottom) return b;
  return box;
}
