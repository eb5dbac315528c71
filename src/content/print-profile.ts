import path from "node:path";
import { type Diagnostic, KaihoError } from "../diagnostics.js";
import { readBounded } from "../fsx/read.js";
import type { PrintProfileRef, SourcePosition } from "./issue.js";

/**
 * The print shop's CMYK profile (`print.profile`): found like a photo (beside issue.yaml, then in images/) and
 * checked to be what a print edition needs: an ICC output ('prtr') profile for CMYK.
 */
export async function resolvePrintProfile(
  src: string,
  ctx: {
    dir: string;
    root: string;
    file: string;
    lines: string[];
    locate(p: string): SourcePosition | undefined;
  },
): Promise<{ profile?: PrintProfileRef; problem?: Diagnostic }> {
  const pos = ctx.locate("print.profile");
  const place = pos ? { line: pos.line, column: pos.column, sourceLine: ctx.lines[pos.line - 1] } : {};
  const problem = (ja: string, en: string, hintJa: string, hintEn: string): { problem: Diagnostic } => ({
    problem: { severity: "error", file: ctx.file, ...place, ja, en, hintJa, hintEn },
  });
  const name = src.trim();
  if (path.isAbsolute(name) || name.split(/[\\/]/).includes("..")) {
    return problem(
      `プロファイル「${src}」は issue フォルダか images/ の中に置き、ファイル名だけを書いてください。`,
      `Put the profile "${src}" in the issue folder or images/ and write only its file name.`,
      "例: print: { profile: JapanColor2001Coated.icc }",
      "e.g. print: { profile: JapanColor2001Coated.icc }",
    );
  }
  let bytes: Buffer | undefined;
  let file = "";
  for (const base of [ctx.dir, path.join(ctx.root, "images")]) {
    file = path.join(base, name);
    try {
      bytes = await readBounded(file, {
        kind: "profile",
        missingOk: true,
        allowedRoots: [ctx.root, ctx.dir],
        namedAt: { file: ctx.file, ...place },
      });
    } catch (err) {
      if (err instanceof KaihoError && err.diagnostics[0]) return { problem: err.diagnostics[0] };
      throw err;
    }
    if (bytes) break;
  }
  if (!bytes) {
    return problem(
      `印刷用プロファイル「${src}」が見つかりません。`,
      `Print profile "${src}" not found.`,
      "印刷所から受け取った .icc ファイルを issue フォルダか images/ に置いてください。",
      "Put the .icc file the print shop gave you into the issue folder or images/.",
    );
  }
  const tag = (at: number) => bytes.subarray(at, at + 4).toString("latin1");
  if (bytes.length < 132 || tag(36) !== "acsp") {
    return problem(
      `「${src}」（${file}）は ICC プロファイルではありません。`,
      `"${src}" (${file}) is not an ICC profile.`,
      "印刷所から受け取った .icc / .icm ファイルを指定してください。",
      "Name the .icc / .icm file the print shop gave you.",
    );
  }
  if (tag(12) !== "prtr" || tag(16) !== "CMYK") {
    return problem(
      `「${src}」は CMYK の出力用（プリンター）プロファイルではありません（種類 ${tag(12).trim()}、色空間 ${tag(16).trim()}）。`,
      `"${src}" is not a CMYK output (printer) profile (class ${tag(12).trim()}, colour space ${tag(16).trim()}).`,
      "モニター用や RGB のプロファイルは使えません。印刷所に CMYK の出力プロファイルをもらってください。",
      "Monitor or RGB profiles cannot be used: ask the print shop for its CMYK output profile.",
    );
  }
  const broken = checkIccStructure(bytes);
  if (broken) {
    return problem(
      `印刷用プロファイル ${file} が壊れています: ${broken.ja}`,
      `The print profile ${file} is damaged: ${broken.en}`,
      "印刷所からもう一度 .icc ファイルを受け取るか、ダウンロードし直してください。",
      "Get the .icc file from the print shop again, or download it again.",
    );
  }
  return { profile: { file, description: describe(bytes) ?? path.basename(name, path.extname(name)) } };
}

/** Tag types a CMYK output profile's conversion tables may have (ICC.1:2010 and v2). */
const LUT_TYPES = new Set(["mft1", "mft2", "mAB ", "mBA "]);

/**
 * The parts of an ICC profile a colour engine reads, checked before the profile is used to convert photos and
 * embedded as the output intent: the size in the header equals the file's size, the tag table fits, every tag
 * lies inside the file, and the conversion tables a CMYK output profile must have (A2B0, B2A0) are there and of
 * a table type. A valid header followed by anything else fails here.
 */
export function checkIccStructure(icc: Buffer): { ja: string; en: string } | undefined {
  const declared = icc.readUInt32BE(0);
  if (declared !== icc.length) {
    return {
      ja: `ヘッダーのサイズ（${declared} バイト）とファイルのサイズ（${icc.length} バイト）が違います（途中で切れているか、余分なデータがあります）。`,
      en: `the size in its header (${declared} bytes) differs from the file's size (${icc.length} bytes): it is truncated or has extra data.`,
    };
  }
  const pcs = icc.subarray(20, 24).toString("latin1");
  if (pcs !== "XYZ " && pcs !== "Lab ") {
    return {
      ja: `接続色空間が不正です（${pcs.trim()}）。`,
      en: `its connection space is invalid (${pcs.trim()}).`,
    };
  }
  const count = icc.readUInt32BE(128);
  const tableEnd = 132 + count * 12;
  if (count === 0 || count > 1000 || tableEnd > icc.length) {
    return {
      ja: `タグの表が不正です（タグ ${count} 個）。`,
      en: `its tag table is invalid (${count} tags).`,
    };
  }
  const tags = new Map<string, { offset: number; size: number }>();
  for (let i = 0; i < count; i++) {
    const at = 132 + i * 12;
    const sig = icc.subarray(at, at + 4).toString("latin1");
    const offset = icc.readUInt32BE(at + 4);
    const size = icc.readUInt32BE(at + 8);
    if (offset < tableEnd || size < 8 || offset + size > icc.length) {
      return {
        ja: `タグ「${sig}」がファイルの範囲の外を指しています。`,
        en: `its tag "${sig}" points outside the file.`,
      };
    }
    tags.set(sig, { offset, size });
  }
  for (const sig of ["A2B0", "B2A0"]) {
    const t = tags.get(sig);
    const type = t ? icc.subarray(t.offset, t.offset + 4).toString("latin1") : undefined;
    if (!t || !type || !LUT_TYPES.has(type)) {
      return {
        ja: `色変換の表（${sig}）${t ? "の形式が不正です" : "がありません"}。`,
        en: `its colour conversion table (${sig}) is ${t ? "not a valid table" : "missing"}.`,
      };
    }
  }
  return undefined;
}

/** The profile's `desc` tag: ICC v2 'desc' (ASCII) or v4 'mluc' (UTF-16BE, first record). */
function describe(icc: Buffer): string | undefined {
  const count = icc.readUInt32BE(128);
  for (let i = 0; i < count && 132 + i * 12 + 12 <= icc.length; i++) {
    const at = 132 + i * 12;
    if (icc.subarray(at, at + 4).toString("latin1") !== "desc") continue;
    const offset = icc.readUInt32BE(at + 4);
    const type = icc.subarray(offset, offset + 4).toString("latin1");
    if (type === "desc") {
      const length = icc.readUInt32BE(offset + 8);
      return icc
        .subarray(offset + 12, offset + 12 + length)
        .toString("latin1")
        .replace(/\0+$/, "")
        .trim();
    }
    if (type === "mluc") {
      const size = icc.readUInt32BE(offset + 20);
      const start = offset + icc.readUInt32BE(offset + 24);
      return icc
        .subarray(start, start + size)
        .swap16()
        .toString("utf16le")
        .trim();
    }
  }
  return undefined;
}
