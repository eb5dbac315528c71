import { describe, expect, test } from "vitest";
import { columnWidth, resolveGeometry } from "../src/content/geometry.js";
import type { Issue, PhotoRef } from "../src/content/issue.js";
import type { IssueDoc, PhotoDoc } from "../src/content/schema.js";
import { columnsBox, type LayoutContext } from "../src/layout/blocks.js";
import { type FlowItem, flowColumns } from "../src/layout/flow.js";
import type { Box, ImageItem, RuleItem } from "../src/layout/model.js";
import {
  GROWN_ROW_SHARE,
  justifyRow,
  MAX_ROW_SHARE,
  MIN_PRINT_DPI,
  maxRowHeight,
  type PhotoPlanOptions,
  planPhotos,
  spanWidth,
} from "../src/layout/photos.js";
import { themeFor } from "../src/layout/theme.js";
import { resolveTheme } from "../src/theme/index.js";
import type { Typesetter } from "../src/typeset/index.js";

/** The photo engine on small inputs: shapes in, sizes and positions out. */

const doc = { newsletter: "テスト", date: "2024-01-01", blocks: [] } as unknown as IssueDoc;
const g = resolveGeometry(doc); // A4: 527 pt wide type area
const W = g.contentWidth;

/** Photos given as [pixelWidth, pixelHeight], upright. */
function context(sizes: Array<[number, number]>): LayoutContext {
  const photos: PhotoRef[] = sizes.map(([w, h], i) => ({
    path: `p[${i}]`,
    src: `${i}.jpg`,
    file: `/x/${i}.jpg`,
    pixelWidth: w,
    pixelHeight: h,
  }));
  const issue = { doc, geometry: g, photos } as unknown as Issue;
  // No captions here: the typesetter is never asked.
  const ts = {} as Typesetter;
  return { issue, g, theme: themeFor(resolveTheme(undefined), g), ts };
}

function plan(sizes: Array<[number, number]>, docs: PhotoDoc[], width: number, opts: PhotoPlanOptions) {
  return planPhotos(context(sizes), docs, (i) => `p[${i}]`, width, opts);
}

function nth<T>(xs: readonly T[], i: number): T {
  const x = xs[i];
  if (x === undefined) throw new Error(`no item ${i}`);
  return x;
}
function need<T>(x: T | undefined): T {
  if (x === undefined) throw new Error("missing");
  return x;
}

const images = (box: Box) => box.items.filter((i): i is ImageItem => i.kind === "image");
const photo = (src = "x.jpg", size?: PhotoDoc["size"]): PhotoDoc => ({ src, ...(size ? { size } : {}) });
// Plenty of pixels: no resolution limit comes into play.
const LANDSCAPE: [number, number] = [6000, 4000];
const PORTRAIT: [number, number] = [4000, 6000];

describe("justifyRow", () => {
  test("portrait and landscape: one height, widths by aspect, filling the row", () => {
    const fit = justifyRow([{ aspect: 1.5 }, { aspect: 2 / 3 }, { aspect: 1 }], 500, 8, 1000);
    expect(nth(fit.widths, 0) / 1.5).toBeCloseTo(fit.height, 6);
    expect(nth(fit.widths, 1) / (2 / 3)).toBeCloseTo(fit.height, 6);
    expect(nth(fit.widths, 2)).toBeCloseTo(fit.height, 6);
    const sum = fit.widths.reduce((s, w) => s + w, 0) + 2 * 8;
    expect(Math.abs(sum - 500)).toBeLessThan(0.5);
    expect(fit.xs[0]).toBeCloseTo(0, 6);
    expect(nth(fit.xs, 2) + nth(fit.widths, 2)).toBeCloseTo(500, 6);
  });

  test("a row that would be too tall is set lower and narrower, centred", () => {
    const fit = justifyRow([{ aspect: 2 / 3 }], 400, 8, 300);
    expect(fit.height).toBeCloseTo(300, 6);
    expect(fit.widths[0]).toBeCloseTo(200, 6);
    expect(fit.xs[0]).toBeCloseTo(100, 6);
  });

  test("a photo is not set so large that it drops below the print resolution", () => {
    // 600 px high: at most 600 / 200 × 72 = 216 pt high.
    const fit = justifyRow([{ aspect: 1.5, maxHeight: (600 / MIN_PRINT_DPI) * 72 }], 500, 8, 1000);
    expect(fit.height).toBeCloseTo(216, 6);
    expect(fit.widths[0]).toBeCloseTo(324, 6);
  });

  test("…but not below the smallest width allowed: a tiny photo is reported, not shrunk to a stamp", () => {
    const fit = justifyRow([{ aspect: 1.5, maxHeight: 20 }], 500, 8, 1000, 150);
    expect(fit.widths[0]).toBeCloseTo(150, 6);
  });
});

describe("planPhotos", () => {
  test("a lone photo in a 2-column article stands one column wide at the foot of the last column", () => {
    const p = plan([LANDSCAPE], [photo()], W, { columns: 2 });
    expect(p.top).toEqual([]);
    expect(p.bottom).toEqual([]);
    const side = need(p.side);
    const cw = columnWidth(g, W, 2);
    expect(side.boxes).toHaveLength(1);
    expect(side.boxes[0]?.column).toBe(1);
    expect(side.boxes[0]?.at).toBe("bottom");
    const [img] = images(nth(side.boxes, 0).box);
    expect(need(img).width).toBeCloseTo(cw, 6);
    expect(need(img).height).toBeCloseTo(cw / 1.5, 6);
    expect(side.reserve[0]).toEqual({ top: 0, bottom: 0 });
    expect(nth(side.reserve, 1).bottom).toBeGreaterThan(need(img).height);
    expect(nth(side.reserve, 1).top).toBe(0);
  });

  test("photosAt: top puts the lone photo at the head of the column", () => {
    const p = plan([LANDSCAPE], [photo()], W, { columns: 3, at: "top" });
    expect(p.side?.boxes[0]?.at).toBe("top");
    expect(p.side?.boxes[0]?.column).toBe(2);
    expect(nth(need(p.side).reserve, 2).top).toBeGreaterThan(0);
    const [img] = images(nth(need(p.side).boxes, 0).box);
    expect(need(img).width).toBeCloseTo(columnWidth(g, W, 3), 6);
  });

  test("a portrait photo that would be too tall is set narrower, centred in its column", () => {
    const narrow = 240; // a one-column article 240 pt wide
    const p = plan([[2000, 6000]], [photo()], narrow, { columns: 1 });
    const [img] = images(nth(p.bottom, 0));
    expect(need(img).height).toBeCloseTo(maxRowHeight(g), 6);
    expect(need(img).width).toBeLessThan(narrow);
    expect(need(img).x + need(img).width / 2).toBeCloseTo(narrow / 2, 6);
  });

  test("portrait and landscape in one row: equal heights, widths summing to the article width", () => {
    const width = 400; // low enough a row to stay under the height limit
    const p = plan([LANDSCAPE, PORTRAIT], [photo("a.jpg"), photo("b.jpg")], width, { columns: 2 });
    expect(p.side).toBeUndefined();
    const row = images(nth(p.bottom, 0));
    expect(row).toHaveLength(2);
    expect(Math.abs(nth(row, 0).height - nth(row, 1).height)).toBeLessThan(0.5);
    expect(nth(row, 0).width / nth(row, 1).width).toBeCloseTo(1.5 / (2 / 3), 6);
    expect(Math.abs(nth(row, 0).width + nth(row, 1).width + g.photoGap - width)).toBeLessThan(0.5);
    expect(nth(row, 0).height).toBeLessThan(maxRowHeight(g));
    expect(nth(row, 0).x).toBeCloseTo(0, 6);
  });

  test("size: small, twice, in 3 columns → a row two columns wide beside the text", () => {
    const p = plan([LANDSCAPE, LANDSCAPE], [photo("a", "small"), photo("b", "small")], W, { columns: 3 });
    expect(p.bottom).toEqual([]);
    const box = nth(need(p.side).boxes, 0);
    expect(box.column).toBe(1);
    expect(box.box.width).toBeCloseTo(spanWidth(g, W, 3, 2), 6);
    const row = images(box.box);
    expect(nth(row, 0).x).toBeCloseTo(0, 6);
    expect(nth(row, 1).x + nth(row, 1).width).toBeCloseTo(spanWidth(g, W, 3, 2), 6);
    expect(need(p.side).reserve.map((r) => r.bottom > 0)).toEqual([false, true, true]);
  });

  test("size: full keeps a lone photo in a full-width row (within the height limit)", () => {
    const p = plan([LANDSCAPE], [photo("a", "full")], W, { columns: 2 });
    expect(p.side).toBeUndefined();
    const [img] = images(nth(p.bottom, 0));
    expect(need(img).height).toBeLessThanOrEqual(maxRowHeight(g) + 1e-6);
  });

  test("grown, two square photos fill the article's width in a row up to 36 % of the page (30 % as usual)", () => {
    const SQUARE: [number, number] = [4000, 4000];
    const two = [photo("a"), photo("b")];
    const heights = (o: PhotoPlanOptions) => images(nth(plan([SQUARE, SQUARE], two, W, o).bottom, 0));
    // Natural: held to 30 % of the type area, so narrower than the article and centred.
    const natural = heights({ columns: 2 });
    expect(nth(natural, 0).height).toBeCloseTo(maxRowHeight(g), 6);
    expect(nth(natural, 0).x).toBeGreaterThan(20);
    // Grown: as wide as the article (two squares of (527 − gap) / 2), within GROWN_ROW_SHARE.
    const grown = heights({ columns: 2, grow: true });
    expect(nth(grown, 0).height).toBeCloseTo((W - g.photoGap) / 2, 6);
    expect(nth(grown, 0).height).toBeLessThanOrEqual(maxRowHeight(g, GROWN_ROW_SHARE) + 1e-6);
    expect(nth(grown, 0).x).toBeCloseTo(0, 6);
    // Grown at the usual limit: the natural size again.
    const usual = heights({ columns: 2, grow: true, rowShare: MAX_ROW_SHARE });
    expect(nth(usual, 0).height).toBeCloseTo(maxRowHeight(g), 6);
  });

  test("photosAt: side stacks every photo in the last column, from the top", () => {
    const p = plan([LANDSCAPE, PORTRAIT, LANDSCAPE], [photo("a"), photo("b"), photo("c")], W, {
      columns: 2,
      at: "side",
    });
    expect(p.top).toEqual([]);
    expect(p.bottom).toEqual([]);
    const box = nth(need(p.side).boxes, 0);
    expect(box.at).toBe("top");
    const imgs = images(box.box);
    expect(imgs).toHaveLength(3);
    expect(nth(imgs, 1).y).toBeGreaterThan(nth(imgs, 0).y + nth(imgs, 0).height);
    expect(nth(imgs, 2).y).toBeGreaterThan(nth(imgs, 1).y + nth(imgs, 1).height);
    for (const img of imgs) expect(img.width).toBeLessThanOrEqual(columnWidth(g, W, 2) + 1e-6);
  });

  test("photosPerRow: a row with fewer photos keeps the size they would have in a full row", () => {
    const p = plan([LANDSCAPE, LANDSCAPE], [photo("a"), photo("b")], W, { columns: 2, perRow: 3 });
    const row = images(nth(p.bottom, 0));
    const third = (W - 2 * g.photoGap) / 3;
    expect(nth(row, 0).width).toBeCloseTo(third, 6);
    expect(nth(row, 0).x).toBeCloseTo((W - (2 * third + g.photoGap)) / 2, 6);
  });
});

describe("flowColumns with a photo standing in a column", () => {
  const lines = (n: number): FlowItem[] => Array.from({ length: n }, () => ({ height: 10, items: [] }));

  test("the text flows beside the photo and the columns end level", () => {
    const fill = flowColumns(lines(30), 0, 2, 1000, [
      { top: 0, bottom: 0 },
      { top: 0, bottom: 60 },
    ]);
    expect(fill.next).toBe(30);
    const [a, b] = fill.columns.map((c) => c.length);
    expect(need(a) + need(b)).toBe(30);
    // 30 lines + 6 lines' worth of photo over two columns: 18 each.
    expect(a).toBe(18);
    expect(b).toBe(12);
    expect(fill.height).toBeCloseTo(180, 6);
  });

  test("balances without a page limit too (an article set whole, inside a row)", () => {
    // Six paragraphs of five 13-pt lines: no break gives exactly equal columns.
    const paragraphs: FlowItem[] = Array.from({ length: 30 }, (_, k) => ({
      height: 13,
      items: [],
      para: { id: Math.floor(k / 5), index: k % 5, count: 5 },
    }));
    const fill = flowColumns(paragraphs, 0, 2, Number.MAX_SAFE_INTEGER / 4, [
      { top: 0, bottom: 0 },
      { top: 0, bottom: 100 },
    ]);
    expect(fill.columns.map((c) => c.length)).toEqual([18, 12]);
  });

  test("a column the photo fills takes no text", () => {
    const fill = flowColumns(lines(10), 0, 2, 100, [
      { top: 0, bottom: 0 },
      { top: 100, bottom: 0 },
    ]);
    expect(fill.columns[1]).toEqual([]);
    expect(fill.next).toBe(10);
  });
});

describe("columnsBox with photos standing in columns", () => {
  test("draws the photo at the head of its columns, the text under it, and no hairline across it", () => {
    const p = plan([LANDSCAPE, LANDSCAPE], [photo("a", "small"), photo("b", "small")], W, {
      columns: 3,
      at: "top",
    });
    const side = need(p.side);
    const line = (): FlowItem => ({
      height: 10,
      items: [{ kind: "rect", x: 0, y: 0, width: 5, height: 10 }],
    });
    const box = columnsBox(context([LANDSCAPE, LANDSCAPE]), [[line()], [line()], [line()]], W, 3, side);
    const cw = columnWidth(g, W, 3);
    const top = nth(side.reserve, 1).top;
    // The text of columns 2 and 3 starts under the photo; column 1's at the top.
    const texts = box.items.filter((i) => i.kind === "rect");
    expect(texts.map((t) => Math.round(t.y))).toEqual([0, Math.round(top), Math.round(top)]);
    const imgs = images(box);
    expect(nth(imgs, 0).x).toBeCloseTo(cw + g.columnGap, 6);
    expect(nth(imgs, 0).y).toBeCloseTo(0, 6);
    expect(box.height).toBeCloseTo(top + 10, 6);
    const rules = box.items.filter((i): i is RuleItem => i.kind === "rule");
    expect(rules).toHaveLength(2);
    // Between columns 1 and 2 (beside the photo) the hairline runs full height; between 2 and 3 (under it) it
    // starts below the photo.
    expect(nth(rules, 0).y1).toBeCloseTo(0, 6);
    expect(nth(rules, 1).y1).toBeCloseTo(top, 6);
  });
});
