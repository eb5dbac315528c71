import type { EditionName } from "./names.js";

/** The module the worker runs the email edition and its preview from, and the preview's own (fontkit, Skia, sharp). */
export const EMAIL_MODULE = new URL("../render/email-edition.js", import.meta.url);
const PREVIEW_MODULES = [
  new URL("../render/page-raster.js", import.meta.url),
  new URL("../render/preview-png.js", import.meta.url),
];

/**
 * The modules a worker should load as soon as it starts for these editions (none: no worker is worth
 * starting). Kept apart from the stage so the CLI can start the worker before it loads anything heavy: their
 * loading then overlaps the main thread's own loading, reading, layout and drawing.
 */
export function workerModules(want: ReadonlySet<EditionName>): URL[] {
  if (want.has("preview")) return [EMAIL_MODULE, ...PREVIEW_MODULES];
  return want.has("email") ? [EMAIL_MODULE] : [];
}
