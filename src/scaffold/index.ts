import { promises as fs } from "node:fs";
import path from "node:path";
import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  type Node,
  type Pair,
  parseDocument,
  type Scalar,
  type YAMLMap,
} from "yaml";
import { decodeSource } from "../content/decode.js";
import { parseSource } from "../content/parse.js";
import { validateIssueData } from "../content/validate.js";
import { errorAt, KaihoError, Warnings } from "../diagnostics.js";
import { readBounded } from "../fsx/read.js";
import { oneMonthOn } from "./dates.js";
import { nextFolderName } from "./folder-name.js";
import { nextNumber } from "./numbering.js";
import { templateBlocks } from "./template.js";
import type { NewIssueOptions, NewIssueResult } from "./types.js";

export type { NewIssueOptions, NewIssueResult } from "./types.js";

const ISSUE_FILE = "issue.yaml";
const BLOCK_KINDS = ["article", "slogan", "schedule", "corner", "table", "info", "note"];

/**
 * `kaiho new`: the next issue's folder, beside the last one. Its issue.yaml is the last one's with the number
 * counted on, the date one month on, every setting and every block marked `recurring: true` kept (with their
 * comments), and the other blocks replaced by a commented template of every block kind. Photos are not copied,
 * except those of recurring blocks; a logo or print profile beside the last issue.yaml is. The folder appears
 * whole or not at all, and an existing folder is never overwritten.
 */
export async function newIssue(opts: NewIssueOptions): Promise<NewIssueResult> {
  const root = path.resolve(opts.root);
  const fromDir = opts.from ? path.resolve(opts.from) : await latestIssue(root);
  const file = path.join(fromDir, ISSUE_FILE);
  const shown = displayName(file, root);
  const warnings = new Warnings();
  const bytes = await readBounded(file, { kind: "issue", missingOk: true });
  if (!bytes) {
    throw errorAt(
      shown,
      `${ISSUE_FILE} がありません。元にする号のフォルダを --from で指定してください。`,
      `${ISSUE_FILE} is missing: name the issue folder to start from with --from.`,
    );
  }
  const { doc } = parseSource(decodeSource(bytes, shown, warnings), shown, warnings);
  if (!isMap(doc.contents)) throw errorAt(shown, "号の内容が読めません。", "The issue is not a YAML map.");
  const top = doc.contents;

  const dateNode = top.get("date", true);
  const oldDate = isScalar(dateNode) ? String(dateNode.value) : "";
  if (!isScalar(dateNode) || !/^\d{4}-\d{2}-\d{2}$/.test(oldDate)) {
    throw errorAt(
      shown,
      "発行日（date: 年-月-日）が読めないため、次の号の日付を決められません。",
      "The issue date (date: YYYY-MM-DD) cannot be read, so the next issue's date is unknown.",
      {
        hintJa: "date: 2024-04-01 のように直してから実行してください。",
        hintEn: "Fix it, e.g. date: 2024-04-01.",
      },
    );
  }
  const newDate = oneMonthOn(oldDate);
  (dateNode as Scalar).value = newDate;

  const numberNode = top.get("number", true);
  const oldNumber = isScalar(numberNode) ? String(numberNode.value) : undefined;
  const counted = oldNumber === undefined ? undefined : nextNumber(oldNumber);
  if (isScalar(numberNode) && counted) (numberNode as Scalar).value = counted.text;
  if (oldNumber !== undefined && !counted) {
    warnings.add(
      shown,
      `号数「${oldNumber}」に数字がないため、そのままにしました。新しい号数を書いてください。`,
      `The number "${oldNumber}" has no figure to count on; it is kept as it was: write the new one.`,
    );
  }
  renameInText(doc, top, { oldNumber, newNumber: counted?.text, oldDate, newDate });

  const { recurring, photos } = replaceBlocks(top, newDate);

  const name = nextFolderName({
    name: path.basename(fromDir),
    fromDate: oldDate,
    toDate: newDate,
    ...(counted ? { counter: { from: counted.from, to: counted.to } } : {}),
  });
  const dir = path.join(path.dirname(fromDir), name);
  const text = doc.toString({ lineWidth: 0 });
  const newShown = displayName(path.join(dir, ISSUE_FILE), root);
  checkResult(text, newShown, warnings);

  const sources = filesToCopy(top, photos);
  const copied = await writeFolder(dir, root, text, fromDir, sources);
  return {
    from: fromDir,
    dir,
    file: path.join(dir, ISSUE_FILE),
    ...(oldNumber !== undefined
      ? { number: { from: oldNumber, ...(counted ? { to: counted.text } : {}) } }
      : {}),
    date: { from: oldDate, to: newDate },
    kept: top.items.map((p) => keyName(p)).filter((k) => k !== "blocks" && k !== "number" && k !== "date"),
    recurring,
    copied,
    warnings: warnings.list,
  };
}

/** The latest issue under content/: the latest date, then the highest number, then the last folder name. */
async function latestIssue(root: string): Promise<string> {
  const content = path.join(root, "content");
  const entries = await fs.readdir(content, { withFileTypes: true }).catch(() => []);
  const found: Array<{ dir: string; date: string; counter: number }> = [];
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const dir = path.join(content, e.name);
    const bytes = await readBounded(path.join(dir, ISSUE_FILE), { kind: "issue", missingOk: true }).catch(
      () => undefined,
    );
    if (!bytes) continue;
    const data = quickRead(bytes, e.name);
    const date = typeof data?.date === "string" ? data.date : "";
    const counter = typeof data?.number === "string" ? (nextNumber(data.number)?.from ?? -1) : -1;
    found.push({ dir, date, counter });
  }
  found.sort((a, b) => a.date.localeCompare(b.date) || a.counter - b.counter || a.dir.localeCompare(b.dir));
  const latest = found.at(-1);
  if (!latest) {
    throw errorAt(
      displayName(content, root),
      "元にする号（issue.yaml のあるフォルダ）が content/ にありません。",
      "No issue folder (a folder with issue.yaml) under content/ to start from.",
      {
        hintJa: "--from で元にする号のフォルダを指定してください。",
        hintEn: "Name the issue folder to start from with --from.",
      },
    );
  }
  return latest.dir;
}

/** date and number, or nothing when the file cannot be read (`kaiho check` says what is wrong with it). */
function quickRead(bytes: Uint8Array, name: string): { date?: unknown; number?: unknown } | null {
  try {
    const text = decodeSource(bytes, name, new Warnings());
    return parseDocument(text, { version: "1.2", schema: "core" }).toJS() as { date?: unknown } | null;
  } catch {
    return null;
  }
}

/** The old number and month in the file's heading comment and the email's subject and text follow the issue. */
function renameInText(
  doc: Document.Parsed,
  top: YAMLMap,
  r: { oldNumber?: string; newNumber?: string; oldDate: string; newDate: string },
): void {
  const [oy, om] = r.oldDate.split("-").map(Number) as [number, number];
  const [ny, nm] = r.newDate.split("-").map(Number) as [number, number];
  const rename = (s: string) => {
    let out = s.replaceAll(`${oy}年${om}月`, `${ny}年${nm}月`);
    if (r.oldNumber && r.newNumber) out = out.replaceAll(r.oldNumber, r.newNumber);
    return out;
  };
  if (doc.commentBefore) doc.commentBefore = rename(doc.commentBefore);
  const email = top.get("email", true);
  if (!isMap(email)) return;
  for (const key of ["subject", "text"]) {
    const node = email.get(key, true);
    if (isScalar(node) && typeof node.value === "string") node.value = rename(node.value);
  }
}

/**
 * The blocks: those marked `recurring: true` stay where they were (a row keeps its recurring members, and one
 * left alone stands by itself), and the template takes the place of the first block that goes.
 */
function replaceBlocks(top: YAMLMap, date: string): { recurring: number; photos: string[] } {
  const template = parseDocument(templateBlocks(date), { version: "1.2", schema: "core" });
  const templatePair = (template.contents as YAMLMap).items[0] as Pair<Node, Node>;
  const fresh = templatePair.value;
  if (!isSeq(fresh)) throw new Error("template blocks are not a list");
  const index = top.items.findIndex((p) => keyName(p) === "blocks");
  const old = index >= 0 ? top.items[index]?.value : undefined;
  const kept: Node[] = [];
  let templateAt: number | undefined;
  for (const block of isSeq(old) ? old.items : []) {
    const keep = recurringPart(block as Node);
    if (keep) kept.push(keep);
    else templateAt ??= kept.length;
  }
  const at = templateAt ?? kept.length;
  fresh.items = [...kept.slice(0, at), ...fresh.items, ...kept.slice(at)];
  if (index >= 0) {
    const pair = top.items[index] as Pair<Node, Node>;
    pair.value = fresh;
    if (isScalar(pair.key) && isScalar(templatePair.key)) pair.key.comment = templatePair.key.comment;
  } else {
    top.items.push(templatePair);
  }
  const photos = kept.flatMap((n) => photoFiles(n.toJSON()));
  return { recurring: kept.reduce((n, b) => n + countBlocks(b), 0), photos };
}

/** The block, or the recurring part of a row, to carry over; undefined when nothing of it recurs. */
function recurringPart(block: Node): Node | undefined {
  if (!isMap(block)) return undefined;
  const row = block.get("row", true);
  if (isSeq(row)) {
    const members = row.items.filter((m) => isRecurring(m as Node));
    if (members.length === 0) return undefined;
    if (members.length === 1) {
      const only = members[0] as Node;
      // Comments before the row, or before its first member (kept by the list itself), stay with the block.
      only.commentBefore =
        [block.commentBefore, row.commentBefore, only.commentBefore].filter(Boolean).join("\n") || undefined;
      only.spaceBefore = block.spaceBefore;
      return only;
    }
    row.items = members;
    return block;
  }
  return isRecurring(block) ? block : undefined;
}

function isRecurring(block: Node): boolean {
  if (!isMap(block)) return false;
  return BLOCK_KINDS.some((kind) => {
    const body = block.get(kind, true);
    return isMap(body) && body.get("recurring") === true;
  });
}

function countBlocks(node: Node): number {
  const row = isMap(node) ? node.get("row", true) : undefined;
  return isSeq(row) ? row.items.length : 1;
}

/** Every photos[].src in a block's data. */
function photoFiles(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(photoFiles);
  if (!value || typeof value !== "object") return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (k === "photos" && Array.isArray(v)) {
      for (const p of v)
        if (p && typeof (p as { src?: unknown }).src === "string") out.push((p as { src: string }).src);
    } else {
      out.push(...photoFiles(v));
    }
  }
  return out;
}

function filesToCopy(top: YAMLMap, photos: string[]): string[] {
  const logo = top.get("logo");
  const print = top.get("print", true);
  const profile = isMap(print) ? print.get("profile") : undefined;
  return [
    ...new Set([logo, profile, ...photos].filter((f): f is string => typeof f === "string" && f !== "")),
  ];
}

function keyName(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

/**
 * The new file must be a valid issue whenever the last one was: a problem in it means the last issue already had
 * it (it is passed on as a warning) or the template is wrong (an internal error, caught by the tests).
 */
function checkResult(text: string, file: string, warnings: Warnings): void {
  const parsed = parseSource(text, file, warnings);
  const problems = validateIssueData(parsed.data, { file, lines: parsed.lines, sourceMap: parsed.sourceMap });
  for (const p of problems) warnings.list.push({ ...p, severity: "warning" });
}

/** Writes the folder whole into a temporary one beside it, then renames it into place. */
async function writeFolder(
  dir: string,
  root: string,
  text: string,
  fromDir: string,
  files: string[],
): Promise<string[]> {
  const refuse = () =>
    errorAt(
      displayName(dir, root),
      `フォルダ「${displayName(dir, root)}」はもうあります。上書きはしません。`,
      `The folder "${displayName(dir, root)}" already exists; it is not overwritten.`,
      {
        hintJa: "その号を作り直すなら、フォルダの名前を変えるか消してから実行してください。",
        hintEn: "To make it again, rename or delete that folder first.",
      },
    );
  if (await exists(dir)) throw refuse();
  const temp = path.join(path.dirname(dir), `.${path.basename(dir)}.new-${process.pid}`);
  await fs.rm(temp, { recursive: true, force: true });
  try {
    await fs.mkdir(temp);
    await fs.writeFile(path.join(temp, ISSUE_FILE), text, { flag: "wx" });
    const copied: string[] = [];
    for (const f of files) {
      // Only files that live beside the last issue.yaml; those in images/ are shared by every issue already.
      if (path.isAbsolute(f) || f.split(/[\\/]/).includes("..")) continue;
      const src = path.join(fromDir, f);
      if (!(await exists(src))) continue;
      await fs.mkdir(path.dirname(path.join(temp, f)), { recursive: true });
      await fs.copyFile(src, path.join(temp, f));
      copied.push(f);
    }
    if (await exists(dir)) throw refuse();
    await fs.rename(temp, dir);
    return copied;
  } catch (err) {
    await fs.rm(temp, { recursive: true, force: true });
    if (err instanceof KaihoError) throw err;
    throw errorAt(
      displayName(dir, root),
      `新しい号のフォルダを作れませんでした（${(err as Error).message}）。`,
      `Could not create the new issue folder (${(err as Error).message}).`,
    );
  }
}

async function exists(p: string): Promise<boolean> {
  return fs.lstat(p).then(
    () => true,
    () => false,
  );
}

/** Project-relative when inside the project (what editors recognise), absolute otherwise. */
function displayName(file: string, root: string): string {
  const rel = path.relative(root, file);
  return rel.startsWith("..") || path.isAbsolute(rel) ? file : rel.split(path.sep).join("/");
}
