import type { Issue } from "../content/issue.js";
import type { Diagnostic } from "../diagnostics.js";
import type { PreparedImages } from "../images/prepared.js";
import type { ClusterNote, MissingChar } from "../typeset/types.js";

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
  /**
   * Characters (grapheme clusters) not drawn as one glyph, or drawn without part of what they say: an emoji
   * sequence no font has whole (its parts side by side), a variation sequence no font has (the base drawn),
   * a letter with combining marks placed by the font, a skin tone the monochrome emoji font does not show.
   */
  clusters: Array<ClusterNote & { line?: number }>;
  /** Proofreading warnings (src/proofread/), also counted among `warnings`. */
  proofread: Diagnostic[];
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
  /** Clusters the typesetter could not draw as one glyph (Typesetter.clusters). */
  clusters?: ClusterNote[];
  /** Layout problems (text that does not fit). */
  problems: Diagnostic[];
  /** Proofreading warnings (src/proofread/): wrong weekdays, unpaired brackets, mixed digits… */
  proofread?: Diagnostic[];
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

  const clusters = (input.clusters ?? []).map((c) => ({ ...c, line: lineOf(issue, c.path, c.text) }));
  for (const c of clusters) {
    const what = CLUSTER_WARNINGS[c.reason];
    if (!what) continue;
    warnings.push({
      severity: "warning",
      file: issue.file,
      line: c.line ?? at(c.path).line,
      ja: `「${c.text}」(${c.codePoints}) ${what.ja}（${c.path}）`,
      en: `"${c.text}" (${c.codePoints}) ${what.en} (${c.path}).`,
      hintJa: what.hintJa,
      hintEn: what.hintEn,
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
    clusters,
    proofread: input.proofread ?? [],
    errors,
    warnings: [...warnings, ...input.problems, ...(input.proofread ?? [])],
    layoutChoices: input.choices ?? [],
  };
}

/**
 * A few lines for the terminal: what the print shop will see, at a glance. `earlier` are the warnings of the
 * stages before the preflight (a Shift_JIS file, a font without Japanese): counted with the preflight's own.
 */
export function preflightSummary(r: PreflightReport, earlier: readonly Diagnostic[] = []): string {
  const drawnApart = r.clusters.filter((c) => c.reason !== "tone" && c.reason !== "base");
  const lowest = r.photos.reduce((min, p) => Math.min(min, p.dpi), Number.POSITIVE_INFINITY);
  const lines = [
    `プリフライト preflight: ${r.pages} ページ pages, 写真 ${r.photos.length} 枚 photos${r.photos.length ? `（最低 ${lowest} dpi / lowest ${lowest} dpi）` : ""}`,
    `  印刷用 PDF print PDF: ${r.printPdf.length ? `${r.printPdf.length} 件の問題 problems` : "PDF/X-1a 問題なし OK"}${r.maxInk !== undefined ? `、インキ総量 最大 ${r.maxInk}% / max total ink ${r.maxInk}% (≤ ${MAX_TOTAL_INK}%)` : ""}`,
    `  字形のない文字 characters without a glyph: ${r.missingGlyphs.length ? r.missingGlyphs.map((m) => `${m.char} ${m.code}`).join(", ") : "なし none"}`,
    `  一つの字形にならない文字 clusters not drawn as one glyph: ${drawnApart.length ? drawnApart.map((c) => `${c.text} ${c.codePoints} (${REASON_EN[c.reason]})`).join(", ") : "なし none"}`,
    `  校正 proofreading: ${r.proofread.length ? `${r.proofread.length} 件 to check` : "なし none"}`,
    `  エラー errors: ${r.errors.length}, 警告 warnings: ${r.warnings.length + earlier.length}`,
  ];
  return lines.join("\n");
}

const REASON_EN: Record<ClusterNote["reason"], string> = {
  parts: "parts side by side",
  variation: "variation not in the font",
  marks: "letter and marks",
  tone: "skin tone not shown",
  base: "drawn as its first emoji",
};

/** What the editor is told about a cluster that is not drawn as written (letters with marks look right: none). */
const CLUSTER_WARNINGS: Partial<
  Record<ClusterNote["reason"], { ja: string; en: string; hintJa: string; hintEn: string }>
> = {
  parts: {
    ja: "を一つの字形で表示できるフォントがなく、部品を並べて表示します",
    en: "has no single glyph in any font; its parts are drawn side by side",
    hintJa: "別の文字や絵文字に置き換えるか、部品を並べた表示でよいか確認してください。",
    hintEn: "Use another character or emoji, or check that the parts side by side are acceptable.",
  },
  variation: {
    ja: "の異体字はフォントにないため、基本の字形で表示します",
    en: "asks for a glyph variant the font does not have; the base character is drawn",
    hintJa: "その異体字を含むフォントを fonts/ に置き、issue.yaml の fonts: で指定してください。",
    hintEn: "Put a font that has the variant into fonts/ and name it under fonts: in issue.yaml.",
  },
  tone: {
    ja: "の肌の色は、絵文字フォントが単色のため表示されません",
    en: "is drawn without its skin tone: the emoji font is monochrome",
    hintJa: "色を伝えたい場合は文章で書き添えてください。",
    hintEn: "Say it in words if the tone matters.",
  },
  base: {
    ja: "は、フォントに専用の字形がなく、先頭の絵文字と同じ字形で表示されます",
    en: "is drawn as the font's glyph of its first emoji: the font has none of its own for the sequence",
    hintJa: "意味が伝わるか確認し、必要なら文章で書き添えてください。",
    hintEn: "Check that it still says what you mean, or say it in words.",
  },
};

/** The issue.yaml line a cluster stands on: the first line from its field's start that contains it. */
function lineOf(issue: Issue, path: string, text: string): number | undefined {
  const start = issue.locate(path);
  if (!start) return undefined;
  for (let i = start.line - 1; i < issue.sourceLines.length; i++) {
    if (issue.sourceLines[i]?.includes(text)) return i + 1;
  }
  return start.line;
}
