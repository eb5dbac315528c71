import type { LaidOutIssue } from "../layout/index.js";
import { type RenderFonts, render } from "./index.js";
import { checkPdfX, type OutputProfile, toPdfX1a } from "./pdfx.js";
import { addPrintMarks } from "./print-marks.js";

export interface PrintEditionInput {
  laid: LaidOutIssue;
  fonts: RenderFonts;
  date: Date;
  allowedRoots: string[];
  /** CMYK versions of the photos, by photo path. */
  photoFiles: Map<string, string>;
  slug: string;
  /** The output intent: the profile the photos were converted with. */
  profile: OutputProfile;
}

export interface PrintEdition {
  pdf: Uint8Array;
  /** What the PDF/X-1a check found; empty when the file is ready for the print shop. */
  problems: string[];
}

/**
 * The print shop's edition: the laid-out pages drawn in DeviceCMYK with CMYK photos, placed on a sheet with
 * 3 mm bleed, trim and bleed boxes and crop marks, and declared PDF/X-1a:2001.
 */
export async function printEdition(input: PrintEditionInput): Promise<PrintEdition> {
  const { laid, fonts, date, allowedRoots, photoFiles, slug, profile } = input;
  const drawn = await render(laid, fonts, { date, allowedRoots, edition: "print", photoFiles });
  const marked = await addPrintMarks(drawn, { slug, date });
  try {
    const pdf = await toPdfX1a(marked, { title: laid.title, date, profile });
    return { pdf, problems: await checkPdfX(pdf) };
  } catch (err) {
    // Still written so the editor can look, but the preflight says why the shop would refuse it.
    return { pdf: marked, problems: [(err as Error).message] };
  }
}
