/**
 * Problems an editor can act on. Every message is written Japanese first (the editors are Japanese) with the
 * English beside it, and names the file and, where there is one, the line.
 */

export type Severity = "error" | "warning";

export interface Diagnostic {
  severity: Severity;
  /** Absolute or project-relative path of the file the problem is in. */
  file: string;
  /** 1-based line and column in `file`, when the problem has a place. */
  line?: number;
  column?: number;
  /** The offending source line, shown under the message with the column marked. */
  sourceLine?: string;
  ja: string;
  en: string;
  /** What to do about it, in both languages. */
  hintJa?: string;
  hintEn?: string;
}

/** Exit codes of the CLI: a content problem the editor can fix is 1, a wrong command line is 2. */
export const EXIT_CONTENT = 1;
export const EXIT_USAGE = 2;

export class KaihoError extends Error {
  readonly diagnostics: Diagnostic[];
  readonly exitCode: number;
  /** Warnings found before the run stopped (a Shift_JIS file, a font without Japanese): shown with the errors. */
  readonly warnings: Diagnostic[] = [];

  constructor(diagnostics: Diagnostic | Diagnostic[], exitCode = EXIT_CONTENT) {
    const list = Array.isArray(diagnostics) ? diagnostics : [diagnostics];
    super(list.map((d) => `${d.file}: ${d.en}`).join("\n"));
    this.name = "KaihoError";
    this.diagnostics = list;
    this.exitCode = exitCode;
  }
}

export function errorAt(
  file: string,
  ja: string,
  en: string,
  place: Partial<Pick<Diagnostic, "line" | "column" | "sourceLine" | "hintJa" | "hintEn">> = {},
): KaihoError {
  return new KaihoError({ severity: "error", file, ja, en, ...place });
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line ? `${d.file}:${d.line}${d.column ? `:${d.column}` : ""}` : d.file;
  const label = d.severity === "error" ? "エラー error" : "警告 warning";
  const lines = [`${where}: ${label}: ${d.ja}`, `  ${d.en}`];
  if (d.sourceLine !== undefined && d.line) {
    const gutter = `${d.line} | `;
    lines.push(`  ${gutter}${d.sourceLine}`);
    if (d.column) {
      const pad = [...d.sourceLine.slice(0, d.column - 1)].map((ch) => (isWide(ch) ? "  " : " ")).join("");
      lines.push(`  ${" ".repeat(gutter.length)}${pad}^`);
    }
  }
  if (d.hintJa) lines.push(`  → ${d.hintJa}`);
  if (d.hintEn) lines.push(`  → ${d.hintEn}`);
  return lines.join("\n");
}

/** How many problems one run lists; the rest are counted ("and N more"), to keep the first ones on screen. */
export const MAX_SHOWN = 30;

/** By file, then line and column (a problem of the whole file first), in a stable order. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0),
  );
}

/** Every problem of a run, sorted, the first MAX_SHOWN formatted and the rest counted. */
export function formatDiagnostics(
  list: readonly Diagnostic[],
  show = formatDiagnostic,
  max = MAX_SHOWN,
): string[] {
  const sorted = sortDiagnostics(list);
  const out = sorted.slice(0, max).map(show);
  const more = sorted.length - max;
  if (more > 0) out.push(`…ほかに ${more} 件あります / and ${more} more`);
  return out;
}

/** East Asian wide characters take two terminal cells; the caret under the source line must account for it. */
function isWide(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    cp >= 0x20000
  );
}

/** Collects warnings across stages so the CLI can print them together and `--strict` can refuse them. */
export class Warnings {
  readonly list: Diagnostic[] = [];
  add(file: string, ja: string, en: string, place: Partial<Diagnostic> = {}): void {
    this.list.push({ severity: "warning", file, ja, en, ...place });
  }
}
