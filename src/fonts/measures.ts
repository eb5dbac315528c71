import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { replaceFileSync } from "../fsx/write.js";

/**
 * What fontkit measured in a font, kept on disk beside the converted fonts (`<cacheDir>/fonts/measures-*.json`),
 * so a warm build shapes nothing it shaped before: each character's first measurement costs a fontkit layout
 * (about 0.7 ms: a shaping plan, and the font's substitution and positioning tables read on first use), and the
 * sample's ~600 characters were about a quarter of a warm build's main thread.
 *
 * A file is named by a hash of the font file's bytes and of everything else a measurement depends on: kaiho's
 * version and this file's format (how `advance` measures, src/fonts/face.ts), and fontkit's version (how it
 * shapes). A changed font or a new kaiho or fontkit reads none of the old measurements; a file that cannot be
 * read or parsed is as good as none; writes go to a temporary file renamed into place, so a parallel build never
 * reads half a file.
 */

/** Bump when what `advance` returns for the same font and text changes (src/fonts/face.ts). */
const FORMAT = "1";

export interface Measures {
  /** `advance` results by their memo key (src/fonts/face.ts). */
  advances: Map<string, number>;
  /** Whether the font has both `halt` and `palt` (reading its feature list costs as much as many advances). */
  halfWidth?: boolean;
  /** Number of advances when read: more means something new was measured and the file is written again. */
  readonly loaded: number;
  /** Whether `halfWidth` was read from the file (else, once found, the file is written again). */
  readonly loadedHalfWidth: boolean;
  readonly file: string;
}

const require = createRequire(import.meta.url);
let versions: string | undefined;

/** kaiho's and fontkit's versions: both decide what a measurement is. */
function versionsKey(): string {
  if (versions === undefined) {
    const kaiho = readVersion(new URL("../../package.json", import.meta.url));
    // fontkit's exports do not include its package.json: read it beside the resolved entry point (dist/).
    const fontkit = readVersion(join(dirname(require.resolve("fontkit")), "..", "package.json"));
    versions = `kaiho ${kaiho}\u0000fontkit ${fontkit}\u0000format ${FORMAT}`;
  }
  return versions;
}

function readVersion(file: string | URL): string {
  try {
    return (JSON.parse(readFileSync(file, "utf8")) as { version?: string }).version ?? "?";
  } catch {
    return "?";
  }
}

/**
 * The cache file `<dir>/<kind>-<hash>.json` of what was learnt from the font whose file holds `bytes`: named by
 * the bytes and by kaiho's and fontkit's versions.
 */
export function fontCacheFile(dir: string, kind: string, bytes: Uint8Array): string {
  const hash = createHash("sha256").update(versionsKey()).update("\u0000").update(bytes);
  return join(dir, `${kind}-${hash.digest("hex").slice(0, 24)}.json`);
}

/** The measurements kept for the font whose file holds `bytes`, in the cache folder `dir` (none yet: empty). */
export function readMeasures(dir: string, bytes: Uint8Array): Measures {
  const file = fontCacheFile(dir, "measures", bytes);
  let advances = new Map<string, number>();
  let halfWidth: boolean | undefined;
  try {
    const data = JSON.parse(readFileSync(file, "utf8")) as { advances?: unknown; halfWidth?: unknown };
    if (typeof data.halfWidth === "boolean") halfWidth = data.halfWidth;
    if (Array.isArray(data.advances))
      advances = new Map(
        (data.advances as unknown[]).filter(
          (e): e is [string, number] =>
            Array.isArray(e) && typeof e[0] === "string" && typeof e[1] === "number" && Number.isFinite(e[1]),
        ),
      );
  } catch {
    // No file yet, or one that cannot be read: measured again, and written again.
  }
  return {
    advances,
    loaded: advances.size,
    loadedHalfWidth: halfWidth !== undefined,
    file,
    ...(halfWidth === undefined ? {} : { halfWidth }),
  };
}

/** Writes the measurements back when something new was measured; a cache that cannot be written is skipped. */
export function writeMeasures(m: Measures): void {
  const learnt = m.advances.size > m.loaded || (m.halfWidth !== undefined && !m.loadedHalfWidth);
  if (!learnt) return;
  try {
    replaceFileSync(m.file, JSON.stringify({ halfWidth: m.halfWidth, advances: [...m.advances] }));
  } catch {
    // Only speed is lost: the next build measures again.
  }
}
