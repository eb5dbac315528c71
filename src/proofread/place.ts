import type { Issue } from "../content/issue.js";

export interface Place {
  line?: number;
  column?: number;
  sourceLine?: string;
}

/**
 * Finds the line of issue.yaml where something in a text stands. The content stage knows where each text begins
 * (Issue.locate); from there the n-th occurrence of what was found is looked for, n being how often it came earlier
 * in the same text, so the second （ of a paragraph is not reported at the first. When the source spells the text
 * differently (an escape in a quoted string), the place falls back to where the text begins.
 */
export function placeIn(issue: Issue, path: string, text: string, offset: number, snippet: string): Place {
  const start = issue.locate(path);
  if (!start) return {};
  const fallback = { line: start.line, column: start.column, sourceLine: issue.sourceLines[start.line - 1] };
  const needle = snippet.split("\n")[0] ?? "";
  if (!needle) return fallback;
  let before = 0;
  for (let i = text.indexOf(needle); i >= 0 && i < offset; i = text.indexOf(needle, i + needle.length))
    before++;
  const lastLine = Math.min(issue.sourceLines.length, start.line + text.length + 2);
  for (let n = start.line - 1; n < lastLine; n++) {
    const source = issue.sourceLines[n] ?? "";
    // Columns are UTF-16 units, as the content stage counts them (yaml's LineCounter) and formatDiagnostic shows them.
    let from = n === start.line - 1 ? Math.max(0, start.column - 1) : 0;
    for (let i = source.indexOf(needle, from); i >= 0; i = source.indexOf(needle, from)) {
      if (before === 0) return { line: n + 1, column: i + 1, sourceLine: source };
      before--;
      from = i + needle.length;
    }
  }
  return fallback;
}
