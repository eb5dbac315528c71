import { promises as fs } from "node:fs";
import path from "node:path";
import type { Diagnostic } from "../diagnostics.js";
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
    bytes = await fs.readFile(file).catch(() => undefined);
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
      `「${src}」は ICC プロファイルではありません。`,
      `"${src}" is not an ICC profile.`,
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
  return { profile: { file, description: describe(bytes) ?? path.basename(name, path.extname(name)) } };
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
