import type { Issue } from "../content/issue.js";
import type { Diagnostic, Warnings } from "../diagnostics.js";
import { prepareImages } from "../images/index.js";
import type { LaidOutIssue } from "../layout/index.js";
import { photoSwaps } from "./photo-swaps.js";

/** The email edition's steps: photo resolution and JPEG quality, lowered in turn until the PDF fits its budget. */
export const EMAIL_STEPS: Array<{ dpi: number; quality: number }> = [
  { dpi: 150, quality: 80 },
  { dpi: 150, quality: 65 },
  { dpi: 120, quality: 60 },
  { dpi: 96, quality: 55 },
  { dpi: 72, quality: 50 },
];

export const EMAIL_DEFAULT_MAX_BYTES = 2_000_000;

export interface EmailEdition {
  pdf: Uint8Array;
  dpi: number;
  quality: number;
  /** Set when even the last step is over the budget. */
  overBudget?: Diagnostic;
}

/**
 * The email edition: the screen edition's pages with each photo swapped for a smaller one, small enough to mail.
 * The budget (`email.maxBytes`, 2 MB by default) is met by lowering photo resolution and quality step by step.
 * A step's size is known from its photos' sizes before any PDF is made (the pages, fonts and text are the
 * screen edition's, unchanged), so steps that cannot fit are passed over and the pages are never drawn again.
 */
export async function emailEdition(
  issue: Issue,
  laid: LaidOutIssue,
  screen: Uint8Array,
  /** The screen edition's photos, as embedded in it, by photo path. */
  screenPhotos: Map<string, Uint8Array>,
  opts: { cacheDir: string; warnings: Warnings; fromStep?: number },
): Promise<EmailEdition> {
  const budget = issue.doc.email?.maxBytes ?? EMAIL_DEFAULT_MAX_BYTES;
  const steps = EMAIL_STEPS.slice(opts.fromStep ?? 0);
  let last: EmailEdition | undefined;
  for (const [i, step] of steps.entries()) {
    // Warnings about resolution belong to the print edition; the email edition is small on purpose (minDpi 0).
    const images = await prepareImages(issue, laid.photos, {
      cacheDir: opts.cacheDir,
      warnings: opts.warnings,
      dpi: step.dpi,
      quality: step.quality,
      minDpi: 0,
    });
    const swaps = await photoSwaps(screenPhotos, images);
    // The swap changes a photo's bytes and its Width, Height and Length numbers, nothing else: a few bytes of
    // slack per photo for those.
    const estimate = screen.length + swaps.reduce((sum, s) => sum + s.to.length - s.from.length, 0);
    if (estimate > budget + 16 * swaps.length && i < steps.length - 1) continue;
    const { swapPhotos } = await import("../render/email-swap.js");
    last = { pdf: await swapPhotos(screen, swaps), ...step };
    if (last.pdf.length <= budget) return last;
  }
  const final = last as EmailEdition;
  const pos = issue.locate("email.maxBytes");
  final.overBudget = {
    severity: "warning",
    file: issue.file,
    line: pos?.line,
    column: pos?.column,
    ja: `メール版 PDF が ${(final.pdf.length / 1e6).toFixed(2)} MB になり、上限 ${(budget / 1e6).toFixed(2)} MB に収まりません（写真を ${final.dpi} dpi・画質 ${final.quality} まで下げました）。`,
    en: `The email edition is ${(final.pdf.length / 1e6).toFixed(2)} MB, over its ${(budget / 1e6).toFixed(2)} MB budget even with photos at ${final.dpi} dpi, quality ${final.quality}.`,
    hintJa: "写真の枚数を減らすか、email: の maxBytes を大きくしてください。",
    hintEn: "Use fewer photos, or raise maxBytes under email:.",
  };
  return final;
}
