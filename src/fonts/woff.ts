import { inflateSync } from "node:zlib";
import { fixFontNames } from "./font-names.js";

/**
 * WOFF 1.0 → SFNT (TrueType/OpenType) conversion: each table is inflated with zlib (or copied when stored
 * uncompressed) and the SFNT is rebuilt with a tag-sorted table directory, 4-byte aligned table data, correct
 * binary-search fields, table checksums and the `head` checkSumAdjustment.
 *
 * Why: pdfkit subsets a WOFF by re-reading it through fontkit's WOFF decoder, which inflates the tables again
 * for every glyph lookup (43 s for one issue); a plain TTF takes 0.2 s (DESIGN.md, "Fonts: measured facts").
 * Synchronous on purpose: the font book converts lazily from the synchronous `faceFor`.
 */

const WOFF_SIGNATURE = 0x774f4646; // 'wOFF'
const WOFF_HEADER_SIZE = 44;
const WOFF_ENTRY_SIZE = 20;
const SFNT_HEADER_SIZE = 12;
const SFNT_ENTRY_SIZE = 16;

export class FontFormatError extends Error {
  override name = "FontFormatError";
}

export function isWoff(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && readU32(bytes, 0) === WOFF_SIGNATURE;
}

interface Table {
  tag: string;
  data: Uint8Array;
}

export function woffToSfnt(woff: Uint8Array): Buffer {
  if (woff.length < WOFF_HEADER_SIZE || readU32(woff, 0) !== WOFF_SIGNATURE) {
    throw new FontFormatError("not a WOFF file (signature wOFF missing)");
  }
  const flavor = readU32(woff, 4);
  const numTables = readU16(woff, 12);
  if (numTables === 0 || WOFF_HEADER_SIZE + numTables * WOFF_ENTRY_SIZE > woff.length) {
    throw new FontFormatError(`WOFF table directory is truncated (${numTables} tables)`);
  }
  const tables: Table[] = [];
  for (let i = 0; i < numTables; i++) {
    const entry = WOFF_HEADER_SIZE + i * WOFF_ENTRY_SIZE;
    const tag = String.fromCharCode(
      woff[entry] ?? 0,
      woff[entry + 1] ?? 0,
      woff[entry + 2] ?? 0,
      woff[entry + 3] ?? 0,
    );
    const offset = readU32(woff, entry + 4);
    const compLength = readU32(woff, entry + 8);
    const origLength = readU32(woff, entry + 12);
    if (offset + compLength > woff.length || compLength > origLength) {
      throw new FontFormatError(
        `WOFF table '${tag}' lies outside the file or is larger compressed than plain`,
      );
    }
    const stored = woff.subarray(offset, offset + compLength);
    let data: Uint8Array;
    if (compLength < origLength) {
      try {
        data = inflateSync(stored);
      } catch (e) {
        throw new FontFormatError(`WOFF table '${tag}' does not inflate: ${(e as Error).message}`);
      }
    } else {
      data = stored;
    }
    if (data.length !== origLength) {
      throw new FontFormatError(
        `WOFF table '${tag}' inflates to ${data.length} bytes, expected ${origLength}`,
      );
    }
    tables.push({ tag, data: tag === "name" ? fixFontNames(data) : data });
  }
  return buildSfnt(flavor, tables);
}

/** Assemble an SFNT from whole tables; the directory is sorted by tag as the OpenType spec requires. */
export function buildSfnt(flavor: number, input: Table[]): Buffer {
  const tables = [...input].sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  const n = tables.length;
  let size = SFNT_HEADER_SIZE + n * SFNT_ENTRY_SIZE;
  for (const t of tables) size += pad4(t.data.length);
  const out = Buffer.alloc(size); // zero-filled, so padding bytes are 0

  const entrySelector = Math.floor(Math.log2(n));
  const searchRange = 2 ** entrySelector * 16;
  out.writeUInt32BE(flavor, 0);
  out.writeUInt16BE(n, 4);
  out.writeUInt16BE(searchRange, 6);
  out.writeUInt16BE(entrySelector, 8);
  out.writeUInt16BE(n * 16 - searchRange, 10);

  let offset = SFNT_HEADER_SIZE + n * SFNT_ENTRY_SIZE;
  let headOffset = -1;
  tables.forEach((t, i) => {
    out.set(t.data, offset);
    if (t.tag === "head" && t.data.length >= 12) {
      headOffset = offset;
      out.writeUInt32BE(0, offset + 8); // checkSumAdjustment is computed with itself zeroed
    }
    const entry = SFNT_HEADER_SIZE + i * SFNT_ENTRY_SIZE;
    out.write(t.tag, entry, 4, "latin1");
    out.writeUInt32BE(checksum(out, offset, t.data.length), entry + 4);
    out.writeUInt32BE(offset, entry + 8);
    out.writeUInt32BE(t.data.length, entry + 12);
    offset += pad4(t.data.length);
  });
  if (headOffset >= 0) {
    out.writeUInt32BE((0xb1b0afba - checksum(out, 0, out.length)) >>> 0, headOffset + 8);
  }
  return out;
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

/** OpenType table checksum: sum of big-endian uint32 words, the last one zero-padded. */
function checksum(buf: Buffer, start: number, length: number): number {
  let sum = 0;
  const end = start + (length & ~3);
  for (let i = start; i < end; i += 4) {
    sum = (sum + buf.readUInt32BE(i)) >>> 0;
  }
  const rest = length & 3;
  if (rest) {
    let last = 0;
    for (let k = 0; k < 4; k++) last = (last << 8) | (k < rest ? (buf[end + k] ?? 0) : 0);
    sum = (sum + (last >>> 0)) >>> 0;
  }
  return sum;
}

function readU32(b: Uint8Array, o: number): number {
  return (((b[o] ?? 0) << 24) | ((b[o + 1] ?? 0) << 16) | ((b[o + 2] ?? 0) << 8) | (b[o + 3] ?? 0)) >>> 0;
}

function readU16(b: Uint8Array, o: number): number {
  return ((b[o] ?? 0) << 8) | (b[o + 1] ?? 0);
}
