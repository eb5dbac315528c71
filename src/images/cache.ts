import { createHash } from "node:crypto";
import { mkdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { readBounded } from "../fsx/read.js";
import { cacheError, replaceFile } from "../fsx/write.js";

/**
 * Processed photos live in `<cacheDir>/images/<key>.jpg` with a sidecar `<key>.json` that holds what the next
 * stages need (pixel size, upright size), so a warm run hashes the original and reads the sidecar, and never
 * decodes the photo. The key covers the original's bytes and every processing parameter; bump FORMAT_VERSION
 * whenever the pipeline changes what it writes.
 */

export const FORMAT_VERSION = 3;

export interface CacheParams {
  width: number;
  /** The layout's height in pixels (cropped to it by a fraction of a pixel at most). */
  height?: number;
  dpi: number;
  quality: number;
  colour: "srgb" | "cmyk";
  /** The theme asks for grey photos tuned for copiers (absent otherwise, so existing keys stay valid). */
  grayscale?: true;
  /** sha256 of the CMYK profile file, when one other than the built-in is used. */
  profile?: string;
  /**
   * A smaller version made from the screen version's JPEG (the key of that version), not from the original
   * (absent otherwise, so existing keys stay valid).
   */
  from?: string;
}

export interface CacheEntry {
  version: number;
  key: string;
  format: "jpeg";
  pixelWidth: number;
  pixelHeight: number;
  uprightWidth: number;
  uprightHeight: number;
  sourceFormat: string;
  /** Decoded only leniently (see process.ts): the warning must come again on a warm run. */
  damaged: boolean;
  /** CMYK photos: the highest total ink of a pixel, in percent. */
  maxInk?: number;
  bytes: number;
}

export function contentHash(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

export function cacheKey(hash: string, params: CacheParams): string {
  const material = JSON.stringify({ v: FORMAT_VERSION, sha256: hash, ...params });
  return createHash("sha256").update(material).digest("hex");
}

export class ImageCache {
  readonly dir: string;
  private ready: Promise<unknown> | undefined;

  constructor(cacheDir: string) {
    this.dir = join(cacheDir, "images");
  }

  imagePath(key: string): string {
    return join(this.dir, `${key}.jpg`);
  }

  private sidecarPath(key: string): string {
    return join(this.dir, `${key}.json`);
  }

  /** The entry if both files are there and agree; anything odd counts as a miss and is rebuilt. */
  async read(key: string): Promise<CacheEntry | undefined> {
    try {
      const sidecar = await readBounded(this.sidecarPath(key), { kind: "cache", maxBytes: 64 * 1024 });
      const entry = JSON.parse(sidecar.toString("utf8")) as CacheEntry;
      if (entry.version !== FORMAT_VERSION || entry.key !== key) return undefined;
      const s = await stat(this.imagePath(key));
      return s.size === entry.bytes ? entry : undefined;
    } catch {
      return undefined;
    }
  }

  /** Image first, sidecar last: the sidecar is the commit mark, and each file appears whole or not at all. */
  async write(entry: CacheEntry, data: Buffer): Promise<void> {
    try {
      this.ready ??= mkdir(this.dir, { recursive: true });
      await this.ready;
      await replaceFile(this.imagePath(entry.key), data);
      await replaceFile(this.sidecarPath(entry.key), `${JSON.stringify(entry, null, 2)}\n`);
    } catch (err) {
      // A full disk or a read-only .cache is said as such, not as a problem with the photo.
      throw cacheError(this.dir, err);
    }
  }
}
