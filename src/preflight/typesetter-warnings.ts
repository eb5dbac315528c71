import type { Issue } from "../content/issue.js";
import type { Warnings } from "../diagnostics.js";
import type { Typesetter } from "../typeset/index.js";

/**
 * The typesetter's findings as the editor's warnings: a character no font has, a line set looser than JLReq
 * allows. One function for `kaiho build` (src/cli/pipeline.ts) and the preview
 * (src/preview/session.ts), so the preview's list matches the terminal.
 */
export function addTypesetterWarnings(issue: Issue, ts: Typesetter, warnings: Warnings): void {
  for (const m of ts.missing) {
    const pos = lineOfChar(issue, m.path, m.char);
    const code = `U+${m.codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
    warnings.add(
      issue.file,
      `文字「${m.char}」(${code}) を表示できるフォントがありません（${m.path}）。紙面では〓で代用されます。`,
      `No font has the character "${m.char}" (${code}) in ${m.path}; the page shows 〓 in its place.`,
      {
        line: pos?.line,
        column: pos?.column,
        hintJa:
          "別の文字に置き換えるか、その文字を含むフォントを fonts/ に置き、issue.yaml の fonts: で指定してください。",
        hintEn:
          "Replace the character, or put a font that has it into fonts/ and name it under fonts: in issue.yaml.",
      },
    );
  }
  for (const l of ts.loose) {
    const pos = lineOfChar(issue, l.path, l.text.trim().charAt(0));
    const [ja, en] = LOOSE_MESSAGES[l.reason];
    warnings.add(issue.file, `${ja}（${l.path}）：「${l.text}」`, `${en} (${l.path}): "${l.text}"`, {
      line: pos?.line,
      column: pos?.column,
      hintJa: "語や URL を短くするか、段数を減らすか、文を書き換えてください。",
      hintEn: "Shorten the word or URL, use fewer columns, or reword the sentence.",
    });
  }
}

const LOOSE_MESSAGES = {
  loose: ["字間が空きすぎた行があります", "A line is set looser than JLReq allows"],
  ragged: [
    "段の幅に近い長さの語（URL など）で、行末がそろわない行があります",
    "A word nearly as wide as the column (a URL?) leaves a line short of the edge",
  ],
  broken: [
    "段の幅より長い語を、規則のない位置で区切りました",
    "A word wider than the column was cut where no rule allows",
  ],
} as const;

/** The line where a character stands: from where its text begins in issue.yaml, the first line that has it. */
function lineOfChar(
  issue: Issue,
  schemaPath: string,
  char: string,
): { line: number; column: number } | undefined {
  const start = issue.locate(schemaPath);
  if (!start) return undefined;
  for (let i = start.line - 1; i < issue.sourceLines.length; i++) {
    const col = issue.sourceLines[i]?.indexOf(char) ?? -1;
    if (col >= 0) return { line: i + 1, column: [...(issue.sourceLines[i] ?? "").slice(0, col)].length + 1 };
  }
  return start;
}
