import { type ComposeOptions, type Composition, compose, type Piece } from "./compose.js";

/**
 * Blocks that float: a self-contained box (a schedule, a slogan, a corner, an info list or a table with its own
 * title, or a row of only those; src/layout/index.ts says which) reads the same a little earlier in the issue, so
 * when a page ends with a hole because the next block does not fit, one of them from further on may fill it, as a
 * designer moves a box into the gap. The page breaker (compose.ts) keeps the order it is given; this tries it on
 * a few orders with such a block moved ahead and keeps one only when fewer pages end past issue 8's limits on
 * holes (then the least badness): filling one page by emptying another is no gain, as the block would only
 * leave a hole where it stood.
 */

/** Issue 8's limits on the hole a page may keep (shares of the type area's height): what a move must improve. */
export const HOLE_LIMITS = { inner: 0.05, last: 0.15 };
/** A little under them: a page past these is worth trying to fill (a hole beside a short column adds to it). */
export const FILL_LIMITS = { inner: 0.04, last: 0.13 };
/** Badness of each block moved: a moved block must buy more than spacing a page a little better. */
const MOVE_COST = 400;
/** How many pieces a block may move ahead, and how many moves an issue may get. */
const REACH = 4;
const MAX_MOVES = 3;

export interface FloatedComposition {
  composition: Composition;
  /** The pieces in the order composed: `order[n]` is the index, in the pieces given, of the n-th one. */
  order: number[];
  /** The blocks moved, in words, for the report. */
  moved: string[];
}

/** How far each page's hole at its foot runs past its limit (shares of the type area's height; 0 within it). */
export function holeExcess(c: Composition, height: number, limits = HOLE_LIMITS): number[] {
  return c.pages.map((page, p) =>
    Math.max(0, page.hole / height - (p === c.pages.length - 1 ? limits.last : limits.inner)),
  );
}

export function composeFloating(
  pieces: Piece[],
  floatable: boolean[],
  o: ComposeOptions,
): FloatedComposition {
  const run = (order: number[]) =>
    compose(
      order.map((i) => pieces[i] as Piece),
      o,
    );
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const score = (c: Composition, moves: number) => {
    const excess = holeExcess(c, o.height, FILL_LIMITS);
    return {
      // How far from the pages asked for (`pages:`), in type area heights: meeting the count comes first.
      off: round(Math.abs(c.off ?? 0) / o.height),
      over: holeExcess(c, o.height).filter((e) => e > 0).length,
      worst: round(Math.max(0, ...excess)),
      total: round(excess.reduce((s, e) => s + e, 0)),
      badness: c.badness + moves * MOVE_COST,
    };
  };
  // The page count asked for, then fewer pages past their limits; then, between moves that both do that, the
  // smaller holes past the limits (the worst page, then all) and the least badness.
  const between = (a: ReturnType<typeof score>, b: ReturnType<typeof score>) =>
    a.worst < b.worst ||
    (a.worst === b.worst && (a.total < b.total || (a.total === b.total && a.badness < b.badness)));
  const better = (a: ReturnType<typeof score>, b: ReturnType<typeof score>) =>
    a.off < b.off || (a.off === b.off && a.over < b.over);

  let order = pieces.map((_, i) => i);
  let best = { composition: run(order), order, moved: [] as string[] };
  if (!floatable.some(Boolean)) return best;
  let bestScore = score(best.composition, 0);
  for (let move = 1; move <= MAX_MOVES; move++) {
    // The first page that ends with a hole past the limit, and where its next piece stands in the order.
    const c = best.composition;
    const p = c.pages.findIndex(
      (page, n) => n < c.pages.length - 1 && page.hole / o.height > FILL_LIMITS.inner,
    );
    if (p < 0) break;
    const next = c.pages[p + 1]?.entries[0]?.piece;
    if (next === undefined) break;
    // What the page could take, its gaps shrunk to their least (as compose.ts lets them) and one more for the
    // block: a little generous, as it only spares trials that cannot help.
    const page = c.pages[p] as (typeof c.pages)[number];
    const least = o.gap * (o.gapMin ?? 0.75);
    const room = page.hole + page.entries.length * Math.max(0, page.gap - least) - least;
    let found: typeof best | undefined;
    let foundScore = bestScore;
    for (let from = next + 1; from < Math.min(order.length, next + 1 + REACH); from++) {
      const piece = order[from] as number;
      const candidate = pieces[piece];
      if (!floatable[piece] || !candidate) continue;
      // A block placed whole that is taller than the room cannot fill it (a table may break in it).
      if (
        candidate.kind === "whole" &&
        Math.min(candidate.height, ...(candidate.alts ?? []).map((a) => a?.height ?? candidate.height)) > room
      )
        continue;
      const trial = [...order.slice(0, next), piece, ...order.slice(next, from), ...order.slice(from + 1)];
      const composition = run(trial);
      const s = score(composition, move);
      // It must end fewer pages past their limits than the order kept so far; the best such move wins.
      const wins = found ? better(s, foundScore) || (!better(foundScore, s) && between(s, foundScore)) : true;
      if (better(s, bestScore) && wins) {
        found = {
          composition,
          order: trial,
          moved: [
            ...best.moved,
            `「${candidate.what}」を ${p + 1} ページへ繰り上げ / moved up to fill page ${p + 1}`,
          ],
        };
        foundScore = s;
      }
    }
    if (!found) break;
    best = found;
    bestScore = foundScore;
    order = found.order;
  }
  return best;
}
