import { createHash } from "node:crypto";
import { lstatSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { cacheError, replaceFileSync } from "../fsx/write.js";

/**
 * The TTF cache in `<cacheDir>/fonts/`. A converted font is stored under a name carrying a hash of what it was
 * made from (fontsource: package@version + file name + size; editor fonts: the source bytes), so a changed
 * source gets a new file and an old one is simply never read again. Writes go to a temporary file that is then
 * renamed, so a crash or a parallel build never leaves a half-written TTF under the final name.
 */

/** Bump when the conversion changes, so caches made by an older kaiho are not reused. */
export const CONVERTER_VERSION = "2";

/** Counters for tests and timing reports (per process). */
export const cacheStats = { hits: 0, writes: 0 };

export function shortHash(...parts: (string | Uint8Array)[]): string {
  const h = createHash("sha256");
  h.update(CONVERTER_VERSION);
  for (const p of parts) {
    h.update("\0");
    h.update(p);
  }
  return h.digest("hex").slice(0, 16);
}

export class TtfCache {
  readonly dir: string;

  constructor(cacheDir: string) {
    this.dir = join(cacheDir, "fonts");
    try {
      mkdirSync(this.dir, { recursive: true });
    } catch (e) {
      throw cacheError(this.dir, e);
    }
  }

  /** Path of the cached file `name`, produced (synchronously) and written atomically on first use. */
  ensure(name: string, produce: () => Uint8Array): string {
    const path = join(this.dir, name);
    if (this.usable(path)) {
      cacheStats.hits++;
      return path;
    }
    this.write(path, produce());
    return path;
  }

  /** A cached entry is used only if it is a regular file: anything else in its place is replaced. */
  private usable(path: string): boolean {
    const st = lstatOrUndefined(path);
    if (!st) return false;
    if (st.isFile()) return true;
    rmSync(path, { force: true, recursive: true });
    return false;
  }

  /** As `ensure`, for a producer that is asynchronous (WOFF2 decoding). */
  async ensureAsync(name: string, produce: () => Promise<Uint8Array>): Promise<string> {
    const path = join(this.dir, name);
    if (this.usable(path)) {
      cacheStats.hits++;
      return path;
    }
    this.write(path, await produce());
    return path;
  }

  /** Replace a cached file (used when a cached file turns out unreadable). */
  rewrite(name: string, produce: () => Uint8Array): string {
    const path = join(this.dir, name);
    rmSync(path, { force: true });
    this.write(path, produce());
    return path;
  }

  private write(path: string, bytes: Uint8Array): void {
    try {
      replaceFileSync(path, bytes);
      cacheStats.writes++;
    } catch (e) {
      throw cacheError(this.dir, e);
    }
  }
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
