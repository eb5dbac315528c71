import { promises as fs } from "node:fs";
import path from "node:path";
import { KaihoError, type Warnings } from "../diagnostics.js";
import { readBounded } from "../fsx/read.js";
import { resolveTheme } from "../theme/index.js";
import { decodeSource } from "./decode.js";
import { resolveGeometry } from "./geometry.js";
import type { Issue } from "./issue.js";
import { parseSource } from "./parse.js";
import { photoSites, resolvePhotos } from "./photos.js";
import { resolvePrintProfile } from "./print-profile.js";
import type { IssueDoc } from "./schema.js";
import { validateIssueData } from "./validate.js";

export type { Issue, PhotoRef, SourcePosition } from "./issue.js";
export { formatPath } from "./paths.js";

export interface LoadOptions {
  /** Project root: has images/ (shared pictures) and fonts/. */
  root: string;
  warnings: Warnings;
}

export const ISSUE_FILE = "issue.yaml";

/**
 * The content stage: an issue folder → the validated issue with its geometry, photo files and their pixel sizes.
 * Throws KaihoError listing every problem found at the step that failed (decoding, YAML syntax, schema, files).
 * Never writes anything.
 */
export async function loadIssue(dir: string, opts: LoadOptions): Promise<Issue> {
  const root = path.resolve(opts.root);
  const absDir = path.resolve(dir);
  const file = path.join(absDir, ISSUE_FILE);
  const shown = displayName(file, root);

  const bytes = await readIssueFile(absDir, file, shown);
  const text = decodeSource(bytes, shown, opts.warnings);
  const { data, lines, sourceMap } = parseSource(text, shown, opts.warnings);

  const problems = validateIssueData(data, { file: shown, lines, sourceMap });
  if (problems.length > 0) throw new KaihoError(problems);
  const doc = data as IssueDoc;

  const theme = resolveTheme(doc.theme);
  const geometry = resolveGeometry(doc, theme);
  const locate = (p: string) => sourceMap.locate(p);
  const { photos, problems: fileProblems } = await resolvePhotos(photoSites(doc), {
    dir: absDir,
    root,
    file: shown,
    lines,
    locate,
    warnings: opts.warnings,
  });
  const printProfile = doc.print
    ? await resolvePrintProfile(doc.print.profile, { dir: absDir, root, file: shown, lines, locate })
    : {};
  if (printProfile.problem) fileProblems.push(printProfile.problem);
  if (fileProblems.length > 0) throw new KaihoError(fileProblems);

  return {
    id: path.basename(absDir),
    dir: absDir,
    file,
    root,
    doc,
    geometry,
    theme,
    photos,
    ...(printProfile.profile ? { printProfile: printProfile.profile } : {}),
    sourceLines: lines,
    locate,
  };
}

/** Project-relative when inside the project (what editors recognise), absolute otherwise. */
function displayName(file: string, root: string): string {
  const rel = path.relative(root, file);
  return rel.startsWith("..") || path.isAbsolute(rel) ? file : rel.split(path.sep).join("/");
}

async function readIssueFile(dir: string, file: string, shown: string): Promise<Uint8Array> {
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat?.isDirectory()) {
    throw new KaihoError({
      severity: "error",
      file: shown,
      ja: `号のフォルダ「${dir}」が見つかりません。`,
      en: `Issue folder "${dir}" not found.`,
      hintJa: "content/ の中のフォルダ名を確かめてください。",
      hintEn: "Check the folder name under content/.",
    });
  }
  const bytes = await readBounded(file, { kind: "issue", missingOk: true });
  if (bytes) return bytes;
  {
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    const near = names.find((n) => /^issue\.ya?ml(\.txt)?$/i.test(n) && n !== ISSUE_FILE);
    throw new KaihoError({
      severity: "error",
      file: shown,
      ja: `${ISSUE_FILE} がありません。${near ? `「${near}」という名前になっています。` : ""}`,
      en: `${ISSUE_FILE} is missing.${near ? ` There is "${near}" instead.` : ""}`,
      hintJa: near
        ? `ファイル名を ${ISSUE_FILE} に変えてください（拡張子の表示をオンにすると確かめられます）。`
        : "前の号のフォルダから issue.yaml をコピーしてください。",
      hintEn: near ? `Rename it to ${ISSUE_FILE}.` : "Copy issue.yaml from the previous issue's folder.",
    });
  }
}
