import { rowCellWidth } from "../content/geometry.js";
import type { Issue } from "../content/issue.js";
import type { LeafBlockDoc } from "../content/schema.js";
import type { Diagnostic } from "../diagnostics.js";
import type { LaidOutIssue, LineItem } from "../layout/index.js";
import type { PreflightReport } from "../preflight/index.js";
import { plainText } from "../typeset/index.js";
import type { MissingChar } from "../typeset/types.js";
import type { Mark } from "./types.js";

/**
 * Where on the pages the preflight's findings are, from the laid-out items: a badge on each photo below print
 * resolution (image items carry their photo's path), a box on each 〓 the typesetter drew for a character no font
 * has, and an outline from the headline of a block that does not fit its page down to the foot of the type area
 * (the layout reports such a block with its issue.yaml line; its headline is found on the page by its text).
 */

export interface MarkInput {
  issue: Issue;
  laid: LaidOutIssue;
  report: PreflightReport;
  missing: MissingChar[];
  /** The layout's problems (LaidOutIssue.problems): text that does not fit, `pages:` not met. */
  problems: Diagnostic[];
}

/** The typesetter's stand-in for a character no font has (src/typeset/clusters.ts GETA). */
const GETA = "〓";

export function findMarks(input: MarkInput): Mark[] {
  return [...photoMarks(input), ...glyphMarks(input), ...overflowMarks(input)];
}

function photoMarks({ laid, report }: MarkInput): Mark[] {
  const low = new Map(report.photos.filter((p) => p.status !== "ok").map((p) => [p.path, p]));
  const marks: Mark[] = [];
  laid.pages.forEach((page, index) => {
    for (const item of page.items) {
      if (item.kind !== "image") continue;
      const photo = low.get(item.path);
      if (!photo) continue;
      marks.push({
        page: index,
        kind: "low-dpi",
        severity: photo.status === "error" ? "error" : "warning",
        ...box(laid, item.x, item.y, item.width, item.height),
        label: `${photo.dpi} dpi`,
        title: `写真「${photo.src}」は約 ${photo.dpi} dpi です（印刷には 300〜350 dpi）。\nPhoto "${photo.src}" prints at about ${photo.dpi} dpi (print needs 300-350).`,
      });
    }
  });
  return marks;
}

function glyphMarks({ laid, missing }: MarkInput): Mark[] {
  if (!missing.length) return [];
  const list = missing
    .map((m) => `「${m.char}」U+${m.codePoint.toString(16).toUpperCase().padStart(4, "0")}`)
    .join(" ");
  const label = missing.length === 1 ? list : "〓";
  const marks: Mark[] = [];
  laid.pages.forEach((page, index) => {
    for (const item of page.items) {
      if (item.kind !== "line") continue;
      for (const run of item.line.runs) {
        const chars = [...run.text];
        chars.forEach((ch, i) => {
          if (ch !== GETA) return;
          // Runs are set in one face and size; a 〓 is one em wide, so its place is its share of the run.
          const x = item.x + run.x + (run.width * i) / chars.length;
          marks.push({
            page: index,
            kind: "glyph",
            severity: "warning",
            ...box(laid, x - 1, item.baseline - run.ascent - 1, run.size + 2, run.size * 1.2 + 2),
            label,
            title: `字形のない文字 characters without a glyph: ${list}`,
          });
        });
      }
    }
  });
  return marks;
}

function overflowMarks({ issue, laid, problems }: MarkInput): Mark[] {
  const g = issue.geometry;
  const foot = g.margin.top + g.contentHeight;
  const marks: Mark[] = [];
  for (const problem of problems) {
    const block = problem.line ? blockAt(issue, problem.line) : undefined;
    const title = block && titleOf(block.doc);
    if (!block || !title) continue;
    const found = findHeadline(laid, title);
    if (!found) continue;
    const { page, item } = found;
    const top = item.baseline - lineAscent(item) - 4;
    const left = block.rowSize ? item.x - 4 : g.margin.left - 4;
    const right = block.rowSize
      ? item.x + rowCellWidth(g, g.contentWidth, block.rowSize) + 4
      : g.margin.left + g.contentWidth + 4;
    marks.push({
      page,
      kind: "overflow",
      severity: problem.severity,
      ...box(laid, left, top, right - left, Math.max(foot - top, 8)),
      label: "収まりません does not fit",
      title: `${problem.ja}\n${problem.en}`,
    });
  }
  return marks;
}

interface LocatedBlock {
  doc: LeafBlockDoc;
  line: number;
  /** How many blocks share the row the block stands in (undefined: a block of its own). */
  rowSize?: number;
}

/** The block (or row cell) whose entry in issue.yaml holds `line`: the one starting last at or before it. */
function blockAt(issue: Issue, line: number): LocatedBlock | undefined {
  let best: LocatedBlock | undefined;
  const consider = (doc: LeafBlockDoc, path: string, rowSize?: number) => {
    const at = issue.locate(path)?.line;
    if (at !== undefined && at <= line && (!best || at >= best.line)) best = { doc, line: at, rowSize };
  };
  issue.doc.blocks.forEach((block, i) => {
    if (!("row" in block)) {
      consider(block, `blocks[${i}]`);
      return;
    }
    block.row.forEach((cell, j) => {
      consider(cell, `blocks[${i}].row[${j}]`, block.row.length);
    });
  });
  return best;
}

function titleOf(block: LeafBlockDoc): string | undefined {
  if ("article" in block) return block.article.title;
  if ("corner" in block) return block.corner.title;
  if ("schedule" in block) return block.schedule.title;
  if ("table" in block) return block.table.caption;
  if ("slogan" in block) return Array.isArray(block.slogan) ? block.slogan[0] : block.slogan;
  if ("note" in block) return Array.isArray(block.note) ? block.note[0] : block.note;
  return undefined;
}

const squeeze = (s: string) => s.replace(/\s+/g, "");

/**
 * The first line of a block's headline: a line whose text begins the title (a headline may take two lines), or
 * holds all of it (a continued part's headline adds （前ページから続く）). The last page it is on: a block that
 * does not fit is where it ends.
 */
function findHeadline(laid: LaidOutIssue, title: string): { page: number; item: LineItem } | undefined {
  const want = squeeze(plainText(title));
  if (!want) return undefined;
  for (let p = laid.pages.length - 1; p >= 0; p--) {
    for (const item of laid.pages[p]?.items ?? []) {
      if (item.kind !== "line") continue;
      const text = squeeze(item.line.runs.map((r) => r.text).join(""));
      if (text.length >= Math.ceil(want.length / 3) && (want.startsWith(text) || text.includes(want)))
        return { page: p, item };
    }
  }
  return undefined;
}

function lineAscent(item: LineItem): number {
  return item.line.runs.reduce((a, r) => Math.max(a, r.ascent), 0);
}

/** A box in pt on the page as fractions of the page, clipped to it. */
function box(laid: LaidOutIssue, x: number, y: number, width: number, height: number) {
  const x0 = Math.max(0, x);
  const y0 = Math.max(0, y);
  const x1 = Math.min(laid.width, x + width);
  const y1 = Math.min(laid.height, y + height);
  return {
    x: x0 / laid.width,
    y: y0 / laid.height,
    width: Math.max(0, x1 - x0) / laid.width,
    height: Math.max(0, y1 - y0) / laid.height,
  };
}
