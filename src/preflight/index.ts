import type { Issue } from "../content/issue.js";
import type { Diagnostic } from "../diagnostics.js";
import type { PreparedImages } from "../images/prepared.js";
import type { MissingChar } from "../typeset/types.js";

/**
 * The preflight stage: what a print shop's preflight would refuse, found before the file leaves the office.
 * It reads what the earlier stages produced (photos, missing glyphs, layout problems, the print edition's own
 * PDF/X check) and gives one report, printed as a summary and written as output/<id>-preflight.json.
 */

/** Print shops ask for 300-350 dpi; below 200 a photo prints visibly coarse. */
export const PRINT_DPI_ERROR = 200;
export const PRINT_DPI_WARNING = 300;
/** Total ink (C+M+Y+K) coated paper takes before it smears and sets off (Japan Color 2001 Coated: 350%). */
export const MAX_TOTAL_INK = 350;

export interface PreflightPhoto {
  path: string;
  src: string;
  dpi: number;
  pixelWidth: number;
  pixelHeight: number;
  widthMm: number;
  /** The print edition's CMYK version: the highest total ink of a pixel, in percent. */
  maxInk?: number;
  status: "ok" | "warning" | "error";
}

export interface PreflightReport {
  issue: string;
  pages: number;
  binding: "saddle" | "none";
  photos: PreflightPhoto[];
  /** The highest total ink of any photo in the print edition, in percent (undefined when it was not built). */
  maxInk?: number;
  /** Problems of the print edition's PDF itself (colour spaces, fonts, boxes, transparency); empty when clean. */
  printPdf: string[];
  missingGlyphs: Array<{ char: string; code: string; path: string }>;
  /** Everything above that needs attention, as messages for the editor. */
  errors: Diagnostic[];
  warnings: Diagnostic[];
  /** What the page breaker chose (where articles break, how space was spread), in words. */
  layoutChoices: string[];
}

export interface PreflightInput {
  issue: Issue;
  images: PreparedImages;
  /** The print edition's CMYK photos (undefined when it was not built, as in `check`). */
  printImages?: PreparedImages;
  pages: number;
  missing: MissingChar[];
  /** Layout problems (text that does not fit). */
  problems: Diagnostic[];
  /** What the page breaker chose, for the report. */
  choices?: string[];
  /** Problems the PDF/X check found in the print edition (undefined when it was not built, as in `check`). */
  printPdf?: string[];
}

export function preflight(input: PreflightInput): PreflightReport {
  const { issue } = input;
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const at = (path: string) => {
    const pos = issue.locate(path);
    return { line: pos?.line, column: pos?.column };
  };

  const photos: PreflightPhoto[] = [...input.images.photos.values()].map((p) => {
    const status = p.dpi < PRINT_DPI_ERROR ? "error" : p.dpi < PRINT_DPI_WARNING ? "warning" : "ok";
    const dpi = Math.round(p.dpi);
    if (status !== "ok") {
      const list = status === "error" ? errors : warnings;
      list.push({
        severity: status,
        file: issue.file,
        ...at(`${p.ref.path}.src`),
        ja: `写真「${p.ref.src}」の解像度は約 ${dpi} dpi です（印刷には 300〜350 dpi、最低 ${PRINT_DPI_ERROR} dpi が必要）。`,
        en: `Photo "${p.ref.src}" prints at about ${dpi} dpi (print needs 300-350 dpi, at least ${PRINT_DPI_ERROR}).`,
        hintJa: "元の大きな写真に差し替えるか、1行に並べる写真を増やして小さく配置してください。",
        hintEn: "Use the original, larger photo, or place it smaller (more photos per row).",
      });
    }
    const maxInk = input.printImages?.photos.get(p.ref.path)?.maxInk;
    if (maxInk !== undefined && maxInk > MAX_TOTAL_INK) {
      errors.push({
        severity: "error",
        file: issue.file,
        ...at(`${p.ref.path}.src`),
        ja: `写真「${p.ref.src}」のインキ総量が ${maxInk}% あり、上限 ${MAX_TOTAL_INK}% を超えます。`,
        en: `Photo "${p.ref.src}" needs ${maxInk}% total ink, over the ${MAX_TOTAL_INK}% coated paper takes.`,
        hintJa: "印刷所に相談するか、写真を明るく補正してください。",
        hintEn: "Ask the print shop, or lighten the photo.",
      });
    }
    return {
      path: p.ref.path,
      src: p.ref.src,
      dpi,
      maxInk,
      pixelWidth: p.pixelWidth,
      pixelHeight: p.pixelHeight,
      widthMm: Math.round((p.widthPt / 72) * 25.4 * 10) / 10,
      status,
    };
  });

  const binding = input.issue.doc.binding ?? "none";
  if (binding === "saddle" && input.pages % 4 !== 0) {
    warnings.push({
      severity: "warning",
      file: issue.file,
      ...at("binding"),
      ja: `中綴じ（binding: saddle）ですが、ページ数が ${input.pages} で4の倍数ではありません。白ページが ${4 - (input.pages % 4)} ページ入ります。`,
      en: `Saddle stitching needs a multiple of 4 pages; this issue has ${input.pages} (${4 - (input.pages % 4)} blank pages will be added).`,
      hintJa: "記事を増減してページ数を4の倍数にしてください。",
      hintEn: "Add or remove content to reach a multiple of 4 pages.",
    });
  }

  for (const problem of input.printPdf ?? []) {
    errors.push({
      severity: "error",
      file: issue.file,
      ja: `印刷用 PDF の問題: ${problem}`,
      en: `Print edition problem: ${problem}`,
    });
  }

  return {
    issue: issue.id,
    pages: input.pages,
    binding,
    photos,
    maxInk: photos.some((p) => p.maxInk !== undefined)
      ? Math.max(...photos.map((p) => p.maxInk ?? 0))
      : undefined,
    printPdf: input.printPdf ?? [],
    missingGlyphs: input.missing.map((m) => ({
      char: m.char,
      code: `U+${m.codePoint.toString(16).toUpperCase().padStart(4, "0")}`,
      path: m.path,
    })),
    errors,
    warnings: [...warnings, ...input.problems],
    layoutChoices: input.choices ?? [],
  };
}

/** A few lines for the terminal: what the print shop will see, at a glance. */
export function preflightSummary(r: PreflightReport): string {
  const lowest = r.photos.reduce((min, p) => Math.min(min, p.dpi), Number.POSITIVE_INFINITY);
  const lines = [
    `プリフライト preflight: ${r.pages} ページ pages, 写真 ${r.photos.length} 枚 photos${r.photos.length ? `（最低 ${lowest} dpi / lowest ${lowest} dpi）` : ""}`,
    `  印刷用 PDF print PDF: ${r.printPdf.length ? `${r.printPdf.length} 件の問題 problems` : "PDF/X-1a 問題なし OK"}${r.maxInk !== undefined ? `、インキ総量 最大 ${r.maxInk}% / max total ink ${r.maxInk}% (≤ ${MAX_TOTAL_INK}%)` : ""}`,
    `  字形のない文字 characters without a glyph: ${r.missingGlyphs.length ? r.missingGlyphs.map((m) => `${m.char} ${m.code}`).join(", ") : "なし none"}`,
    `  エラー errors: ${r.errors.length}, 警告 warnings: ${r.warnings.length}`,
  ];
  return lines.join("\n");
}
