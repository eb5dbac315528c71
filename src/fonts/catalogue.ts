import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { parseUnicodeRange, type UnicodeRanges } from "./unicode-range.js";

/**
 * What the @fontsource packages offer, read from each package's own metadata.json (weights), unicode.json
 * (the unicode-range of every subset and numbered slice) and package.json (version, for cache names).
 * Files are named `files/<id>-<subset>-<weight>-normal.woff`; numbered slices drop the brackets of `[57]`.
 * Only the WOFF files are used (every file ships as WOFF; WOFF is converted with zlib alone, no wasm).
 */

export interface FontsourceFile {
  /** Absolute path of the .woff file. */
  woff: string;
  /** `@fontsource/noto-sans-jp@5.3.0/noto-sans-jp-japanese-400-normal.woff`: the cache key apart from size. */
  key: string;
  /** File name without extension, for the cache file name. */
  stem: string;
}

export interface FontsourceFamily {
  /** pdfmake family name, e.g. `NotoSansJP-japanese`, `NotoSansJP-57`, `NotoSansSymbols2-symbols`. */
  family: string;
  /** Code points the file may have (null: no unicode-range given, e.g. the `japanese` subset). */
  ranges: UnicodeRanges | null;
  regular: FontsourceFile;
  /** Absent when the package has no 700 weight (Noto Sans Symbols 2). */
  bold?: FontsourceFile;
}

interface PackageSpec {
  pkg: string;
  prefix: string;
  /** Subsets in fallback order; `slices` stands for all numbered slices in numeric order. */
  order: string[];
}

/**
 * The chain after the editor's fonts. Noto Sans JP's `japanese` subset first (it alone has halt/palt), its
 * Latin subsets, its numbered slices, then Noto Sans SC for Chinese-only forms (污), Noto Sans Symbols 2 (✧),
 * Noto Emoji (monochrome: PDFs cannot carry colour glyphs). Noto Sans SC's `chinese-simplified` subset has no
 * unicode-range and its numbered slices cover the same characters, so it is left out: opening it for every
 * character the Japanese files lack would cost time for nothing.
 */
const PACKAGES: PackageSpec[] = [
  {
    pkg: "@fontsource/noto-sans-jp",
    prefix: "NotoSansJP",
    order: ["japanese", "latin", "latin-ext", "slices", "cyrillic", "vietnamese"],
  },
  {
    pkg: "@fontsource/noto-sans-sc",
    prefix: "NotoSansSC",
    order: ["slices", "latin", "latin-ext", "cyrillic", "vietnamese"],
  },
  {
    pkg: "@fontsource/noto-sans-symbols-2",
    prefix: "NotoSansSymbols2",
    order: ["symbols", "math", "braille", "mayan-numerals", "latin", "latin-ext"],
  },
  { pkg: "@fontsource/noto-emoji", prefix: "NotoEmoji", order: ["slices"] },
];

/** Subsets that fontsource ships without a unicode-range (the font's own cmap says what they hold). */
const UNRANGED = new Set(["japanese"]);

const require = createRequire(import.meta.url);

export function readCatalogue(): FontsourceFamily[] {
  const out: FontsourceFamily[] = [];
  for (const spec of PACKAGES) out.push(...readPackage(spec));
  return out;
}

function readPackage(spec: PackageSpec): FontsourceFamily[] {
  const dir = dirname(require.resolve(`${spec.pkg}/package.json`));
  const version = (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string })
    .version;
  const meta = JSON.parse(readFileSync(join(dir, "metadata.json"), "utf8")) as {
    id: string;
    weights: number[];
  };
  const unicode = JSON.parse(readFileSync(join(dir, "unicode.json"), "utf8")) as Record<string, string>;

  const slices = Object.keys(unicode)
    .filter((k) => /^\[\d+\]$/.test(k))
    .sort((a, b) => Number(a.slice(1, -1)) - Number(b.slice(1, -1)));
  const keys: string[] = [];
  for (const item of spec.order) {
    if (item === "slices") keys.push(...slices);
    else if (item in unicode || UNRANGED.has(item)) keys.push(item);
  }

  const file = (subset: string, weight: number): FontsourceFile => {
    const stem = `${meta.id}-${subset}-${weight}-normal`;
    return { woff: join(dir, "files", `${stem}.woff`), key: `${spec.pkg}@${version}/${stem}.woff`, stem };
  };
  return keys.map((key) => {
    const subset = key.startsWith("[") ? key.slice(1, -1) : key;
    const range = unicode[key];
    return {
      family: `${spec.prefix}-${subset}`,
      ranges: range === undefined ? null : parseUnicodeRange(range),
      regular: file(subset, 400),
      bold: meta.weights.includes(700) ? file(subset, 700) : undefined,
    };
  });
}
