import { randomBytes } from "node:crypto";
import { constants, renameSync, rmSync, writeFileSync } from "node:fs";
import { copyFile, link, lstat, mkdir, open, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { KaihoError } from "../diagnostics.js";
import { reasonOf } from "./read.js";

/** A temporary name beside `file`, unique to this process and call. */
const tmpBeside = (file: string) => `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;

/**
 * One file replaced whole or not at all (a cache entry: no reader ever sees half of it): written beside it and
 * renamed over it; the temporary file is removed when either step fails, and the error is thrown, for a caller
 * whose file only saves time to ignore.
 */
export async function replaceFile(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = tmpBeside(file);
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** `replaceFile`, synchronously (for the caches written at the end of a synchronous step). */
export function replaceFileSync(file: string, data: Uint8Array | string): void {
  const tmp = tmpBeside(file);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** The file operations the writer uses; tests and the fault suite pass failing ones (a full disk, a lost rename). */
export interface WriteIo {
  writeFile(file: string, data: Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
}

export const realIo: WriteIo = {
  async writeFile(file, data) {
    const fh = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
  },
  rename,
};

/**
 * All or nothing: either every file is replaced by its new version or none is. Every target is checked first (a
 * folder in the way, or an output folder that is a file, is an error before anything is written); the new
 * versions are written to temporary files beside them; the old versions are kept (hard links, or copies) until
 * every rename is done, and put back if one fails. No temporary file is left behind either way.
 */
export async function writeAllAtomically(
  files: ReadonlyArray<readonly [string, Uint8Array]>,
  io: WriteIo = realIo,
): Promise<void> {
  await checkTargets(files.map(([f]) => f));

  const tag = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const temps: string[] = [];
  const backups = new Map<string, string>();
  const replaced: string[] = [];
  let current = files[0]?.[0] ?? "output";
  let release: (() => Promise<void>) | undefined;
  try {
    for (const [file, data] of files) {
      current = file;
      const tmp = `${file}.${tag}.tmp`;
      temps.push(tmp);
      await io.writeFile(tmp, data);
    }
    // Two builds of one issue at once: their renames must not interleave, or the set would be half of each.
    release = await lockFolder(path.dirname(files[0]?.[0] ?? "."));
    for (const [file] of files) {
      current = file;
      if (await exists(file)) {
        const bak = `${file}.${tag}.bak`;
        await keepCopy(file, bak);
        backups.set(file, bak);
      }
    }
    for (const [i, [file]] of files.entries()) {
      current = file;
      await io.rename(temps[i] as string, file);
      replaced.push(file);
    }
  } catch (err) {
    // Put back what was there: the last good set stays whole.
    for (const file of replaced.reverse()) {
      const bak = backups.get(file);
      try {
        if (bak) await rename(bak, file);
        else await rm(file, { force: true });
        if (bak) backups.delete(file);
      } catch {
        // The backup stays beside it under its .bak name; the message below says the build failed.
      }
    }
    await Promise.all([...temps, ...backups.values()].map((t) => rm(t, { force: true }).catch(() => {})));
    await release?.();
    throw writeError(current, err);
  }
  await Promise.all([...backups.values()].map((b) => rm(b, { force: true }).catch(() => {})));
  await release?.();
}

const LOCK_NAME = ".kaiho-writing.lock";
/** Renaming a set takes milliseconds; a lock this old was left by a build that died. */
const LOCK_STALE_MS = 30_000;

/** A short exclusive hold on a folder while a set of files is renamed into it. */
async function lockFolder(dir: string): Promise<() => Promise<void>> {
  const lock = path.join(dir, LOCK_NAME);
  for (let waited = 0; ; waited += 20) {
    try {
      const fh = await open(lock, "wx");
      await fh.close();
      return () => rm(lock, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const st = await stat(lock).catch(() => undefined);
      if (st && Date.now() - st.mtimeMs > LOCK_STALE_MS) await rm(lock, { force: true });
      else if (waited > LOCK_STALE_MS) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/**
 * The checks writeAllAtomically makes first, for a build to call before its long work: each file's folder exists
 * (or is made) and is a folder, and no folder stands where a file goes.
 */
export async function checkTargets(files: readonly string[]): Promise<void> {
  for (const dir of new Set(files.map((f) => path.dirname(f)))) await ensureFolder(dir);
  for (const file of files) await checkTarget(file);
}

async function ensureFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    const st = await stat(dir);
    if (st.isDirectory()) return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "EEXIST" && code !== "ENOTDIR") throw writeError(dir, err);
  }
  // Something on the way is a file, not a folder.
  let at = dir;
  for (let up = dir; up !== path.dirname(up); up = path.dirname(up)) {
    const st = await stat(up).catch(() => undefined);
    if (st && !st.isDirectory()) at = up;
  }
  throw new KaihoError({
    severity: "error",
    file: at,
    ja: `出力先のフォルダ ${at} がフォルダではなくファイルになっているため、書き出せません。前回の出力はそのままです。`,
    en: `The output folder ${at} is a file, not a folder, so nothing can be written there. The earlier outputs are unchanged.`,
    hintJa: `そのファイルの名前を変えるか別の場所に移してから、もう一度実行してください（例: mv "${at}" "${at}.old"）。`,
    hintEn: `Rename or move that file, then run again (e.g. mv "${at}" "${at}.old").`,
  });
}

async function checkTarget(file: string): Promise<void> {
  const st = await lstat(file).catch(() => undefined);
  if (st?.isDirectory()) {
    throw new KaihoError({
      severity: "error",
      file,
      ja: `出力するファイル ${file} と同じ名前のフォルダがあるため、書き出せません。どの出力ファイルも置き換えていません。`,
      en: `A folder named ${file} is where an output file goes, so nothing was written. No output file was replaced.`,
      hintJa: "そのフォルダの名前を変えるか別の場所に移してから、もう一度実行してください。",
      hintEn: "Rename or move that folder, then run again.",
    });
  }
}

async function exists(file: string): Promise<boolean> {
  return (await lstat(file).catch(() => undefined)) !== undefined;
}

/** The old version kept under another name: a hard link costs nothing; a copy where links are not possible. */
async function keepCopy(file: string, bak: string): Promise<void> {
  try {
    await link(file, bak);
  } catch {
    await copyFile(file, bak);
  }
}

export function writeError(file: string, err: unknown): KaihoError {
  if (err instanceof KaihoError) return err;
  const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  const [ja, en] = reasonOf(code);
  const busy = code === "EBUSY" || code === "EPERM";
  return new KaihoError({
    severity: "error",
    file,
    ja: `${file} を書き込めませんでした: ${ja}（${code}）。出力ファイルはどれも前回のままです。`,
    en: `Could not write ${file}: ${en} (${code}). Every output file is as it was before.`,
    hintJa: busy
      ? "ファイルをビューアーで開いている場合は閉じてから、もう一度実行してください。"
      : code === "ENOSPC" || code === "EDQUOT"
        ? "ディスクの空きを作ってから、もう一度実行してください。"
        : "そのフォルダに書き込めるか（権限、読み取り専用でないか、名前の長さ）を確かめてから、もう一度実行してください。",
    hintEn: busy
      ? "If the file is open in a viewer, close it and run again."
      : code === "ENOSPC" || code === "EDQUOT"
        ? "Free some disk space and run again."
        : "Check that the folder is writable (permissions, not read-only, name length), then run again.",
  });
}

/** A cache that cannot be written is named as such: the message must not send the editor looking elsewhere. */
export function cacheError(dir: string, e: unknown): KaihoError {
  const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  const [ja, en] = reasonOf(code);
  return new KaihoError({
    severity: "error",
    file: dir,
    ja: `作業用のキャッシュ ${dir} に書き込めません: ${ja}（${code}）。`,
    en: `Cannot write the working cache ${dir}: ${en} (${code}).`,
    hintJa:
      code === "ENOSPC" || code === "EDQUOT"
        ? "ディスクの空きを作ってから、もう一度実行してください（.cache フォルダは消しても次の実行で作り直されます）。"
        : ".cache フォルダに書き込めるか確かめてください。中身は消しても次の実行で作り直されます。",
    hintEn:
      code === "ENOSPC" || code === "EDQUOT"
        ? "Free some disk space and run again (the .cache folder may be deleted; it is made again)."
        : "Check that the .cache folder is writable; its contents may be deleted and are made again.",
  });
}
