import { basename } from "node:path";
import type { Issue, PhotoRef } from "../content/issue.js";
import { type Sniffed, SUPPORTED, sniff } from "../content/photo-header.js";
import type { Diagnostic } from "../diagnostics.js";

/**
 * Why a photo cannot be used, in terms an editor can act on. The processing code throws a PhotoProblem; this
 * module turns it into a Diagnostic at the line of issue.yaml where the photo's `src` stands.
 */

export type ProblemKind =
  | "missing"
  | "empty"
  | "corrupt"
  | "truncated"
  | "too-many-pixels"
  | "heic"
  | "video"
  | "unsupported"
  | "unreadable";

export class PhotoProblem extends Error {
  constructor(
    readonly kind: ProblemKind,
    readonly detail: {
      sniffed?: Sniffed;
      width?: number;
      height?: number;
      cause?: string;
      /** Decided from a sharp error (worth a retry on its own for a reliable message). */
      fromSharp?: boolean;
    } = {},
  ) {
    super(`${kind}${detail.cause ? `: ${detail.cause}` : ""}`);
    this.name = "PhotoProblem";
  }
}

/** sharp's default `limitInputPixels` (0x3FFF × 0x3FFF). We check against it; we never raise it. */
export const PIXEL_LIMIT = 0x3fff * 0x3fff;

/**
 * What the file's first bytes alone say is wrong with it (empty, a video, a format we do not take,
 * a pixel bomb), before anything decodes it. Throws the PhotoProblem; returns what was read otherwise.
 */
export function refuseByHeader(input: Buffer): Sniffed {
  const sniffed = sniff(input);
  if (sniffed.kind === "empty") throw new PhotoProblem("empty", { sniffed });
  if (sniffed.kind === "video") throw new PhotoProblem("video", { sniffed });
  if (!SUPPORTED.has(sniffed.kind)) throw new PhotoProblem("unsupported", { sniffed });
  // sharp refuses a bomb before decoding, but then cannot say how big it is; the header can.
  if (sniffed.width && sniffed.height && sniffed.width * sniffed.height > PIXEL_LIMIT) {
    throw new PhotoProblem("too-many-pixels", { sniffed, width: sniffed.width, height: sniffed.height });
  }
  return sniffed;
}

/**
 * Sorts a sharp/libvips failure into what the editor needs to know. The file's own structure decides first:
 * libvips keeps one error buffer for the whole process, so while several photos decode at once the text of a
 * failure can be another photo's message, or just "Unknown error" (seen with sharp 0.35 / libvips 8.18).
 * prepareImages also retries failed photos one at a time so that the text, where it is used, is the photo's own.
 */
export function classifySharpError(err: unknown, sniffed: Sniffed): PhotoProblem {
  const message = err instanceof Error ? err.message : String(err);
  const m = message.toLowerCase();
  const detail = {
    sniffed,
    width: sniffed.width,
    height: sniffed.height,
    cause: firstLine(message),
    fromSharp: true,
  };
  if (sniffed.width && sniffed.height && sniffed.width * sniffed.height > PIXEL_LIMIT) {
    return new PhotoProblem("too-many-pixels", detail);
  }
  if (sniffed.complete === false) return new PhotoProblem("truncated", detail);
  if (sniffed.kind === "jpeg" && sniffed.width === undefined) return new PhotoProblem("corrupt", detail);
  if (m.includes("pixel limit")) return new PhotoProblem("too-many-pixels", detail);
  if (m.includes("hevc") || m.includes("compression format has not been built in")) {
    return new PhotoProblem("heic", detail);
  }
  if (
    m.includes("corrupt header") ||
    m.includes("unsupported image format") ||
    m.includes("not a known file")
  ) {
    return new PhotoProblem("corrupt", detail);
  }
  if (m.includes("premature end") || m.includes("truncated") || m.includes("unexpected end")) {
    return new PhotoProblem("truncated", detail);
  }
  return new PhotoProblem("unreadable", detail);
}

function firstLine(s: string): string {
  return (s.split("\n")[0] ?? s).trim();
}

const FORMAT_NAMES: Record<string, string> = {
  jpeg: "JPEG",
  png: "PNG",
  gif: "GIF",
  webp: "WebP",
  tiff: "TIFF",
  avif: "AVIF",
  heic: "HEIC",
  video: "動画 video",
  pdf: "PDF",
  bmp: "BMP",
  svg: "SVG",
  unknown: "不明 unknown",
};

/** `28,000万画素` — Japanese cameras are sold by 万画素, so that is the unit an editor recognises. */
function manGaso(pixels: number): string {
  return `${Math.round(pixels / 10_000).toLocaleString("en-US")}万画素`;
}

function megapixels(pixels: number): string {
  return `${Math.round(pixels / 1_000_000).toLocaleString("en-US")} megapixels`;
}

interface Place {
  yaml: string;
  line?: number;
  column?: number;
  sourceLine?: string;
}

function placeOf(issue: Issue, ref: PhotoRef): Place {
  const line = ref.position?.line;
  return {
    yaml: basename(issue.file),
    line,
    column: ref.position?.column,
    sourceLine: line !== undefined ? issue.sourceLines[line - 1] : undefined,
  };
}

/** `写真「a.jpg」（issue.yaml 12行目）` and `Photo "a.jpg" (issue.yaml line 12)`: the message stands on its own. */
function label(ref: PhotoRef, p: Place): { ja: string; en: string } {
  return p.line !== undefined
    ? {
        ja: `写真「${ref.src}」（${p.yaml} ${p.line}行目）`,
        en: `Photo "${ref.src}" (${p.yaml} line ${p.line})`,
      }
    : { ja: `写真「${ref.src}」（${p.yaml}）`, en: `Photo "${ref.src}" (${p.yaml})` };
}

function srcHint(p: Place): { ja: string; en: string } {
  return p.line !== undefined
    ? { ja: `${p.yaml} の ${p.line}行目の src`, en: `the src on line ${p.line} of ${p.yaml}` }
    : { ja: `${p.yaml} の src`, en: `the src in ${p.yaml}` };
}

export function problemDiagnostic(issue: Issue, ref: PhotoRef, problem: PhotoProblem): Diagnostic {
  const p = placeOf(issue, ref);
  const who = label(ref, p);
  const src = srcHint(p);
  const fmt = FORMAT_NAMES[problem.detail.sniffed?.kind ?? "unknown"] ?? "";
  let ja: string;
  let en: string;
  let hintJa: string;
  let hintEn: string;
  switch (problem.kind) {
    case "missing":
      ja = `${who.ja}が見つかりません。`;
      en = `${who.en} was not found.`;
      hintJa = `ファイル名のつづり（大文字・小文字、.jpg と .jpeg の違い）を確かめ、写真を ${ref.file} に置いてください。`;
      hintEn = `Check the spelling (upper/lower case, .jpg vs .jpeg) and put the photo at ${ref.file}.`;
      break;
    case "empty":
      ja = `${who.ja}は空のファイル（0バイト）です。`;
      en = `${who.en} is an empty file (0 bytes).`;
      hintJa = "コピーが途中で失敗したようです。元の写真をもう一度コピーしてください。";
      hintEn = "The copy seems to have failed; copy the original photo again.";
      break;
    case "corrupt":
      ja = `${who.ja}は壊れていて読み込めません（${fmt} のヘッダーが正しくありません）。`;
      en = `${who.en} is damaged and cannot be read (its ${fmt} header is invalid).`;
      hintJa = "元の写真をもう一度コピーするか、写真アプリで開いて JPEG で保存し直してください。";
      hintEn = "Copy the original photo again, or open it in a photo app and save it again as JPEG.";
      break;
    case "truncated":
      ja = `${who.ja}は途中で切れています（ファイルの後ろが欠けています）。このまま印刷すると写真の下の方が灰色になります。`;
      en = `${who.en} is cut off (the end of the file is missing); printed as is, the lower part would come out grey.`;
      hintJa = "コピーやダウンロードが途中で止まったようです。元の写真をもう一度コピーしてください。";
      hintEn = "A copy or download stopped part way; copy the original photo again.";
      break;
    case "too-many-pixels": {
      const { width, height } = problem.detail;
      const size = width && height ? `${width}×${height}、${manGaso(width * height)}` : "";
      const sizeEn = width && height ? `${width}×${height}, ${megapixels(width * height)}` : "";
      ja = `${who.ja}は画素数が大きすぎます（${size ? `${size}。` : ""}上限は約${manGaso(PIXEL_LIMIT)}）。`;
      en = `${who.en} has too many pixels (${sizeEn ? `${sizeEn}; ` : ""}the limit is about ${megapixels(PIXEL_LIMIT)}).`;
      hintJa = "写真アプリなどで長い辺が 6000 ピクセル程度になるように縮小して保存し直してください。";
      hintEn = "Shrink it in a photo app so that its long side is about 6000 pixels, and save it again.";
      break;
    }
    case "heic":
      // HEIC is decoded (images/heic.ts); this is a file libheif could not read: damaged, or a kind of HEIF
      // it does not know.
      ja = `${who.ja}は iPhone の HEIC 形式ですが、読み込めませんでした（${problem.detail.cause ?? "HEIC"}）。`;
      en = `${who.en} is an iPhone HEIC photo that could not be decoded (${problem.detail.cause ?? "HEIC"}).`;
      hintJa =
        "元の写真をもう一度コピーしてください。直らなければ JPEG にします: iPhone の「写真」アプリの共有" +
        "（メールで送る・書き出す）で JPEG にするか、「設定」>「写真」>「MACまたはPCに転送」を「自動」にしてから" +
        "PC に取り込むと JPEG になります。これから撮る写真は「設定」>「カメラ」>「フォーマット」で「互換性優先」を" +
        `選ぶと JPEG で保存されます。できた .jpg ファイルの名前を ${src.ja} に書いてください。`;
      hintEn =
        "Copy the original photo again. If that does not help, make it a JPEG: share or export it as JPEG from the " +
        "iPhone Photos app (e.g. by mail), or set Settings > Photos > Transfer to Mac or PC to Automatic before " +
        "importing it to the PC; for new photos, choose Settings > Camera > Formats > Most Compatible. " +
        `Then write the .jpg file name in ${src.en}.`;
      break;
    case "video":
      ja = `${who.ja}は動画ファイル（${problem.detail.sniffed?.brand?.trim() || "MP4/MOV"}）で、写真ではありません。`;
      en = `${who.en} is a video file, not a photo.`;
      hintJa = `写真（JPEG）のファイル名を ${src.ja} に書いてください。iPhone の Live Photos は .MOV と .HEIC/.JPG の組になっています。`;
      hintEn = `Write the name of a photo (JPEG) in ${src.en}. iPhone Live Photos come as a .MOV next to the still.`;
      break;
    case "unsupported":
      ja = `${who.ja}は写真として使えない形式です（${fmt}）。`;
      en = `${who.en} is in a format that cannot be used as a photo (${fmt}).`;
      hintJa = `JPEG・PNG・WebP のどれかで保存し直して、そのファイル名を ${src.ja} に書いてください。`;
      hintEn = `Save it again as JPEG, PNG or WebP and write that file name in ${src.en}.`;
      break;
    default:
      ja = `${who.ja}を読み込めませんでした（${problem.detail.cause ?? fmt}）。`;
      en = `${who.en} could not be read (${problem.detail.cause ?? fmt}).`;
      hintJa = "写真アプリで開いて JPEG で保存し直してください。";
      hintEn = "Open it in a photo app and save it again as JPEG.";
  }
  return {
    severity: "error",
    file: issue.file,
    line: p.line,
    column: p.column,
    sourceLine: p.sourceLine,
    ja,
    en,
    hintJa,
    hintEn,
  };
}

/** The low-resolution warning: names the photo, its line and its effective dpi, and says how many pixels would do. */
export function lowDpiWarning(
  issue: Issue,
  ref: PhotoRef,
  widthPt: number,
  dpi: number,
  minDpi: number,
  targetDpi: number,
): Omit<Diagnostic, "severity" | "file"> & { ja: string; en: string } {
  const p = placeOf(issue, ref);
  const who = label(ref, p);
  const needPx = Math.ceil((widthPt / 72) * minDpi);
  const idealPx = Math.round((widthPt / 72) * targetDpi);
  const pixels =
    idealPx > needPx
      ? `横 ${needPx} ピクセル以上、できれば ${idealPx} ピクセル`
      : `横 ${needPx} ピクセル以上`;
  const pixelsEn = idealPx > needPx ? `${needPx} pixels wide, ideally ${idealPx}` : `${needPx} pixels wide`;
  const shown = Math.round(dpi);
  return {
    line: p.line,
    column: p.column,
    sourceLine: p.sourceLine,
    ja: `${who.ja}は解像度が低く（約${shown} dpi）、印刷が粗くなります。`,
    en: `${who.en} has low resolution (about ${shown} dpi at its placed width) and will print coarsely.`,
    hintJa:
      `${minDpi} dpi 以上が目安です（この大きさなら${pixels}）。LINE やメールで受け取った写真は` +
      "縮小されていることがあるので、撮影した元の写真を使うか、写真を小さく配置してください。",
    hintEn:
      `Aim for at least ${minDpi} dpi (${pixelsEn} at this size). Photos received through LINE or mail are ` +
      "often shrunk: use the original from the camera, or place the photo smaller.",
  };
}

/** A photo the decoder complained about but could finish: it may show damage, so the editor should look. */
export function damagedWarning(
  issue: Issue,
  ref: PhotoRef,
): Omit<Diagnostic, "severity" | "file"> & {
  ja: string;
  en: string;
} {
  const p = placeOf(issue, ref);
  const who = label(ref, p);
  return {
    line: p.line,
    column: p.column,
    sourceLine: p.sourceLine,
    ja: `${who.ja}はデータの一部が乱れています。PDF で写真が崩れていないか確かめてください。`,
    en: `${who.en} has some damaged data; check in the PDF that the photo looks right.`,
    hintJa: "崩れていたら、元の写真をもう一度コピーするか、写真アプリで開いて JPEG で保存し直してください。",
    hintEn:
      "If it looks broken, copy the original photo again, or open it in a photo app and save it again as JPEG.",
  };
}
