import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { loadIssue } from "../content/index.js";
import type { Issue } from "../content/issue.js";
import { type Diagnostic, KaihoError, Warnings } from "../diagnostics.js";
import { loadFonts } from "../fonts/index.js";
import { prepareImages } from "../images/index.js";
import { layout } from "../layout/index.js";
import { render } from "../render/index.js";
import { createTypesetter } from "../typeset/index.js";

export interface PipelineOptions {
  root: string;
  strict: boolean;
  /** false for `kaiho check`: everything is validated and laid out, nothing is written. */
  write: boolean;
  progress: (stage: string) => void;
}

export interface PipelineResult {
  issue: Issue;
  output?: string;
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
    const pos = issue.locate(m.path);
    const code = `U+${m.codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
    warnings.add(
      issue.file,
      `文字「${m.char}」(${code}) を表示できるフォントがありません（${m.path}）。紙面では〓で代用しました。`,
      `No font has the character "${m.char}" (${code}) in ${m.path}; it is shown as 〓.`,
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
  const pdf = await render(laid, fonts, {
    date: new Date(Date.UTC(y, m - 1, d)),
    allowedRoots: [opts.root, cacheDir],
  });
  const output = path.join(opts.root, "output", `${issue.id}.pdf`);
  await writeAtomically(output, pdf);
  return { issue, output, pages: laid.pages.length, bytes: pdf.length, warnings: warnings.list };
}

/** A reader never sees half a PDF, and a failed build leaves the last good one in place. */
export async function writeAtomically(file: string, data: Buffer): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
