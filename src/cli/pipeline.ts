import path from "node:path";
import { loadIssue } from "../content/index.js";
import type { Issue } from "../content/issue.js";
import { type Diagnostic, KaihoError, sortDiagnostics, Warnings } from "../diagnostics.js";
import { filesOf, makeEditions, photoVersions } from "../editions/index.js";
import { EDITION_NAMES, type EditionName } from "../editions/names.js";
import { workerModules } from "../editions/worker-modules.js";
import { loadFonts } from "../fonts/index.js";
import { checkTargets, writeAllAtomically } from "../fsx/write.js";
import { checkPhotoFiles, prepareImages } from "../images/index.js";
import { layout } from "../layout/index.js";
import { type PreflightReport, preflight } from "../preflight/index.js";
import { addTypesetterWarnings } from "../preflight/typesetter-warnings.js";
import { proofread } from "../proofread/index.js";
import { render, renderFonts } from "../render/index.js";
import { createTypesetter } from "../typeset/index.js";
import { type StageWorker, startWorker } from "./in-worker.js";

export interface PipelineOptions {
  root: string;
  strict: boolean;
  /** false for `kaiho check`: everything is validated and laid out, nothing is written. */
  write: boolean;
  /** The editions to write (default: all; the preflight report is always written). */
  editions?: ReadonlySet<EditionName>;
  /** A worker started with `workerModules(editions)` (src/editions/worker-modules.ts), kept across issues. */
  worker?: StageWorker;
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

/** Wires the stages for one issue folder. Each stage takes what the one before it returned. */
export async function buildIssue(dir: string, opts: PipelineOptions): Promise<PipelineResult> {
  const warnings = new Warnings();
  const cacheDir = path.join(opts.root, ".cache", "kaiho");
  // The email edition and its preview are made on the second core; the worker's modules load while this thread
  // reads, lays out and draws. The CLI starts it before loading this module; a caller without one gets its own.
  const modules = opts.write && !opts.worker ? workerModules(opts.editions ?? ALL_EDITIONS) : [];
  const own = modules.length ? startWorker(modules) : undefined;
  try {
    return await build(dir, opts, warnings, cacheDir, opts.write ? (opts.worker ?? own) : undefined);
  } catch (err) {
    // The warnings found before the stop are shown with the errors (and counted).
    // (With --strict they are the errors themselves.)
    if (err instanceof KaihoError) {
      const shown = new Set(err.diagnostics.map((d) => `${d.line}|${d.ja}`));
      err.warnings.push(...warnings.list.filter((w) => !shown.has(`${w.line}|${w.ja}`)));
    }
    throw err;
  } finally {
    own?.close();
  }
}

const ALL_EDITIONS: ReadonlySet<EditionName> = new Set(EDITION_NAMES);

/** The file each edition is written to, after `output/<issue id>`. */
const SUFFIX: Record<EditionName, string> = {
  screen: ".pdf",
  print: "-print.pdf",
  email: "-email.pdf",
  preview: "-page1.png",
};

async function build(
  dir: string,
  opts: PipelineOptions,
  warnings: Warnings,
  cacheDir: string,
  worker: StageWorker | undefined,
): Promise<PipelineResult> {
  opts.progress("content");
  // Problems with files (photos, fonts) are collected and reported together before anything is laid out.
  const fileProblems: Diagnostic[] = [];
  const issue = await loadIssue(path.resolve(dir), { root: opts.root, warnings, problems: fileProblems });
  const out = (suffix: string) => path.join(opts.root, "output", `${issue.id}${suffix}`);
  // Something in the way of an output is found now, not after the whole build.
  if (opts.write)
    await checkTargets(
      [...[...(opts.editions ?? ALL_EDITIONS)].map((e) => SUFFIX[e]), "-preflight.json"].map(out),
    );
  opts.progress("fonts");
  // A photo its header already shows to be unusable is reported now, not after the layout.
  const [fontsLoaded, photosChecked] = await Promise.allSettled([
    loadFonts(issue, { cacheDir, warnings }),
    checkPhotoFiles(issue),
  ]);
  for (const r of [fontsLoaded, photosChecked]) {
    if (r.status === "rejected" && !(r.reason instanceof KaihoError)) throw r.reason;
    if (r.status === "rejected") fileProblems.push(...(r.reason as KaihoError).diagnostics);
  }
  if (fileProblems.length > 0 || fontsLoaded.status === "rejected")
    throw new KaihoError(sortDiagnostics(fileProblems));
  const fonts = fontsLoaded.value;
  opts.progress("typeset + layout");
  const ts = createTypesetter(fonts, { rubySize: issue.geometry.rubySize });
  // The layout decides every photo's size once; each edition's photos are resized to exactly that.
  const laid = layout(issue, ts);
  // What the typesetter measured is kept for the next build (src/fonts/measures.ts).
  fonts.saveMeasures?.();
  opts.progress("images");
  // Resolution is judged once, by the preflight, against the print shop's limits. A photo decoded here is made
  // in the editions' versions too, from the same decode.
  const alsoMake = opts.write ? photoVersions(issue, opts.editions ?? ALL_EDITIONS) : [];
  const images = await prepareImages(issue, laid.photos, { cacheDir, warnings, minDpi: 0, alsoMake });
  addTypesetterWarnings(issue, ts, warnings);
  const pages = laid.pages.length;
  const strictCheck = (list: Diagnostic[]) => {
    if (opts.strict && list.length)
      throw new KaihoError(list.map((w) => ({ ...w, severity: "error" as const })));
  };

  if (!opts.write) {
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
  const screen = await render(laid, fontFiles, {
    date,
    allowedRoots,
    photoFiles: filesOf(images),
    fontsCache: path.join(cacheDir, "fonts"),
  });

  opts.progress("editions");
  const want = opts.editions ?? ALL_EDITIONS;
  const made = await makeEditions({
    issue,
    laid,
    fonts: fontFiles,
    screen,
    images,
    want,
    booklet: opts.booklet || issue.doc.imposition === "booklet",
    date,
    cacheDir,
    allowedRoots,
    worker,
  });
  // The same photo warning can come from the screen edition's photos and an edition's: said once.
  const said = new Set(warnings.list.map(sameWarning));
  for (const w of made.warnings) if (!said.has(sameWarning(w))) warnings.list.push(w);

  const report = preflight({
    issue,
    images,
    ...(made.print ? { printImages: made.print.images, printPdf: made.print.problems } : {}),
    pages,
    missing: ts.missing,
    clusters: ts.clusters,
    problems: laid.problems,
    proofread: proofread(issue),
    choices: laid.choices,
  });
  strictCheck([...warnings.list, ...report.warnings]);

  const files: Array<[string, Uint8Array]> = [];
  if (want.has("screen")) files.push([out(SUFFIX.screen), screen]);
  if (made.print) files.push([out(SUFFIX.print), made.print.pdf]);
  if (made.email) files.push([out(SUFFIX.email), made.email]);
  if (made.preview) files.push([out(SUFFIX.preview), Buffer.from(made.preview.png)]);
  files.push([out("-preflight.json"), Buffer.from(`${JSON.stringify(report, null, 2)}\n`)]);
  if (made.booklet) files.push([out("-booklet.pdf"), made.booklet]);
  await writeAllAtomically(files);
  return {
    issue,
    outputs: files.map(([file]) => file),
    pages,
    bytes: screen.length,
    warnings: warnings.list,
    preflight: report,
  };
}

const sameWarning = (d: Diagnostic) => `${d.file}\u0000${d.line}\u0000${d.column}\u0000${d.ja}`;
