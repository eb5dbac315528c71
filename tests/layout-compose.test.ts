import { describe, expect, it } from "vitest";
import {
  type ArticlePiece,
  type ComposeOptions,
  compose,
  type Entry,
  type Piece,
} from "../src/layout/compose.js";
import { type FlowItem, flowColumns } from "../src/layout/flow.js";

/** The page breaker on small inputs: fake blocks with heights in, chosen pages, breaks and spacing out. */

const LINE = 10;
const opts: ComposeOptions = { height: 100, firstTop: 0, gap: 5, lineHeight: LINE };

let paraId = 0;
function paragraph(lines: number): FlowItem[] {
  const id = ++paraId;
  return Array.from({ length: lines }, (_, index) => ({
    height: LINE,
    items: [],
    para: { id, index, count: lines },
  }));
}

function heading(): FlowItem[] {
  const id = ++paraId;
  return [
    { height: 4, items: [], discardAtTop: true },
    { height: LINE, items: [], para: { id, index: 0, count: 1 }, keepWithNext: true },
  ];
}

function whole(height: number, what = `block ${height}`): Piece {
  return { kind: "whole", height, what };
}

function article(what: string, flow: FlowItem[], extra: Partial<ArticlePiece> = {}): ArticlePiece {
  return {
    kind: "article",
    what,
    head: 20,
    top: [],
    flow,
    columns: 1,
    bottom: [],
    photoGap: 2,
    toNext: 6,
    fromPrev: 6,
    ...extra,
  };
}

/** Which pieces each page holds, as "i" for whole pieces and "i:from-to" for article parts. */
function layoutOf(pages: { entries: Entry[] }[]): string[][] {
  return pages.map((p) =>
    p.entries.map((e) => (e.kind === "whole" ? `${e.piece}` : `${e.piece}:${e.from}-${e.to}`)),
  );
}

const linesIn = (col: FlowItem[]) => col.filter((it) => !it.discardAtTop).length;

describe("compose: the page breaker", () => {
  it("puts blocks that fit on one page and spreads the spare space between them (at most one line more)", () => {
    const c = compose([whole(30), whole(30)], opts);
    expect(layoutOf(c.pages)).toEqual([["0", "1"]]);
    // 35 pt spare on a page more than half full: the gap grows by one line (10 pt) and no more.
    expect(c.pages[0]?.gap).toBe(15);
    expect(c.pages[0]?.hole).toBeCloseTo(25, 5);
    // A last page less than half full keeps the natural gap: its space stays at the foot.
    expect(compose([whole(20), whole(20)], opts).pages[0]?.gap).toBe(5);
    const full = compose([whole(30), whole(30), whole(30)], opts);
    // 90 pt of blocks and two gaps on a 100 pt page: the gaps stretch to 5 pt each and fill it.
    expect(full.pages[0]?.gap).toBeCloseTo(5, 5);
    const stretched = compose([whole(40), whole(50), whole(80)], opts);
    expect(layoutOf(stretched.pages)).toEqual([["0", "1"], ["2"]]);
    expect(stretched.pages[0]?.gap).toBeCloseTo(10, 5);
    expect(stretched.pages[0]?.hole).toBeCloseTo(0, 5);
  });

  it("shrinks the space between blocks (down to ×0.75) rather than start a page", () => {
    // 91.5 pt of blocks: the two gaps shrink to 4.25 pt; at 99 pt they would need 0.5 pt, below ×0.75.
    const c = compose([whole(30.5), whole(30.5), whole(30.5)], opts);
    expect(c.pages).toHaveLength(1);
    expect(c.pages[0]?.gap).toBeCloseTo(4.25, 5);
    expect(compose([whole(33), whole(33), whole(33)], opts).pages).toHaveLength(2);
  });

  it("breaks a long article across pages with at least 3 lines in each column of each part", () => {
    const flow = [...paragraph(8), ...paragraph(8), ...paragraph(8), ...paragraph(6)];
    const c = compose([whole(40), article("long", flow, { columns: 2 })], opts);
    expect(c.pages.length).toBeGreaterThan(1);
    const parts = c.pages.flatMap((p) => p.entries.filter((e) => e.kind === "part"));
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      if (part.kind !== "part") continue;
      for (const col of part.fill.columns) expect(linesIn(col)).toBeGreaterThanOrEqual(3);
    }
    // Every line is placed once, in order.
    const covered = parts.map((p) => (p.kind === "part" ? [p.from, p.to] : []));
    expect(covered[0]?.[0]).toBe(0);
    expect(covered[covered.length - 1]?.[1]).toBe(flow.length);
    for (let i = 1; i < covered.length; i++) expect(covered[i]?.[0]).toBe(covered[i - 1]?.[1]);
    expect(c.choices.some((s) => s.includes("long"))).toBe(true);
  });

  it("does not split an article that fits on one page: it moves to the next page whole", () => {
    // 60 pt block, then an article of 20 + 7 lines = 90 pt: only 35 pt are left on page 1.
    const c = compose([whole(60), article("fits", paragraph(7))], opts);
    expect(layoutOf(c.pages)).toEqual([["0"], ["1:0-7"]]);
  });

  it("never leaves a part of 1 or 2 lines: the break moves up so the last part has 3", () => {
    // 20 + 12 lines = 140 pt: it must break; a break after 7 lines (the most page 1 holds) leaves 5.
    const c = compose([article("twelve", [...paragraph(6), ...paragraph(6)])], { ...opts, height: 100 });
    const parts = c.pages.map((p) => p.entries[0]);
    for (const part of parts)
      if (part?.kind === "part") expect(part.to - part.from).toBeGreaterThanOrEqual(3);
  });

  it("keeps bottom photos on a page with some of their article's text", () => {
    // Text fits on page 1 after the block, the 40 pt photo row does not: some lines go with the photos.
    const a = article("photos", [...paragraph(4), ...paragraph(4)], { bottom: [40] });
    const c = compose([whole(20), a], { ...opts, height: 120 });
    for (const page of c.pages) {
      for (const e of page.entries) {
        if (e.kind === "part" && e.rows[1] > e.rows[0]) expect(e.to - e.from).toBeGreaterThan(0);
      }
    }
    const withPhotos = c.pages.find((p) => p.entries.some((e) => e.kind === "part" && e.rows[1] > e.rows[0]));
    expect(withPhotos).toBeDefined();
  });

  it("never ends a column or a page with a heading", () => {
    const flow = [...paragraph(5), ...heading(), ...paragraph(6), ...heading(), ...paragraph(8)];
    const c = compose([article("heads", flow)], { ...opts, height: 110 });
    for (const page of c.pages)
      for (const e of page.entries)
        if (e.kind === "part")
          for (const col of e.fill.columns) expect(col[col.length - 1]?.keepWithNext).toBeFalsy();
  });

  it("fills the inner pages rather than open a hole there to fill the last page", () => {
    // 20 + 30 lines in one column: page 1 takes as many lines as it can (7 + the 「次ページへ続く」 line).
    const c = compose([article("long", [...paragraph(10), ...paragraph(10), ...paragraph(10)])], opts);
    expect(c.pages.length).toBeGreaterThan(1);
    for (const page of c.pages.slice(0, -1)) expect(page.hole).toBeLessThan(LINE * 1.5);
  });

  it("fits exactly `pages` pages when spacing allows, and says how far off it is when it cannot", () => {
    // 7 blocks of 22 pt: 4 on a page only with the gaps shrunk to 4 pt, so 2 pages are the fewest.
    const blocks = Array.from({ length: 7 }, () => whole(22));
    const fewest = compose(blocks, opts);
    expect(layoutOf(fewest.pages).map((p) => p.length)).toEqual([4, 3]);
    const two = compose(blocks, { ...opts, pages: 2 });
    expect(two.pages).toHaveLength(2);
    expect(two.off).toBeUndefined();
    // Three pages asked for: spread over three, and about half a page short.
    const three = compose(blocks, { ...opts, pages: 3 });
    expect(three.pages).toHaveLength(3);
    expect(three.off).toBeLessThan(-30);
    // One page asked for: too long by about 3 blocks.
    const one = compose(blocks, { ...opts, pages: 1 });
    expect(one.off).toBeGreaterThan(50);
  });

  it("reserves the masthead's height on the first page only", () => {
    const c = compose([whole(60), whole(60), whole(60)], { ...opts, firstTop: 50 });
    expect(layoutOf(c.pages)).toEqual([["0"], ["1"], ["2"]]);
    const d = compose([whole(40), whole(60), whole(30)], { ...opts, firstTop: 50 });
    expect(layoutOf(d.pages)).toEqual([["0"], ["1", "2"]]);
  });

  it("reports a block taller than a page as over, and still places everything", () => {
    const c = compose([whole(30), whole(150), whole(30)], opts);
    expect(c.pages.flatMap((p) => p.entries).length).toBe(3);
    expect(c.pages.some((p) => p.over > 0)).toBe(true);
  });

  it("stays linear on long input: 3000 blocks and a 5000-line article without deep recursion", () => {
    const blocks = Array.from({ length: 3000 }, (_, i) => whole(10 + (i % 7) * 5));
    const c = compose(blocks, opts);
    expect(c.pages.flatMap((p) => p.entries)).toHaveLength(3000);
    const big = compose([article("huge", paragraph(5000), { columns: 3 })], opts);
    const last = big.pages[big.pages.length - 1]?.entries[0];
    expect(last?.kind === "part" && last.to).toBe(5000);
  });

  it("balances a short 2-column article with a heading without a hole under the first column", () => {
    // 3 lines, a heading, 5 lines: the heading may not end column 1, which used to give 3 | heading + 5.
    const flow = [...paragraph(3), ...heading(), ...paragraph(5)];
    const fill = flowColumns(flow, 0, 2, 1000);
    expect(fill.next).toBe(flow.length);
    const heights = fill.columns.map((col) => col.reduce((s, it) => s + it.height, 0));
    expect(heights[0]).toBeGreaterThanOrEqual(heights[1] ?? 0);
    for (const col of fill.columns) expect(col[col.length - 1]?.keepWithNext).toBeFalsy();
  });

  it("sets photos a step smaller when that is what makes the pages fit", () => {
    // 20 + 4 lines + a 40 pt photo row = 102 pt: one page only with the smaller row (30 pt).
    const a = article("photo", paragraph(4), { bottom: [40], alts: [{ top: [], bottom: [30], change: -1 }] });
    const c = compose([a], { ...opts, pages: 1 });
    expect(c.pages).toHaveLength(1);
    expect(c.pages[0]?.step).toBe(1);
    expect(c.off).toBeUndefined();
    // With room to spare the photos keep their size.
    expect(compose([a], { ...opts, height: 120 }).pages[0]?.step).toBe(0);
  });

  it("sets an article of photos only with its head, and photo rows that cannot fit one page go on in order", () => {
    const a = article("photos only", [], { bottom: [60, 60, 60] });
    const c = compose([a], opts);
    const parts = c.pages.flatMap((p) => p.entries).filter((e) => e.kind === "part");
    expect(parts.filter((e) => e.kind === "part" && e.first)).toHaveLength(1);
    expect(parts.map((e) => (e.kind === "part" ? e.rows : []))).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
  });
  it("saves a page by setting photos a step smaller, without pages: too", () => {
    // 20 + 3 lines + a 40 pt row (+2) = 92 pt, then a 10 pt block: over 100 pt even with the gap shrunk; with
    // the row at 30 pt, one page holds both.
    const a = article("photo", paragraph(3), { bottom: [40], alts: [{ top: [], bottom: [30], change: -1 }] });
    const c = compose([a, whole(10)], opts);
    expect(layoutOf(c.pages)).toEqual([["0:0-3", "1"]]);
    expect(c.pages[0]?.step).toBe(1);
    expect(c.choices.join("\n")).toMatch(/photos 1 step\(s\) smaller/);
  });

  it("fills a page by setting an article's photos larger, and keeps them when larger would not fit", () => {
    // Natural: 20 + 3 lines + a 20 pt row = 72 pt on a 100 pt page (28 pt empty); larger: a 45 pt row fills it.
    const grow = (h: number) =>
      article("photo", paragraph(3), {
        bottom: [20],
        alts: [undefined, undefined, { top: [], bottom: [h], change: 1 }],
      });
    const c = compose([grow(45)], opts);
    expect(c.pages[0]?.step).toBe(3);
    expect(c.pages[0]?.hole).toBeLessThan(5);
    expect(c.choices.join("\n")).toMatch(/photos set larger/);
    // 20 + 30 + 2 + 60 = 112 pt: larger runs over the page, so the photos stay as they are.
    expect(compose([grow(60)], opts).pages[0]?.step).toBe(0);
  });

  it("moves a photo out of its column only for an article placed whole, reflowing the columns", () => {
    // A 2-column article with a photo standing at the foot of column 2 (40 pt); larger, the photo is a row under
    // both columns and the text balances over them.
    const a = article("standing", paragraph(8), {
      columns: 2,
      reserve: [
        { top: 0, bottom: 0 },
        { top: 0, bottom: 40 },
      ],
      alts: [undefined, undefined, { top: [], bottom: [50], change: 1 }],
    });
    // On a 150 pt page: natural 20 + 60 pt (70 pt empty); larger 20 + 40 + 52 pt (38 pt empty).
    const c = compose([a], { ...opts, height: 150 });
    const entry = c.pages[0]?.entries[0];
    expect(c.pages[0]?.step).toBe(3);
    expect(entry?.kind === "part" && entry.fills?.[3]?.columns.map(linesIn)).toEqual([4, 4]);
    // Natural: 8 lines beside a 40 pt photo in column 2 need 60 pt columns (6 | 2 + the photo).
    expect(entry?.kind === "part" && entry.fill.columns.map(linesIn)).toEqual([6, 2]);
    // Split across pages, the article keeps its photo where it stands.
    const long = article("standing", paragraph(30), { ...a, flow: paragraph(30) });
    const split = compose([long], { ...opts, height: 150 });
    expect(split.pages.length).toBeGreaterThan(1);
    expect(split.pages.every((p) => p.step === 0)).toBe(true);
  });

  it("splits an article that fits a page rather than leave a hole past issue 8's limit inside the issue", () => {
    // Two articles of 20 + 10 lines (120 pt) on 200 pt pages: kept whole, page 1 would end 75 pt (37 %) short.
    const para = () => [...paragraph(4), ...paragraph(3), ...paragraph(3)];
    const c = compose([article("first", para()), article("second", para())], { ...opts, height: 200 });
    expect(c.pages).toHaveLength(2);
    const [one, two] = c.pages;
    expect(one?.hole).toBeLessThan(200 * 0.04);
    const head = one?.entries[1];
    const tail = two?.entries[0];
    expect(head?.kind === "part" && head.first && !head.last).toBe(true);
    expect(tail?.kind === "part" && tail.last && !tail.first).toBe(true);
    // Each part keeps at least 3 lines.
    if (head?.kind === "part" && tail?.kind === "part") {
      expect(head.to - head.from).toBeGreaterThanOrEqual(3);
      expect(tail.to - tail.from).toBeGreaterThanOrEqual(3);
      expect(tail.from).toBe(head.to);
    }
    expect(c.choices.join("\n")).toMatch(/「second」/);
  });

  it("sets all of an article's photos larger, in more rows, with its last part to fill the last page", () => {
    // 20 + 10 lines and a 20 pt row: page 1 takes 7 lines, page 2 the last 3 and the row (58 pt of 100). Larger,
    // the photos are two 30 pt rows there, and page 2 is full.
    const grown = (sideHole = 0) =>
      article("photos", paragraph(10), {
        bottom: [20],
        alts: [{ top: [], bottom: [30, 30], change: 1, sideHole }],
      });
    const c = compose([grown()], opts);
    expect(layoutOf(c.pages)).toEqual([["0:0-7"], ["0:7-10"]]);
    const last = c.pages[1];
    const tail = last?.entries[0];
    expect(last?.step).toBe(1);
    // The natural row's index stands for all the rows of the larger size: 6 + 30 + 2 × (30 + 2).
    expect(tail?.kind === "part" && tail.rows).toEqual([0, 1]);
    expect(tail?.kind === "part" && tail.heights?.[1]).toBeCloseTo(100, 5);
    expect(last?.hole).toBeCloseTo(0, 5);
    // Rows so narrow that the white beside them is a hole past the last page's limit are not taken.
    expect(compose([grown(50)], opts).pages[1]?.step).toBe(0);
    expect(compose([grown(10)], opts).pages[1]?.step).toBe(1);
  });

  it("chooses a smaller size of a row of blocks (a whole piece) to keep the issue on one page", () => {
    const row: Piece = { kind: "whole", height: 60, what: "row", alts: [{ height: 50, change: -1 }] };
    const c = compose([whole(45), row], opts);
    expect(layoutOf(c.pages)).toEqual([["0", "1"]]);
    expect(c.pages[0]?.step).toBe(1);
    // Without the smaller size it takes two pages.
    expect(compose([whole(45), { ...row, alts: [] }], opts).pages).toHaveLength(2);
  });
});
