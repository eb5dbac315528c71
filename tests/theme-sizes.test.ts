import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { resolveGeometry } from "../src/content/geometry.js";
import { loadIssue } from "../src/content/index.js";
import type { Issue } from "../src/content/issue.js";
import { Warnings } from "../src/diagnostics.js";
import { loadFonts } from "../src/fonts/index.js";
import { type LaidOutIssue, type LineItem, layout } from "../src/layout/index.js";
import { BUILT_IN_THEMES, type Theme } from "../src/theme/index.js";
import { createTypesetter, type Typesetter } from "../src/typeset/index.js";
import { demoProject } from "./helpers/theme-demo.js";

/**
 * The sizes of the look are the theme's (src/theme/types.ts): the layout reads every space, leading and margin
 * from the theme object it is given, so changing one there moves what it governs, and nothing else.
 */

let issue: Issue;
let ts: Typesetter;

beforeAll(async () => {
  const project = demoProject();
  const warnings = new Warnings();
  issue = await loadIssue(project.issue, { root: project.root, warnings });
  const fonts = await loadFonts(issue, { cacheDir: path.join(project.root, ".cache", "kaiho"), warnings });
  ts = createTypesetter(fonts, { rubySize: issue.geometry.rubySize });
});

/** The demo issue laid out in `theme`, its geometry worked out from it as the content stage does. */
function laidOutIn(theme: Theme): LaidOutIssue {
  return layout({ ...issue, theme, geometry: resolveGeometry(issue.doc, theme) }, ts);
}

const text = (l: LineItem) => l.line.runs.map((r) => r.text).join("");
function line(laid: LaidOutIssue, starts: string): LineItem {
  const found = laid.pages
    .flatMap((p) => p.items)
    .find((i): i is LineItem => i.kind === "line" && text(i).startsWith(starts));
  if (!found) throw new Error(`no line starting ${starts}`);
  return found;
}

const union = BUILT_IN_THEMES.union;

describe("theme sizes: the layout takes them from the theme object", () => {
  it("sets the space between a schedule's date and its text from schedule.dateGap", () => {
    const gapOf = (laid: LaidOutIssue) => line(laid, "地域清掃").x - line(laid, "10月20日").x;
    const natural = gapOf(laidOutIn(union));
    const wider = gapOf(laidOutIn({ ...union, schedule: { ...union.schedule, dateGap: 3 } }));
    // Two body sizes more between the date column and the text.
    expect(wider - natural).toBeCloseTo(2 * issue.geometry.bodySize, 1);
  });

  it("sets the body's line height from leading.body when the issue does not set style.leading", () => {
    // The closest two lines of body size in one column follow each other in a paragraph: their distance is the
    // line height (lines of the next column start at other x).
    const pitch = (laid: LaidOutIssue) => {
      const b = issue.geometry.bodySize;
      const byX = new Map<number, number[]>();
      for (const i of laid.pages[0]?.items ?? [])
        if (i.kind === "line" && i.line.runs.every((r) => r.size === b)) {
          const x = Math.round(i.x);
          byX.set(x, [...(byX.get(x) ?? []), i.baseline]);
        }
      const pitches = [...byX.values()].flatMap((ys) =>
        ys
          .sort((a, c) => a - c)
          .slice(1)
          .map((y, k) => y - (ys[k] as number)),
      );
      return Math.min(...pitches.filter((d) => d > 0.5));
    };
    expect(pitch(laidOutIn(union))).toBeCloseTo(issue.geometry.bodySize * union.leading.body, 1);
    expect(pitch(laidOutIn({ ...union, leading: { ...union.leading, body: 2 } }))).toBeCloseTo(
      issue.geometry.bodySize * 2,
      1,
    );
  });

  it("takes the page margins from page.margin", () => {
    const wide = laidOutIn({ ...union, page: { ...union.page, margin: 20 } });
    const leftmost = (laid: LaidOutIssue) =>
      Math.min(...(laid.pages[0]?.items ?? []).map((i) => (i.kind === "rule" ? i.x1 : i.x)));
    expect(leftmost(laidOutIn(union))).toBeCloseTo((12 * 72) / 25.4, 1);
    expect(leftmost(wide)).toBeCloseTo((20 * 72) / 25.4, 1);
  });
});
