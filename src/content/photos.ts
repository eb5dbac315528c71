import { type Dirent, promises as fs } from "node:fs";
import path from "node:path";
import type { Diagnostic, Warnings } from "../diagnostics.js";
import type { PhotoRef, SourcePosition } from "./issue.js";
import { uprightSize } from "./photo-header.js";
import type { IssueDoc } from "./schema.js";
import { didYouMean } from "./suggest.js";

/** A photo named in the issue, before its file is found. */
export interface PhotoSite {
  path: string;
  src: string;
  caption?: string;
}

/**
 * Every photo of the issue (the logo first), in document order. Where and how large each is placed is decided
 * once, by the layout stage (src/layout/photos.ts); the images stage then resizes to exactly that size.
 * Read from data the schema may have refused, so that a missing photo is reported in the same run as the
 * schema's problems: whatever is not shaped like a photo is passed over (the schema has said why).
 */
export function photoSites(doc: IssueDoc | unknown): PhotoSite[] {
  const sites: PhotoSite[] = [];
  if (!isObject(doc)) return sites;
  if (typeof doc.logo === "string") sites.push({ path: "logo", src: doc.logo });
  if (!Array.isArray(doc.blocks)) return sites;
  doc.blocks.forEach((block: unknown, i) => {
    if (isObject(block) && Array.isArray(block.row)) {
      block.row.forEach((cell: unknown, j) => {
        leafSites(cell, `blocks[${i}].row[${j}]`, sites);
      });
    } else {
      leafSites(block, `blocks[${i}]`, sites);
    }
  });
  return sites;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function leafSites(block: unknown, at: string, sites: PhotoSite[]): void {
  if (!isObject(block)) return;
  for (const kind of ["article", "corner"] as const) {
    const body = block[kind];
    if (!isObject(body) || !Array.isArray(body.photos)) continue;
    body.photos.forEach((p: unknown, k) => {
      if (!isObject(p) || typeof p.src !== "string" || p.src.trim() === "") return;
      sites.push({
        path: `${at}.${kind}.photos[${k}]`,
        src: p.src,
        ...(typeof p.caption === "string" ? { caption: p.caption } : {}),
      });
    });
  }
}

/**
 * The photo's pixel size once turned upright, read from its header (cheap: no decoding); sharp is asked only for
 * formats whose header does not say. Undefined for a file that cannot be read: the images stage reports why.
 */
async function probeSize(file: string): Promise<{ width: number; height: number } | undefined> {
  const bytes = await fs.readFile(file).catch(() => undefined);
  if (!bytes) return undefined;
  const fromHeader = uprightSize(bytes);
  if (fromHeader) return fromHeader;
  try {
    const { default: sharp } = await import("sharp");
    const meta = await sharp(bytes).metadata();
    const upright = meta.autoOrient ?? { width: meta.width, height: meta.height };
    return upright.width && upright.height ? { width: upright.width, height: upright.height } : undefined;
  } catch {
    return undefined;
  }
}

export interface ResolveContext {
  /** Absolute issue folder. */
  dir: string;
  /** Absolute project root. */
  root: string;
  /** File name for messages. */
  file: string;
  lines: string[];
  /** Position of a schema path (the photo's `src`). */
  locate(path: string): SourcePosition | undefined;
  warnings: Warnings;
}

/**
 * Finds each photo's file: beside issue.yaml first, then in the shared `<root>/images/`. Absolute paths and paths
 * that lead out of those folders (`..`, or a symlink pointing elsewhere) are refused, so an issue folder stays
 * self-contained and copyable. Returns refs, or the problems found (all of them).
 */
export async function resolvePhotos(
  sites: PhotoSite[],
  ctx: ResolveContext,
): Promise<{ photos: PhotoRef[]; problems: Diagnostic[] }> {
  const photos: PhotoRef[] = [];
  const problems: Diagnostic[] = [];
  const imagesDir = path.join(ctx.root, "images");
  for (const site of sites) {
    const srcPath = site.path === "logo" ? "logo" : `${site.path}.src`;
    const position = ctx.locate(srcPath);
    const place = {
      ...(position
        ? { line: position.line, column: position.column, sourceLine: ctx.lines[position.line - 1] }
        : {}),
    };
    const fail = (ja: string, en: string, hintJa: string, hintEn: string) => {
      problems.push({ severity: "error", file: ctx.file, ...place, ja, en, hintJa, hintEn });
    };

    const src = site.src.trim().replace(/\\/g, "/");
    if (
      path.posix.isAbsolute(src) ||
      /^[A-Za-z]:\//.test(src) ||
      src.startsWith("//") ||
      /^[a-z]+:/i.test(src)
    ) {
      fail(
        `写真「${site.src}」が絶対パス（場所をすべて書いた形）になっています。`,
        `The photo "${site.src}" is given as an absolute path.`,
        "写真を issue.yaml と同じフォルダに入れて、ファイル名だけを書いてください（例: src: photo1.jpg）。",
        "Put the photo in the issue folder and write only its file name (e.g. src: photo1.jpg).",
      );
      continue;
    }
    const inIssue = path.resolve(ctx.dir, src);
    if (!isInside(ctx.dir, inIssue)) {
      fail(
        `写真「${site.src}」は issue フォルダの外を指しています（「..」は使えません）。`,
        `The photo "${site.src}" points outside the issue folder ("..") — not allowed.`,
        "写真を issue.yaml と同じフォルダ（共通のものは images/）にコピーして、ファイル名だけを書いてください。",
        "Copy the photo into the issue folder (or images/ for shared ones) and write only its file name.",
      );
      continue;
    }

    let found: { file: string; base: string } | undefined;
    for (const base of [ctx.dir, imagesDir]) {
      const candidate = path.resolve(base, src);
      if (!isInside(base, candidate)) continue;
      const stat = await fs.stat(candidate).catch(() => undefined);
      if (stat?.isFile()) {
        found = { file: candidate, base };
        break;
      }
    }

    if (!found) {
      const near = await nearestName(ctx.dir, path.posix.basename(src));
      const issueFolder = path.relative(ctx.root, ctx.dir) || ctx.dir;
      fail(
        `写真ファイル「${site.src}」が見つかりません。${near ? `もしかして「${near}」？` : ""}`,
        `Photo file "${site.src}" not found.${near ? ` Did you mean "${near}"?` : ""}`,
        `${issueFolder}/ に写真を置くか、ファイル名（大文字・小文字、.jpg と .jpeg の違いも）を確かめてください。ロゴなど共通の画像は images/ に置けます。`,
        `Put the photo in ${issueFolder}/ or fix the file name (case and .jpg vs .jpeg matter). Shared images can go in images/.`,
      );
      continue;
    }

    // A symlink (or a folder link) may lead elsewhere even when the name looks local.
    const real = await fs.realpath(found.file);
    const realBase = await fs.realpath(found.base);
    if (!isInside(realBase, real)) {
      fail(
        `写真「${site.src}」はリンク（シンボリックリンク）で issue フォルダの外を指しています。`,
        `The photo "${site.src}" is a link pointing outside its folder.`,
        "リンクではなく、写真そのものをフォルダにコピーしてください。",
        "Copy the photo itself into the folder instead of linking to it.",
      );
      continue;
    }
    await warnOnCase(found.file, site.src, ctx, place);
    const size = await probeSize(found.file);

    photos.push({
      path: site.path,
      src: site.src,
      file: found.file,
      ...(size ? { pixelWidth: size.width, pixelHeight: size.height } : {}),
      ...(site.caption !== undefined ? { caption: site.caption } : {}),
      ...(position ? { position } : {}),
    });
  }
  return { photos, problems };
}

function isInside(base: string, target: string): boolean {
  const rel = path.relative(base, target);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
}

async function listFiles(dir: string): Promise<string[]> {
  const entries: Dirent[] = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

async function nearestName(dir: string, name: string): Promise<string | undefined> {
  const files = (await listFiles(dir)).filter((f) => f !== "issue.yaml");
  const sameIgnoringCase = files.find((f) => f.toLowerCase() === name.toLowerCase());
  return sameIgnoringCase ?? didYouMean(name, files);
}

/**
 * On Windows and macOS `Photo1.JPG` also opens as `photo1.jpg`, on Linux (and many print-shop servers) it does not:
 * warn so the issue builds everywhere.
 */
async function warnOnCase(
  file: string,
  src: string,
  ctx: ResolveContext,
  place: Partial<Pick<Diagnostic, "line" | "column" | "sourceLine">>,
): Promise<void> {
  const actual = (await listFiles(path.dirname(file))).find(
    (f) => f.toLowerCase() === path.basename(file).toLowerCase(),
  );
  if (actual !== undefined && actual !== path.basename(file)) {
    ctx.warnings.add(
      ctx.file,
      `写真「${src}」の実際のファイル名は「${actual}」です（大文字・小文字が違います）。`,
      `The photo "${src}" is actually named "${actual}" (different case).`,
      {
        ...place,
        hintJa: "ほかのパソコンでも見つかるよう、ファイル名をそろえてください。",
        hintEn: "Use the exact file name so the issue builds on every computer.",
      },
    );
  }
}
