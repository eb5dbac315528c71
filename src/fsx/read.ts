import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, type Stats } from "node:fs";
import { type FileHandle, open, realpath } from "node:fs/promises";
import path from "node:path";
import { type Diagnostic, KaihoError } from "../diagnostics.js";

/**
 * Every file kaiho reads goes through here: it is opened without blocking (a FIFO with no writer would wait
 * forever), checked with fstat to be a regular file (not a FIFO, a device such as /dev/zero, a socket or a
 * folder), refused above a size suited to its kind, and read only up to that size. A symbolic link is followed
 * only when it ends inside one of the allowed folders. Anything else is a KaihoError naming the file and, when
 * the file was named in issue.yaml, that line.
 */

/** What the file is, for the message and its size limit. */
export type FileKind =
  | "issue"
  | "photo"
  | "font"
  | "profile"
  | "members"
  | "journal"
  | "cache"
  | "config"
  | "pdf"
  | "image";

/** Size limits per kind: far above any real file of that kind, far below what would exhaust memory. */
export const MAX_BYTES: Record<FileKind, number> = {
  issue: 4 * 1024 * 1024,
  photo: 200 * 1024 * 1024,
  font: 50 * 1024 * 1024,
  profile: 10 * 1024 * 1024,
  members: 20 * 1024 * 1024,
  journal: 64 * 1024 * 1024,
  cache: 200 * 1024 * 1024,
  config: 64 * 1024,
  pdf: 200 * 1024 * 1024,
  image: 50 * 1024 * 1024,
};

const KIND_WORDS: Record<FileKind, [string, string]> = {
  issue: ["号のファイル", "issue file"],
  photo: ["写真", "photo"],
  font: ["フォント", "font"],
  profile: ["カラープロファイル", "colour profile"],
  members: ["会員名簿", "members list"],
  journal: ["送信記録", "send record"],
  cache: ["キャッシュのファイル", "cache file"],
  config: ["設定ファイル", "settings file"],
  pdf: ["PDF", "PDF"],
  image: ["画像", "image"],
};

export interface ReadOptions {
  kind: FileKind;
  /** Default: MAX_BYTES[kind]. */
  maxBytes?: number;
  /** A missing file reads as undefined instead of an error. */
  missingOk?: boolean;
  /** When set, a symbolic link must resolve inside one of these folders. */
  allowedRoots?: readonly string[];
  /** Where the file was named, for the message (issue.yaml and its line). */
  namedAt?: Pick<Diagnostic, "file" | "line" | "column" | "sourceLine">;
  /** What to do, added to every message (e.g. "re-download the font"). */
  hint?: { ja: string; en: string };
}

const O_NONBLOCK = constants.O_NONBLOCK ?? 0;
const O_NOCTTY = constants.O_NOCTTY ?? 0;
const FLAGS = constants.O_RDONLY | O_NONBLOCK | O_NOCTTY;

export async function readBounded(
  file: string,
  opts: ReadOptions & { missingOk: true },
): Promise<Buffer | undefined>;
export async function readBounded(file: string, opts: ReadOptions): Promise<Buffer>;
export async function readBounded(file: string, opts: ReadOptions): Promise<Buffer | undefined> {
  const max = opts.maxBytes ?? MAX_BYTES[opts.kind];
  if (opts.allowedRoots) await checkInside(file, opts);
  let fh: FileHandle;
  try {
    fh = await open(file, FLAGS);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT" && opts.missingOk) return undefined;
    throw readError(file, opts, err);
  }
  try {
    const st = await fh.stat();
    checkStat(file, st, max, opts);
    const buf = Buffer.allocUnsafe(Math.min(st.size, max) + 1);
    let got = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, null);
      if (bytesRead === 0) break;
      got += bytesRead;
      if (got > max) throw tooBig(file, got, max, opts);
      if (got === buf.length) break;
    }
    return buf.subarray(0, got);
  } catch (err) {
    if (err instanceof KaihoError) throw err;
    throw readError(file, opts, err);
  } finally {
    await fh.close().catch(() => {});
  }
}

export function readBoundedSync(file: string, opts: ReadOptions & { missingOk: true }): Buffer | undefined;
export function readBoundedSync(file: string, opts: ReadOptions): Buffer;
export function readBoundedSync(file: string, opts: ReadOptions): Buffer | undefined {
  const max = opts.maxBytes ?? MAX_BYTES[opts.kind];
  if (opts.allowedRoots) checkInsideSync(file, opts);
  let fd: number;
  try {
    fd = openSync(file, FLAGS);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT" && opts.missingOk) return undefined;
    throw readError(file, opts, err);
  }
  try {
    const st = fstatSync(fd);
    checkStat(file, st, max, opts);
    const buf = Buffer.allocUnsafe(Math.min(st.size, max) + 1);
    let got = 0;
    for (;;) {
      const n = readSync(fd, buf, got, buf.length - got, null);
      if (n === 0) break;
      got += n;
      if (got > max) throw tooBig(file, got, max, opts);
      if (got === buf.length) break;
    }
    return buf.subarray(0, got);
  } catch (err) {
    if (err instanceof KaihoError) throw err;
    throw readError(file, opts, err);
  } finally {
    closeSync(fd);
  }
}

/** For files handed to a library by path (sharp, pdfkit): the same checks, without reading. */
export function checkRegularFileSync(file: string, opts: ReadOptions): Stats {
  const max = opts.maxBytes ?? MAX_BYTES[opts.kind];
  if (opts.allowedRoots) checkInsideSync(file, opts);
  let fd: number;
  try {
    fd = openSync(file, FLAGS);
  } catch (err) {
    throw readError(file, opts, err);
  }
  try {
    const st = fstatSync(fd);
    checkStat(file, st, max, opts);
    return st;
  } finally {
    closeSync(fd);
  }
}

function checkStat(file: string, st: Stats, max: number, opts: ReadOptions): void {
  if (!st.isFile()) {
    const [whatJa, whatEn] = st.isDirectory()
      ? ["フォルダ", "a folder"]
      : st.isFIFO()
        ? ["名前付きパイプ（FIFO）", "a named pipe (FIFO)"]
        : st.isCharacterDevice() || st.isBlockDevice()
          ? ["デバイス", "a device"]
          : st.isSocket()
            ? ["ソケット", "a socket"]
            : ["普通のファイル以外", "not a regular file"];
    throw fail(
      file,
      opts,
      `${KIND_WORDS[opts.kind][0]} ${file} は${whatJa}で、普通のファイルではありません。`,
      `The ${KIND_WORDS[opts.kind][1]} ${file} is ${whatEn}, not a regular file.`,
      "普通のファイルを指定してください。",
      "Name a regular file.",
    );
  }
  if (st.size > max) throw tooBig(file, st.size, max, opts);
}

function tooBig(file: string, size: number, max: number, opts: ReadOptions): KaihoError {
  return fail(
    file,
    opts,
    `${KIND_WORDS[opts.kind][0]} ${file} が大きすぎます（${formatBytes(size)}、上限 ${formatBytes(max)}）。`,
    `The ${KIND_WORDS[opts.kind][1]} ${file} is too large (${formatBytes(size)}; the limit is ${formatBytes(max)}).`,
    "正しいファイルを指定しているか確かめてください。",
    "Check that this is the right file.",
  );
}

function readError(file: string, opts: ReadOptions, err: unknown): KaihoError {
  const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  const [ja, en] = reasonOf(code);
  return fail(
    file,
    opts,
    `${KIND_WORDS[opts.kind][0]} ${file} を読めません: ${ja}（${code}）。`,
    `Cannot read the ${KIND_WORDS[opts.kind][1]} ${file}: ${en} (${code}).`,
    "ファイルの場所と名前、読み取りの権限を確かめてください。",
    "Check the file's path, name and read permission.",
  );
}

/** Plain words for the errors a read or a write meets. */
export function reasonOf(code: string): [string, string] {
  switch (code) {
    case "ENOENT":
      return ["ファイルがありません", "it does not exist"];
    case "EACCES":
    case "EPERM":
      return ["権限がありません", "permission denied"];
    case "EISDIR":
      return ["フォルダです", "it is a folder"];
    case "ENOTDIR":
      return ["途中の名前がフォルダではありません", "a part of the path is not a folder"];
    case "ENAMETOOLONG":
      return ["名前が長すぎます", "the name is too long"];
    case "ELOOP":
      return ["リンクが循環しています", "the links loop"];
    case "ENOSPC":
      return ["ディスクがいっぱいです", "the disk is full"];
    case "EDQUOT":
      return ["ディスクの使用量の上限に達しました", "the disk quota is used up"];
    case "EROFS":
      return ["読み取り専用の場所です", "the location is read-only"];
    case "EMFILE":
    case "ENFILE":
      return ["開いているファイルが多すぎます", "too many open files"];
    case "EIO":
      return ["ディスクの読み書きでエラーが起きました", "the disk reported an I/O error"];
    default:
      return ["エラーが起きました", "an error occurred"];
  }
}

async function checkInside(file: string, opts: ReadOptions): Promise<void> {
  let real: string;
  try {
    real = await realpath(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT" && opts.missingOk) return;
    throw readError(file, opts, err);
  }
  const roots = await Promise.all(
    (opts.allowedRoots ?? []).map((r) => realpath(r).catch(() => path.resolve(r))),
  );
  insideOrThrow(file, real, roots, opts);
}

function checkInsideSync(file: string, opts: ReadOptions): void {
  let real: string;
  try {
    real = realpathSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT" && opts.missingOk) return;
    throw readError(file, opts, err);
  }
  const roots = (opts.allowedRoots ?? []).map((r) => {
    try {
      return realpathSync(r);
    } catch {
      return path.resolve(r);
    }
  });
  insideOrThrow(file, real, roots, opts);
}

function insideOrThrow(file: string, real: string, roots: string[], opts: ReadOptions): void {
  if (
    roots.some((root) => real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep))
  ) {
    return;
  }
  throw fail(
    file,
    opts,
    `${KIND_WORDS[opts.kind][0]} ${file} はリンクで、プロジェクトの外（${real}）を指しています。`,
    `The ${KIND_WORDS[opts.kind][1]} ${file} is a link to ${real}, outside the project.`,
    "ファイルそのものをプロジェクトのフォルダにコピーしてください。",
    "Copy the file itself into the project folder.",
  );
}

function fail(
  file: string,
  opts: ReadOptions,
  ja: string,
  en: string,
  hintJa: string,
  hintEn: string,
): KaihoError {
  const at = opts.namedAt;
  return new KaihoError({
    severity: "error",
    file: at?.file ?? file,
    ...(at?.line ? { line: at.line } : {}),
    ...(at?.column ? { column: at.column } : {}),
    ...(at?.sourceLine !== undefined ? { sourceLine: at.sourceLine } : {}),
    ja,
    en,
    hintJa: opts.hint ? `${opts.hint.ja}${hintJa}` : hintJa,
    hintEn: opts.hint ? `${opts.hint.en} ${hintEn}` : hintEn,
  });
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${n} B`;
}
