import type { Diagnostic } from "../diagnostics.js";

/**
 * The preview's contract: what one in-process rebuild (session.ts) hands the server (server.ts), and what the
 * server sends the page (page.ts) over server-sent events.
 */

/** One page as a PNG at screen resolution, named by a hash of what is drawn on it. */
export interface PageImage {
  /** Hash of the page's laid-out items, photo files and fonts: the same page gives the same key. */
  key: string;
  png: Buffer;
  width: number;
  height: number;
}

/** A preflight finding drawn over the page: a box in fractions of the page's width and height (0-1). */
export interface Mark {
  /** 0-based page index. */
  page: number;
  kind: "overflow" | "low-dpi" | "glyph";
  severity: Diagnostic["severity"];
  x: number;
  y: number;
  width: number;
  height: number;
  /** A short label drawn on the page (e.g. `180 dpi`). */
  label: string;
  /** The whole message, Japanese and English, shown when the mark is pointed at. */
  title: string;
}

/** How long a rebuild took, in ms, and when the save that caused it was seen (epoch ms). */
export interface Timings {
  /** First file event of the saves this build answers (undefined for the first build). */
  changedAt?: number;
  startedAt: number;
  finishedAt: number;
  /** Set by the server when the state went out to the pages. */
  pushedAt?: number;
  stages: Record<string, number>;
  /** CPU time the rebuild took in this process (user + system), which a loaded machine does not inflate. */
  cpuMs: number;
  /** Pages drawn again (the others were unchanged and kept). */
  pagesDrawn: number;
}

/** What the preview shows after a rebuild: the pages, or the last good ones with the error over them. */
export interface Snapshot {
  /** Counts up with every rebuild. */
  build: number;
  /** The pages of the last build that succeeded (empty before the first one). */
  pages: PageImage[];
  /** Marks on those pages. */
  marks: Mark[];
  /** Why this rebuild failed (the pages are then the last good ones); empty when it succeeded. */
  failure: Diagnostic[];
  /** Preflight errors and every warning of the rebuild. */
  problems: Diagnostic[];
  timings: Timings;
  /** A fault of kaiho's own behind the failure (its stack goes to the terminal). */
  internal?: unknown;
}

/** The JSON the page receives for a snapshot. */
export interface PageState {
  build: number;
  issue: string;
  pages: Array<{ url: string; width: number; height: number }>;
  marks: Mark[];
  /** Each failure as the terminal prints it (src/diagnostics.ts formatDiagnostic), with its place. */
  failure: ShownDiagnostic[];
  problems: ShownDiagnostic[];
  timings: Timings;
}

/**
 * A message as the terminal prints it, and where it points: the page marks that character in the source line
 * instead of the terminal's caret line (a caret counts a Japanese character as two cells; a browser font does not).
 */
export interface ShownDiagnostic {
  severity: Diagnostic["severity"];
  text: string;
  line?: number;
  column?: number;
  sourceLine?: string;
}
