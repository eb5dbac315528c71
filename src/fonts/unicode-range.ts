/**
 * CSS `unicode-range` values (as fontsource writes them in unicode.json and its CSS): a sorted, merged list of
 * inclusive [start, end] pairs in one Uint32Array, searched by bisection.
 */

export type UnicodeRanges = Uint32Array;

/** Parse `U+25ee8,U+26ff6-26ff8,U+4??` (single, range, or `?` wildcard). Unparseable items are skipped. */
export function parseUnicodeRange(css: string): UnicodeRanges {
  const pairs: [number, number][] = [];
  for (const raw of css.split(",")) {
    const item = raw.trim().replace(/^[uU]\+/, "");
    if (!item) continue;
    let start: number;
    let end: number;
    const dash = item.indexOf("-");
    if (dash >= 0) {
      start = Number.parseInt(item.slice(0, dash), 16);
      end = Number.parseInt(item.slice(dash + 1), 16);
    } else if (item.includes("?")) {
      start = Number.parseInt(item.replaceAll("?", "0"), 16);
      end = Number.parseInt(item.replaceAll("?", "f"), 16);
    } else {
      start = Number.parseInt(item, 16);
      end = start;
    }
    if (Number.isNaN(start) || Number.isNaN(end) || end < start) continue;
    pairs.push([start, end]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  const merged: number[] = [];
  for (const [s, e] of pairs) {
    const last = merged.length - 1;
    if (last > 0 && s <= (merged[last] ?? 0) + 1) {
      merged[last] = Math.max(merged[last] ?? 0, e);
    } else {
      merged.push(s, e);
    }
  }
  return Uint32Array.from(merged);
}

export function inRanges(ranges: UnicodeRanges, cp: number): boolean {
  let lo = 0;
  let hi = ranges.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const start = ranges[mid * 2] ?? 0;
    const end = ranges[mid * 2 + 1] ?? 0;
    if (cp < start) hi = mid - 1;
    else if (cp > end) lo = mid + 1;
    else return true;
  }
  return false;
}
