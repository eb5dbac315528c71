import type { Issue } from "../content/issue.js";
import type { Diagnostic, Warnings } from "../diagnostics.js";
import { prepareImages } from "../images/index.js";
import type { LaidOutIssue } from "../layout/index.js";
import { type RenderFonts, render } from "../render/index.js";

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
  pdf: Buffer;
  dpi: number;
  quality: number;
  /** Set when even the last step is over the budget. */
  overBudget?: Diagnostic;
}

/**
 * The email edition: the same pages in RGB with photos at screen resolution, small enough to mail. The budget
 * (`email.maxBytes`, 2 MB by default) is met by lowering photo resolution and quality step by step.
 */
export async function emailEdition(
  issue: Issue,
  laid: LaidOutIssue,
  fonts: RenderFonts,
  base: { date: Date; allowedRoots: string[]; cacheDir: string; warnings: Warnings },
  /** The first step to try (the build tries step 0 without drawing the pages again). */
  fromStep = 0,
): Promise<EmailEdition> {
  const budget = issue.doc.email?.maxBytes ?? EMAIL_DEFAULT_MAX_BYTES;
  let last: EmailEdition | undefined;
  for (const step of EMAIL_STEPS.slice(fromStep)) {
    // Warnings about resolution belong to the print edition; the email edition is small on purpose (minDpi 0).
    const images = await prepareImages(issue, laid.photos, {
      cacheDir: base.cacheDir,
      warnings: base.warnings,
      dpi: step.dpi,
      quality: step.quality,
      minDpi: 0,
    });
    const photoFiles = new Map([...images.photos].map(([key, photo]) => [key, photo.file]));
    const pdf = await render(laid, fonts, { date: base.date, allowedRoots: base.allowedRoots, photoFiles });
    last = { pdf, ...step };
    if (pdf.length <= budget) return last;
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
