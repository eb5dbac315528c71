import { readFile } from "node:fs/promises";
import path from "node:path";
import { loadIssue } from "../content/index.js";
import type { Issue } from "../content/issue.js";
import { type Diagnostic, KaihoError, Warnings } from "../diagnostics.js";
import { loadFonts } from "../fonts/index.js";
import { checkTargets, writeAllAtomically } from "../fsx/write.js";
import { checkPhotoFiles, cmykProfile, prepareImages } from "../images/index.js";
import type { PreparedImages } from "../images/prepared.js";
import { layout } from "../layout/index.js";
import { type PreflightReport, preflight } from "../preflight/index.js";
import { proofread } from "../proofread/index.js";
import type { EmailInput } from "../render/email-edition.js";
import type { PhotoSwap } from "../render/email-swap.js";
import { render, renderFonts } from "../render/index.js";
import type { OutputProfile } from "../render/pdfx.js";
import type { PagePreview } from "../render/preview.js";
import { createTypesetter } from "../typeset/index.js";
import { EMAIL_DEFAULT_MAX_BYTES, EMAIL_STEPS, emailEdition } from "./editions.js";
import { type StageWorker, startWorker } from "./in-worker.js";

export interface PipelineOptions {
  root: string;
  strict: boolean;
  /** false for `kaiho check`: everything is validated and laid out, nothing is written. */
  write: boolean;
  /** Also write output/<id>-booklet.pdf (also when the issue says `imposition: booklet`). */
  booklet: boolean;
  progress: (stage: string) => void;
}

export interface PipelineResult {
  issue: Issue;
  /** Every file written, the screen edition first. */
  outputs: string[];
  pages: number;
  bytes?: number;
  warnings: Diagnostic[];
  preflight: PreflightReport;
}

/** What the preflight says of a line the typesetter could not set well (typeset/types.ts `LooseLine`). */
const LOOSE_MESSAGES = {
  loose: ["字間が空きすぎた行があります", "A line is set looser than JLReq allows"],
  ragged: [
    "段の幅に近い長さの語（URL など）で、行末がそろわない行があります",
    "A word nearly as wide as the column (a URL?) leaves a line short of the edge",
  ],
  broken: [
    "段の幅より長い語を、規則のない位置で区切りました",
    "A word wider than the column was cut where no rule allows",
  ],
} as const;

/** Wires the stages for one issue folder. Each stage takes what the one before it returned. */
export async function buildIssue(dir: string, opts: PipelineOptions): Promise<PipelineResult> {
  const warnings = new Warnings();
  const cacheDir = path.join(opts.root, ".cache", "kaiho");
  // The email edition and its preview are made on the second core; the worker's modules load while this thread
  // reads, lays out and draws.
  const worker = opts.write ? startWorker([EMAIL_MODULE]) : undefined;
  try {
    return await build(dir, opts, warnings, cacheDir, worker);
  } finally {
    worker?.close();
  }
}

const OUTPUT_SUFFIXES = [".pdf", "-print.pdf", "-email.pdf", "-page1.png", "-preflight.json"];

const EMAIL_MODULE = new URL("../render/email-edition.js", import.meta.url);

async function build(
  dir: string,
  opts: PipelineOptions,
  warnings: Warnings,
  cacheDir: string,
  worker: StageWorker | undefined,
): Promise<PipelineResult> {
  opts.progress("content");
  const issue = await loadIssue(path.resolve(dir), { root: opts.root, warnings });
  const out = (suffix: string) => path.join(opts.root, "output", `${issue.id}${suffix}`);
  // Something in the way of an output is found now, not after the whole build.
  if (opts.write) await checkTargets(OUTPUT_SUFFIXES.map(out));
  opts.progress("fonts");
  // A photo its header already shows to be unusable is reported now, not after the layout.
  const [fonts] = await Promise.all([loadFonts(issue, { cacheDir, warnings }), checkPhotoFiles(issue)]);
  opts.progress("typeset + layout");
  const ts = createTypesetter(fonts, { rubySize: issue.geometry.rubySize });
  // The layout decides every photo's size once; each edition's photos are resized to exactly that.
  const laid = layout(issue, ts);
  opts.progress("images");
  // Resolution is judged once, by the preflight, against the print shop's limits.
  const images = await prepareImages(issue, laid.photos, { cacheDir, warnings, minDpi: 0 });
  for (const m of ts.missing) {
    const pos = lineOfChar(issue, m.path, m.char);
    const code = `U+${m.codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
    warnings.add(
      issue.file,
      `文字「${m.char}」(${code}) を表示できるフォントがありません（${m.path}）。紙面では〓で代用されます。`,
      `No font has the character "${m.char}" (${code}) in ${m.path}; the page shows 〓 in its place.`,
      {
        line: pos?.line,
        column: pos?.column,
        hintJa:
          "別の文字に置き換えるか、その文字を含むフォントを fonts/ に置き、issue.yaml の fonts: で指定してください。",
        hintEn:
          "Replace the character, or put a font that has it into fonts/ and name it under fonts: in issue.yaml.",
      },
    );
  }
  for (const l of ts.loose) {
    const pos = lineOfChar(issue, l.path, l.text.trim().charAt(0));
    const [ja, en] = LOOSE_MESSAGES[l.reason];
    warnings.add(issue.file, `${ja}（${l.path}）：「${l.text}」`, `${en} (${l.path}): "${l.text}"`, {
      line: pos?.line,
      column: pos?.column,
      hintJa: "語や URL を短くするか、段数を減らすか、文を書き換えてください。",
      hintEn: "Shorten the word or URL, use fewer columns, or reword the sentence.",
    });
  }
  const pages = laid.pages.length;
  const strictCheck = (list: Diagnostic[]) => {
    if (opts.strict && list.length)
      throw new KaihoError(list.map((w) => ({ ...w, severity: "error" as const })));
  };

  if (!opts.write || !worker) {
    const report = preflight({
      issue,
      images,
      pages,
      missing: ts.missing,
      clusters: ts.clusters,
      problems: laid.problems,
      proofread: proofread(issue),
      choices: laid.choices,
    });
    strictCheck([...warnings.list, ...report.warnings]);
    return { issue, outputs: [], pages, warnings: warnings.list, preflight: report };
  }

  opts.progress("render");
  const [y, m, d] = issue.doc.date.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  const allowedRoots = [opts.root, cacheDir];
  const fontFiles = renderFonts(fonts);
  const pdf = await render(laid, fontFiles, { date, allowedRoots, photoFiles: filesOf(images) });
  // The worker makes the email edition (the screen edition with smaller photos) and its preview while this
  // thread makes the print edition.
  const step = EMAIL_STEPS[0];
  const small = await prepareImages(issue, laid.photos, {
    cacheDir,
    warnings: new Warnings(),
    ...step,
    minDpi: 0,
  });
  const screenPhotos = await photoBytes(images);
  const emailInput: EmailInput = {
    screen: pdf,
    swaps: await photoSwaps(screenPhotos, small),
    previewWidth: 1200,
  };
  const mailing = worker.call<{ email: Uint8Array; preview: PagePreview }>(
    EMAIL_MODULE,
    "emailWithPreview",
    emailInput,
  );

  opts.progress("print + email editions");
  const cmyk = await prepareImages(issue, laid.photos, {
    cacheDir,
    warnings: new Warnings(),
    colour: "cmyk",
    cmykProfile: issue.printProfile?.file,
    minDpi: 0,
  });
  const profile = await printProfile(issue, cacheDir);
  const { printEdition } = await import("../render/print-edition.js");
  const { printFromScreen } = await import("../render/print-from-screen.js");
  // The print pages are the screen pages with CMYK colours and photos; drawn again only if that leaves anything
  // the PDF/X check refuses. Finished here: in the worker it would wait for the preview.
  const fromScreen = await printFromScreen(pdf, await photoSwaps(screenPhotos, cmyk), laid.palette);
  let print = await printEdition({ drawn: fromScreen, title: laid.title, date, slug: issue.id, profile });
  if (print.problems.length) {
    const drawn = await render(laid, fontFiles, {
      date,
      allowedRoots,
      edition: "print",
      photoFiles: filesOf(cmyk),
    });
    print = await printEdition({ drawn, title: laid.title, date, slug: issue.id, profile });
  }
  const mail = await mailing;
  const printPdf = print.pdf;
  const printProblems = print.problems;
  const preview = mail.preview;
  let emailPdf = mail.email;
  if (emailPdf.length > (issue.doc.email?.maxBytes ?? EMAIL_DEFAULT_MAX_BYTES)) {
    // Over budget: lower resolution and quality step by step, drawing the pages for each.
    const email = await emailEdition(issue, laid, fontFiles, { date, allowedRoots, cacheDir }, 1);
    if (email.overBudget) warnings.list.push(email.overBudget);
    emailPdf = email.pdf;
  }

  const report = preflight({
    issue,
    images,
    printImages: cmyk,
    pages,
    missing: ts.missing,
    clusters: ts.clusters,
    problems: laid.problems,
    proofread: proofread(issue),
    choices: laid.choices,
    printPdf: printProblems,
  });
  strictCheck([...warnings.list, ...report.warnings]);

  const files: Array<[string, Uint8Array]> = [
    [out(".pdf"), pdf],
    [out("-print.pdf"), printPdf],
    [out("-email.pdf"), emailPdf],
    [out("-page1.png"), Buffer.from(preview.png)],
    [out("-preflight.json"), Buffer.from(`${JSON.stringify(report, null, 2)}\n`)],
  ];
  if (opts.booklet || issue.doc.imposition === "booklet") {
    const { imposeBooklet } = await import("../render/impose.js");
    const booklet = await imposeBooklet(pdf, { date });
    files.push([out("-booklet.pdf"), booklet.bytes]);
  }
  await writeAllAtomically(files);
  return {
    issue,
    outputs: files.map(([file]) => file),
    pages,
    bytes: pdf.length,
    warnings: warnings.list,
    preflight: report,
  };
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

/** The screen edition's photo files, read once for the two editions made from it. */
async function photoBytes(photos: PreparedImages): Promise<Map<string, Uint8Array>> {
  const entries = await Promise.all(
    [...photos.photos].map(
      async ([key, photo]) => [key, new Uint8Array(await readFile(photo.file))] as const,
    ),
  );
  return new Map(entries);
}

/** Each photo of the screen edition (its bytes) paired with its version in `other`. */
async function photoSwaps(screen: Map<string, Uint8Array>, other: PreparedImages): Promise<PhotoSwap[]> {
  return Promise.all(
    [...screen].flatMap(([key, from]) => {
      const to = other.photos.get(key);
      if (!to) return [];
      return [
        readFile(to.file).then((b) => ({
          from,
          to: new Uint8Array(b),
          width: to.pixelWidth,
          height: to.pixelHeight,
        })),
      ];
    }),
  );
}

/** The line where a character stands: from where its text begins in issue.yaml, the first line that has it. */
function lineOfChar(
  issue: Issue,
  schemaPath: string,
  char: string,
): { line: number; column: number } | undefined {
  const start = issue.locate(schemaPath);
  if (!start) return undefined;
  for (let i = start.line - 1; i < issue.sourceLines.length; i++) {
    const col = issue.sourceLines[i]?.indexOf(char) ?? -1;
    if (col >= 0) return { line: i + 1, column: [...(issue.sourceLines[i] ?? "").slice(0, col)].length + 1 };
  }
  return start;
}
