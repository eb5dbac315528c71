/**
 * The `japanese` subset of @fontsource/noto-sans-jp comes out of a variable font with the names of its default
 * instance, "Noto Sans JP Thin" / "NotoSansJPThin-Regular", although its outlines are the 400 and 700 weights.
 * Those names end up as the PDF's BaseFont, where a print shop's preflight reports a Thin font that is not
 * there: the converted TTF gets the names of what it is.
 */
const FIXES: Array<[string, string]> = [
  ["NotoSansJPThin", "NotoSansJP"],
  ["Noto Sans JP Thin", "Noto Sans JP"],
];

/** A `name` table (format 0 or 1) with the fixes applied to every record; unchanged when none applies. */
export function fixFontNames(name: Uint8Array): Uint8Array {
  const view = new DataView(name.buffer, name.byteOffset, name.byteLength);
  if (name.byteLength < 6) return name;
  const format = view.getUint16(0);
  const count = view.getUint16(2);
  const storage = view.getUint16(4);
  if (format > 1 || 6 + count * 12 > name.byteLength) return name;
  const strings: Uint8Array[] = [];
  let changed = false;
  for (let i = 0; i < count; i++) {
    const at = 6 + i * 12;
    const platform = view.getUint16(at);
    const length = view.getUint16(at + 8);
    const offset = view.getUint16(at + 10);
    const raw = name.subarray(storage + offset, storage + offset + length);
    const wide = platform === 0 || platform === 3;
    const text = wide ? Buffer.from(raw).swap16().toString("utf16le") : Buffer.from(raw).toString("latin1");
    let fixed = text;
    for (const [from, to] of FIXES) fixed = fixed.split(from).join(to);
    if (fixed !== text) changed = true;
    strings.push(wide ? Buffer.from(fixed, "utf16le").swap16() : Buffer.from(fixed, "latin1"));
  }
  if (!changed) return name;
  // Header and records are kept (with new lengths and offsets); a format 1 language-tag block after the records
  // keeps pointing into the storage, so its strings are carried after the records' strings.
  const langStart = 6 + count * 12;
  const langCount = format === 1 ? view.getUint16(langStart) : 0;
  const headerLength = format === 1 ? langStart + 2 + langCount * 4 : langStart;
  const langStrings: Uint8Array[] = [];
  for (let i = 0; i < langCount; i++) {
    const at = langStart + 2 + i * 4;
    const length = view.getUint16(at);
    const offset = view.getUint16(at + 2);
    langStrings.push(name.subarray(storage + offset, storage + offset + length));
  }
  const total = headerLength + [...strings, ...langStrings].reduce((s, b) => s + b.length, 0);
  const out = Buffer.alloc(total);
  Buffer.from(name.subarray(0, headerLength)).copy(out, 0);
  out.writeUInt16BE(headerLength, 4);
  let cursor = 0;
  strings.forEach((s, i) => {
    out.writeUInt16BE(s.length, 6 + i * 12 + 8);
    out.writeUInt16BE(cursor, 6 + i * 12 + 10);
    Buffer.from(s).copy(out, headerLength + cursor);
    cursor += s.length;
  });
  langStrings.forEach((s, i) => {
    out.writeUInt16BE(s.length, langStart + 2 + i * 4);
    out.writeUInt16BE(cursor, langStart + 2 + i * 4 + 2);
    Buffer.from(s).copy(out, headerLength + cursor);
    cursor += s.length;
  });
  return out;
}
