import { type ColumnFill, type ColumnReserve, type FlowItem, flowColumns } from "./flow.js";

/**
 * The page breaker. It sees the issue as a list of pieces with heights (whole blocks, and articles whose body
 * flows in columns) and chooses where pages end, where an article breaks and how the space between blocks is
 * spread, minimising a badness score over the whole issue, as Knuth–Plass does for the lines of a paragraph.
 *
 * The search walks page by page (a layered shortest path): a state is "the next page starts at piece i, line k".
 * Each page proposes its possible endings; each layer keeps the best few states (a bounded beam), so the time
 * grows with the number of pages, never exponentially, and nothing recurses.
 */

/** A block placed whole (a slogan, a schedule, a row of boxes). */
export interface WholePiece {
  kind: "whole";
  height: number;
  what: string;
  /** Its height at other photo steps (a row whose articles have photos; see `ArticlePiece.alts`). */
  alts?: ({ height: number; change: number } | undefined)[];
}

/** An article: a head, photo rows above and below, and a body that flows in columns and may break across pages. */
export interface ArticlePiece {
  kind: "article";
  what: string;
  head: number;
  /** Heights of the photo rows above the body (each followed by `photoGap`). */
  top: number[];
  flow: FlowItem[];
  columns: number;
  /** Height a photo standing in a column takes at its top and bottom, in the article's first part (flow.ts). */
  reserve?: ColumnReserve[];
  /** Heights of the photo rows below the body (each preceded by `photoGap`). */
  bottom: number[];
  photoGap: number;
  /** Heights of the 「次ページへ続く」 and 「前ページから続く」 lines. */
  toNext: number;
  fromPrev: number;
  /**
   * Other sizes of the article's photos the page breaker may choose to fit or fill a page (from the photo
   * builder, src/layout/photos.ts): `alts[s - 1]` is photo step s; a missing one means the natural photos.
   */
  alts?: (PhotoAlt | undefined)[];
  /**
   * The largest white area beside photo rows narrower than the article (centred), as the height of a full-width
   * band of the same area: a hole on the page that holds those rows, however full the page is.
   */
  sideHole?: number;
}

/** The article's photos at another size: row heights, and what photos standing in the columns take of them. */
export interface PhotoAlt {
  top: number[];
  bottom: number[];
  /** Height the standing photos take in each column in this size (none: no photo stands in the columns). */
  reserve?: ColumnReserve[];
  /** Steps smaller (negative) or larger (positive) than the natural size: what the badness charges. */
  change: number;
  /** As `ArticlePiece.sideHole`, at this size. */
  sideHole?: number;
}

export type Piece = WholePiece | ArticlePiece;

export interface ComposeOptions {
  /** Height of the type area. */
  height: number;
  /** Height taken on the first page by the masthead (a gap follows it). */
  firstTop: number;
  /**
   * The natural space between blocks; it may shrink to `gapMin`× and grow to `gapMax`× (by default one line
   * more than natural, or ×2 if that is more).
   */
  gap: number;
  gapMin?: number;
  gapMax?: number;
  /** One line of body text, the unit of holes and of the messages. */
  lineHeight: number;
  /** Exactly this many pages, when the editor asks for it. */
  pages?: number;
  /** States kept per page (the beam). */
  beam?: number;
}

/** One thing on a page. A `part` is some of an article's lines; `first` carries its head, `last` its bottom photos. */
export type Entry =
  | { kind: "whole"; piece: number; height: number; heights?: number[] }
  | {
      kind: "part";
      piece: number;
      height: number;
      /** The height at each photo step (index 0: natural photos; Infinity: not possible at that step). */
      heights?: number[];
      /** The columns at each photo step, when the photos standing in them change with the step. */
      fills?: (ColumnFill | undefined)[];
      from: number;
      to: number;
      first: boolean;
      last: boolean;
      fill: ColumnFill;
      /** Bottom photo rows on this page: [start, end) indices of `bottom`. */
      rows: [number, number];
    };

export interface PagePlan {
  entries: Entry[];
  /** The space between blocks on this page after spreading. */
  gap: number;
  /** Unfilled height at the foot of the type area. */
  hole: number;
  /** How far the page's content runs past the type area (a block taller than a page); 0 normally. */
  over: number;
  /** The photo step of this page's articles (0: natural size; see `ArticlePiece.alts`). */
  step: number;
}

export interface Composition {
  pages: PagePlan[];
  badness: number;
  /** What was chosen, in words, for the report. */
  choices: string[];
  /**
   * When `pages` was asked for and cannot be met: how far off, in points of type area (positive: too long,
   * negative: too short).
   */
  off?: number;
}

/** Badness weights. Holes are counted in lines squared, so one big hole costs more than several small ones. */
const W = {
  /** A hole of 17 lines (about a third of a page) weighs as much as splitting an article that fits a page. */
  hole: 10,
  /** The last page weighs less: a hole inside the issue is worse than a last page left partly empty. */
  lastHole: 1,
  shrink: 2,
  stretch: 1,
  split: 40,
  /** Splitting an article that would fit on a page of its own: only to save a page. */
  splitFitting: 3000,
  /** A part with fewer than 3 lines in a column, or a paragraph's single line left at a break. */
  shortPart: 100_000,
  widow: 2000,
  /** Photos on a page without any of their article's text. */
  photosAway: 100_000,
  page: 6000,
  /** Each step smaller of the photos on a page. */
  photoShrink: 1000,
  /**
   * Photos set larger than their natural size on a page (within their resolution and the row limit): cheap, so
   * a page is filled by larger photos before it is left with a hole of two lines or more.
   */
  photoGrow: 5,
  overflow: 1_000_000,
  /**
   * A hole past the limit a reader notices inside the issue (issue 8: 5 % of the type area): dearer than
   * splitting an article that fits a page, so an article breaks before a page is left that empty; each line past
   * the limit weighs ten holes more, so no last page is ever filled by emptying an inner one.
   */
  holeOverLimit: 20_000,
  holeOverLimitLine: 1000,
  /** The same on the last page (issue 8: 15 %): photos grow and space spreads before a last page is left that empty. */
  lastHoleOverLimit: 12_000,
};

/**
 * The holes a page may keep before `W.holeOverLimit` is charged, as shares of the type area's height: a little
 * under issue 8's 5 % and 15 %, as a hole beside a short column adds to the one at the foot.
 */
const HOLE_LIMIT = 0.04;
const LAST_HOLE_LIMIT = 0.13;

const EPS = 0.01;
const MIN_LINES = 3;

interface State {
  i: number;
  /** Within an article: the next flow item; past the flow, `flow.length + r` means r bottom rows are placed. */
  k: number;
  /** Bottom photo rows already placed beside earlier parts of the article. */
  rows?: number;
}

interface PageOption {
  entries: Entry[];
  used: number;
  next: State;
  penalty: number;
  notes: string[];
}

interface Node {
  state: State;
  cost: number;
  prev?: Node;
  page?: PagePlan;
  notes: string[];
}

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

/** Lines in a column (spaces that only separate do not count). */
const lineCount = (col: FlowItem[]) => col.filter((it) => !it.discardAtTop).length;

/** A paragraph's first line alone at a column's foot or its last line alone at a column's head. */
function widows(fill: ColumnFill): number {
  let n = 0;
  for (const col of fill.columns) {
    const first = col[0];
    const last = col[col.length - 1];
    if (first?.para && first.para.count > 1 && first.para.index === first.para.count - 1) n++;
    if (last?.para && last.para.count > 1 && last.para.index === 0) n++;
    if (last?.keepWithNext) n++;
  }
  return n;
}

export function compose(pieces: Piece[], o: ComposeOptions): Composition {
  const gMin = o.gap * (o.gapMin ?? 0.75);
  const gMax = o.gapMax !== undefined ? o.gap * o.gapMax : Math.max(o.gap * 2, o.gap + o.lineHeight);
  const beam = o.beam ?? 24;
  const lh = o.lineHeight;
  const wholeHeights = pieces.map((p) => (p.kind === "whole" ? p.height : articleHeight(p)));
  const indexOf = new Map(pieces.map((p, i) => [p, i]));
  const steps = 1 + pieces.reduce((m, p) => Math.max(m, p.alts?.length ?? 0), 0);
  /** How many steps smaller (negative) or larger a piece's photos are at step `s` (undefined: natural). */
  const changeAt = (p: Piece | undefined, s: number): number | undefined =>
    s > 0 ? p?.alts?.[s - 1]?.change : undefined;
  /** A whole piece's height at each step, and the least of them (what must fit). */
  const wholeAt = (p: WholePiece) =>
    perStep((s) => (s > 0 ? p.alts?.[s - 1]?.height : undefined) ?? p.height);
  /** The article's photos at step `s` (undefined: natural). */
  const altOf = (p: ArticlePiece, s: number): PhotoAlt | undefined => (s > 0 ? p.alts?.[s - 1] : undefined);
  /** Whether step `s` changes what photos standing in the columns take (then the columns flow anew). */
  const movesColumns = (p: ArticlePiece, s: number): boolean => {
    const alt = altOf(p, s);
    return alt !== undefined && !sameReserve(alt.reserve, p.reserve);
  };
  /**
   * Whether step `s` sets the photos in other places (other rows, or rows instead of photos in the columns): such
   * a step is only for an article placed whole, where no part has placed some of its rows already.
   */
  const reshapes = (p: ArticlePiece, s: number): boolean => {
    const alt = altOf(p, s);
    return (
      alt !== undefined &&
      (movesColumns(p, s) || alt.top.length !== p.top.length || alt.bottom.length !== p.bottom.length)
    );
  };
  /**
   * Whether a part of `p` may be set at step `s`. A step that sets the photos in other places (more rows, or
   * rows instead of photos in the columns) suits a part that sets all of the article's bottom rows (`allRows`)
   * when none has been placed yet (`rows0` 0): they all go with it, at the size of its page. Photos that leave
   * the columns need columns flowed anew (`reflows`: the article placed whole); a part after the first one
   * takes such a step only when no photo went with the first (no row above the text, none in the columns).
   */
  const stepFits = (
    p: ArticlePiece,
    s: number,
    first: boolean,
    rows0: number,
    allRows: boolean,
    reflows: boolean,
  ): boolean => {
    if (!reshapes(p, s)) return true;
    if (rows0 > 0 || !allRows) return false;
    if (movesColumns(p, s) && !(first && reflows)) return false;
    if (first) return true;
    const alt = altOf(p, s);
    const noStanding = (r?: ColumnReserve[]) => !r?.some((c) => c.top > EPS || c.bottom > EPS);
    return !p.top.length && !alt?.top.length && noStanding(p.reserve) && noStanding(alt?.reserve);
  };
  /**
   * Photo rows [from, to) above or below the body at photo step `s`, each with its gap. The indices count the
   * natural rows; their count stands for all the rows of any step (a step may set the photos in more rows).
   */
  const rowsH = (p: ArticlePiece, which: "top" | "bottom", s: number, from = 0, to?: number) => {
    const rows = altOf(p, s)?.[which] ?? p[which];
    const all = p[which].length;
    let h = 0;
    for (
      let r = all > 0 && from >= all ? rows.length : from;
      r < (to === undefined || to >= all ? rows.length : to);
      r++
    )
      h += (rows[r] ?? 0) + p.photoGap;
    return h;
  };
  const perStep = (f: (s: number) => number) => Array.from({ length: steps }, (_, s) => f(s));

  /** The rest of an article's body from line `k`, in balanced columns (it does not depend on the room). */
  const balancedCache = new Map<string, ColumnFill>();
  const balanced = (p: ArticlePiece, k: number, first: boolean, s = 0): ColumnFill => {
    const moved = first && movesColumns(p, s);
    const key = `${indexOf.get(p)}:${k}:${first}:${moved ? s : 0}`;
    let fill = balancedCache.get(key);
    if (!fill) {
      const reserve = first ? (moved ? altOf(p, s)?.reserve : p.reserve) : undefined;
      fill = flowColumns(p.flow, k, p.columns, Number.MAX_SAFE_INTEGER, reserve);
      balancedCache.set(key, fill);
    }
    return fill;
  };

  /** The height of the next part of article `p` from line `k` in `room`, or undefined when the rest does not fit. */
  const restFits = (
    p: ArticlePiece,
    k: number,
    room: number,
    first: boolean,
    rows0: number,
  ): Entry | undefined => {
    const fixed = (s: number) =>
      (first ? p.head + rowsH(p, "top", s) : p.fromPrev) + rowsH(p, "bottom", s, rows0);
    const fills = perStep((s) => s).map((s) => balanced(p, k, first, s));
    const natural = fills[0] as ColumnFill;
    if (natural.next < p.flow.length) return undefined;
    const heights = fills.map((f, s) =>
      stepFits(p, s, first, rows0, true, true) ? fixed(s) + f.height : Number.POSITIVE_INFINITY,
    );
    if (Math.min(...heights) > room + EPS) return undefined;
    return {
      kind: "part",
      piece: -1,
      height: Math.min(...heights),
      heights,
      ...(first && fills.some((f) => f !== natural) ? { fills } : {}),
      from: k,
      to: p.flow.length,
      first,
      last: true,
      fill: natural,
      rows: [rows0, p.bottom.length],
    };
  };

  /** Ways to break article `p` on this page: text from `k` up to a break, then 「次ページへ続く」. */
  const splitCache = new Map<string, { entry: Entry; penalty: number }[]>();
  const splits = (
    p: ArticlePiece,
    k: number,
    room: number,
    first: boolean,
    emptyPage: boolean,
    rows0: number,
  ) => {
    const key = `${indexOf.get(p)}:${k}:${first}:${emptyPage}:${rows0}:${room.toFixed(2)}`;
    const had = splitCache.get(key);
    if (had) return had.map((o) => ({ entry: { ...o.entry }, penalty: o.penalty }));
    const out: { entry: Entry; penalty: number }[] = [];
    // Photo rows may go beside the earlier parts (in order, after their text), so no row is left alone.
    for (let n = rows0; n <= p.bottom.length; n++)
      out.push(...splitsUncached(p, k, room, first, emptyPage, rows0, n));
    splitCache.set(key, out);
    return out.map((o) => ({ entry: { ...o.entry }, penalty: o.penalty }));
  };
  const splitsUncached = (
    p: ArticlePiece,
    k: number,
    room: number,
    first: boolean,
    emptyPage: boolean,
    rows0: number,
    rows1: number,
  ) => {
    const fixedAt = (s: number) =>
      (first ? p.head + rowsH(p, "top", s) : p.fromPrev) + rowsH(p, "bottom", s, rows0, rows1) + p.toNext;
    const fixed = fixedAt(0);
    const avail = room - fixed;
    const out: { entry: Entry; penalty: number }[] = [];
    const seen = new Set<number>();
    for (let j = 0; j <= 40; j++) {
      const r = avail - j * lh;
      if (r < lh * MIN_LINES && !(emptyPage && j === 0)) break;
      const fill = flowColumns(p.flow, k, p.columns, Math.max(r, 0), first ? p.reserve : undefined);
      if (fill.next <= k || fill.next >= p.flow.length || seen.has(fill.next)) continue;
      if (fill.height > r + EPS && !emptyPage) continue;
      seen.add(fill.next);
      let penalty = W.split + widows(fill) * W.widow;
      if (fill.columns.some((c) => lineCount(c) < MIN_LINES)) penalty += W.shortPart;
      if (first && (wholeHeights[indexOf.get(p) ?? -1] ?? 0) <= o.height + EPS) penalty += W.splitFitting;
      out.push({
        entry: {
          kind: "part",
          piece: -1,
          height: fixed + fill.height,
          heights: perStep((s) =>
            stepFits(p, s, first, rows0, rows1 === p.bottom.length, false)
              ? fixedAt(s) + fill.height
              : Number.POSITIVE_INFINITY,
          ),
          from: k,
          to: fill.next,
          first,
          last: false,
          fill,
          rows: [rows0, rows1],
        },
        penalty,
      });
    }
    return out;
  };

  /** Every way to fill the page that starts at `s`. */
  const pageOptions = (s: State, pageIndex: number): PageOption[] => {
    const H = o.height - (pageIndex === 0 ? o.firstTop : 0);
    const out: PageOption[] = [];
    const entries: Entry[] = [];
    let used = 0;
    let penalty = 0;
    const notes: string[] = [];
    const end = (next: State, extra?: { entry: Entry; penalty: number; note?: string }) => {
      const list = extra ? [...entries, extra.entry] : [...entries];
      if (!list.length) return;
      const g = extra && entries.length + (pageIndex === 0 && o.firstTop > 0 ? 1 : 0) > 0 ? 1 : 0;
      out.push({
        entries: list,
        used: used + (extra ? extra.entry.height + g * gMin : 0),
        next,
        penalty: penalty + (extra?.penalty ?? 0),
        notes: extra?.note ? [...notes, extra.note] : [...notes],
      });
    };
    const room = () => H - used - (entries.length || (pageIndex === 0 && o.firstTop > 0) ? gMin : 0);
    const push = (e: Entry) => {
      if (entries.length || (pageIndex === 0 && o.firstTop > 0)) used += gMin;
      entries.push(e);
      used += e.height;
    };
    const st: State = { ...s };
    while (st.i < pieces.length) {
      const p = pieces[st.i] as Piece;
      const i = st.i;
      const empty = entries.length === 0;
      if (p.kind === "whole") {
        const heights = wholeAt(p);
        const least = Math.min(...heights);
        if (least <= room() + EPS || empty) {
          if (!empty) end({ i, k: 0 });
          if (least > room() + EPS) penalty += W.overflow;
          push({ kind: "whole", piece: i, height: least, ...(p.alts?.length ? { heights } : {}) });
          st.i++;
          st.k = 0;
          continue;
        }
        end({ i, k: 0 });
        break;
      }
      // The article has begun once a line or a photo row of it is placed.
      const first = st.k === 0 && !st.rows;
      if (st.k >= p.flow.length && !first) {
        // Only bottom photo rows are left (they could not go with the last lines): as many as fit.
        const r0 = st.rows ?? 0;
        let r = r0;
        let h = p.fromPrev;
        while (r < p.bottom.length && (r === r0 || h + (p.bottom[r] ?? 0) + p.photoGap <= room() + EPS)) {
          h += (p.bottom[r] ?? 0) + p.photoGap;
          r++;
        }
        penalty += W.photosAway;
        push({
          kind: "part",
          piece: i,
          height: h,
          heights: perStep((s) =>
            reshapes(p, s) ? Number.POSITIVE_INFINITY : p.fromPrev + rowsH(p, "bottom", s, r0, r),
          ),
          from: p.flow.length,
          to: p.flow.length,
          first: false,
          last: true,
          fill: { columns: [], next: p.flow.length, height: 0 },
          rows: [r0, r],
        });
        if (r < p.bottom.length) {
          end({ i, k: p.flow.length, rows: r });
          break;
        }
        st.i++;
        st.k = 0;
        st.rows = 0;
        continue;
      }
      const whole = restFits(p, st.k, room(), first, st.rows ?? 0);
      if (whole) {
        if (!empty) end({ i, k: 0 });
        if (!first && lineCountFrom(whole) < MIN_LINES) penalty += W.shortPart;
        whole.piece = i;
        push(whole);
        st.i++;
        st.k = 0;
        st.rows = 0;
        continue;
      }
      if (!empty && first) end({ i, k: 0 });
      const options = splits(p, st.k, room(), first, empty, st.rows ?? 0);
      for (const opt of options) {
        opt.entry.piece = i;
        if (opt.entry.kind === "part") {
          const lines = opt.entry.to - opt.entry.from;
          end(
            { i, k: opt.entry.to, rows: opt.entry.rows[1] },
            { ...opt, note: `「${p.what}」: ${lines} 行目で改ページ / breaks after ${lines} lines` },
          );
        }
      }
      if (empty && !options.length) {
        // Nothing breaks legally here: all the text goes on this page, then the photos that fit.
        const fill = flowColumns(p.flow, st.k, p.columns, H, first ? p.reserve : undefined);
        const fixed = first ? p.head + sum(p.top.map((t) => t + p.photoGap)) : p.fromPrev;
        if (fill.next >= p.flow.length) {
          const r0 = st.rows ?? 0;
          let r = r0;
          let h = fixed + fill.height;
          while (r < p.bottom.length && h + (p.bottom[r] ?? 0) + p.photoGap <= H + EPS) {
            h += (p.bottom[r] ?? 0) + p.photoGap;
            r++;
          }
          if (h > H + EPS) penalty += W.overflow;
          push({
            kind: "part",
            piece: i,
            height: h,
            // Drawn with natural photos: the columns were filled around them.
            heights: perStep((s) => (s === 0 ? h : Number.POSITIVE_INFINITY)),
            from: st.k,
            to: fill.next,
            first,
            last: r === p.bottom.length,
            fill,
            rows: [r0, r],
          });
          if (r < p.bottom.length) end({ i, k: p.flow.length, rows: r });
          else {
            st.i++;
            st.k = 0;
            st.rows = 0;
            continue;
          }
        } else {
          const next = Math.max(fill.next, st.k + 1);
          penalty += W.overflow;
          const height = fixed + fill.height + p.toNext;
          push({
            kind: "part",
            piece: i,
            height,
            heights: perStep((s) => (s === 0 ? height : Number.POSITIVE_INFINITY)),
            from: st.k,
            to: next,
            first,
            last: false,
            fill,
            rows: [st.rows ?? 0, st.rows ?? 0],
          });
          end({ i, k: next, rows: st.rows ?? 0 });
        }
      }
      break;
    }
    if (st.i >= pieces.length) end({ i: pieces.length, k: 0 });
    return out;
  };

  /**
   * Spreads the space between blocks: shrinks to fit, stretches to fill (the last page when that fills it, or
   * when it is more than half full).
   */
  const spread = (opt: PageOption, pageIndex: number, last: boolean): { plan: PagePlan; cost: number } => {
    const H = o.height - (pageIndex === 0 ? o.firstTop : 0);
    const gaps = opt.entries.length - 1 + (pageIndex === 0 && o.firstTop > 0 ? 1 : 0);
    // The photo step (natural, smaller, larger) that gives the least badness among those that fit with the gaps at
    // their smallest; when none fits, the one that runs over least.
    let best: { step: number; gap: number; hole: number; over: number; cost: number } | undefined;
    let shortest: typeof best;
    for (let step = 0; step < steps; step++) {
      const changes = new Map<number, number>();
      for (const e of opt.entries) {
        const c = changeAt(pieces[e.piece], step);
        if (c !== undefined) changes.set(e.piece, c);
      }
      if (step > 0 && changes.size === 0) continue;
      const fixed = sum(opt.entries.map((e) => e.heights?.[step] ?? e.height));
      if (!Number.isFinite(fixed)) continue;
      let gap = o.gap;
      if (gaps > 0) {
        const fit = (H - fixed) / gaps;
        if (fit < o.gap) gap = Math.max(gMin, fit);
        // A last page more than half full reads as a page: its space spreads too, within the same bounds,
        // rather than all of it collecting at the foot.
        else if (!last || fit <= gMax || fixed + gaps * o.gap >= H / 2) gap = Math.min(gMax, fit);
      }
      const hole = Math.max(0, H - fixed - gaps * gap);
      // White beside narrow photo rows is a hole too, where the rows are placed.
      let side = 0;
      for (const e of opt.entries) {
        const p = pieces[e.piece];
        if (p?.kind !== "article" || e.kind !== "part" || !placesPhotos(p, e)) continue;
        side = Math.max(side, (step > 0 ? p.alts?.[step - 1]?.sideHole : undefined) ?? p.sideHole ?? 0);
      }
      const over = Math.max(0, fixed + gaps * gap - H);
      const holeLines = hole / lh;
      let cost = (last ? W.lastHole : W.hole) * holeLines * holeLines;
      // A one-page issue may end short: issue 8 only asks a page it does not fill to be the last of several.
      const limit = (last ? LAST_HOLE_LIMIT : HOLE_LIMIT) * o.height;
      const past = (Math.max(hole, side) - limit) / lh;
      if (past > 0 && !last) cost += W.holeOverLimit + W.holeOverLimitLine * past * past;
      if (past > 0 && last && pageIndex > 0) cost += W.lastHoleOverLimit + W.hole * past * past;
      for (const c of changes.values()) cost += c < 0 ? -c * W.photoShrink : c * W.photoGrow;
      const delta = (gap - o.gap) * gaps;
      cost += (delta < 0 ? W.shrink : W.stretch) * (delta / lh) ** 2;
      const trial = { step, gap, hole, over, cost };
      if (over <= EPS && (!best || cost < best.cost)) best = trial;
      if (!shortest || over < shortest.over) shortest = trial;
    }
    const { step, gap, hole, over, cost } = best ?? (shortest as NonNullable<typeof shortest>);
    return { plan: { entries: opt.entries, gap, hole, over, step }, cost: cost + opt.penalty + W.page };
  };

  const key = (s: State) => `${s.i}:${s.k}:${s.rows ?? 0}`;
  let layer = new Map<string, Node>([[key({ i: 0, k: 0 }), { state: { i: 0, k: 0 }, cost: 0, notes: [] }]]);
  const done: Node[][] = [];
  for (let pageIndex = 0; layer.size > 0; pageIndex++) {
    const next = new Map<string, Node>();
    const finished: Node[] = [];
    for (const node of layer.values()) {
      for (const opt of pageOptions(node.state, pageIndex)) {
        const last = opt.next.i >= pieces.length;
        const { plan, cost } = spread(opt, pageIndex, last);
        const child: Node = {
          state: opt.next,
          cost: node.cost + cost,
          prev: node,
          page: plan,
          notes: opt.notes,
        };
        if (last) finished.push(child);
        else {
          const k = key(opt.next);
          const had = next.get(k);
          if (!had || had.cost > child.cost) next.set(k, child);
        }
      }
    }
    done[pageIndex + 1] = finished;
    layer = new Map([...next.entries()].sort((a, b) => a[1].cost - b[1].cost).slice(0, beam));
  }

  const best = (list: Node[] | undefined) =>
    list?.reduce<Node | undefined>((b, n) => (!b || n.cost < b.cost ? n : b), undefined);
  const all = done.flatMap((d) => d ?? []);
  let chosen = o.pages !== undefined ? best(done[o.pages]) : undefined;
  const fewest = best(all);
  if (!chosen) chosen = fewest;
  if (!chosen) return { pages: [], badness: 0, choices: [] };

  const plans: PagePlan[] = [];
  const choices: string[] = [];
  for (let n: Node | undefined = chosen; n?.page; n = n.prev) {
    plans.unshift(n.page);
    choices.unshift(...n.notes);
  }
  plans.forEach((plan, p) => {
    for (const e of plan.entries) {
      const piece = pieces[e.piece];
      const change = changeAt(piece, plan.step);
      if (change === undefined || !piece || (e.kind === "part" && !e.first && e.from > 0)) continue;
      const n = Math.abs(change);
      choices.push(
        change < 0
          ? `${p + 1} ページ「${piece.what}」: 写真を ${n} 段階小さく / page ${p + 1}: photos ${n} step(s) smaller`
          : `${p + 1} ページ「${piece.what}」: 写真を大きく / page ${p + 1}: photos set larger`,
      );
    }
    if (Math.abs(plan.gap - o.gap) > 0.05)
      choices.push(
        `${p + 1} ページ: 記事の間隔 ${(plan.gap / o.gap).toFixed(2)} 倍 / page ${p + 1}: space between blocks ×${(plan.gap / o.gap).toFixed(2)}`,
      );
  });
  const result: Composition = { pages: plans, badness: chosen.cost, choices };
  if (o.pages !== undefined) {
    const capacity = o.pages * o.height - o.firstTop;
    if (plans.length > o.pages) {
      // Too long: what is left over beyond the pages asked for, with every gap at its smallest.
      // Articles kept whole can leave room on the first pages that the rest cannot use, so what stands on
      // the pages beyond N counts too.
      const content = minimalHeight(plans, gMin, o.firstTop) - o.firstTop;
      const beyond = minimalHeight(plans.slice(o.pages), gMin, 0);
      result.off = Math.max(content - capacity, beyond, lh);
    } else {
      // Too short: the space left empty over all the pages, when it adds up to more than half a page.
      const short = sum(plans.map((pl) => pl.hole)) + (o.pages - plans.length) * o.height;
      if (short > o.height * 0.5 || plans.length < o.pages) result.off = -short;
    }
  }
  return result;
}

/** Whether a part sets some of its article's photo rows on its page. */
function placesPhotos(p: ArticlePiece, e: Extract<Entry, { kind: "part" }>): boolean {
  return (e.first && p.top.length > 0) || e.rows[1] > e.rows[0] || (e.last && e.rows[0] < p.bottom.length);
}

function minimalHeight(plans: PagePlan[], gMin: number, firstTop: number): number {
  let total = firstTop;
  plans.forEach((pl, p) => {
    total +=
      sum(pl.entries.map((e) => e.height)) +
      (pl.entries.length - 1 + (p === 0 && firstTop > 0 ? 1 : 0)) * gMin;
  });
  return total;
}

function lineCountFrom(e: Entry): number {
  if (e.kind !== "part") return MIN_LINES;
  const filled = e.fill.columns.filter((c) => c.length > 0);
  return filled.length ? Math.min(...filled.map(lineCount)) : 0;
}

/** An article's height set whole, columns balanced. */
export function articleHeight(p: ArticlePiece): number {
  const fill = flowColumns(p.flow, 0, p.columns, Number.MAX_SAFE_INTEGER / 4, p.reserve);
  return (
    p.head + sum(p.top.map((t) => t + p.photoGap)) + fill.height + sum(p.bottom.map((b) => b + p.photoGap))
  );
}

function sameReserve(a: ColumnReserve[] | undefined, b: ColumnReserve[] | undefined): boolean {
  const at = (r: ColumnReserve[] | undefined, c: number) => r?.[c] ?? { top: 0, bottom: 0 };
  for (let c = 0; c < Math.max(a?.length ?? 0, b?.length ?? 0); c++)
    if (Math.abs(at(a, c).top - at(b, c).top) > EPS || Math.abs(at(a, c).bottom - at(b, c).bottom) > EPS)
      return false;
  return true;
}
