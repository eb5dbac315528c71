import { describe, expect, it } from "vitest";
import type { ComposeOptions, Piece } from "../src/layout/compose.js";
import { composeFloating } from "../src/layout/float.js";

/** Floating blocks on small inputs: block heights in, the order and pages chosen out. */

const opts: ComposeOptions = { height: 100, firstTop: 0, gap: 5, lineHeight: 10 };
const whole = (height: number, what: string): Piece => ({ kind: "whole", height, what });

/** Each page's pieces, by their index in the list given (not in the order composed). */
function pagesOf(r: ReturnType<typeof composeFloating>): number[][] {
  return r.composition.pages.map((p) => p.entries.map((e) => r.order[e.piece] as number));
}

describe("composeFloating: a later box fills the hole a block too tall for the page leaves", () => {
  const pieces = [whole(60, "A"), whole(50, "B"), whole(30, "schedule C"), whole(45, "D")];

  it("moves a floating block up into the hole and saves a page", () => {
    const fixedOnly = composeFloating(pieces, [false, false, false, false], opts);
    // In order: A alone (B does not fit under it), then B and C, then D: three pages, page 1 40% empty.
    expect(pagesOf(fixedOnly)).toEqual([[0], [1, 2], [3]]);
    const floated = composeFloating(pieces, [false, false, true, false], opts);
    expect(floated.order).toEqual([0, 2, 1, 3]);
    expect(pagesOf(floated)).toEqual([
      [0, 2],
      [1, 3],
    ]);
    expect(floated.composition.pages[0]?.hole).toBeLessThan(1);
    expect(floated.moved.join()).toMatch(/schedule C.*page 1/);
  });

  it("keeps the order when moving would leave another page emptier than its limit", () => {
    // Without D, C is what fills the last page: moved up, it would leave B alone on half a page.
    const three = pieces.slice(0, 3);
    const r = composeFloating(three, [false, false, true], opts);
    expect(r.order).toEqual([0, 1, 2]);
    expect(pagesOf(r)).toEqual([[0], [1, 2]]);
    expect(r.moved).toEqual([]);
  });

  it("keeps the order when a move only trades one page's hole for a smaller one on another", () => {
    // In order, page 1 is 40% empty and page 2 full; with C moved up, page 1 is full and page 2 ends 38% empty:
    // still one page past its limit, so nothing is gained and C stays under B.
    const r = composeFloating(
      [whole(60, "A"), whole(62, "B"), whole(30, "schedule C")],
      [false, false, true],
      opts,
    );
    expect(r.order).toEqual([0, 1, 2]);
    expect(r.moved).toEqual([]);
  });
});
