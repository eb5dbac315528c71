import { crc32, deflateSync } from "node:zlib";
import { heifProperties } from "../content/photo-header.js";
import { contentHash } from "./cache.js";
import { PhotoProblem } from "./diagnose.js";

/**
 * iPhone photos (HEIC: HEVC pictures in a HEIF file) decoded without any system library: libheif compiled to
 * WebAssembly (heic-decode → libheif-js). libheif applies the file's own turn and mirror (`irot`, `imir`), which
 * is where a HEIF keeps its orientation (its EXIF orientation only repeats it and must not be applied again), so
 * the pixels come out upright. They are handed on as a PNG carrying the photo's ICC profile (an iPhone's Display
 * P3), which sharp then reads like any other photo and converts to sRGB or CMYK from the right colours.
 */

export interface DecodedHeic {
  /** An uncompressed PNG of the upright photo, with the HEIC's ICC profile when it has one. */
  png: Buffer;
  width: number;
  height: number;
}

/**
 * Decoding is slow (example.heic, 1280×854: 0.5-1 s, and 2-4 s for the first one while the WebAssembly compiles,
 * measured on a busy two-core machine; a 12-megapixel iPhone photo takes seconds). One decode makes every
 * version a build wants (src/images/process.ts processVersions), so what is kept here is for the same photo asked
 * again at another size or retried alone after a failure: decoded photos are kept by content hash, the most
 * recent first, up to KEEP_BYTES (a 12-megapixel photo is 36 MB), not for the whole build. The processed JPEGs
 * are cached on disk as for any photo, so a warm build decodes nothing.
 */
const KEEP_BYTES = 80 * 1024 * 1024;
const recent = new Map<string, { pending: Promise<DecodedHeic>; bytes: number }>();

export function decodeHeic(input: Buffer): Promise<DecodedHeic> {
  const key = contentHash(input);
  const hit = recent.get(key);
  if (hit) {
    recent.delete(key);
    recent.set(key, hit); // most recently used last
    return hit.pending;
  }
  const entry = { pending: decodeOnce(input), bytes: 0 };
  recent.set(key, entry);
  entry.pending.then(
    (image) => {
      entry.bytes = image.png.length;
      let total = [...recent.values()].reduce((sum, e) => sum + e.bytes, 0);
      for (const [k, e] of recent) {
        if (total <= KEEP_BYTES || e === entry) break;
        recent.delete(k);
        total -= e.bytes;
      }
    },
    () => recent.delete(key),
  );
  return entry.pending;
}

async function decodeOnce(input: Buffer): Promise<DecodedHeic> {
  const { default: decode } = await import("heic-decode");
  // libheif-js reports a failed decode with console.log (on stdout, where the CLI prints nothing else); the
  // editor gets the error below instead.
  const log = console.log;
  console.log = () => {};
  let image: Awaited<ReturnType<typeof decode>>;
  try {
    image = await decode({ buffer: input });
  } catch (err) {
    throw new PhotoProblem("heic", { cause: err instanceof Error ? err.message : String(err) });
  } finally {
    console.log = log;
  }
  const { sharp } = await import("./sharp.js");
  const rgba = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  const png = await sharp(rgba, { raw: { width: image.width, height: image.height, channels: 4 } })
    .removeAlpha()
    .png({ compressionLevel: 0, adaptiveFiltering: false })
    .toBuffer();
  const { icc } = heifProperties(input);
  return { png: icc ? withIccProfile(png, icc) : png, width: image.width, height: image.height };
}

/** The PNG with an iCCP chunk (the profile, deflated) right after its IHDR, where the PNG specification puts it. */
function withIccProfile(png: Buffer, icc: Buffer): Buffer {
  const afterIhdr = 8 + 8 + png.readUInt32BE(8) + 4;
  const data = Buffer.concat([Buffer.from("ICC Profile\0\0", "latin1"), deflateSync(icc)]);
  const type = Buffer.from("iCCP", "latin1");
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([type, data])));
  return Buffer.concat([png.subarray(0, afterIhdr), length, type, data, crc, png.subarray(afterIhdr)]);
}
