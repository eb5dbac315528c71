import type { Sharp } from "sharp";
import { classifySharpError, PhotoProblem, refuseByHeader } from "./diagnose.js";
import { decodeHeic } from "./heic.js";
import type { Sniffed } from "./probe.js";
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
  const sniffed = refuseByHeader(input);
  // sharp's libheif has no HEVC decoder: an iPhone photo is decoded to an upright PNG first (heic.ts).
  const decodable = sniffed.kind === "heic" ? (await decodeHeic(input)).png : input;

  // Strict first (failOn 'warning', sharp's default): any decoder complaint stops it. Phone JPEGs sometimes
  // carry a harmless one, so a photo that fails only that way is decoded again with failOn 'error', which still
  // stops on truncation and real errors (never a half-grey photo), and is flagged `damaged` for a warning.
  // The default pixel limit stays on in both.
  let damaged = false;
  let done: Omit<Processed, "damaged">;
  try {
    done = await decode(decodable, params, sniffed, "warning");
  } catch (strict) {
    if (strict instanceof PhotoProblem) throw strict;
    try {
      done = await decode(decodable, params, sniffed, "error");
      damaged = true;
    } catch (err) {
      if (err instanceof PhotoProblem) throw err;
      throw classifySharpError(err, sniffed);
    }
  }
  if (damaged && sniffed.complete === false) throw new PhotoProblem("truncated", { sniffed });
  const maxInk =
    params.colour !== "cmyk"
      ? undefined
      : params.grayscale
        ? await greyInk(done.data)
        : await totalInk(done.data);
  return { ...done, damaged, maxInk };
}

async function decode(
  input: Buffer,
  params: ProcessParams,
  sniffed: Sniffed,
  failOn: "warning" | "error",
): Promise<Omit<Processed, "damaged">> {
  const open = () => sharp(input, { failOn });
  const meta = await open().metadata();
  if (meta.format === "heif" && meta.compression === "hevc") throw new PhotoProblem("heic", { sniffed });
  const upright = meta.autoOrient ?? { width: meta.width, height: meta.height };
  const pipeline = open().rotate().resize(targetSize(params, upright)).flatten({ background: "#ffffff" });
  const encoded = params.grayscale
    ? // Black lifted to about K 92% and white held at about K 2%: copiers gain dots in the shadows and drop the
      // lightest tones, so this range comes out as a full one on the copy.
      pipeline
        .grayscale()
        .normalise({ lower: 1, upper: 99 })
        .linear(0.9, 20)
        .toColourspace("b-w")
        .jpeg({ quality: params.quality })
    : colourJpeg(pipeline.toColourspace("srgb"), params);
  const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
  return {
    data,
    pixelWidth: info.width,
    pixelHeight: info.height,
    uprightWidth: upright.width,
    uprightHeight: upright.height,
    sourceFormat: sniffed.kind === "heic" ? "heic" : meta.format,
  };
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
