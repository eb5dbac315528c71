import type { Issue } from "../content/issue.js";
import type { Diagnostic } from "../diagnostics.js";
import type { PreparedImages } from "../images/prepared.js";
import type { LaidOutIssue } from "../layout/index.js";
import type { RenderFonts } from "../render/index.js";
import type { PagePreview } from "../render/preview.js";
import type { EditionName } from "./names.js";

export type { EditionName } from "./names.js";

/** Runs a function of a stage module on the second core (the CLI's worker thread: src/cli/in-worker.ts). */
export interface Offload {
  call<T>(module: URL, fn: string, ...args: unknown[]): Promise<T>;
}

export interface EditionsInput {
  issue: Issue;
  laid: LaidOutIssue;
  fonts: RenderFonts;
  /** The screen edition (render's output), the base every other edition is made from. */
  screen: Uint8Array;
  /** The screen edition's photos (the images stage's sRGB ones). */
  images: PreparedImages;
  /** Which editions to make; the screen edition is always drawn, since the others are made from it. */
  want: ReadonlySet<EditionName>;
  /** Also impose the screen edition as a saddle-stitched booklet. */
  booklet: boolean;
  /** The fixed creation date of every edition. */
  date: Date;
  cacheDir: string;
  allowedRoots: string[];
  /** Where the email edition and its preview are made; in this thread when absent. */
  worker?: Offload;
}

export interface PrintEditionResult {
  pdf: Uint8Array;
  /** The CMYK photos it embeds (their total ink goes to the preflight). */
  images: PreparedImages;
  /** What the PDF/X-1a check found; empty when the file is ready for the print shop. */
  problems: string[];
}

/** What the editions stage hands on: only the editions asked for. */
export interface Editions {
  print?: PrintEditionResult;
  email?: Uint8Array;
  preview?: PagePreview;
  booklet?: Uint8Array;
  /** Warnings of the editions (the email edition over its size budget). */
  warnings: Diagnostic[];
}
