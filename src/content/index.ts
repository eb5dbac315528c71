import { promises as fs } from "node:fs";
import path from "node:path";
import { type Diagnostic, KaihoError, sortDiagnostics, type Warnings } from "../diagnostics.js";
import { readBounded } from "../fsx/read.js";
import { resolveTheme } from "../theme/index.js";
import { decodeSource } from "./decode.js";
import { resolveGeometry } from "./geometry.js";
import type { Issue } from "./issue.js";
import { parseSourceAll } from "./parse.js";
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
  /**
   * Where problems with files (a photo or print profile missing) go when the caller goes on to find more (the
   * fonts' problems) before stopping; without it they are thrown. Problems of the text itself are always thrown.
   */
  problems?: Diagnostic[];
}

export const ISSUE_FILE = "issue.yaml";

/**
 * The content stage: an issue folder → the validated issue with its geometry, photo files and their pixel sizes.
 * Throws KaihoError listing every problem found, all in one run: YAML syntax (as far as the parser can go), the
 * schema's, and the photo and print-profile files named. Never writes anything.
 */
export async function loadIssue(dir: string, opts: LoadOptions): Promise<Issue> {
  const root = path.resolve(opts.root);
  const absDir = path.resolve(dir);
  const file = path.join(absDir, ISSUE_FILE);
  const shown = displayName(file, root);

  const bytes = await readIssueFile(absDir, file, shown);
  const text = decodeSource(bytes, shown, opts.warnings);
  const parsed = parseSourceAll(text, shown, opts.warnings);
  const { data, lines, sourceMap } = parsed;

  const textProblems = [...parsed.problems];
  // With syntax errors, data that is no map at all is their echo; otherwise the schema says what is wrong.
  if (!parsed.problems.length || (data !== null && typeof data === "object" && !Array.isArray(data)))
    textProblems.push(
      ...validateIssueData(data, { file: shown, lines, sourceMap, setAside: parsed.setAside }),
    );
  const doc = data as IssueDoc;

  const locate = (p: string) => sourceMap.locate(p);
  const { photos, problems: fileProblems } = await resolvePhotos(photoSites(data), {
    dir: absDir,
    root,
    file: shown,
    lines,
    locate,
    warnings: opts.warnings,
  });
  const print = (data as { print?: { profile?: unknown } } | null)?.print;
  const profileName = typeof print?.profile === "string" ? print.profile : undefined;
  const printProfile = profileName
    ? await resolvePrintProfile(profileName, { dir: absDir, root, file: shown, lines, locate })
    : {};
  if (printProfile.problem) fileProblems.push(printProfile.problem);
  if (textProblems.length > 0) throw new KaihoError(sortDiagnostics([...textProblems, ...fileProblems]));
  if (fileProblems.length > 0) {
    if (!opts.problems) throw new KaihoError(sortDiagnostics(fileProblems));
    opts.problems.push(...fileProblems);
  }

  const theme = resolveTheme(doc.theme);
  const geometry = resolveGeometry(doc, theme);

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
