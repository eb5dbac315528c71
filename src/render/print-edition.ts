import { type OutputProfile, PdfXRefusal, toPdfX1a } from "./pdfx.js";
import { addPrintMarks } from "./print-marks.js";

export interface PrintEditionInput {
  /** The pages drawn for print (DeviceCMYK colours and CMYK photos), trim size. */
  drawn: Uint8Array;
  title: string;
  date: Date;
  slug: string;
  /** The output intent: the profile the photos were converted with. */
  profile: OutputProfile;
}

export interface PrintEdition {
  pdf: Uint8Array;
  /** What the PDF/X-1a check found, one problem each; empty when the file is ready for the print shop. */
  problems: string[];
}

/**
 * The print shop's edition: the pages placed on a sheet with 3 mm bleed, trim and bleed boxes and crop marks,
 * declared PDF/X-1a:2001.
 */
export async function printEdition(input: PrintEditionInput): Promise<PrintEdition> {
  const { drawn, title, date, slug, profile } = input;
  const marked = await addPrintMarks(drawn, { slug, date });
  try {
    // toPdfX1a checks its own output with checkPdfX and throws when anything is left: a file it returns is clean.
    return { pdf: await toPdfX1a(marked, { title, date, profile }), problems: [] };
  } catch (err) {
    // Still written so the editor can look, but the preflight says why the shop would refuse it: each problem
    // on its own, so the report lists them as the check found them.
    if (err instanceof PdfXRefusal) return { pdf: marked, problems: err.problems };
    return { pdf: marked, problems: [(err as Error).message] };
  }
}
