import type { Diagnostic } from "../diagnostics.js";

/** What `kaiho new` is asked: start the next issue from the last one. */
export interface NewIssueOptions {
  /** Project folder holding content/. */
  root: string;
  /** The issue folder to start from; default the latest issue under content/ (by date, then number). */
  from?: string;
}

/** What `kaiho new` made. Nothing outside `dir` was written; the source folder is never modified. */
export interface NewIssueResult {
  /** The issue folder started from, and the new one (beside it). */
  from: string;
  dir: string;
  /** The new issue.yaml. */
  file: string;
  /** 第485号 → 第486号; `to` is undefined when the last number held nothing to count on. */
  number?: { from: string; to?: string };
  date: { from: string; to: string };
  /** Top-level settings carried over (newsletter, publisher, theme, fonts, print, email…). */
  kept: string[];
  /** Blocks marked `recurring: true` carried over. */
  recurring: number;
  /** Files copied beside the new issue.yaml (a logo, a print profile, photos of recurring blocks). */
  copied: string[];
  /** Things the editor should look at (a number not counted on, a problem the last issue already had). */
  warnings: Diagnostic[];
}
