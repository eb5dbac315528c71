import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { drawPage, openPdf } from "../../src/render/preview.js";
import type { StoryRef } from "./corpus.js";
import { inspectPdf, type PdfImage, type PdfPage, type PdfTextItem } from "./pdf.js";

/**
 * Layout quality of a built newsletter, measured from the PDF alone (what a reader sees), never from kaiho's
 * internals, so the figures stay comparable while the layout stage is rewritten:
 *
 * - **hole**: the largest rectangle of white pixels inside the type area of each page, as % of the type area
 *   (pages rendered with pdfjs at `DPI`; the maximal-rectangle-in-a-histogram algorithm over the white mask);
 * - **photo-only pages**: pages with photos whose only text is the footer and the photos' captions;
 * - **row spread**: photos of one article whose top edges align form a row; the spread is the tallest minus the
 *   shortest placed height;
 * - **photos away**: photos on a page holding none of their article's body text.
 *
 * The type area is the page minus the margins of `src/content/geometry.ts` (`resolveGeometry`): 12 mm on A4,
 * scaled by √(area / A4 area) for other papers, 4 mm more at the bottom, where the footer sits. It is derived
 * here from the page size in the PDF instead of imported, so a build measured is judged by the margins the
 * house style promised, not by whatever the layout happened to use.
 */

export const DPI = 50;
const MM = 72 / 25.4;
/** A pixel is "white" when each of R, G, B is at least this: the faint antialiased edge of a glyph is ink, and
 * so is a light tint box (the union theme's tint #fbeff0 has G = 239). */
export const WHITE = 245;

export interface TypeArea {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The type area in pt from the top-left corner, for a page of `width` × `height` pt. */
export function typeArea(width: number, height: number): TypeArea {
  const areaMm2 = (width / MM) * (height / MM);
  const side = 12 * MM * Math.sqrt(areaMm2 / (210 * 297));
  return { left: side, top: side, right: width - side, bottom: height - side - 4 * MM };
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The largest axis-aligned rectangle of 1s in a `width` × `height` mask (row-major), by the histogram method:
 * each row turns the mask into bar heights (1s ending at that row), and the largest rectangle under the bars is
 * found with a stack of rising bars. O(width × height).
 */
export function largestRectangle(mask: Uint8Array, width: number, height: number): Rect {
  const bars = new Int32Array(width);
  const stack = new Int32Array(width + 1);
  let best: Rect = { x: 0, y: 0, width: 0, height: 0 };
  let bestArea = 0;
  for (let row = 0; row < height; row++) {
    for (let x = 0; x < width; x++) bars[x] = mask[row * width + x] ? (bars[x] as number) + 1 : 0;
    let top = 0;
    for (let x = 0; x <= width; x++) {
      const h = x < width ? (bars[x] as number) : 0;
      while (top > 0 && (bars[stack[top - 1] as number] as number) >= h) {
        const barH = bars[stack[--top] as number] as number;
        const left = top > 0 ? (stack[top - 1] as number) + 1 : 0;
        const area = barH * (x - left);
        if (area > bestArea) {
          bestArea = area;
          best = { x: left, y: row - barH + 1, width: x - left, height: barH };
        }
      }
      stack[top++] = x;
    }
  }
  return best;
}

export interface RenderedPage {
  /** Page size in pt. */
  width: number;
  height: number;
  /** Pixels per pt. */
  scale: number;
  pixelWidth: number;
  pixelHeight: number;
  /** 1 where the pixel is white. */
  white: Uint8Array;
}

/**
 * Every page rendered as `src/render/preview.ts` does (glyph outlines, no system fonts) into a white mask.
 * Photos are not drawn (`maxImageSize: 1`): decoding 350 dpi JPEGs in pdfjs's JavaScript decoder took three
 * quarters of the time, and a photo is ink wherever it is placed, so `inkBoxes` paints their boxes instead.
 */
export async function renderWhiteMasks(
  pdf: Uint8Array,
  dpi = DPI,
  inkBoxes: (page: number) => Rect[] = () => [],
): Promise<RenderedPage[]> {
  const doc = await openPdf(pdf, { maxImageSize: 1 });
  try {
    const out: RenderedPage[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const scale = dpi / 72;
      const { rgba, width: pixelWidth, height: pixelHeight } = await drawPage(doc, n, { scale });
      const white = new Uint8Array(pixelWidth * pixelHeight);
      for (let i = 0, p = 0; i < white.length; i++, p += 4) {
        white[i] =
          (rgba[p] as number) >= WHITE && (rgba[p + 1] as number) >= WHITE && (rgba[p + 2] as number) >= WHITE
            ? 1
            : 0;
      }
      for (const b of inkBoxes(n)) {
        const x0 = Math.max(0, Math.floor(b.x * scale));
        const x1 = Math.min(pixelWidth, Math.ceil((b.x + b.width) * scale));
        const y0 = Math.max(0, Math.floor(b.y * scale));
        const y1 = Math.min(pixelHeight, Math.ceil((b.y + b.height) * scale));
        for (let y = y0; y < y1; y++) white.fill(0, y * pixelWidth + x0, y * pixelWidth + Math.max(x0, x1));
      }
      const base = (await doc.getPage(n)).getViewport({ scale: 1 });
      out.push({ width: base.width, height: base.height, scale, pixelWidth, pixelHeight, white });
    }
    return out;
  } finally {
    await doc.destroy();
  }
}

/**
 * A picture of what the measure saw, for a person checking it: white stays white, ink is grey, the type area is
 * outlined in blue and the largest hole filled in translucent red.
 */
export async function holePicture(page: RenderedPage, hole: HoleMeasure): Promise<Buffer> {
  const { pixelWidth: w, pixelHeight: h, scale: s } = page;
  const rgb = Buffer.alloc(w * h * 3);
  const area = typeArea(page.width, page.height);
  const r = hole.rect;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const white = page.white[y * w + x] === 1;
      const inHole = x >= r.x * s && x < (r.x + r.width) * s && y >= r.y * s && y < (r.y + r.height) * s;
      const edge =
        (Math.abs(x - area.left * s) < 1 || Math.abs(x - area.right * s) < 1) &&
        y >= area.top * s &&
        y <= area.bottom * s
          ? true
          : (Math.abs(y - area.top * s) < 1 || Math.abs(y - area.bottom * s) < 1) &&
            x >= area.left * s &&
            x <= area.right * s;
      const [cr, cg, cb] = edge
        ? [40, 90, 220]
        : inHole
          ? [255, 150, 150]
          : white
            ? [255, 255, 255]
            : [110, 110, 110];
      rgb[i] = cr;
      rgb[i + 1] = cg;
      rgb[i + 2] = cb;
    }
  }
  return sharp(rgb, { raw: { width: w, height: h, channels: 3 } })
    .png()
    .toBuffer();
}

export interface HoleMeasure {
  /** Largest white rectangle inside the type area, % of the type area. */
  percent: number;
  /** The rectangle in pt from the top-left corner. */
  rect: Rect;
  /** How far down the type area the lowest ink reaches, 0-1. */
  filled: number;
}

export function measureHole(page: RenderedPage): HoleMeasure {
  const area = typeArea(page.width, page.height);
  const s = page.scale;
  // Inward rounding: a margin pixel never counts as type area.
  const x0 = Math.ceil(area.left * s);
  const x1 = Math.floor(area.right * s);
  const y0 = Math.ceil(area.top * s);
  const y1 = Math.floor(area.bottom * s);
  const w = x1 - x0;
  const h = y1 - y0;
  const mask = new Uint8Array(w * h);
  let lowestInk = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = page.white[(y0 + y) * page.pixelWidth + x0 + x] as number;
      mask[y * w + x] = v;
      if (!v) lowestInk = y;
    }
  }
  const r = largestRectangle(mask, w, h);
  return {
    percent: (100 * r.width * r.height) / (w * h),
    rect: { x: (x0 + r.x) / s, y: (y0 + r.y) / s, width: r.width / s, height: r.height / s },
    filled: (lowestInk + 1) / h,
  };
}

/** Bounding box of a placed image, pt from the top-left corner. */
export function imageBox(img: PdfImage, pageHeight: number): Rect {
  return {
    x: img.placed.x,
    y: pageHeight - (img.placed.y + img.placed.height),
    width: img.placed.width,
    height: img.placed.height,
  };
}

function isFooter(item: PdfTextItem, page: PdfPage): boolean {
  return item.top >= typeArea(page.width, page.height).bottom - 0.5;
}

/** Text under a photo, within its width and a few caption lines below it. */
function isCaption(item: PdfTextItem, boxes: Rect[]): boolean {
  const cx = item.x + item.width / 2;
  return boxes.some(
    (b) =>
      cx >= b.x - 1 &&
      cx <= b.x + b.width + 1 &&
      item.top >= b.y + b.height - 1 &&
      item.top <= b.y + b.height + 5 * (item.fontSize || 9),
  );
}

/** Photos (images at least 20 pt wide) on the page. */
function photosOn(page: PdfPage): PdfImage[] {
  return page.images.filter((i) => i.placed.width >= 20 && i.placed.height >= 20);
}

/** A page holds photos and no text but the footer and captions. */
export function isPhotoOnly(page: PdfPage): boolean {
  const photos = photosOn(page);
  if (!photos.length) return false;
  const boxes = photos.map((i) => imageBox(i, page.height));
  return page.items.every((it) => it.str.trim() === "" || isFooter(it, page) || isCaption(it, boxes));
}

export interface PlacedPhoto {
  src: string;
  story: number;
  page: number;
  box: Rect;
}

/**
 * Each placed image matched to a photo of the YAML: images in page and drawing order take the first unused photo
 * (in YAML order) with the same aspect ratio within 2 %; kaiho never crops, so the aspect survives resizing.
 */
export function matchPhotos(
  pages: PdfPage[],
  stories: StoryRef[],
): { placed: PlacedPhoto[]; unmatched: number } {
  const wanted = stories.flatMap((s, story) => s.photos.map((p) => ({ ...p, story, used: false })));
  const placed: PlacedPhoto[] = [];
  let unmatched = 0;
  for (const page of pages) {
    for (const img of photosOn(page)) {
      const aspect = img.pixelWidth / img.pixelHeight;
      const hit = wanted.find((w) => !w.used && Math.abs(w.width / w.height / aspect - 1) < 0.02);
      if (!hit) {
        unmatched++;
        continue;
      }
      hit.used = true;
      placed.push({ src: hit.src, story: hit.story, page: page.number, box: imageBox(img, page.height) });
    }
  }
  return { placed, unmatched };
}

/** Largest height difference among photos of one story whose top edges align (within 1 pt) on one page. */
export function rowSpread(placed: PlacedPhoto[]): { rows: number; spread: number } {
  const rows = new Map<string, PlacedPhoto[]>();
  for (const p of placed) {
    const key = [...rows.keys()].find((k) => {
      const [story, page, top] = k.split("/").map(Number);
      return story === p.story && page === p.page && Math.abs((top as number) - p.box.y) <= 1;
    });
    const k = key ?? `${p.story}/${p.page}/${p.box.y}`;
    rows.set(k, [...(rows.get(k) ?? []), p]);
  }
  let spread = 0;
  let count = 0;
  for (const row of rows.values()) {
    if (row.length < 2) continue;
    count++;
    const hs = row.map((p) => p.box.height);
    spread = Math.max(spread, Math.max(...hs) - Math.min(...hs));
  }
  return { rows: count, spread };
}

const WINDOW = 8;

function squash(s: string): string {
  return s.replace(/\s+/gu, "");
}

/** Substrings of WINDOW characters of each story's body that no other story's body contains. */
export function storyFingerprints(stories: StoryRef[]): Set<string>[] {
  const windows = stories.map((s) => {
    const set = new Set<string>();
    for (const para of s.body.split(/\n/)) {
      const t = squash(para);
      for (let i = 0; i + WINDOW <= t.length; i++) set.add(t.slice(i, i + WINDOW));
    }
    return set;
  });
  return windows.map((set, i) => {
    const own = new Set<string>();
    for (const w of set) if (!windows.some((other, j) => j !== i && other.has(w))) own.add(w);
    return own;
  });
}

/** Text lines of a page that are neither footer nor caption, without whitespace. */
function bodyLines(page: PdfPage): string[] {
  const boxes = photosOn(page).map((i) => imageBox(i, page.height));
  const lines: string[] = [];
  let cur = "";
  let lastY: number | undefined;
  for (const it of page.items) {
    if (isFooter(it, page) || isCaption(it, boxes)) continue;
    if (lastY !== undefined && Math.abs(it.y - lastY) > 0.5 * (it.fontSize || 9)) {
      lines.push(cur);
      cur = "";
    }
    cur += squash(it.str);
    lastY = it.y;
  }
  if (cur) lines.push(cur);
  return lines;
}

/** Photos on a page that holds no body text of their own story. */
export function photosAway(pages: PdfPage[], stories: StoryRef[], placed: PlacedPhoto[]): PlacedPhoto[] {
  const prints = storyFingerprints(stories);
  const linesByPage = new Map(pages.map((p) => [p.number, bodyLines(p)]));
  return placed.filter((p) => {
    const own = prints[p.story] ?? new Set<string>();
    const lines = linesByPage.get(p.page) ?? [];
    return !lines.some((line) => {
      for (let i = 0; i + WINDOW <= line.length; i++) if (own.has(line.slice(i, i + WINDOW))) return true;
      return false;
    });
  });
}

export interface QualityReport {
  pages: number;
  /** Largest hole per page, % of the type area. */
  holes: number[];
  /** How far down the last page's type area the content reaches, 0-1. */
  lastFilled: number;
  photoOnlyPages: number[];
  rows: number;
  /** Worst height difference within a photo row, pt. */
  rowSpread: number;
  photos: number;
  placedPhotos: number;
  unmatchedImages: number;
  away: { src: string; page: number }[];
}

/**
 * Measures one built PDF against its YAML's stories. With `picturesDir`, also writes `<name>-hole-<page>.png`
 * there (see `holePicture`).
 */
export async function measurePdf(
  file: string,
  stories: StoryRef[],
  dpi = DPI,
  picturesDir?: string,
): Promise<QualityReport> {
  const report = await inspectPdf(file);
  const rendered = await renderWhiteMasks(new Uint8Array(await readFile(file)), dpi, (n) => {
    const page = report.pages[n - 1];
    return page ? page.images.map((i) => imageBox(i, page.height)) : [];
  });
  const holes = rendered.map(measureHole);
  if (picturesDir) {
    await mkdir(picturesDir, { recursive: true });
    const name = path.basename(file, ".pdf");
    for (const [i, page] of rendered.entries()) {
      const hole = holes[i];
      if (hole)
        await writeFile(path.join(picturesDir, `${name}-hole-${i + 1}.png`), await holePicture(page, hole));
    }
  }
  const { placed, unmatched } = matchPhotos(report.pages, stories);
  const { rows, spread } = rowSpread(placed);
  return {
    pages: report.pages.length,
    holes: holes.map((h) => h.percent),
    lastFilled: holes[holes.length - 1]?.filled ?? 0,
    photoOnlyPages: report.pages.filter(isPhotoOnly).map((p) => p.number),
    rows,
    rowSpread: spread,
    photos: stories.reduce((n, s) => n + s.photos.length, 0),
    placedPhotos: placed.length,
    unmatchedImages: unmatched,
    away: photosAway(report.pages, stories, placed).map((p) => ({ src: p.src, page: p.page })),
  };
}

export const LIMITS = {
  /** Largest hole on every page but the last, % of the type area. */
  hole: 5,
  /** On the last page, unless the whole content is less than half a page. */
  lastHole: 15,
  /** Height difference within a photo row, pt. */
  rowSpread: 0.5,
};

/** What a reader would object to, one line each; empty when the layout meets every limit. */
export function qualityProblems(q: QualityReport): string[] {
  const out: string[] = [];
  q.holes.forEach((h, i) => {
    const last = i === q.holes.length - 1;
    if (!last && h > LIMITS.hole) out.push(`page ${i + 1}: hole ${h.toFixed(1)}% > ${LIMITS.hole}%`);
    const lessThanHalf = q.pages === 1 && q.lastFilled < 0.5;
    if (last && !lessThanHalf && h > LIMITS.lastHole)
      out.push(`last page ${i + 1}: hole ${h.toFixed(1)}% > ${LIMITS.lastHole}%`);
  });
  for (const p of q.photoOnlyPages) out.push(`page ${p}: only photos`);
  if (q.rowSpread > LIMITS.rowSpread)
    out.push(`photo row heights differ by ${q.rowSpread.toFixed(1)} pt > ${LIMITS.rowSpread} pt`);
  for (const a of q.away) out.push(`${a.src} on page ${a.page}, away from its article's text`);
  if (q.placedPhotos !== q.photos)
    out.push(
      `${q.placedPhotos} of ${q.photos} photos found in the PDF (${q.unmatchedImages} images unmatched)`,
    );
  return out;
}

export interface QualityRow {
  fixture: string;
  pages: number | string;
  "holes % (per page)": string;
  "last %": string;
  "photo-only pages": string;
  "row spread pt": string;
  "photos away": string;
}

export function qualityRow(fixture: string, q: QualityReport | string): QualityRow {
  if (typeof q === "string")
    return {
      fixture,
      pages: "-",
      "holes % (per page)": q,
      "last %": "-",
      "photo-only pages": "-",
      "row spread pt": "-",
      "photos away": "-",
    };
  const body = q.holes.slice(0, -1);
  return {
    fixture,
    pages: q.pages,
    "holes % (per page)": body.length ? body.map((h) => h.toFixed(1)).join(" ") : "-",
    "last %": `${(q.holes[q.holes.length - 1] ?? 0).toFixed(1)}${q.pages === 1 && q.lastFilled < 0.5 ? " (short)" : ""}`,
    "photo-only pages": q.photoOnlyPages.length ? q.photoOnlyPages.map((p) => `p${p}`).join(" ") : "none",
    "row spread pt": q.rows ? q.rowSpread.toFixed(1) : "-",
    "photos away": `${q.away.length}/${q.photos}${q.placedPhotos !== q.photos ? ` (${q.placedPhotos} found)` : ""}`,
  };
}

/** The rows as a Markdown table, for the README. */
export function qualityMarkdown(rows: QualityRow[]): string {
  const first = rows[0];
  if (!first) return "";
  const keys = Object.keys(first) as (keyof QualityRow)[];
  const cell = (v: unknown) => String(v).replace(/\|/g, "\\|");
  return [
    `| ${keys.join(" | ")} |`,
    `| ${keys.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${keys.map((k) => cell(r[k])).join(" | ")} |`),
  ].join("\n");
}
