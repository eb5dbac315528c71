import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { loadIssue } from "../content/index.js";
import type { Issue } from "../content/issue.js";
import { type Diagnostic, KaihoError, Warnings } from "../diagnostics.js";
import { loadFonts } from "../fonts/index.js";
import { prepareImages } from "../images/index.js";
import { layout } from "../layout/index.js";
import { imposeBooklet } from "../render/impose.js";
import { render } from "../render/index.js";
import { addPrintMarks } from "../render/print-marks.js";
import { createTypesetter } from "../typeset/index.js";

export interface PipelineOptions {
  root: string;
  strict: boolean;
  /** false for `kaiho check`: everything is validated and laid out, nothing is written. */
  write: boolean;
  /** Also write output/<id>-booklet.pdf: pages imposed two-up for a saddle-stitched booklet. */
  booklet: boolean;
  progress: (stage: string) => void;
}

export interface PipelineResult {
  issue: Issue;
  output?: string;
  /** Every file written: the screen edition, the print edition, the booklet when asked. */
  outputs?: string[];
  pages: number;
  bytes?: number;
  warnings: Diagnostic[];
}

/** Wires the stages for one issue folder. Each stage takes what the one before it returned. */
export async function buildIssue(dir: string, opts: PipelineOptions): Promise<PipelineResult> {
  const warnings = new Warnings();
  const cacheDir = path.join(opts.root, ".cache", "kaiho");
  opts.progress("content");
  const issue = await loadIssue(path.resolve(dir), { root: opts.root, warnings });
  opts.progress("images + fonts");
  const [images, fonts] = await Promise.all([
    prepareImages(issue, { cacheDir, warnings }),
    loadFonts(issue, { cacheDir, warnings }),
  ]);
  opts.progress("typeset + layout");
  const ts = createTypesetter(fonts);
  const laid = layout(issue, images, ts);
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
  warnings.list.push(...laid.problems);
  if (opts.strict && warnings.list.length) {
    throw new KaihoError(warnings.list.map((w) => ({ ...w, severity: "error" as const })));
  }
  if (!opts.write) return { issue, pages: laid.pages.length, warnings: warnings.list };

  opts.progress("render");
  const [y, m, d] = issue.doc.date.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  const allowedRoots = [opts.root, cacheDir];
  const pdf = await render(laid, fonts, { date, allowedRoots });

  opts.progress("print edition");
  // The same pages for the print shop: DeviceCMYK colours and CMYK photos, then bleed, boxes and crop marks.
  const cmyk = await prepareImages(issue, { cacheDir, warnings: new Warnings(), colour: "cmyk" });
  const photoFiles = new Map([...cmyk.photos].map(([key, photo]) => [key, photo.file]));
  const printPdf = await addPrintMarks(
    await render(laid, fonts, { date, allowedRoots, edition: "print", photoFiles }),
    {
      slug: issue.id,
      date,
    },
  );

  const outDir = path.join(opts.root, "output");
  const output = path.join(outDir, `${issue.id}.pdf`);
  const files: Array<[string, Uint8Array]> = [
    [output, pdf],
    [path.join(outDir, `${issue.id}-print.pdf`), printPdf],
  ];
  if (opts.booklet) {
    const booklet = await imposeBooklet(pdf, { date });
    files.push([path.join(outDir, `${issue.id}-booklet.pdf`), booklet.bytes]);
  }
  await writeAllAtomically(files);
  const outputs = files.map(([file]) => file);
  return { issue, output, outputs, pages: laid.pages.length, bytes: pdf.length, warnings: warnings.list };
}

/**
 * A reader never sees half a PDF, and a failed build leaves the last good ones in place: every edition is
 * written to a temporary file first, and only when all are written are they renamed over the old ones.
 */
export async function writeAllAtomically(files: Array<[string, Uint8Array]>): Promise<void> {
  const temps: string[] = [];
  try {
    for (const [file, data] of files) {
      await mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      temps.push(tmp);
      await writeFile(tmp, data);
    }
    for (const [i, [file]] of files.entries()) await rename(temps[i] as string, file);
  } catch (err) {
    await Promise.all(temps.map((t) => rm(t, { force: true })));
    const file = files[temps.length - 1]?.[0] ?? "output/";
    throw new KaihoError({
      severity: "error",
      file,
      ja: `PDF を書き込めませんでした（${(err as NodeJS.ErrnoException).code ?? (err as Error).message}）。`,
      en: `Could not write the PDF (${(err as Error).message}).`,
      hintJa:
        "PDF をビューアーで開いている場合は閉じてから、もう一度実行してください。output/ フォルダに書き込めるか確かめてください。",
      hintEn:
        "If the PDF is open in a viewer, close it and run again; check that the output/ folder is writable.",
    });
  }
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
