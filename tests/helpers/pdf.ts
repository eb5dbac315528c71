/**
 * What a reader would check by opening a PDF the build wrote — pages and their boxes, the text and where it
 * sits, which fonts are embedded, whether any glyph came out as tofu (.notdef), and how sharp each photo is
 * printed — read back with npm libraries only:
 *
 * - text and positions: pdfjs-dist (legacy build), the same engine as Firefox's viewer;
 * - structure (boxes, fonts, images, info) and the content-stream walk: pdf-lib's low-level object API.
 *
 * Coordinates are PDF user space in points (origin bottom-left of the page's coordinate system, y upward),
 * exactly as in the file. `PdfTextItem.top` is the one top-left-origin convenience: the distance from the
 * MediaBox's top edge down to the top of the item.
 *
 * Reports are cached per path + mtime + size and deeply frozen: call `inspectPdf` from as many tests as you like.
 *
 * Limits:
 * - .notdef is detected only for Type0 fonts with Identity-H/V (all pdfkit/pdfmake fonts), via CIDToGIDMap when
 *   it is a stream; simple fonts and other CMaps are walked but not checked (`PdfFont.notdefChecked` = false).
 * - Not walked: annotation appearance streams, patterns, Type3 glyph procedures, a font set through an
 *   ExtGState `/Font` entry.
 * - pdfjs turns wide gaps (e.g. loose justification) into spaces in `str`; compare with `normalizeText`.
 * - Vertical writing (Identity-V, `dir: "ttb"`) is not grouped into lines correctly.
 * - Inline images (`BI … EI`) are found by the first whitespace-delimited `EI` unless `/L` is given.
 */

import { readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { inflateSync, constants as zlibConstants } from "node:zlib";
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  type PDFObject,
  type PDFPageLeaf,
  PDFRawStream,
  PDFRef,
  PDFString,
} from "pdf-lib";
import { getDocument, VerbosityLevel } from "pdfjs-dist/legacy/build/pdf.mjs";
import {
  type CsOperand,
  type CsOperation,
  IDENTITY,
  isName,
  isStr,
  type Matrix,
  multiply,
  parseContentStream,
  parseToUnicodeCMap,
  transformPoint,
} from "./pdf-content.js";

// ---------------------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------------------

/** [x0, y0, x1, y1] in pt, normalised so x0 ≤ x1 and y0 ≤ y1. */
export type PdfBox = [number, number, number, number];

export interface PdfTextItem {
  str: string;
  /** Left end of the item's baseline, PDF user space (pt, y up). */
  x: number;
  /** Baseline, PDF user space (pt, y up). */
  y: number;
  /** Distance from the MediaBox top edge down to the item's top (`y + height`), i.e. top-left origin. */
  top: number;
  width: number;
  /** As pdfjs reports it: the font size for drawn glyphs, 0 for the spaces pdfjs inserts for gaps. */
  height: number;
  /** The font's BaseFont as written in the file, e.g. `BZZZZZ+NotoSansJP-Regular`. */
  fontName: string;
  fontSize: number;
}

export interface PdfPage {
  /** 1-based. */
  number: number;
  /** From the MediaBox (not rotated). */
  width: number;
  height: number;
  rotate: number;
  boxes: { media: PdfBox; crop?: PdfBox; bleed?: PdfBox; trim?: PdfBox; art?: PdfBox };
  /** Lines (see `lineBoxes`, stream order) joined with "\n"; items within a line are joined without spaces. */
  text: string;
  /** pdfjs text items in content-stream order, empty strings dropped. */
  items: PdfTextItem[];
  images: PdfImage[];
  notdefCount: number;
}

export interface PdfFont {
  /** BaseFont, e.g. `BZZZZZ+NotoSansJP-Regular`. */
  baseFont: string;
  /** Type0, TrueType, Type1, Type3, … */
  subtype: string;
  /** For Type0: the descendant's subtype (CIDFontType2 = TrueType outlines, CIDFontType0 = CFF). */
  descendantSubtype?: string;
  /** Encoding name (`Identity-H`, `WinAnsiEncoding`, …), `(embedded CMap)` or `(dictionary)`. */
  encoding?: string;
  /** A FontFile/FontFile2/FontFile3 in the descriptor (through DescendantFonts for Type0). Type3 counts as embedded. */
  embedded: boolean;
  fontFile?: "FontFile" | "FontFile2" | "FontFile3";
  /** BaseFont carries a 6-capital-letter subset tag (`ABCDEF+`). */
  subset: boolean;
  toUnicode: boolean;
  /** Pages (1-based) whose resources (or those of a form drawn on them) list this font. */
  pages: number[];
  /** Pages on which a `Tf` actually selected it. */
  usedOnPages: number[];
  /** Glyphs drawn with it (for fonts whose codes are not checked: bytes drawn). */
  glyphsDrawn: number;
  /** Whether .notdef could be detected for this font (Type0 with Identity-H/V only). */
  notdefChecked: boolean;
  notdefCount: number;
}

export interface NotdefSample {
  page: number;
  font: string;
  /** Up to 12 characters of text around it (from ToUnicode), the .notdef itself shown as U+FFFD. */
  context: string;
}

export interface PdfImage {
  page: number;
  /** Resource name (`I1`) or `(inline)`. */
  name: string;
  inline: boolean;
  /** Drawn from inside a form XObject. */
  inForm: boolean;
  pixelWidth: number;
  pixelHeight: number;
  /** `DeviceRGB`, `DeviceCMYK`, `DeviceGray`, `ICCBased`, `Indexed`, …; undefined for stencil masks. */
  colorSpace?: string;
  /** For ICCBased: the profile's component count. */
  colorComponents?: number;
  bitsPerComponent?: number;
  /** First filter, e.g. `DCTDecode` (JPEG) or `FlateDecode` (PNG-like). */
  filter?: string;
  filters: string[];
  hasSMask: boolean;
  imageMask: boolean;
  /** CTM at the `Do`: maps the image's unit square to user space. */
  ctm: Matrix;
  /** Bounding box of the placed image in user space. */
  placed: { x: number; y: number; width: number; height: number };
  /** Length of the image's own x and y axes in pt (equal to placed width/height unless rotated or skewed). */
  placedWidth: number;
  placedHeight: number;
  /** pixelWidth / (placedWidth / 72), pixelHeight / (placedHeight / 72), and the lower of the two. */
  ppiX: number;
  ppiY: number;
  ppi: number;
}

export interface PdfInfo {
  title?: string;
  author?: string;
  subject?: string;
  keywords?: string;
  creator?: string;
  producer?: string;
  creationDate?: Date;
  modDate?: Date;
  /** Every Info entry as text (dates as written, e.g. `D:20240101…`). */
  raw: Record<string, string>;
}

export interface PdfReport {
  path: string;
  /** From the header, e.g. `1.3`. */
  version: string;
  pages: PdfPage[];
  fonts: PdfFont[];
  notdefCount: number;
  /** At most 50. */
  notdefSamples: NotdefSample[];
  images: PdfImage[];
  info: PdfInfo;
}

// ---------------------------------------------------------------------------------------------------------
// Entry point and cache
// ---------------------------------------------------------------------------------------------------------

const cache = new Map<string, { key: string; report: Promise<PdfReport> }>();

export async function inspectPdf(path: string): Promise<PdfReport> {
  const abs = resolve(path);
  const st = await stat(abs);
  const key = `${st.mtimeMs}:${st.size}`;
  const hit = cache.get(abs);
  if (hit && hit.key === key) return hit.report;
  const report = analyse(abs);
  cache.set(abs, { key, report });
  report.catch(() => {
    if (cache.get(abs)?.report === report) cache.delete(abs);
  });
  return report;
}

async function analyse(abs: string): Promise<PdfReport> {
  const bytes = await readFile(abs);
  const structure = await readStructure(bytes);
  const textPages = await readText(bytes, structure.pages);
  const pages: PdfPage[] = structure.pages.map((p, i) => {
    const items = textPages[i] ?? [];
    const page: PdfPage = { ...p, items, text: "" };
    page.text = lineBoxes(page)
      .map((l) => l.text)
      .join("\n");
    return page;
  });
  const report: PdfReport = {
    path: abs,
    version: /%PDF-(\d+\.\d+)/.exec(bytes.subarray(0, 1024).toString("latin1"))?.[1] ?? "",
    pages,
    fonts: structure.fonts,
    notdefCount: structure.notdefCount,
    notdefSamples: structure.notdefSamples,
    images: structure.images,
    info: structure.info,
  };
  return deepFreeze(report);
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === "object" && !Object.isFrozen(o) && !(o instanceof Date)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

// ---------------------------------------------------------------------------------------------------------
// Text: pdfjs
// ---------------------------------------------------------------------------------------------------------

const pdfjsDir = dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json"));

interface PdfjsTextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
  fontName: string;
}

async function readText(bytes: Buffer, pages: { boxes: { media: PdfBox } }[]): Promise<PdfTextItem[][]> {
  const task = getDocument({
    data: new Uint8Array(bytes), // a copy: pdfjs transfers the buffer to its worker
    verbosity: VerbosityLevel.ERRORS,
    disableFontFace: true,
    useSystemFonts: false,
    isEvalSupported: false,
    // Text needs no pixels: without this, getOperatorList (wanted only for the font names) decodes every photo.
    maxImageSize: 1,
    cMapUrl: join(pdfjsDir, "cmaps/"),
    cMapPacked: true,
    standardFontDataUrl: join(pdfjsDir, "standard_fonts/"),
  });
  try {
    const doc = await task.promise;
    const out: PdfTextItem[][] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent({ disableNormalization: true });
      // pdfjs names fonts `g_d0_f1`; the real BaseFont is on the font object, which only getOperatorList loads.
      await page.getOperatorList();
      const names = new Map<string, string>();
      for (const id of Object.keys(content.styles)) {
        let name = id;
        try {
          if (page.commonObjs.has(id)) {
            const font = page.commonObjs.get(id) as { name?: unknown } | null;
            if (typeof font?.name === "string" && font.name) name = font.name;
          }
        } catch {
          // unresolved font: keep pdfjs's id
        }
        names.set(id, name);
      }
      const mediaTop = pages[n - 1]?.boxes.media[3] ?? 0;
      const items: PdfTextItem[] = [];
      for (const raw of content.items) {
        if (!("str" in raw)) continue;
        const it = raw as PdfjsTextItem;
        if (it.str === "") continue;
        const t = it.transform;
        const x = t[4] ?? 0;
        const y = t[5] ?? 0;
        const fontSize = Math.hypot(t[2] ?? 0, t[3] ?? 0) || it.height;
        items.push({
          str: it.str,
          x,
          y,
          top: mediaTop - (y + (it.height || fontSize)),
          width: it.width,
          height: it.height,
          fontName: names.get(it.fontName) ?? it.fontName,
          fontSize,
        });
      }
      out.push(items);
      page.cleanup();
    }
    return out;
  } finally {
    await task.destroy();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Lines
// ---------------------------------------------------------------------------------------------------------

export interface LineBox {
  /** Items' strings joined without separators, trimmed. */
  text: string;
  /** x of the first non-blank item. */
  left: number;
  /** x + width of the last non-blank item (a trailing space inside that item counts). */
  right: number;
  /** Baseline of the first non-blank item (pt, y up). */
  y: number;
  /** Smallest `top` of its items (top-left origin). */
  top: number;
  /** Largest font size on the line. */
  fontSize: number;
  items: PdfTextItem[];
}

export interface LineOptions {
  /**
   * `stream` (default): a line is a run of consecutive items (content-stream order) on one baseline, so each
   * column of a multi-column page gives its own lines, in the order they were written.
   * `y`: every item of the page on one baseline, sorted by x — the brief's "by y" — split only at large gaps;
   * lines sorted top to bottom.
   */
  by?: "stream" | "y";
  /** Baselines within this many pt are one line. Default: max(0.5, 0.3 × the smaller font size). */
  yTolerance?: number;
  /** A horizontal gap wider than this many ems (of the larger font) starts a new line. Default 3. */
  maxGapEm?: number;
}

export function lineBoxes(page: Pick<PdfPage, "items">, options: LineOptions = {}): LineBox[] {
  const maxGapEm = options.maxGapEm ?? 3;
  const tol = (a: PdfTextItem, b: PdfTextItem) =>
    options.yTolerance ?? Math.max(0.5, 0.3 * Math.min(a.fontSize || b.fontSize, b.fontSize || a.fontSize));
  const gapBreak = (prev: PdfTextItem, it: PdfTextItem) =>
    it.x - (prev.x + prev.width) > maxGapEm * Math.max(prev.fontSize, it.fontSize, 1);

  const groups: PdfTextItem[][] = [];
  if ((options.by ?? "stream") === "stream") {
    let cur: PdfTextItem[] = [];
    for (const it of page.items) {
      const prev = cur[cur.length - 1];
      const same =
        prev !== undefined &&
        Math.abs(it.y - prev.y) <= tol(prev, it) &&
        it.x >= prev.x - tol(prev, it) &&
        !gapBreak(prev, it);
      if (!same && cur.length) {
        groups.push(cur);
        cur = [];
      }
      cur.push(it);
    }
    if (cur.length) groups.push(cur);
  } else {
    const sorted = [...page.items].sort((a, b) => b.y - a.y || a.x - b.x);
    const rows: PdfTextItem[][] = [];
    for (const it of sorted) {
      const row = rows[rows.length - 1];
      const head = row?.[0];
      if (row && head && Math.abs(head.y - it.y) <= tol(head, it)) row.push(it);
      else rows.push([it]);
    }
    for (const row of rows) {
      row.sort((a, b) => a.x - b.x);
      let cur: PdfTextItem[] = [];
      for (const it of row) {
        const prev = cur[cur.length - 1];
        if (prev && gapBreak(prev, it)) {
          groups.push(cur);
          cur = [];
        }
        cur.push(it);
      }
      if (cur.length) groups.push(cur);
    }
  }

  const lines: LineBox[] = [];
  for (const items of groups) {
    const visible = items.filter((i) => i.str.trim() !== "");
    const first = visible[0];
    const last = visible[visible.length - 1];
    if (!first || !last) continue;
    lines.push({
      text: items
        .map((i) => i.str)
        .join("")
        .trim(),
      left: first.x,
      right: last.x + last.width,
      y: first.y,
      top: Math.min(...visible.map((i) => i.top)),
      fontSize: Math.max(...visible.map((i) => i.fontSize)),
      items,
    });
  }
  return lines;
}

/** Drops all whitespace (incl. U+3000), for "does the page contain this sentence" checks across line breaks. */
export function normalizeText(s: string): string {
  return s.replace(/\s+/gu, "");
}

// ---------------------------------------------------------------------------------------------------------
// Structure: pdf-lib
// ---------------------------------------------------------------------------------------------------------

interface FontRuntime {
  info: PdfFont;
  /** Type0 with Identity-H/V: 2-byte codes, code = CID. */
  twoByte: boolean;
  /** CIDToGIDMap stream, if not Identity. */
  cidToGid?: Uint8Array;
  toUnicode?: Map<number, string>;
}

interface StructurePage extends Omit<PdfPage, "text" | "items"> {}

interface Structure {
  pages: StructurePage[];
  fonts: PdfFont[];
  notdefCount: number;
  notdefSamples: NotdefSample[];
  images: PdfImage[];
  info: PdfInfo;
}

const N = (s: string) => PDFName.of(s);
const MAX_SAMPLES = 50;
const CONTEXT_CHARS = 12;

async function readStructure(bytes: Buffer): Promise<Structure> {
  const doc = await PDFDocument.load(bytes, {
    updateMetadata: false, // otherwise pdf-lib rewrites Producer/ModDate in memory
    ignoreEncryption: true,
    throwOnInvalidObject: false,
  });
  const ctx = doc.context;
  const look = (o: PDFObject | undefined): PDFObject | undefined => (o instanceof PDFRef ? ctx.lookup(o) : o);
  const dictOf = (o: PDFObject | undefined): PDFDict | undefined => {
    const v = look(o);
    if (v instanceof PDFDict) return v;
    if (v instanceof PDFRawStream) return v.dict;
    return undefined;
  };
  const nameOf = (o: PDFObject | undefined): string | undefined => {
    const v = look(o);
    return v instanceof PDFName ? v.decodeText() : undefined;
  };
  const numOf = (o: PDFObject | undefined): number | undefined => {
    const v = look(o);
    return v instanceof PDFNumber ? v.asNumber() : undefined;
  };
  const boxOf = (o: PDFObject | undefined): PdfBox | undefined => {
    const v = look(o);
    if (!(v instanceof PDFArray) || v.size() < 4) return undefined;
    const [a = 0, b = 0, c = 0, d = 0] = v.asArray().map((x) => numOf(x) ?? 0);
    return [Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)];
  };
  const inherited = (leaf: PDFDict, key: string): PDFObject | undefined => {
    let node: PDFDict | undefined = leaf;
    for (let depth = 0; node && depth < 64; depth++) {
      const v = node.get(N(key));
      if (v !== undefined) return v;
      node = dictOf(node.get(N("Parent")));
    }
    return undefined;
  };
  const filtersOf = (d: PDFDict): string[] => {
    const f = look(d.get(N("Filter")));
    if (f instanceof PDFArray) return f.asArray().map((x) => nameOf(x) ?? "?");
    const n = nameOf(f);
    return n ? [n] : [];
  };

  const streamBytes = (o: PDFObject | undefined): Buffer | undefined => {
    const s = look(o);
    if (!(s instanceof PDFRawStream)) return undefined;
    const filters = filtersOf(s.dict);
    if (filters.length === 0) return Buffer.from(s.contents);
    if (filters.length === 1 && filters[0] === "FlateDecode" && !s.dict.has(N("DecodeParms"))) {
      try {
        return inflateSync(s.contents);
      } catch {
        try {
          return inflateSync(s.contents, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
        } catch {
          return undefined;
        }
      }
    }
    try {
      return Buffer.from(decodePDFRawStream(s).decode());
    } catch {
      return undefined;
    }
  };
  // ---- fonts ----
  const fonts = new Map<PDFDict, FontRuntime>();
  const fontRuntime = (dict: PDFDict): FontRuntime => {
    const known = fonts.get(dict);
    if (known) return known;
    const subtype = nameOf(dict.get(N("Subtype"))) ?? "?";
    const baseFont = nameOf(dict.get(N("BaseFont"))) ?? (subtype === "Type3" ? "(Type3)" : "(no BaseFont)");
    let host = dict;
    let descendantSubtype: string | undefined;
    let cidToGid: Uint8Array | undefined;
    const encObj = look(dict.get(N("Encoding")));
    const encoding: string | undefined =
      encObj instanceof PDFName
        ? encObj.decodeText()
        : encObj instanceof PDFRawStream
          ? "(embedded CMap)"
          : encObj instanceof PDFDict
            ? "(dictionary)"
            : undefined;
    if (subtype === "Type0") {
      const descendants = look(dict.get(N("DescendantFonts")));
      const desc = descendants instanceof PDFArray ? dictOf(descendants.get(0)) : undefined;
      if (desc) {
        host = desc;
        descendantSubtype = nameOf(desc.get(N("Subtype")));
        const map = look(desc.get(N("CIDToGIDMap")));
        if (map instanceof PDFRawStream) cidToGid = streamBytes(map);
      }
    }
    const fd = dictOf(host.get(N("FontDescriptor")));
    const fontFile = (["FontFile", "FontFile2", "FontFile3"] as const).find((k) => fd?.has(N(k)));
    let toUnicode: Map<number, string> | undefined;
    const tu = streamBytes(dict.get(N("ToUnicode")));
    if (tu) toUnicode = parseToUnicodeCMap(tu.toString("latin1")).map;
    const twoByte = subtype === "Type0" && (encoding === "Identity-H" || encoding === "Identity-V");
    const info: PdfFont = {
      baseFont,
      subtype,
      ...(descendantSubtype ? { descendantSubtype } : {}),
      ...(encoding ? { encoding } : {}),
      embedded: subtype === "Type3" || fontFile !== undefined,
      ...(fontFile ? { fontFile } : {}),
      subset: /^[A-Z]{6}\+/.test(baseFont),
      toUnicode: toUnicode !== undefined,
      pages: [],
      usedOnPages: [],
      glyphsDrawn: 0,
      notdefChecked: twoByte,
      notdefCount: 0,
    };
    const rt: FontRuntime = {
      info,
      twoByte,
      ...(cidToGid ? { cidToGid } : {}),
      ...(toUnicode ? { toUnicode } : {}),
    };
    fonts.set(dict, rt);
    return rt;
  };
  const addOnce = (list: number[], n: number) => {
    if (!list.includes(n)) list.push(n);
  };
  const registerFonts = (resources: PDFDict | undefined, pageNo: number) => {
    const fontDict = dictOf(resources?.get(N("Font")));
    if (!fontDict) return;
    for (const [, ref] of fontDict.entries()) {
      const d = dictOf(ref);
      if (d) addOnce(fontRuntime(d).info.pages, pageNo);
    }
  };

  // ---- content-stream walk ----
  const images: PdfImage[] = [];
  const notdefSamples: NotdefSample[] = [];
  let notdefCount = 0;

  interface PageWalk {
    pageNo: number;
    notdefs: number;
    images: PdfImage[];
    /** Recently drawn text, for notdef context. */
    recent: string;
    pending: { sample: NotdefSample; need: number }[];
  }
  interface GState {
    ctm: Matrix;
    font: FontRuntime | null;
  }

  const showText = (walk: PageWalk, font: FontRuntime | null, bytes: string) => {
    if (!font) return;
    const emit = (ch: string) => {
      walk.recent = (walk.recent + ch).slice(-CONTEXT_CHARS);
      for (const p of walk.pending) {
        if (p.need > 0) {
          p.sample.context += ch;
          p.need--;
        }
      }
      walk.pending = walk.pending.filter((p) => p.need > 0);
    };
    if (font.twoByte) {
      for (let i = 0; i + 1 < bytes.length; i += 2) {
        const code = (bytes.charCodeAt(i) << 8) | bytes.charCodeAt(i + 1);
        let gid = code;
        if (font.cidToGid) {
          const at = code * 2;
          gid =
            at + 1 < font.cidToGid.length
              ? ((font.cidToGid[at] ?? 0) << 8) | (font.cidToGid[at + 1] ?? 0)
              : 0;
        }
        font.info.glyphsDrawn++;
        if (gid === 0) {
          font.info.notdefCount++;
          walk.notdefs++;
          notdefCount++;
          const before = walk.recent;
          emit("\uFFFD");
          if (notdefSamples.length < MAX_SAMPLES) {
            const sample = { page: walk.pageNo, font: font.info.baseFont, context: `${before}\uFFFD` };
            notdefSamples.push(sample);
            walk.pending.push({ sample, need: CONTEXT_CHARS });
          }
        } else {
          emit(font.toUnicode?.get(code) ?? "");
        }
      }
    } else {
      // Simple fonts (and Type0 with other CMaps): code → glyph needs the font program's cmap; not checked.
      for (let i = 0; i < bytes.length; i++) {
        const code = bytes.charCodeAt(i);
        font.info.glyphsDrawn++;
        emit(font.toUnicode?.get(code) ?? (code >= 0x20 && code < 0x7f ? String.fromCharCode(code) : ""));
      }
    }
  };

  const CS_ABBREVIATIONS: Record<string, string> = {
    G: "DeviceGray",
    RGB: "DeviceRGB",
    CMYK: "DeviceCMYK",
    I: "Indexed",
  };
  /** An image XObject's /ColorSpace: a name, or an array such as [/ICCBased ref] or [/Indexed base hival lookup]. */
  const colorSpaceOf = (cs: PDFObject | undefined): { colorSpace?: string; colorComponents?: number } => {
    const obj = look(cs);
    const name = obj instanceof PDFArray ? nameOf(obj.get(0)) : nameOf(obj);
    if (!name) return {};
    const colorComponents =
      name === "ICCBased" && obj instanceof PDFArray ? numOf(dictOf(obj.get(1))?.get(N("N"))) : undefined;
    return { colorSpace: name, ...(colorComponents ? { colorComponents } : {}) };
  };
  /** An inline image's /CS: abbreviations, arrays, or a name from the resources' ColorSpace dictionary. */
  const inlineColorSpaceOf = (
    cs: CsOperand | undefined,
    resources: PDFDict | undefined,
  ): { colorSpace?: string; colorComponents?: number } => {
    const first = Array.isArray(cs) ? cs[0] : cs;
    if (!isName(first)) return {};
    const name = CS_ABBREVIATIONS[first.v] ?? first.v;
    if (!Array.isArray(cs) && !name.startsWith("Device") && name !== "Indexed") {
      const fromResources = dictOf(resources?.get(N("ColorSpace")))?.get(N(name));
      if (fromResources) return colorSpaceOf(fromResources);
    }
    return { colorSpace: name };
  };

  const placeImage = (
    walk: PageWalk,
    base: Omit<
      PdfImage,
      "page" | "ctm" | "placed" | "placedWidth" | "placedHeight" | "ppiX" | "ppiY" | "ppi"
    >,
    ctm: Matrix,
  ) => {
    const corners = [
      transformPoint(ctm, 0, 0),
      transformPoint(ctm, 1, 0),
      transformPoint(ctm, 0, 1),
      transformPoint(ctm, 1, 1),
    ];
    const xs = corners.map((c) => c[0]);
    const ys = corners.map((c) => c[1]);
    const placedWidth = Math.hypot(ctm[0], ctm[1]);
    const placedHeight = Math.hypot(ctm[2], ctm[3]);
    const ppiX = placedWidth > 0 ? base.pixelWidth / (placedWidth / 72) : Number.POSITIVE_INFINITY;
    const ppiY = placedHeight > 0 ? base.pixelHeight / (placedHeight / 72) : Number.POSITIVE_INFINITY;
    const img: PdfImage = {
      page: walk.pageNo,
      ...base,
      ctm: [...ctm],
      placed: {
        x: Math.min(...xs),
        y: Math.min(...ys),
        width: Math.max(...xs) - Math.min(...xs),
        height: Math.max(...ys) - Math.min(...ys),
      },
      placedWidth,
      placedHeight,
      ppiX,
      ppiY,
      ppi: Math.min(ppiX, ppiY),
    };
    walk.images.push(img);
    images.push(img);
  };

  const walkOps = (
    walk: PageWalk,
    ops: CsOperation[],
    resources: PDFDict | undefined,
    start: GState,
    formStack: PDFObject[],
  ) => {
    let gs: GState = { ...start };
    const stack: GState[] = [];
    const num = (o: CsOperand | undefined) => (typeof o === "number" ? o : 0);
    for (const { op, operands, inlineImage } of ops) {
      switch (op) {
        case "q":
          stack.push({ ...gs });
          break;
        case "Q":
          gs = stack.pop() ?? gs;
          break;
        case "cm": {
          const m = operands.slice(-6).map(num);
          if (m.length === 6) gs.ctm = multiply(m as Matrix, gs.ctm);
          break;
        }
        case "Tf": {
          const name = operands[0];
          const d = isName(name) ? dictOf(dictOf(resources?.get(N("Font")))?.get(N(name.v))) : undefined;
          gs.font = d ? fontRuntime(d) : null;
          if (gs.font) {
            addOnce(gs.font.info.pages, walk.pageNo);
            addOnce(gs.font.info.usedOnPages, walk.pageNo);
          }
          break;
        }
        case "Tj":
        case "'":
        case '"': {
          const s = operands[operands.length - 1];
          if (isStr(s)) showText(walk, gs.font, s.v);
          break;
        }
        case "TJ": {
          const arr = operands[operands.length - 1];
          if (Array.isArray(arr)) for (const el of arr) if (isStr(el)) showText(walk, gs.font, el.v);
          break;
        }
        case "Do": {
          const name = operands[0];
          if (!isName(name)) break;
          const ref = dictOf(resources?.get(N("XObject")))?.get(N(name.v));
          const xo = look(ref);
          if (!(xo instanceof PDFRawStream)) break;
          const sub = nameOf(xo.dict.get(N("Subtype")));
          if (sub === "Image") {
            const d = xo.dict;
            const filters = filtersOf(d);
            const bpc = numOf(d.get(N("BitsPerComponent")));
            placeImage(
              walk,
              {
                name: name.v,
                inline: false,
                inForm: formStack.length > 0,
                pixelWidth: numOf(d.get(N("Width"))) ?? 0,
                pixelHeight: numOf(d.get(N("Height"))) ?? 0,
                ...colorSpaceOf(d.get(N("ColorSpace"))),
                ...(bpc !== undefined ? { bitsPerComponent: bpc } : {}),
                ...(filters[0] ? { filter: filters[0] } : {}),
                filters,
                hasSMask: d.has(N("SMask")),
                imageMask: look(d.get(N("ImageMask")))?.toString() === "true",
              },
              gs.ctm,
            );
          } else if (sub === "Form") {
            if (formStack.includes(xo) || formStack.length > 20) break;
            const content = streamBytes(xo);
            if (!content) break;
            const matrix = look(xo.dict.get(N("Matrix")));
            const m =
              matrix instanceof PDFArray && matrix.size() === 6
                ? (matrix.asArray().map((x) => numOf(x) ?? 0) as Matrix)
                : IDENTITY;
            const formResources = dictOf(xo.dict.get(N("Resources"))) ?? resources;
            registerFonts(formResources, walk.pageNo);
            walkOps(
              walk,
              parseContentStream(content.toString("latin1")),
              formResources,
              { ...gs, ctm: multiply(m, gs.ctm) },
              [...formStack, xo],
            );
          }
          break;
        }
        case "BI": {
          const d = inlineImage ?? new Map<string, CsOperand>();
          const get = (...keys: string[]) => keys.map((k) => d.get(k)).find((v) => v !== undefined);
          const f = get("F", "Filter");
          const abbrevFilters: Record<string, string> = {
            AHx: "ASCIIHexDecode",
            A85: "ASCII85Decode",
            LZW: "LZWDecode",
            Fl: "FlateDecode",
            RL: "RunLengthDecode",
            CCF: "CCITTFaxDecode",
            DCT: "DCTDecode",
          };
          const filters = (Array.isArray(f) ? f : f !== undefined ? [f] : [])
            .filter(isName)
            .map((n) => abbrevFilters[n.v] ?? n.v);
          const bpc = get("BPC", "BitsPerComponent");
          placeImage(
            walk,
            {
              name: "(inline)",
              inline: true,
              inForm: formStack.length > 0,
              pixelWidth: num(get("W", "Width")),
              pixelHeight: num(get("H", "Height")),
              ...inlineColorSpaceOf(get("CS", "ColorSpace"), resources),
              ...(typeof bpc === "number" ? { bitsPerComponent: bpc } : {}),
              ...(filters[0] ? { filter: filters[0] } : {}),
              filters,
              hasSMask: false,
              imageMask: get("IM", "ImageMask") === true,
            },
            gs.ctm,
          );
          break;
        }
      }
    }
  };

  // ---- pages ----
  const pages: StructurePage[] = [];
  doc.getPages().forEach((p, i) => {
    const leaf: PDFPageLeaf = p.node;
    const pageNo = i + 1;
    const media = boxOf(inherited(leaf, "MediaBox")) ?? [0, 0, 612, 792];
    const crop = boxOf(inherited(leaf, "CropBox"));
    const bleed = boxOf(leaf.get(N("BleedBox")));
    const trim = boxOf(leaf.get(N("TrimBox")));
    const art = boxOf(leaf.get(N("ArtBox")));
    const resources = dictOf(inherited(leaf, "Resources"));
    registerFonts(resources, pageNo);

    const contents = look(leaf.get(N("Contents")));
    const parts = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : [];
    const content = parts.map((c) => streamBytes(c)?.toString("latin1") ?? "").join("\n");
    const walk: PageWalk = { pageNo, notdefs: 0, images: [], recent: "", pending: [] };
    walkOps(walk, parseContentStream(content), resources, { ctm: IDENTITY, font: null }, []);

    pages.push({
      number: pageNo,
      width: media[2] - media[0],
      height: media[3] - media[1],
      rotate: numOf(inherited(leaf, "Rotate")) ?? 0,
      boxes: {
        media,
        ...(crop ? { crop } : {}),
        ...(bleed ? { bleed } : {}),
        ...(trim ? { trim } : {}),
        ...(art ? { art } : {}),
      },
      images: walk.images,
      notdefCount: walk.notdefs,
    });
  });

  // ---- info ----
  const raw: Record<string, string> = {};
  const info: PdfInfo = { raw };
  const infoDict = dictOf(ctx.trailerInfo.Info);
  if (infoDict) {
    for (const [k, v0] of infoDict.entries()) {
      const key = k.decodeText();
      const v = look(v0);
      const text =
        v instanceof PDFString || v instanceof PDFHexString
          ? v.decodeText()
          : v instanceof PDFName
            ? v.decodeText()
            : String(v);
      raw[key] = text;
      const field = (
        {
          Title: "title",
          Author: "author",
          Subject: "subject",
          Keywords: "keywords",
          Creator: "creator",
          Producer: "producer",
        } as const
      )[key as "Title"];
      if (field) info[field] = text;
      if (
        (key === "CreationDate" || key === "ModDate") &&
        (v instanceof PDFString || v instanceof PDFHexString)
      ) {
        try {
          const d = v.decodeDate();
          if (!Number.isNaN(d.getTime())) info[key === "CreationDate" ? "creationDate" : "modDate"] = d;
        } catch {
          // unparseable date: raw only
        }
      }
    }
  }

  return {
    pages,
    fonts: [...fonts.values()].map((f) => f.info),
    notdefCount,
    notdefSamples,
    images,
    info,
  };
}
