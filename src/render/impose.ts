import {
  PDFDocument,
  type PDFEmbeddedPage,
  PDFHexString,
  PDFName,
  type PDFPage,
  PDFString,
} from "./pdf-lib.js";

/**
 * Booklet imposition for the print edition: a finished newsletter PDF (every page W×H, e.g. A4 portrait)
 * becomes sheet sides of 2W×H (A4 → A3 landscape) with two pages side by side, ready for an office copier
 * printing duplex and a fold down the middle (saddle stitch).
 *
 * Page order. N pages are padded with blank pages to the next multiple of 4 (T). The blanks are the last
 * pages of the booklet, N+1 … T — i.e. between the last content page and nothing: with N = 5 the back cover
 * (page 8) and the two pages before it are blank. That is the usual practice for short runs; a layout that
 * wants the back cover printed must itself give a multiple of 4 pages. Sheet s (0-based) carries
 *
 *   front: T−2s | 2s+1        back: 2s+2 | T−2s−1        (left | right)
 *
 * so 8 pages give the sides 8|1, 2|7, 6|3, 4|5 and 4 pages give 4|1, 2|3. The sides are written in that
 * order (front of sheet 1, back of sheet 1, front of sheet 2, …), which is what a copier expects for duplex.
 *
 * Duplex: set the copier to flip on the SHORT edge. On a landscape sheet the short edges are left and right,
 * so the sheet turns over like a book page and the back is printed the same way up as the front — no side is
 * rotated. (Flip on the long edge would need every back side turned 180°; we do not do that.)
 *
 * Pages are placed unscaled, as form XObjects (pdf-lib `embedPages` + `drawPage`): text stays text, and the
 * fonts and photos the page uses travel with it (its Resources are copied into the new file). Annotations
 * (links) are not carried over — they mean nothing on paper. No creep/shingling compensation: at a handful
 * of sheets of copier paper it is well under a millimetre.
 *
 * The page box used is the CropBox (the MediaBox when there is none): the area a viewer shows as the page.
 * Rotated pages (/Rotate ≠ 0) are refused rather than guessed at.
 *
 * Output metadata: Title, Author, Subject, Keywords, Creator, Producer and the document language are
 * copied from the input; CreationDate and ModDate are `opts.date` when given, else the input's own dates,
 * else left out. Nothing depends on the clock, so the same input (and date) gives the same bytes.
 */

export interface ImposeOptions {
  /** Written as CreationDate and ModDate. Default: the input's own dates (none if it has none). */
  date?: Date;
}

export interface ImposedBooklet {
  bytes: Uint8Array;
  /** Physical sheets (each printed on both sides): the output has 2 × sheets pages. */
  sheets: number;
  /** Blank pages added at the end of the booklet to reach a multiple of 4. */
  blanks: number;
  /** One entry per output page (sheet side): [left, right] as 1-based input page numbers, null = blank. */
  order: Array<[number | null, number | null]>;
}

/** Pages whose width and height agree within this many points (≈ 0.02 mm) count as the same size. */
const SIZE_TOLERANCE_PT = 0.05;

/** Thrown when the input cannot be imposed (empty, mixed page sizes, rotated pages). */
export class ImpositionError extends Error {
  override name = "ImpositionError";
}

/**
 * The saddle-stitch order for a booklet of `pageCount` pages: [left, right] per sheet side, 1-based,
 * null for the blank padding pages.
 */
export function bookletOrder(pageCount: number): Array<[number | null, number | null]> {
  if (!Number.isInteger(pageCount) || pageCount < 1) {
    throw new ImpositionError(`A booklet needs at least one page (got ${pageCount}).`);
  }
  const total = Math.ceil(pageCount / 4) * 4;
  const page = (n: number): number | null => (n <= pageCount ? n : null);
  const order: Array<[number | null, number | null]> = [];
  for (let s = 0; s < total / 4; s++) {
    order.push([page(total - 2 * s), page(2 * s + 1)]); // front
    order.push([page(2 * s + 2), page(total - 2 * s - 1)]); // back
  }
  return order;
}

export async function imposeBooklet(pdf: Uint8Array, opts: ImposeOptions = {}): Promise<ImposedBooklet> {
  const src = await PDFDocument.load(pdf, { updateMetadata: false });
  const pages = src.getPages();
  if (pages.length === 0) throw new ImpositionError("The PDF has no pages, so there is nothing to impose.");

  const boxes = pages.map((p) => p.getCropBox());
  checkPages(pages, boxes);
  const first = boxes[0] as (typeof boxes)[number];
  const width = first.width;
  const height = first.height;

  const order = bookletOrder(pages.length);
  const out = await PDFDocument.create({ updateMetadata: false });

  // A page with no content stream is blank already; pdf-lib cannot embed it, and there is nothing to draw.
  const drawable = pages.map((p) => p.node.Contents() !== undefined);
  const toEmbed = pages.filter((_, i) => drawable[i]);
  const embedded = await out.embedPages(
    toEmbed,
    boxes
      .filter((_, i) => drawable[i])
      .map((b) => ({ left: b.x, bottom: b.y, right: b.x + b.width, top: b.y + b.height })),
  );
  const byNumber = new Map<number, PDFEmbeddedPage>();
  let next = 0;
  pages.forEach((_, i) => {
    if (!drawable[i]) return;
    const e = embedded[next++];
    if (e) byNumber.set(i + 1, e);
  });

  for (const [left, right] of order) {
    const side = out.addPage([2 * width, height]);
    const place = (n: number | null, x: number) => {
      const e = n === null ? undefined : byNumber.get(n);
      if (e) side.drawPage(e, { x, y: 0 }); // unscaled: the form's own BBox/Matrix map the page box to (0,0)
    };
    place(left, 0);
    place(right, width);
  }

  copyMetadata(src, out, opts.date);
  const bytes = await out.save();
  return { bytes, sheets: order.length / 2, blanks: order.length * 2 - pages.length, order };
}

function checkPages(pages: PDFPage[], boxes: Array<{ width: number; height: number }>): void {
  const rotated = pages
    .map((p, i) => ({ n: i + 1, angle: ((p.getRotation().angle % 360) + 360) % 360 }))
    .filter((r) => r.angle !== 0);
  if (rotated.length > 0) {
    const list = rotated.map((r) => `page ${r.n} (${r.angle}°)`).join(", ");
    throw new ImpositionError(
      `Booklet printing needs upright pages, but ${list} ${rotated.length === 1 ? "is" : "are"} rotated.`,
    );
  }
  const ref = boxes[0];
  if (!ref) return;
  const odd: string[] = [];
  boxes.forEach((b, i) => {
    if (
      Math.abs(b.width - ref.width) > SIZE_TOLERANCE_PT ||
      Math.abs(b.height - ref.height) > SIZE_TOLERANCE_PT
    ) {
      odd.push(`page ${i + 1} is ${describeSize(b)}`);
    }
  });
  if (odd.length > 0) {
    const shown = odd.length > 5 ? [...odd.slice(0, 5), `${odd.length - 5} more`] : odd;
    throw new ImpositionError(
      `Booklet printing needs every page the same size: page 1 is ${describeSize(ref)}, but ${shown.join(", ")}.`,
    );
  }
}

function describeSize(b: { width: number; height: number }): string {
  const mm = (pt: number) => Math.round((pt / 72) * 25.4);
  return `${mm(b.width)} × ${mm(b.height)} mm (${b.width.toFixed(2)} × ${b.height.toFixed(2)} pt)`;
}

function copyMetadata(src: PDFDocument, out: PDFDocument, date: Date | undefined): void {
  const title = src.getTitle();
  const author = src.getAuthor();
  const subject = src.getSubject();
  const keywords = src.getKeywords();
  const creator = src.getCreator();
  const producer = src.getProducer();
  if (title !== undefined) out.setTitle(title);
  if (author !== undefined) out.setAuthor(author);
  if (subject !== undefined) out.setSubject(subject);
  if (keywords !== undefined) out.setKeywords([keywords]);
  if (creator !== undefined) out.setCreator(creator);
  if (producer !== undefined) out.setProducer(producer);

  const created = date ?? readDate(() => src.getCreationDate());
  const modified = date ?? readDate(() => src.getModificationDate());
  if (created) out.setCreationDate(created);
  if (modified) out.setModificationDate(modified);

  const lang = src.catalog.lookup(PDFName.of("Lang"));
  if (lang instanceof PDFString || lang instanceof PDFHexString) out.setLanguage(lang.decodeText());
}

/** A date from the input's Info dictionary; an unreadable one is dropped rather than failing the imposition. */
function readDate(get: () => Date | undefined): Date | undefined {
  try {
    const d = get();
    return d && !Number.isNaN(d.getTime()) ? d : undefined;
  } catch {
    return undefined;
  }
}
