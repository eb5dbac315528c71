import { contentHash } from "./cache.js";
import { PhotoProblem } from "./diagnose.js";

/**
 * iPhone photos (HEIC: HEVC pictures in a HEIF file) decoded without any system library: libheif compiled to
 * WebAssembly (heic-decode → libheif-js). libheif applies the file's own turn and mirror (`irot`, `imir`), which
 * is where a HEIF keeps its orientation (its EXIF orientation only repeats it and must not be applied again), so
 * the pixels come out upright, as RGBA for sharp to resize like any other photo.
 */

export interface DecodedHeic {
  /** RGBA, 8 bits per channel. */
  data: Buffer;
  width: number;
  height: number;
  channels: 4;
}

/**
 * Decoding is slow (example.heic, 1280×854: about 0.5 s warm, 2 s for the first one while the WebAssembly
 * compiles; a 12-megapixel iPhone photo takes seconds), and one build prepares each photo for three editions,
 * so decoded photos are kept by content hash, the most recent first, up to KEEP_BYTES of pixels (a 12-megapixel
 * photo is 48 MB as RGBA). The processed JPEGs are cached on disk as for any photo, so a warm build decodes
 * nothing.
 */
const KEEP_BYTES = 256 * 1024 * 1024;
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
      entry.bytes = image.data.length;
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
  try {
    const image = await decode({ buffer: input });
    return {
      data: Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength),
      width: image.width,
      height: image.height,
      channels: 4,
    };
  } catch (err) {
    throw new PhotoProblem("heic", { cause: err instanceof Error ? err.message : String(err) });
  } finally {
    console.log = log;
  }
}
