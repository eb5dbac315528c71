/**
 * WOFF 1.0 → plain sfnt (TTF/OTF) for test fixtures.
 *
 * pdfkit (via fontkit) can read a .woff directly, but it inflates every table with a pure-JS inflater,
 * which takes seconds for the 1.3 MB Noto Sans JP "japanese" subset. Unwrapping once with node's zlib
 * takes milliseconds, and the resulting sfnt is what pdfkit would have embedded anyway.
 */
import { readFileSync } from "node:fs";
import { inflateSync } from "node:zlib";

const WOFF_SIGNATURE = 0x774f4646; // 'wOFF'

export function woffToSfnt(woff: Uint8Array): Buffer {
  const src = Buffer.from(woff.buffer, woff.byteOffset, woff.byteLength);
  if (src.readUInt32BE(0) !== WOFF_SIGNATURE) {
    throw new Error("not a WOFF 1.0 file (WOFF2 is not supported here)");
  }
  const flavor = src.readUInt32BE(4);
  const numTables = src.readUInt16BE(12);

  interface Table {
    tag: number;
    checksum: number;
    data: Buffer;
  }
  const tables: Table[] = [];
  for (let i = 0; i < numTables; i++) {
    const at = 44 + i * 20;
    const tag = src.readUInt32BE(at);
    const offset = src.readUInt32BE(at + 4);
    const compLength = src.readUInt32BE(at + 8);
    const origLength = src.readUInt32BE(at + 12);
    const checksum = src.readUInt32BE(at + 16);
    const raw = src.subarray(offset, offset + compLength);
    const data = compLength < origLength ? inflateSync(raw) : Buffer.from(raw);
    if (data.length !== origLength) throw new Error(`WOFF table ${tag.toString(16)}: bad length`);
    tables.push({ tag, checksum, data });
  }
  tables.sort((a, b) => a.tag - b.tag);

  let searchRange = 1;
  let entrySelector = 0;
  while (searchRange * 2 <= numTables) {
    searchRange *= 2;
    entrySelector++;
  }
  searchRange *= 16;
  const headerSize = 12 + numTables * 16;
  const total = tables.reduce((n, t) => n + ((t.data.length + 3) & ~3), headerSize);
  const out = Buffer.alloc(total);
  out.writeUInt32BE(flavor, 0);
  out.writeUInt16BE(numTables, 4);
  out.writeUInt16BE(searchRange, 6);
  out.writeUInt16BE(entrySelector, 8);
  out.writeUInt16BE(numTables * 16 - searchRange, 10);
  let offset = headerSize;
  tables.forEach((t, i) => {
    const at = 12 + i * 16;
    out.writeUInt32BE(t.tag, at);
    out.writeUInt32BE(t.checksum, at + 4);
    out.writeUInt32BE(offset, at + 8);
    out.writeUInt32BE(t.data.length, at + 12);
    t.data.copy(out, offset);
    offset += (t.data.length + 3) & ~3;
  });
  return out;
}

export function woffFileToSfnt(path: string): Buffer {
  return woffToSfnt(readFileSync(path));
}
