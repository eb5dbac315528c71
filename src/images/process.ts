import type { Sharp } from "sharp";
import type { Sniffed } from "../content/photo-header.js";
import { classifySharpError, PhotoProblem, refuseByHeader } from "./diagnose.js";
import { decodeHeic } from "./heic.js";
import { sharp } from "./sharp.js";

// libvips keeps recent operations and their pixels for reuse (50 MB by default); a build never asks for the
// same operation twice (each result is cached on disk), so that memory only raised the peak.
sharp.cache(false);

export interface ProcessParams {
  /** Target width in pixels; the photo is never enlarged beyond its own width. */
  width: number;
  /**
   * Target height in pixels (the layout's height × dpi). The layout keeps each photo's aspect ratio, so this only
   * trims the rounding of a pixel; when the photo is smaller than the target, both shrink in proportion.
   */
  height?: number;
  quality: number;
  /** `srgb` for screens; `cmyk` for the print edition. */
  colour: "srgb" | "cmyk";
  /** The CMYK output profile to convert with (a file path); libvips' built-in one when absent. */
  cmykProfile?: string;
  /**
   * A one-channel grey JPEG for office copiers and risograph, whatever `colour` says (grey is K only in print):
   * levels stretched, shadows opened and highlights kept off paper white, so a copier neither fills the dark
   * parts in nor loses the light ones.
   */
  grayscale?: boolean;
}

export interface Processed {
  data: Buffer;
  pixelWidth: number;
  pixelHeight: number;
  /** Size of the original after EXIF orientation, before resizing. */
  uprightWidth: number;
  uprightHeight: number;
  sourceFormat: string;
  /** The decoder complained but could finish: the editor is asked to look at the photo in the PDF. */
  damaged: boolean;
  /** For CMYK output: the highest total ink (C+M+Y+K) of any pixel, in percent. */
  maxInk?: number;
}

/**
 * One photo, from the original's bytes to a print-ready JPEG: upright (EXIF orientation applied), no wider than
 * `width`, sRGB 8-bit (CMYK through its embedded profile, 16-bit reduced, alpha flattened over white), and no
 * metadata at all (sharp writes none unless asked: no EXIF, GPS, XMP or ICC profile reaches the PDF).
 *
 * Throws a PhotoProblem for anything the editor must fix.
 */
export async function processPhoto(input: Buffer, params: ProcessParams): Promise<Processed> {
  const [one] = await processVersions(input, [params]);
  return one as Processed;
}

/**
 * Several versions of one photo (each edition's size and colour) from one decode, in the order asked: the
 * original is decoded and resized once, to the largest version, and every version is encoded from those pixels;
 * a smaller one is resized from them. Decoding a 3000×2000 original is most of the work of one version, and a
 * build wants three (screen, email, CMYK). A version of the largest size has the bytes processPhoto gives for it
 * alone.
 */
export async function processVersions(input: Buffer, versions: ProcessParams[]): Promise<Processed[]> {
  const sniffed = refuseByHeader(input);
  // sharp's libheif has no HEVC decoder: an iPhone photo is decoded to an upright PNG first (heic.ts).
  const decodable = sniffed.kind === "heic" ? (await decodeHeic(input)).png : input;

  // Strict first (failOn 'warning', sharp's default): any decoder complaint stops it. Phone JPEGs sometimes
  // carry a harmless one, so a photo that fails only that way is decoded again with failOn 'error', which still
  // stops on truncation and real errors (never a half-grey photo), and is flagged `damaged` for a warning.
  // The default pixel limit stays on in both.
  let damaged = false;
  let done: Array<Omit<Processed, "damaged">>;
  try {
    done = await decode(decodable, versions, sniffed, "warning");
  } catch (strict) {
    if (strict instanceof PhotoProblem) throw strict;
    try {
      done = await decode(decodable, versions, sniffed, "error");
      damaged = true;
    } catch (err) {
      if (err instanceof PhotoProblem) throw err;
      throw classifySharpError(err, sniffed);
    }
  }
  if (damaged && sniffed.complete === false) throw new PhotoProblem("truncated", { sniffed });
  return Promise.all(
    done.map(async (d, i) => {
      const params = versions[i] as ProcessParams;
      const maxInk =
        params.colour !== "cmyk"
          ? undefined
          : params.grayscale
            ? await greyInk(d.data)
            : await totalInk(d.data);
      return { ...d, damaged, maxInk };
    }),
  );
}

async function decode(
  input: Buffer,
  versions: ProcessParams[],
  sniffed: Sniffed,
  failOn: "warning" | "error",
): Promise<Array<Omit<Processed, "damaged">>> {
  const open = () => sharp(input, { failOn });
  const meta = await open().metadata();
  if (meta.format === "heif" && meta.compression === "hevc") throw new PhotoProblem("heic", { sniffed });
  const upright = meta.autoOrient ?? { width: meta.width, height: meta.height };
  const sourceFormat = sniffed.kind === "heic" ? "heic" : meta.format;
  const sizes = versions.map((v) => targetSize(v, upright));
  // Versions are made from one decode when they share its kind: grey or colour (the theme's, the same for every
  // version), and a height from the layout or the photo's own shape (a version cropped to one box cannot give
  // another shape). No caller mixes them; a mix is decoded once per kind.
  const results: Array<Omit<Processed, "damaged">> = new Array(versions.length);
  const kindOf = (i: number) => `${Boolean(versions[i]?.grayscale)}|${sizes[i]?.height === undefined}`;
  for (const kind of new Set(versions.map((_, i) => kindOf(i)))) {
    const group = versions.flatMap((_, i) => (kindOf(i) === kind ? [i] : []));
    const grayscale = Boolean(versions[group[0] as number]?.grayscale);
    const largest = group.reduce((a, b) => (area(sizes[b], upright) > area(sizes[a], upright) ? b : a));
    const base = sizes[largest] as ReturnType<typeof targetSize>;
    const pixels = await decoded(open().rotate().resize(base), grayscale);
    await Promise.all(
      group.map(async (i) => {
        const params = versions[i] as ProcessParams;
        const size = sizes[i] as ReturnType<typeof targetSize>;
        const same = size.width === base.width && size.height === base.height;
        let from = sharp(pixels.data, { raw: pixels.info });
        if (!same) from = from.resize(size);
        const encoded = grayscale
          ? from.toColourspace("b-w").jpeg({ quality: params.quality })
          : colourJpeg(from.toColourspace("srgb"), params);
        const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
        results[i] = {
          data,
          pixelWidth: info.width,
          pixelHeight: info.height,
          uprightWidth: upright.width,
          uprightHeight: upright.height,
          sourceFormat,
        };
      }),
    );
  }
  return results;
}

/**
 * A smaller version of a photo from a bigger one's JPEG (the screen version's): the email edition's photos. Made
 * from those bytes rather than the original, so it costs a small decode, and the same bigger version always gives
 * the same bytes, however the build came to need it.
 */
export async function smallerVersion(bigger: Processed, params: ProcessParams): Promise<Processed> {
  const upright = { width: bigger.uprightWidth, height: bigger.uprightHeight };
  const from = sharp(bigger.data).resize(targetSize(params, upright));
  const encoded = params.grayscale
    ? from.toColourspace("b-w").jpeg({ quality: params.quality })
    : colourJpeg(from.toColourspace("srgb"), params);
  const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
  return { ...bigger, data, pixelWidth: info.width, pixelHeight: info.height, maxInk: undefined };
}

/**
 * The resized photo's pixels, 8-bit, flattened over white: sRGB (CMYK originals through their embedded
 * profile), or for a grey theme one channel with black lifted to about K 92% and white held at about K 2% —
 * copiers gain dots in the shadows and drop the lightest tones, so this range comes out as a full one on the copy.
 */
async function decoded(
  resized: Sharp,
  grayscale: boolean,
): Promise<{ data: Buffer; info: { width: number; height: number; channels: 1 | 3 } }> {
  const flat = resized.flatten({ background: "#ffffff" });
  const pipeline = grayscale
    ? flat.grayscale().normalise({ lower: 1, upper: 99 }).linear(0.9, 20).toColourspace("b-w")
    : flat.toColourspace("srgb");
  const { data, info } = await pipeline.raw({ depth: "uchar" }).toBuffer({ resolveWithObject: true });
  return { data, info: { width: info.width, height: info.height, channels: grayscale ? 1 : 3 } };
}

function area(
  size: { width: number; height?: number } | undefined,
  upright: { width: number; height: number },
): number {
  if (!size) return 0;
  return size.width * (size.height ?? (size.width * upright.height) / upright.width);
}

/**
 * sRGB, or CMYK converted with libvips' built-in profile (or the shop's); the profile (almost 1 MB) is not
 * attached to every photo: the print edition declares it once, as its output intent.
 */
function colourJpeg(srgb: Sharp, params: ProcessParams): Sharp {
  const converted =
    params.colour === "cmyk" ? srgb.withIccProfile(params.cmykProfile ?? "cmyk", { attach: false }) : srgb;
  return converted.jpeg({ quality: params.quality, chromaSubsampling: "4:2:0" });
}

function targetSize(
  params: ProcessParams,
  upright: { width: number; height: number },
): { width: number; height?: number; fit: "cover"; withoutEnlargement: true } {
  const scale = Math.min(1, upright.width / params.width);
  const width = Math.max(1, Math.round(params.width * scale));
  if (params.height === undefined) return { width, fit: "cover", withoutEnlargement: true };
  const height = Math.max(1, Math.min(upright.height, Math.round(params.height * scale)));
  return { width, height, fit: "cover", withoutEnlargement: true };
}

/** A grey photo prints in K alone: its darkest pixel is its highest ink. */
async function greyInk(jpeg: Buffer): Promise<number> {
  const { data } = await sharp(jpeg).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  let darkest = 255;
  for (const v of data) if (v < darkest) darkest = v;
  return Math.round(((255 - darkest) / 255) * 100);
}

/** The highest total ink of a CMYK JPEG's pixels, in percent (print shops want at most 300-350% on coated paper). */
async function totalInk(jpeg: Buffer): Promise<number> {
  // Kept in CMYK from decoding to the raw bytes: these are the ink values the press gets.
  const { data } = await sharp(jpeg).pipelineColourspace("cmyk").toColourspace("cmyk").raw().toBuffer({
    resolveWithObject: true,
  });
  let max = 0;
  for (let i = 0; i + 3 < data.length; i += 4) {
    const sum = (data[i] ?? 0) + (data[i + 1] ?? 0) + (data[i + 2] ?? 0) + (data[i + 3] ?? 0);
    if (sum > max) max = sum;
  }
  return Math.round((max / 255) * 100);
}
