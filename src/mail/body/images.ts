import { createHash } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Issue } from "../../content/index.js";
import { sniff } from "../../content/photo-header.js";
import { errorAt, type Warnings } from "../../diagnostics.js";
import { readBounded } from "../../fsx/read.js";
import { replaceFile } from "../../fsx/write.js";
import { decodeHeic } from "../../images/heic.js";
import { sharp } from "../../images/sharp.js";
import type { MailImage } from "./model.js";

/**
 * The issue's photos as the email shows them: JPEG, upright, at most 600 px wide (a phone shows them about 350
 * CSS px wide, so this is sharp on a 2× screen), metadata (GPS, camera) left out, grey for a grey theme. Each is
 * made once and kept in `<cacheDir>/<hash>.jpg`, the hash covering the original's bytes and every setting here,
 * so a second `kaiho send` of the issue reads them back instead of decoding the photos again.
 */

export const MAIL_PHOTO_WIDTH = 600;
const LOGO_WIDTH = 240;
const QUALITY = 72;
/** Bump when what is written changes, so old cache entries are not used. */
const VERSION = 2;

export async function mailImages(
  issue: Issue,
  opts: { cacheDir: string; warnings: Warnings },
): Promise<Map<string, MailImage>> {
  const images = new Map<string, MailImage>();
  const grey = issue.theme.photos === "grayscale";
  let n = 0;
  for (const ref of issue.photos) {
    const isLogo = ref.path === "logo";
    const name = isLogo ? "logo" : `photo-${++n}`;
    try {
      const read = await readBounded(ref.file, { kind: "photo" });
      // sharp has no HEVC decoder: an iPhone photo goes through the same decoder the build uses (images/heic.ts).
      const original = sniff(read).kind === "heic" ? (await decodeHeic(read)).png : read;
      const width = isLogo ? LOGO_WIDTH : MAIL_PHOTO_WIDTH;
      const made = await cachedResize(original, { width, grey }, opts.cacheDir);
      images.set(ref.path, {
        cid: `${name}@kaiho`,
        filename: `${issue.id}-${name}.jpg`,
        content: made.data,
        contentType: "image/jpeg",
        width: made.width,
        height: made.height,
      });
    } catch (err) {
      // The build checked every photo; one that fails now (changed since, or a format only the build decodes)
      // is left out of the message rather than stopping the sending. Its caption stays.
      const position = issue.locate(`${ref.path}${isLogo ? "" : ".src"}`);
      opts.warnings.add(
        path.relative(issue.root, issue.file) || issue.file,
        `写真「${ref.src}」をメール用に縮小できないため、メール本文から省きます（${errorText(err)}）。`,
        `The photo "${ref.src}" cannot be resized for the email and is left out of the message body (${errorText(err)}).`,
        position ? { line: position.line, column: position.column } : {},
      );
    }
  }
  return images;
}

/** The page-1 picture (`output/<id>-page1.png`, 1200 px) made 600 px wide for the message. */
export async function previewImage(file: string, issueId: string, cacheDir: string): Promise<MailImage> {
  const original = await readBounded(file, { kind: "image", missingOk: true });
  if (!original) {
    throw errorAt(
      file,
      "email.preview: true ですが、1 ページ目の画像がありません。",
      "email.preview is true but the page-1 picture does not exist.",
      {
        hintJa: "先に kaiho build でこの号を作ってください（1 ページ目の画像も作られます）。",
        hintEn: "Build the issue first with kaiho build (it writes the page-1 picture).",
      },
    );
  }
  const made = await cachedResize(original, { width: MAIL_PHOTO_WIDTH, grey: false }, cacheDir);
  return {
    cid: "page1@kaiho",
    filename: `${issueId}-page1.jpg`,
    content: made.data,
    contentType: "image/jpeg",
    width: made.width,
    height: made.height,
  };
}

interface Made {
  data: Buffer;
  width: number;
  height: number;
}

async function cachedResize(
  original: Buffer,
  params: { width: number; grey: boolean },
  cacheDir: string,
): Promise<Made> {
  const key = createHash("sha256")
    .update(JSON.stringify({ v: VERSION, quality: QUALITY, ...params }))
    .update(original)
    .digest("hex");
  const file = path.join(cacheDir, `${key}.jpg`);
  const cached = await readFile(file).catch(() => undefined);
  if (cached) {
    const meta = await sharp(cached)
      .metadata()
      .catch(() => undefined);
    if (meta?.width && meta.height) return { data: cached, width: meta.width, height: meta.height };
  }
  let pipeline = sharp(original, { failOn: "none" })
    .rotate()
    .resize({ width: params.width, withoutEnlargement: true })
    // A transparent PNG (a logo) on white, as the page shows it, not on black.
    .flatten({ background: "#ffffff" });
  // One channel: grey as the screen edition shows it, and a third of the bytes.
  if (params.grey) pipeline = pipeline.grayscale().toColourspace("b-w");
  const { data, info } = await pipeline
    .jpeg({ quality: QUALITY, progressive: true })
    .toBuffer({ resolveWithObject: true });
  await store(file, data);
  return { data, width: info.width, height: info.height };
}

/** Written whole or not at all; a cache that cannot be written (read-only, full) only costs the next run time. */
async function store(file: string, data: Buffer): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await replaceFile(file, data);
  } catch {
    // Only time is lost: the next run makes it again.
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? (err.message.split("\n")[0] ?? String(err)) : String(err);
}
