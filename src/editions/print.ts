import { createHash } from "node:crypto";
import type { PhotoSwap } from "../render/email-swap.js";
import { type OutputProfile, savedAsPdfX1a } from "../render/pdfx.js";
import type { PrintEdition } from "../render/print-edition.js";
import { printPagesFromScreen } from "../render/print-from-screen.js";
import { printMarksDocument } from "../render/print-marks.js";
import type { Palette } from "../theme/index.js";

export interface OnePassInput {
  /** The screen edition. */
  screen: Uint8Array;
  /** Its photos and their CMYK versions. */
  photos: PhotoSwap[];
  /** What identifies each CMYK photo (its cache key), for the document ID. */
  photoKeys: string[];
  palette: Palette;
  title: string;
  date: Date;
  slug: string;
  profile: OutputProfile;
}

/**
 * The print edition from the screen edition in one pass: the screen PDF is read once, its colours and photos
 * turned CMYK, its pages placed on sheets with marks, declared PDF/X-1a and checked, all in memory, and saved
 * once (printFromScreen, addPrintMarks and toPdfX1a each read and wrote the whole file, photos and all, and the
 * check read it a fourth time). Undefined when the check refuses the result: the caller draws the pages again.
 */
export async function printInOnePass(input: OnePassInput): Promise<PrintEdition | undefined> {
  const { screen, photos, photoKeys, palette, title, date, slug, profile } = input;
  try {
    const pages = await printPagesFromScreen(screen, photos, palette, { compress: false });
    // The document ID comes from what the pages are made of: the screen edition and the CMYK photos (named by
    // their cache keys, which hash the original and how it was processed: hashing their bytes cost more).
    const id = createHash("md5").update(screen);
    for (const key of photoKeys) id.update(key);
    const sheets = await printMarksDocument(pages, { slug, date }, id);
    return { pdf: await savedAsPdfX1a(sheets, { title, date, profile }), problems: [] };
  } catch {
    // Whatever stood in the way is found again, and reported, on the pages drawn for print.
    return undefined;
  }
}
