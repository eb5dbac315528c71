import { readFile } from "node:fs/promises";
import path, { basename } from "node:path";
import type { Issue } from "../content/issue.js";
import { Warnings } from "../diagnostics.js";
import { cmykProfile, type PhotoVersion, prepareImages } from "../images/index.js";
import type { PreparedImages } from "../images/prepared.js";
import type { EmailInput } from "../render/email-edition.js";
import type { PageDrawing } from "../render/page-raster.js";
import type { OutputProfile } from "../render/pdfx.js";
import type { PagePreview } from "../render/preview.js";
import { EMAIL_DEFAULT_MAX_BYTES, EMAIL_STEPS, emailEdition } from "./email-budget.js";
import { photoBytes, photoSwaps } from "./photo-swaps.js";
import type { EditionName, Editions, EditionsInput, PrintEditionResult } from "./types.js";
import { EMAIL_MODULE } from "./worker-modules.js";

export type { EditionName, Editions, EditionsInput, Offload, PrintEditionResult } from "./types.js";
export { workerModules } from "./worker-modules.js";

/**
 * The editions stage: from the screen edition (drawn by render), the editions asked for. The print edition is
 * the screen pages with CMYK colours and photos, drawn again in DeviceCMYK only if that leaves anything the
 * PDF/X check refuses; the email edition is the screen edition with smaller photos, made on the second core
 * with its page-1 preview, and drawn again with ever smaller photos only when over its size budget; the booklet
 * imposes the screen pages two-up. Only the modules the requested editions need are loaded.
 */
export async function makeEditions(input: EditionsInput): Promise<Editions> {
  const { issue, laid, want } = input;
  // The editions' own photos (smaller, CMYK) can have problems of their own (a damaged photo decoded
  // leniently); they are reported with the build's, each once.
  const warnings = new Warnings();
  const needsEmail = want.has("email") || want.has("preview");
  const screenPhotos = needsEmail || want.has("print") ? await photoBytes(input.images) : new Map();

  // Started first: the worker makes it while this thread makes the print edition.
  const mailing = needsEmail ? startEmail(input, screenPhotos, warnings) : undefined;
  const print = want.has("print") ? await printEditionOf(input, screenPhotos, warnings) : undefined;
  const mail = await mailing;

  let email = want.has("email") ? mail?.email : undefined;
  if (email && email.length > (issue.doc.email?.maxBytes ?? EMAIL_DEFAULT_MAX_BYTES)) {
    // Over budget: lower resolution and quality step by step, swapping smaller photos in; the pages are never
    // drawn again (email-budget.ts).
    const over = await emailEdition(issue, laid, input.screen, screenPhotos, {
      cacheDir: input.cacheDir,
      warnings,
      fromStep: 1,
    });
    if (over.overBudget) warnings.list.push(over.overBudget);
    email = over.pdf;
  }

  let booklet: Uint8Array | undefined;
  if (input.booklet) {
    const { imposeBooklet } = await import("../render/impose.js");
    booklet = (await imposeBooklet(input.screen, { date: input.date })).bytes;
  }
  return {
    ...(print ? { print } : {}),
    ...(email ? { email } : {}),
    ...(want.has("preview") && mail?.preview ? { preview: mail.preview } : {}),
    ...(booklet ? { booklet } : {}),
    warnings: warnings.list,
  };
}

/**
 * The versions of the photos the editions in `want` will ask for: the images stage makes them from the same
 * decode as the screen edition's (prepareImages' alsoMake), so a cold build decodes each original once.
 */
export function photoVersions(issue: Issue, want: ReadonlySet<EditionName>): PhotoVersion[] {
  const versions: PhotoVersion[] = [];
  if (want.has("email") || want.has("preview")) versions.push(EMAIL_STEPS[0] as PhotoVersion);
  if (want.has("print")) versions.push(printVersion(issue));
  return versions;
}

function printVersion(issue: Issue): PhotoVersion {
  return { colour: "cmyk", cmykProfile: issue.printProfile?.file };
}

/** The email edition at the first step of its budget, and the preview drawn from it. */
async function startEmail(
  input: EditionsInput,
  screenPhotos: Map<string, Uint8Array>,
  warnings: Warnings,
): Promise<{ email: Uint8Array; preview?: PagePreview }> {
  const step = EMAIL_STEPS[0];
  const small = await prepareImages(input.issue, input.laid.photos, {
    cacheDir: input.cacheDir,
    // Resolution is judged once, by the preflight, against the print shop's limits (minDpi 0).
    warnings,
    ...step,
    minDpi: 0,
  });
  const emailInput: EmailInput = {
    screen: input.screen,
    swaps: await photoSwaps(screenPhotos, small),
    ...(input.want.has("preview") ? { preview: { drawing: pageDrawing(input, small), width: 1200 } } : {}),
  };
  if (input.worker) return input.worker.call(EMAIL_MODULE, "emailWithPreview", emailInput);
  const { emailWithPreview } = await import("../render/email-edition.js");
  return emailWithPreview(emailInput);
}

/** Page 1 as the preview draws it: its items, the theme's colours, the fonts pdfmake embeds and `photos`. */
function pageDrawing(input: EditionsInput, photos: PreparedImages): PageDrawing {
  const { laid } = input;
  const page = laid.pages[0] ?? { items: [] };
  const colours = Object.fromEntries(Object.entries(laid.palette).map(([name, c]) => [name, c.rgb]));
  return {
    page,
    width: laid.width,
    height: laid.height,
    colours,
    fonts: input.fonts.families,
    photoFiles: Object.fromEntries(filesOf(photos)),
    fontsCache: path.join(input.cacheDir, "fonts"),
  };
}

async function printEditionOf(
  input: EditionsInput,
  screenPhotos: Map<string, Uint8Array>,
  warnings: Warnings,
): Promise<PrintEditionResult> {
  const { issue, laid, date } = input;
  const cmyk = await prepareImages(issue, laid.photos, {
    cacheDir: input.cacheDir,
    warnings,
    ...printVersion(issue),
    minDpi: 0,
  });
  const profile = await printProfile(issue, input.cacheDir);
  const { printInOnePass } = await import("./print.js");
  // The print pages are the screen pages with CMYK colours and photos; drawn again only if that leaves anything
  // the PDF/X check refuses.
  let print = await printInOnePass({
    screen: input.screen,
    photos: await photoSwaps(screenPhotos, cmyk),
    photoKeys: [...cmyk.photos.values()].map((p) => basename(p.file)),
    palette: laid.palette,
    title: laid.title,
    date,
    slug: issue.id,
    profile,
  });
  if (!print) {
    const [{ render }, { printEdition }] = await Promise.all([
      import("../render/index.js"),
      import("../render/print-edition.js"),
    ]);
    const drawn = await render(laid, input.fonts, {
      date,
      allowedRoots: input.allowedRoots,
      edition: "print",
      photoFiles: filesOf(cmyk),
      fontsCache: path.join(input.cacheDir, "fonts"),
    });
    print = await printEdition({ drawn, title: laid.title, date, slug: issue.id, profile });
  }
  return { pdf: print.pdf, problems: print.problems, images: cmyk };
}

/** The print edition's output intent: the profile its photos were converted with. */
async function printProfile(issue: Issue, cacheDir: string): Promise<OutputProfile> {
  const shop = issue.printProfile;
  if (shop) {
    return {
      bytes: new Uint8Array(await readFile(shop.file)),
      identifier: issue.doc.print?.intent ?? "Custom",
      condition: issue.doc.print?.condition ?? shop.description,
      registry: "http://www.color.org",
      info: shop.description,
    };
  }
  return {
    bytes: await cmykProfile(cacheDir),
    identifier: "Custom",
    condition: "Generic CMYK offset (libvips built-in profile, Chemical proof)",
    registry: "http://www.color.org",
    info: "Chemical proof: libvips built-in CMYK output profile by Graeme W. Gill (ArgyllCMS), public domain",
  };
}

/** Each photo's processed file, by photo path: what render draws. */
export function filesOf(images: PreparedImages): Map<string, string> {
  return new Map([...images.photos].map(([key, photo]) => [key, photo.file]));
}
