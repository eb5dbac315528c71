import { createHash } from "node:crypto";
import { mkdir, open, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { replaceFile } from "../fsx/write.js";
import { contentHash } from "./cache.js";
import { PhotoProblem } from "./diagnose.js";

/**
 * An editor's original photo: the one place it is opened (every decoding path starts here), and its content
 * hash, worked out once per file version. The hash keys every processed version in the cache; hashing a
 * 3000×2000 JPEG means reading all of it, and a build asks for each photo's hash once per edition. So the hash
 * is remembered by path, size and modification time, in this process and in `<cacheDir>/originals/`, and a warm
 * build reads no original at all. A file changed in any way gets a new size or time, so a new entry (as make and
 * git judge a file changed).
 */

export async function openOriginal(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    throw readProblem(err);
  }
}

/**
 * The first `bytes` of an original (all of it when shorter): what its header says is there, for a check that
 * must not read every photo of a long issue in full.
 */
export async function openOriginalHead(file: string, bytes: number): Promise<{ head: Buffer; size: number }> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(file, "r");
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(size, bytes));
    let filled = 0;
    while (filled < head.length) {
      const { bytesRead } = await handle.read(head, filled, head.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return { head: head.subarray(0, filled), size };
  } catch (err) {
    throw readProblem(err);
  } finally {
    await handle?.close();
  }
}

const known = new Map<string, Promise<string>>();

/** The sha256 of `file`'s bytes (as contentHash), from memory or the cache folder when the file is unchanged. */
export async function originalHash(file: string, cacheDir: string): Promise<string> {
  let s: Awaited<ReturnType<typeof stat>>;
  try {
    s = await stat(file, { bigint: true });
  } catch (err) {
    throw readProblem(err);
  }
  if (s.isDirectory()) throw new PhotoProblem("unsupported", { cause: "folder" });
  const version = `${file}\u0000${s.size}\u0000${s.mtimeNs}\u0000${s.ino}`;
  let hash = known.get(version);
  if (!hash) {
    hash = lookUp(version, file, cacheDir);
    known.set(version, hash);
    // A failure is not remembered: the next call tries again (and says why).
    hash.catch(() => known.delete(version));
  }
  return hash;
}

async function lookUp(version: string, file: string, cacheDir: string): Promise<string> {
  const dir = join(cacheDir, "originals");
  const entry = join(dir, `${createHash("sha256").update(version).digest("hex")}.txt`);
  const stored = await readFile(entry, "utf8").catch(() => "");
  if (/^[0-9a-f]{64}$/.test(stored)) return stored;
  const hash = contentHash(await openOriginal(file));
  // Only a speed-up: a cache folder that cannot be written leaves the build as it was.
  await mkdir(dir, { recursive: true })
    .then(() => replaceFile(entry, hash))
    .catch(() => {});
  return hash;
}

function readProblem(err: unknown): PhotoProblem {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "ENOENT" || code === "ENOTDIR") return new PhotoProblem("missing");
  if (code === "EISDIR") return new PhotoProblem("unsupported", { cause: "folder" });
  return new PhotoProblem("unreadable", { cause: (err as Error).message });
}
