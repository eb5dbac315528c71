import { mkdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { join, sep } from "node:path";
import type { Issue, PhotoRef } from "../content/issue.js";
import { type Diagnostic, KaihoError, type Warnings } from "../diagnostics.js";
import { replaceFile } from "../fsx/write.js";
import { type CacheEntry, cacheKey, contentHash, FORMAT_VERSION, ImageCache } from "./cache.js";
import {
  damagedWarning,
  lowDpiWarning,
  PhotoProblem,
  problemDiagnostic,
  refuseByHeader,
} from "./diagnose.js";
import { openOriginal, openOriginalHead, originalHash } from "./original.js";
import type { PlacedSize, PreparedImages, PreparedPhoto } from "./prepared.js";
import type { Processed, ProcessParams } from "./process.js";

export type { PlacedSize, PreparedImages, PreparedPhoto } from "./prepared.js";

/** Print shops ask for 300-350 dpi at the placed size. */
export const DEFAULT_DPI = 350;
/** Below this (at the default dpi) a photo prints visibly coarse. */
export const LOW_DPI = 200;
export const JPEG_QUALITY = 85;

/** Which version of the photos: resolution, JPEG quality and colour (the editions each want their own). */
export interface PhotoVersion {
  /** Target resolution at the placed size (default 350; an email edition may ask for less). */
  dpi?: number;
  /** JPEG quality (default 85; the email edition lowers it to meet its size budget). */
  quality?: number;
  /** Colour of the processed photos: sRGB (default) or CMYK for the print edition. */
  colour?: "srgb" | "cmyk";
  /** With `colour: "cmyk"`: the print shop's profile file to convert with (default: libvips' built-in). */
  cmykProfile?: string;
}

export interface PrepareImagesOptions extends PhotoVersion {
  /** The project's cache folder; processed photos go to `<cacheDir>/images/`. */
  cacheDir: string;
  warnings: Warnings;
  /**
   * Warn below this effective resolution. Default 200 dpi, scaled down with `dpi` when that is lower
   * (200/350 of it), so a screen edition does not warn about every photo.
   */
  minDpi?: number;
  /** How many photos are decoded at once (default: up to 4, fewer on small machines). */
  concurrency?: number;
  /**
   * Other versions the build will ask for next (the editions'): a photo that has to be decoded is made in these
   * too, from the same decode, and they go to the cache, where the next prepareImages finds them.
   */
  alsoMake?: PhotoVersion[];
}

/**
 * The images stage: every photo the layout placed, upright, resized to exactly its placed size × dpi (never
 * enlarged), sRGB JPEG without metadata, cached by content and target size. `placed` is the layout's
 * (LaidOutIssue.photos): the one place photo sizes are decided. Throws one KaihoError listing every photo that
 * cannot be used; adds a warning for each photo below the minimum resolution.
 */
export async function prepareImages(
  issue: Issue,
  placed: ReadonlyMap<string, PlacedSize>,
  opts: PrepareImagesOptions,
): Promise<PreparedImages> {
  const dpi = opts.dpi ?? DEFAULT_DPI;
  if (!(dpi > 0)) throw new Error(`prepareImages: dpi must be positive, got ${dpi}`);
  const wanted = await versionOf(issue, opts);
  const others = await Promise.all((opts.alsoMake ?? []).map((v) => versionOf(issue, v)));
  const minDpi = opts.minDpi ?? Math.min(LOW_DPI, (dpi * LOW_DPI) / DEFAULT_DPI);
  const cache = new ImageCache(opts.cacheDir);
  const inFlight = new Map<string, Promise<CacheEntry>>();
  const damaged = new Set<string>();

  const prepareOne = async (ref: PhotoRef, size: PlacedSize): Promise<PreparedPhoto> => {
    const { widthPt } = size;
    if (!(widthPt > 0 && Number.isFinite(widthPt))) {
      throw new Error(`prepareImages: ${ref.path} has no usable widthPt (${widthPt})`);
    }
    const hash = await originalHash(ref.file, opts.cacheDir);
    const target = sized(wanted, size, hash);
    const { key } = target;
    let pending = inFlight.get(key);
    if (!pending) {
      pending = (async () => {
        const hit = await cache.read(key);
        if (hit) return hit;
        // The other versions not yet in the cache are made from the same decode.
        const missing: Sized[] = [target];
        for (const other of others.map((v) => sized(v, size, hash))) {
          if (missing.some((m) => m.key === other.key)) continue;
          if (!(await cache.read(other.key))) missing.push(other);
        }
        return (await decoding(() => make(ref.file, missing, cache)))[0] as CacheEntry;
      })();
      inFlight.set(key, pending);
      // A failure is not cached, in memory either: the retry below must run the photo again.
      pending.catch(() => inFlight.delete(key));
    }
    const entry = await pending;
    if (entry.damaged) damaged.add(ref.path);
    return {
      ref,
      file: cache.imagePath(key),
      format: entry.format,
      pixelWidth: entry.pixelWidth,
      pixelHeight: entry.pixelHeight,
      widthPt,
      // Without a height from the layout: the upright original's ratio, not the rounded pixel sizes.
      heightPt: size.heightPt ?? widthPt * (entry.uprightHeight / entry.uprightWidth),
      dpi: entry.pixelWidth / (widthPt / 72),
      maxInk: entry.maxInk,
    };
  };

  type Outcome = { ok: true; photo: PreparedPhoto } | { ok: false; problem: PhotoProblem };
  const attempt = async (ref: PhotoRef): Promise<Outcome> => {
    try {
      return { ok: true, photo: await prepareOne(ref, placed.get(ref.path) as PlacedSize) };
    } catch (err) {
      if (err instanceof PhotoProblem) return { ok: false, problem: err };
      throw err;
    }
  };
  const limit = opts.concurrency ?? Math.max(1, Math.min(4, availableParallelism()));
  // A photo the layout did not place (there is none today) is not drawn, so it is not prepared either.
  const refs = issue.photos.filter((ref) => placed.has(ref.path));
  const results = await mapLimit(refs, limit, attempt);
  // libvips has one error buffer per process: a photo that failed while others were decoding may carry another's
  // message. Failures are rare, so try each again alone, which gives every photo its own, reliable message.
  if (limit > 1) {
    for (const [i, r] of results.entries()) {
      const ref = refs[i];
      if (!r.ok && r.problem.detail.fromSharp && ref) results[i] = await attempt(ref);
    }
  }

  const errors: Diagnostic[] = [];
  const photos = new Map<string, PreparedPhoto>();
  for (const [i, r] of results.entries()) {
    const ref = refs[i];
    if (!r.ok) {
      if (ref) errors.push(problemDiagnostic(issue, ref, r.problem));
      continue;
    }
    photos.set(r.photo.ref.path, r.photo);
    if (damaged.has(r.photo.ref.path)) {
      const w = damagedWarning(issue, r.photo.ref);
      opts.warnings.add(issue.file, w.ja, w.en, w);
    }
    if (r.photo.dpi < minDpi) {
      const w = lowDpiWarning(issue, r.photo.ref, r.photo.widthPt, r.photo.dpi, Math.round(minDpi), dpi);
      opts.warnings.add(issue.file, w.ja, w.en, w);
    }
  }
  if (errors.length > 0) throw new KaihoError(errors);
  return { photos };
}

/** A version with its defaults filled in, for one issue. */
interface Version {
  dpi: number;
  quality: number;
  colour: "srgb" | "cmyk";
  /** A grey theme (mono) gets grey photos in every edition: K only in print, and what a copier will show on screen. */
  grayscale: boolean;
  cmykProfile?: string;
  /** sha256 of the shop's CMYK profile (part of the cache key). */
  profile?: string;
}

async function versionOf(issue: Issue, v: PhotoVersion): Promise<Version> {
  const colour = v.colour ?? "srgb";
  const grayscale = issue.theme.photos === "grayscale";
  const cmykProfile = colour === "cmyk" && !grayscale ? v.cmykProfile : undefined;
  return {
    dpi: v.dpi ?? DEFAULT_DPI,
    quality: v.quality ?? JPEG_QUALITY,
    colour,
    grayscale,
    ...(cmykProfile ? { cmykProfile, profile: contentHash(await readFile(cmykProfile)) } : {}),
  };
}

interface Sized {
  key: string;
  params: ProcessParams;
  /** The bigger version this one is made from (the screen version, for the email edition's smaller ones). */
  source?: Sized;
}

/**
 * Makes `versions` of one photo and writes them to the cache: those from the original from one decode of it,
 * the smaller ones from their bigger version's JPEG (made now too when it is not in the cache).
 */
async function make(file: string, versions: Sized[], cache: ImageCache): Promise<CacheEntry[]> {
  const direct = versions.filter((v) => !v.source);
  const sources = new Map<string, Processed>();
  for (const v of versions) {
    const s = v.source;
    if (!s || sources.has(s.key) || direct.some((d) => d.key === s.key)) continue;
    const hit = await cache.read(s.key);
    if (hit) sources.set(s.key, { ...hit, data: await readFile(cache.imagePath(s.key)) });
    else direct.push(s);
  }
  // Loaded only when a photo really has to be processed: a warm build reads the cache and never needs sharp.
  const { processVersions, smallerVersion } = await import("./process.js");
  const made = new Map<string, Processed>();
  if (direct.length) {
    const outs = await processVersions(
      await openOriginal(file),
      direct.map((v) => v.params),
    );
    for (const [i, v] of direct.entries()) made.set(v.key, outs[i] as Processed);
  }
  for (const v of versions) {
    if (!v.source) continue;
    const bigger = made.get(v.source.key) ?? sources.get(v.source.key);
    if (!bigger) throw new Error(`prepareImages: no ${v.source.key} to make ${v.key} from`);
    made.set(v.key, await smallerVersion(bigger, v.params));
  }
  const entries: CacheEntry[] = [];
  for (const [key, out] of made) {
    const entry: CacheEntry = {
      version: FORMAT_VERSION,
      key,
      format: "jpeg",
      pixelWidth: out.pixelWidth,
      pixelHeight: out.pixelHeight,
      uprightWidth: out.uprightWidth,
      uprightHeight: out.uprightHeight,
      sourceFormat: out.sourceFormat,
      damaged: out.damaged,
      maxInk: out.maxInk,
      bytes: out.data.length,
    };
    await cache.write(entry, out.data);
    entries.push(entry);
  }
  // In the order asked.
  return versions.map((v) => entries.find((e) => e.key === v.key) as CacheEntry);
}

/**
 * A version of one photo at its placed size: its cache key and what processing makes it. A version smaller than
 * the screen's (the email edition's) is made from the screen version's JPEG: a small decode instead of the
 * original's, and the email edition's budget steps each cost that little.
 */
function sized(v: Version, size: PlacedSize, hash: string): Sized {
  const source =
    v.dpi < DEFAULT_DPI && v.colour === "srgb"
      ? sized({ ...v, dpi: DEFAULT_DPI, quality: JPEG_QUALITY }, size, hash)
      : undefined;
  const width = Math.max(1, Math.round((size.widthPt / 72) * v.dpi));
  const height =
    size.heightPt !== undefined ? Math.max(1, Math.round((size.heightPt / 72) * v.dpi)) : undefined;
  const key = cacheKey(hash, {
    width,
    ...(height !== undefined ? { height } : {}),
    dpi: v.dpi,
    quality: v.quality,
    colour: v.colour,
    ...(v.profile && !v.grayscale ? { profile: v.profile } : {}),
    ...(v.grayscale ? { grayscale: true as const } : {}),
    ...(source ? { from: source.key } : {}),
  });
  return {
    key,
    ...(source ? { source } : {}),
    params: {
      width,
      ...(height !== undefined ? { height } : {}),
      quality: v.quality,
      colour: v.colour,
      cmykProfile: v.cmykProfile,
      grayscale: v.grayscale,
    },
  };
}

/** What checkPhotoFiles reads of each photo: EXIF and the other segments before a JPEG's frame header fit. */
const HEAD_BYTES = 256 * 1024;

/**
 * The photo problems a file's header shows (missing, empty, HEIC, video, unsupported format, pixel bomb), found
 * without decoding and without the layout: the build runs this beside the fonts, so an editor hears of a bad photo
 * at once rather than after the pages are laid out. Decoding problems are still found by prepareImages.
 */
export async function checkPhotoFiles(issue: Issue): Promise<void> {
  const errors: Diagnostic[] = [];
  for (const ref of issue.photos) {
    try {
      // The header is enough to decide (a JPEG's size is in its frame header, before the image data); the whole
      // file is read only when the first bytes do not tell the size.
      const { head, size } = await openOriginalHead(ref.file, HEAD_BYTES);
      const sniffed = refuseByHeader(head);
      if (head.length < size && !(sniffed.width && sniffed.height))
        refuseByHeader(await openOriginal(ref.file));
    } catch (err) {
      if (!(err instanceof PhotoProblem)) throw err;
      errors.push(problemDiagnostic(issue, ref, err));
    }
  }
  if (errors.length > 0) throw new KaihoError(errors);
}

/**
 * At most one photo per core is decoded at once in the whole process: the editions prepare their photos side by
 * side (email and print at once), and each decode of a 3000×2000 original holds tens of MB, so without a shared
 * limit a cold build held four at a time on two cores, for no speed and a higher peak of memory.
 */
const decodeSlots = {
  free: Math.max(1, Math.min(4, availableParallelism())),
  waiting: [] as Array<() => void>,
};

async function decoding<T>(fn: () => Promise<T>): Promise<T> {
  if (decodeSlots.free > 0) decodeSlots.free--;
  else await new Promise<void>((resolve) => decodeSlots.waiting.push(resolve));
  try {
    return await fn();
  } finally {
    const next = decodeSlots.waiting.shift();
    if (next) next();
    else decodeSlots.free++;
  }
}

/** Runs `fn` over `items` with at most `limit` at a time; results keep the order of `items`. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

let cmykProfileBytes: Promise<Uint8Array> | undefined;

/**
 * The CMYK profile photos are converted with (`colour: "cmyk"`): libvips' built-in output profile ("Chemical
 * proof", made with ArgyllCMS by Graeme Gill and released into the public domain). The print edition declares
 * the same profile as its output intent, so the shop's RIP reads the photos' CMYK as they were made. Kept in
 * the cache folder per sharp version, so a warm build does not start libvips for it.
 */
export function cmykProfile(cacheDir: string): Promise<Uint8Array> {
  cmykProfileBytes ??= (async () => {
    // sharp's exports do not include its package.json: read it beside the resolved entry point.
    const entry = createRequire(import.meta.url).resolve("sharp");
    const root = entry.slice(0, entry.lastIndexOf(`${sep}sharp${sep}`) + 7);
    const { version } = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { version: string };
    const file = join(cacheDir, `cmyk-profile-sharp-${version}.icc`);
    try {
      return new Uint8Array(await readFile(file));
    } catch {
      const { sharp } = await import("./sharp.js");
      const jpeg = await sharp({ create: { width: 1, height: 1, channels: 3, background: "#ffffff" } })
        .withIccProfile("cmyk", { attach: true })
        .jpeg()
        .toBuffer();
      const icc = (await sharp(jpeg).metadata()).icc;
      if (!icc) throw new Error("libvips did not attach its CMYK profile");
      await mkdir(cacheDir, { recursive: true });
      await replaceFile(file, icc);
      return new Uint8Array(icc);
    }
  })();
  return cmykProfileBytes;
}
