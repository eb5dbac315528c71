/**
 * What a photo file is, read from its first bytes without decoding it. Used to name the format in messages
 * before sharp gets the file (an iPhone HEIC reads fine as a header and only fails at decode time) and to give
 * the pixel dimensions of a decompression bomb that sharp refuses even to describe.
 */

export type SniffedKind =
  | "jpeg"
  | "png"
  | "gif"
  | "webp"
  | "tiff"
  | "avif"
  | "heic"
  | "video"
  | "pdf"
  | "bmp"
  | "svg"
  | "empty"
  | "unknown";

export interface Sniffed {
  kind: SniffedKind;
  /** Major brand of an ISO-BMFF file (HEIC, AVIF, MP4, MOV), e.g. `heic`, `mif1`, `qt  `. */
  brand?: string;
  /** Stored pixel size (before EXIF orientation) where the header gives it cheaply. */
  width?: number;
  height?: number;
  /**
   * JPEG and PNG only: whether the file runs to its end marker. False means cut off after a readable header,
   * which is what we tell the editor when decoding fails; sharp's own error text is not reliable (see diagnose).
   */
  complete?: boolean;
}

/** Formats the images stage accepts; everything else is refused with a message before sharp sees it. */
export const SUPPORTED: ReadonlySet<SniffedKind> = new Set([
  "jpeg",
  "png",
  "gif",
  "webp",
  "tiff",
  "avif",
  "heic",
]);

const HEVC_BRANDS = new Set(["heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs"]);
const AVIF_BRANDS = new Set(["avif", "avis"]);
const VIDEO_BRANDS = new Set([
  "qt  ",
  "isom",
  "iso2",
  "mp41",
  "mp42",
  "M4V ",
  "3gp4",
  "3gp5",
  "3g2a",
  "avc1",
]);

export function sniff(buf: Buffer): Sniffed {
  if (buf.length === 0) return { kind: "empty" };
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) {
    return { kind: "jpeg", ...jpegInfo(buf) };
  }
  if (buf.length >= 8 && buf.subarray(0, 8).equals(PNG_SIGNATURE)) {
    return buf.length >= 24 && ascii(buf, 12, 16) === "IHDR"
      ? {
          kind: "png",
          width: buf.readUInt32BE(16),
          height: buf.readUInt32BE(20),
          complete: buf.lastIndexOf("IEND", undefined, "latin1") > 24,
        }
      : { kind: "png" };
  }
  const head6 = ascii(buf, 0, 6);
  if (head6 === "GIF87a" || head6 === "GIF89a") {
    return buf.length >= 10
      ? { kind: "gif", width: buf.readUInt16LE(6), height: buf.readUInt16LE(8) }
      : { kind: "gif" };
  }
  if (ascii(buf, 0, 4) === "RIFF" && ascii(buf, 8, 12) === "WEBP") return { kind: "webp", ...webpSize(buf) };
  const head4 = ascii(buf, 0, 4);
  if (head4 === "II*\0" || head4 === "MM\0*") return { kind: "tiff" };
  if (ascii(buf, 4, 8) === "ftyp") return isoBmff(buf);
  if (head4 === "%PDF") return { kind: "pdf" };
  if (ascii(buf, 0, 2) === "BM") return { kind: "bmp" };
  const text = buf.subarray(0, 512).toString("utf8").trimStart().toLowerCase();
  if (text.startsWith("<svg") || (text.startsWith("<?xml") && text.includes("<svg"))) return { kind: "svg" };
  return { kind: "unknown" };
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function ascii(buf: Buffer, start: number, end: number): string {
  return end <= buf.length ? buf.toString("latin1", start, end) : "";
}

/**
 * Walks the JPEG markers: the first start-of-frame holds the stored pixel size; the file is complete when an
 * end-of-image marker follows the first scan (inside entropy-coded data 0xFF is always stuffed, so FF D9 there is
 * the real end; an EXIF thumbnail's own FF D9 comes before the first scan and does not count).
 */
function jpegInfo(buf: Buffer): Pick<Sniffed, "width" | "height" | "complete"> {
  let size: { width: number; height: number } | undefined;
  let i = 2;
  while (i + 4 <= buf.length) {
    if (buf[i] !== 0xff) return { ...size };
    const marker = buf[i + 1] ?? 0;
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9) return { ...size };
    if (marker === 0xda) {
      return size ? { ...size, complete: buf.lastIndexOf(JPEG_EOI) > i } : {};
    }
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof && i + 9 <= buf.length)
      size = { height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7) };
    i += 2 + buf.readUInt16BE(i + 2);
  }
  return size ? { ...size, complete: false } : {};
}

const JPEG_EOI = Buffer.from([0xff, 0xd9]);

function webpSize(buf: Buffer): { width?: number; height?: number } {
  const chunk = ascii(buf, 12, 16);
  if (chunk === "VP8X" && buf.length >= 30) {
    return { width: 1 + buf.readUIntLE(24, 3), height: 1 + buf.readUIntLE(27, 3) };
  }
  if (chunk === "VP8 " && buf.length >= 30) {
    return { width: buf.readUInt16LE(26) & 0x3fff, height: buf.readUInt16LE(28) & 0x3fff };
  }
  if (chunk === "VP8L" && buf.length >= 25) {
    const bits = buf.readUInt32LE(21);
    return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) };
  }
  return {};
}

/** HEIC, AVIF and MP4/MOV share the ISO base media file format; the `ftyp` brands tell them apart. */
function isoBmff(buf: Buffer): Sniffed {
  const major = ascii(buf, 8, 12);
  const boxEnd = Math.min(buf.readUInt32BE(0), buf.length);
  const brands = new Set([major]);
  for (let i = 16; i + 4 <= boxEnd; i += 4) brands.add(ascii(buf, i, i + 4));
  const has = (set: Set<string>) => [...brands].some((b) => set.has(b));
  // `mif1`/`msf1` are the generic HEIF brands used by both: AVIF lists `avif` among its compatible brands.
  if (AVIF_BRANDS.has(major)) return { kind: "avif", brand: major };
  if (HEVC_BRANDS.has(major)) return heif(buf, major);
  if (major === "mif1" || major === "msf1") {
    return has(AVIF_BRANDS) && !has(HEVC_BRANDS) ? { kind: "avif", brand: major } : heif(buf, major);
  }
  if (has(AVIF_BRANDS)) return { kind: "avif", brand: major };
  if (has(HEVC_BRANDS)) return heif(buf, major);
  if (VIDEO_BRANDS.has(major) || has(VIDEO_BRANDS)) return { kind: "video", brand: major };
  return { kind: "unknown", brand: major };
}

/**
 * The size a photo shows at once turned upright: the header's pixel size, with width and height swapped when a
 * JPEG's EXIF orientation (5-8) turns it a quarter. Read from the bytes alone, so the content stage can tell the
 * layout each photo's shape without decoding it; undefined when the header does not say (TIFF, AVIF, damage).
 */
export function uprightSize(buf: Buffer): { width: number; height: number } | undefined {
  const s = sniff(buf);
  if (!s.width || !s.height) return undefined;
  const turned =
    s.kind === "jpeg"
      ? (jpegOrientation(buf) ?? 1) >= 5
      : s.kind === "heic" && heifProperties(buf).quarterTurn;
  return turned ? { width: s.height, height: s.width } : { width: s.width, height: s.height };
}

/** The EXIF orientation tag (0x0112) of IFD0 in a JPEG's APP1 segment. */
function jpegOrientation(buf: Buffer): number | undefined {
  let i = 2;
  while (i + 4 <= buf.length && buf[i] === 0xff) {
    const marker = buf[i + 1] ?? 0;
    if (marker === 0xda || marker === 0xd9) return undefined;
    const length = buf.readUInt16BE(i + 2);
    if (marker === 0xe1 && ascii(buf, i + 4, i + 10) === "Exif\0\0") {
      const tiff = i + 10;
      const end = Math.min(i + 2 + length, buf.length);
      const little = ascii(buf, tiff, tiff + 2) === "II";
      const u16 = (at: number) => (little ? buf.readUInt16LE(at) : buf.readUInt16BE(at));
      const u32 = (at: number) => (little ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
      if (tiff + 8 > end) return undefined;
      const ifd = tiff + u32(tiff + 4);
      if (ifd + 2 > end) return undefined;
      const count = u16(ifd);
      for (let k = 0; k < count; k++) {
        const entry = ifd + 2 + k * 12;
        if (entry + 12 > end) return undefined;
        if (u16(entry) === 0x0112) return u16(entry + 8);
      }
      return undefined;
    }
    i += 2 + length;
  }
  return undefined;
}

/** A HEIC with the pixel size its primary image's `ispe` property gives (stored, before `irot`). */
function heif(buf: Buffer, brand: string): Sniffed {
  const { width, height } = heifProperties(buf);
  return width && height ? { kind: "heic", brand, width, height } : { kind: "heic", brand };
}

interface HeifProperties {
  width?: number;
  height?: number;
  /** The primary image is turned a quarter (`irot` 90° or 270°): shown, its width and height swap. */
  quarterTurn: boolean;
  /** The ICC profile of its colours (`colr` of type `prof`), e.g. an iPhone's Display P3. */
  icc?: Buffer;
}

/**
 * The primary image's `ispe` (pixel size), `irot` (rotation) and `colr` (ICC profile) from the `meta` box of a HEIF file
 * (ISO/IEC 23008-12): `pitm` names the primary item, `ipma` lists which of `ipco`'s properties belong to it.
 * An iPhone photo's primary item is a grid of tiles whose `ispe` is the whole photo. Read without decoding, so
 * the content stage gives the layout the photo's shape at once; anything malformed gives nothing (the decoder
 * then says what is wrong).
 */
export function heifProperties(buf: Buffer): HeifProperties {
  const none = { quarterTurn: false };
  try {
    const meta = childBoxes(buf, 0, buf.length).find((b) => b.type === "meta");
    if (!meta) return none;
    const inMeta = childBoxes(buf, meta.body + 4, meta.end); // meta is a FullBox
    const pitm = inMeta.find((b) => b.type === "pitm");
    const iprp = inMeta.find((b) => b.type === "iprp");
    if (!pitm || !iprp) return none;
    const primary = buf[pitm.body] === 0 ? buf.readUInt16BE(pitm.body + 4) : buf.readUInt32BE(pitm.body + 4);
    const inIprp = childBoxes(buf, iprp.body, iprp.end);
    const ipco = inIprp.find((b) => b.type === "ipco");
    if (!ipco) return none;
    const properties = childBoxes(buf, ipco.body, ipco.end);
    const result: HeifProperties = { ...none };
    for (const index of heifAssociations(buf, inIprp, primary)) {
      const p = properties[index - 1]; // 1-based; 0 means no property
      if (p?.type === "ispe" && result.width === undefined) {
        result.width = buf.readUInt32BE(p.body + 4);
        result.height = buf.readUInt32BE(p.body + 8);
      } else if (p?.type === "irot") {
        result.quarterTurn = ((buf[p.body] ?? 0) & 3) % 2 === 1;
      } else if (p?.type === "colr" && !result.icc) {
        const kind = ascii(buf, p.body, p.body + 4);
        if (kind === "prof" || kind === "rICC") result.icc = buf.subarray(p.body + 4, p.end);
      }
    }
    return result;
  } catch {
    return none; // a box running past the end of the file
  }
}

/** The property indices `ipma` associates with `item`. */
function heifAssociations(buf: Buffer, inIprp: Box[], item: number): number[] {
  const indices: number[] = [];
  for (const ipma of inIprp.filter((b) => b.type === "ipma")) {
    const version = buf[ipma.body] ?? 0;
    const wideIndex = ((buf[ipma.body + 3] ?? 0) & 1) === 1;
    let at = ipma.body + 4;
    const entries = buf.readUInt32BE(at);
    at += 4;
    for (let e = 0; e < entries; e++) {
      const id = version < 1 ? buf.readUInt16BE(at) : buf.readUInt32BE(at);
      at += version < 1 ? 2 : 4;
      const count = buf[at] ?? 0;
      at += 1;
      for (let k = 0; k < count; k++) {
        const index = wideIndex ? buf.readUInt16BE(at) & 0x7fff : (buf[at] ?? 0) & 0x7f;
        at += wideIndex ? 2 : 1;
        if (id === item) indices.push(index);
      }
    }
  }
  return indices;
}

interface Box {
  type: string;
  /** Offset of the box's content, after its size and type. */
  body: number;
  end: number;
}

/** The boxes between `start` and `end`, in order; stops at the first box that does not fit. */
function childBoxes(buf: Buffer, start: number, end: number): Box[] {
  const boxes: Box[] = [];
  let at = start;
  while (at + 8 <= end) {
    let size = buf.readUInt32BE(at);
    let header = 8;
    if (size === 1) {
      if (at + 16 > end) break;
      size = Number(buf.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) {
      size = end - at;
    }
    if (size < header || at + size > end) {
      // mdat may run past a buffer cut short: its start is still known, which is all a header needs.
      boxes.push({ type: ascii(buf, at + 4, at + 8), body: at + header, end: Math.min(at + size, end) });
      break;
    }
    boxes.push({ type: ascii(buf, at + 4, at + 8), body: at + header, end: at + size });
    at += size;
  }
  return boxes;
}
