import { FontFormatError } from "./woff.js";

/**
 * WOFF2 → SFNT with wawoff2 (Google's decoder in wasm). Used for editor fonts only: fontsource ships every file
 * as WOFF too, which needs no wasm. Imported on demand so ordinary builds never load the wasm module.
 */

export function isWoff2(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0x77 && bytes[1] === 0x4f && bytes[2] === 0x46 && bytes[3] === 0x32
  ); // 'wOF2'
}

export async function woff2ToSfnt(bytes: Uint8Array): Promise<Buffer> {
  const { default: wawoff2 } = await import("wawoff2");
  try {
    const out = await wawoff2.decompress(bytes);
    return Buffer.from(out); // a copy: the result may be a view of wasm memory
  } catch (e) {
    throw new FontFormatError(`WOFF2 does not decode: ${(e as Error).message}`);
  }
}
