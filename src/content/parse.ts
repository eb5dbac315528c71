import {
  type Document,
  isAlias,
  isScalar,
  LineCounter,
  parseDocument,
  visit,
  type YAMLError,
  type YAMLMap,
} from "yaml";
import { type Diagnostic, KaihoError, MAX_SHOWN, type Warnings } from "../diagnostics.js";
import { SourceMap } from "./source-map.js";

export interface ParsedSource {
  doc: Document.Parsed;
  /** The plain data (what the schema validates). */
  data: unknown;
  lines: string[];
  sourceMap: SourceMap;
}

export interface CollectedSource extends ParsedSource {
  /**
   * Every problem found in the text, in one run: the syntax errors (one per part of the file, see below), a value
   * starting with "*", a full-width space used as indentation. Empty when the text is good YAML.
   */
  problems: Diagnostic[];
  /**
   * JSON pointers of what was set aside because of a syntax error (`/date`, `/blocks`): the schema's "missing"
   * or "empty" for them would only echo the syntax error, so validation does not report them.
   */
  setAside: string[];
}

const PARSE_OPTIONS = {
  version: "1.2",
  schema: "core",
  uniqueKeys: true,
  prettyErrors: false,
  strict: true,
} as const;

/** As many as one run shows (src/diagnostics.ts); each round parses the whole text again. */
const MAX_SYNTAX_ROUNDS = MAX_SHOWN;

/**
 * YAML text → data with positions. YAML 1.2 core schema, so `2023-12-01` stays a string and `yes`/`no` stay words.
 * Syntax errors become one Japanese explanation per line, aimed at the mistakes editors actually make: tabs or
 * full-width spaces as indentation, no space after a colon, a full-width colon, an unclosed quote, a colon inside
 * a value, text that slipped out of a `|` block.
 *
 * Every syntax error is reported in one run, but not every error the parser reports: after one mistake its
 * recovery guesses, and what follows is mostly echo (one tab gave six messages, one of them wrong). So the first
 * error is explained, the part of the file it is in (a top-level key, or one block of `blocks:`) is set aside
 * (blanked, so lines keep their numbers), and the text is parsed again for the next one. What remains is good
 * YAML, and its data goes on to the schema, so its problems are reported in the same run.
 */
export function parseSourceAll(text: string, file: string, warnings: Warnings): CollectedSource {
  const lines = text.split(/\r\n|\r|\n/);
  refuseRunawayNesting(lines, file);
  const problems: Diagnostic[] = [];
  const setAside = new Set<string>();
  const current = [...lines];
  let lineCounter = new LineCounter();
  let doc = parseDocument(text, { lineCounter, ...PARSE_OPTIONS });
  let at: At = atOf(lineCounter);
  for (let round = 0; doc.errors.length > 0; round++) {
    const first = firstSyntaxError(doc, current.join("\n"), current, at, file);
    const span = first.line === undefined ? undefined : partOfFile(current, first.line);
    problems.push({ ...first, sourceLine: first.line ? lines[first.line - 1] : undefined });
    if (!span || round >= MAX_SYNTAX_ROUNDS) throw new KaihoError(problems);
    for (let i = span.from; i <= span.to; i++) current[i - 1] = "";
    if (span.standIn) current[span.from - 1] = span.standIn;
    if (span.pointer) setAside.add(span.pointer);
    lineCounter = new LineCounter();
    doc = parseDocument(current.join("\n"), { lineCounter, ...PARSE_OPTIONS });
    at = atOf(lineCounter);
  }
  for (const w of doc.warnings) {
    const { line, column } = at(w.pos[0]);
    warnings.add(file, `YAML の注意: ${w.message}`, `YAML warning: ${w.message}`, {
      line,
      column,
      sourceLine: lines[line - 1],
    });
  }

  // `*` at the start of a value is a YAML alias: an editor's `**太字**` at the start of a one-line value.
  visit(doc, {
    Alias(_key, node) {
      if (!node.range) return;
      const { line, column } = at(node.range[0]);
      problems.push({
        severity: "error",
        file,
        line,
        column,
        sourceLine: lines[line - 1],
        ja: "値が「*」で始まっています。YAML では * で始まる値は特別な意味（別名）になります。",
        en: 'The value starts with "*", which YAML reads as an alias.',
        hintJa:
          '値全体を引用符で囲んでください（例: title: "**重要** お知らせ"）。本文なら「|」の下に書けばそのまま使えます。',
        hintEn:
          'Put the whole value in quotes (e.g. title: "**重要** お知らせ"), or write it in a "|" block.',
      });
    },
  });

  // A full-width space before "- " or a key is not indentation to YAML: it becomes part of a key.
  visit(doc, {
    Pair(_key, pair) {
      const k = pair.key;
      if (!isScalar(k) || typeof k.value !== "string" || !/^\u3000/.test(k.value) || !k.range) return;
      const { line, column } = at(k.range[0]);
      problems.push({
        severity: "error",
        file,
        line,
        column,
        sourceLine: lines[line - 1],
        ja: "行頭に全角スペースがあります。YAML の字下げには半角スペースしか使えません。",
        en: "A full-width space (U+3000) is used for indentation; YAML indentation must be ASCII spaces.",
        hintJa: "全角スペースを半角スペースに置き換えてください。",
        hintEn: "Replace the full-width space with ASCII spaces.",
      });
    },
  });

  if (doc.contents === null && problems.length === 0) {
    throw new KaihoError({
      severity: "error",
      file,
      ja: "ファイルが空です（コメントしかありません）。",
      en: "The file is empty (only comments).",
      hintJa: "前の号の issue.yaml をコピーして書き換えるのが簡単です。",
      hintEn: "Start from a copy of the previous issue's issue.yaml.",
    });
  }

  // Aliases are refused above, so resolving them here only serves the checks that follow.
  const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  checkShape(data, doc, file, lines, at);
  return { doc, data, lines, sourceMap: new SourceMap(doc, lineCounter), problems, setAside: [...setAside] };
}

/** parseSourceAll for callers that need good YAML or nothing: every problem found is thrown at once. */
export function parseSource(text: string, file: string, warnings: Warnings): ParsedSource {
  const parsed = parseSourceAll(text, file, warnings);
  if (parsed.problems.length > 0) throw new KaihoError(parsed.problems);
  return parsed;
}

function atOf(lineCounter: LineCounter): At {
  return (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
}

/** The first of the parser's errors, explained; several errors on one line are one mistake. */
function firstSyntaxError(
  doc: Document.Parsed,
  text: string,
  lines: string[],
  at: At,
  file: string,
): Diagnostic {
  const seenLines = new Set<number>();
  const diagnostics: Diagnostic[] = [];
  for (const error of doc.errors) {
    const d = explainSyntaxError(error, text, lines, doc, at, file);
    if (d.line !== undefined && seenLines.has(d.line)) continue;
    if (d.line !== undefined) seenLines.add(d.line);
    diagnostics.push(d);
  }
  diagnostics.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return diagnostics[0] as Diagnostic;
}

/**
 * The part of the file a line belongs to: the top-level key it is under (`date: …`, `email:` and what is indented
 * under it), or, under `blocks:`, the one block it is in. A line before the first block, or a mistake on the line
 * that starts a block, goes with the block after it.
 */
function partOfFile(
  lines: string[],
  line: number,
): { from: number; to: number; pointer: string; standIn?: string } {
  const topKey = (s: string) => /^[^\s#\-\u3000]/.test(s) && !/^\.\.\.\s*$/.test(s);
  const blocksAt = lines.findIndex((s) => /^blocks\s*:/.test(s)) + 1;
  const afterBlocks = blocksAt > 0 ? lines.findIndex((s, i) => i >= blocksAt && topKey(s)) + 1 : 0;
  const blocksEnd = afterBlocks > 0 ? afterBlocks : lines.length + 1;
  // The blocks are the least indented "- " lines of the section (photos and items are deeper).
  let itemIndent: number | undefined;
  for (let i = blocksAt; blocksAt > 0 && i < blocksEnd - 1; i++) {
    const m = /^( *)-(\s|$)/.exec(lines[i] ?? "");
    if (m) itemIndent = Math.min(itemIndent ?? Number.POSITIVE_INFINITY, (m[1] as string).length);
  }
  const item = new RegExp(`^ {${itemIndent ?? 0}}-(\\s|$)`);
  const isItem = (i: number) =>
    itemIndent !== undefined && i > blocksAt && i < blocksEnd && item.test(lines[i - 1] ?? "");
  const isStart = (i: number) => topKey(lines[i - 1] ?? "") || isItem(i);
  let from = line;
  while (from > 1 && !isStart(from)) from--;
  let to = line + 1;
  while (to <= lines.length && !isStart(to)) to++;
  to--;
  if (from === blocksAt && line > blocksAt) from = line; // a mistake between blocks: keep `blocks:` itself
  const inBlocks = blocksAt > 0 && from > blocksAt && !topKey(lines[from - 1] ?? "");
  const key = /^([A-Za-z_][\w-]*)\s*[:：]/.exec(lines[from - 1] ?? "")?.[1];
  const pointer = inBlocks ? "/blocks" : key ? `/${key}` : "";
  // A block set aside leaves a stand-in, so the blocks after it keep their numbers (blocks[2]) in messages.
  const startsBlock = isItem(from) || (from === line && /^[\s\u3000]*-(\s|$)/.test(lines[from - 1] ?? ""));
  const standIn = inBlocks && startsBlock ? `${" ".repeat(itemIndent ?? 2)}- note: "-"` : undefined;
  return { from, to, pointer, ...(standIn ? { standIn } : {}) };
}

type At = (offset: number) => { line: number; column: number };

/** Deeper than any issue needs; later stages (validation, layout) walk the data recursively. */
export const MAX_DEPTH = 32;
/** One text field: a long article is 20 KB; 100 KB is a whole booklet's text in one value. */
export const MAX_FIELD_BYTES = 100 * 1024;

/**
 * The data's size and depth, checked without recursion: a value nested deeper than MAX_DEPTH or a string over
 * MAX_FIELD_BYTES is refused with its path, size and line, before any later stage meets it.
 */
function checkShape(data: unknown, doc: Document.Parsed, file: string, lines: string[], at: At): void {
  const stack: Array<{ value: unknown; path: Array<string | number> }> = [{ value: data, path: [] }];
  while (stack.length) {
    const { value, path } = stack.pop() as { value: unknown; path: Array<string | number> };
    if (path.length > MAX_DEPTH) {
      throw shapeError(doc, path, file, lines, at, {
        ja: `入れ子が深すぎます（${MAX_DEPTH} 段まで）。`,
        en: `The nesting is too deep (at most ${MAX_DEPTH} levels).`,
        hintJa: "字下げや括弧の閉じ忘れがないか確かめてください。",
        hintEn: "Check for runaway indentation or unclosed brackets.",
      });
    }
    if (typeof value === "string") {
      const bytes = Buffer.byteLength(value);
      if (bytes > MAX_FIELD_BYTES) {
        throw shapeError(doc, path, file, lines, at, {
          ja: `${showSegments(path)} の文字が多すぎます（${(bytes / 1024).toFixed(0)} KB、1 項目 ${MAX_FIELD_BYTES / 1024} KB まで）。`,
          en: `${showSegments(path)} is too long (${(bytes / 1024).toFixed(0)} KB; at most ${MAX_FIELD_BYTES / 1024} KB per field).`,
          hintJa: "別のファイルの内容を貼り付けていないか確かめ、記事を分けてください。",
          hintEn: "Check that nothing was pasted by mistake, and split the article.",
        });
      }
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => {
        stack.push({ value: v, path: [...path, i] });
      });
    } else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) stack.push({ value: v, path: [...path, k] });
    }
  }
}

/**
 * The YAML parser recurses once per level of nesting; far past any real issue it overflows the stack, and after
 * that the parser's state is not to be trusted for the next file in the same process. So runaway nesting —
 * brackets or indentation levels far deeper than MAX_DEPTH — is refused from the text, before parsing.
 */
function refuseRunawayNesting(lines: string[], file: string): void {
  const limit = MAX_DEPTH * 2;
  const indents: number[] = [];
  let flow = 0;
  for (const [i, line] of lines.entries()) {
    const body = line.replace(/(^|\s)#.*$/, "");
    if (!body.trim()) continue;
    const indent = body.length - body.trimStart().length;
    while (indents.length && (indents.at(-1) ?? 0) >= indent) indents.pop();
    indents.push(indent);
    let deepest = flow;
    for (const ch of body) {
      if (ch === "[" || ch === "{") deepest = Math.max(deepest, ++flow);
      else if ((ch === "]" || ch === "}") && flow > 0) flow--;
    }
    if (indents.length > limit || deepest > limit) {
      throw new KaihoError({
        severity: "error",
        file,
        line: i + 1,
        sourceLine: truncateLine(line),
        ja: `入れ子（字下げや [ ] { }）が深すぎて読めません（${MAX_DEPTH} 段まで）。`,
        en: `The nesting (indentation or [ ] { }) is too deep to read (at most ${MAX_DEPTH} levels).`,
        hintJa:
          "字下げや括弧の閉じ忘れがないか確かめてください。会報の原稿に数段より深い入れ子は要りません。",
        hintEn: "Check for runaway indentation or unclosed brackets; an issue needs only a few levels.",
      });
    }
  }
}

function showSegments(path: Array<string | number>): string {
  return (
    path.reduce<string>((out, s) => (typeof s === "number" ? `${out}[${s}]` : out ? `${out}.${s}` : s), "") ||
    "(top)"
  );
}

function shapeError(
  doc: Document.Parsed,
  path: Array<string | number>,
  file: string,
  lines: string[],
  at: At,
  text: { ja: string; en: string; hintJa: string; hintEn: string },
): KaihoError {
  // The node's line, found by walking down the document as far as the path goes.
  let node: unknown = doc.contents;
  let offset: number | undefined;
  for (const segment of path) {
    const n = node as { range?: [number, number]; get?: (k: unknown, keep: boolean) => unknown } | null;
    if (n?.range) offset = n.range[0];
    node = n?.get ? n.get(segment, true) : undefined;
    if (!node) break;
  }
  const last = node as { range?: [number, number] } | undefined;
  if (last?.range) offset = last.range[0];
  const pos = offset === undefined ? undefined : at(offset);
  return new KaihoError({
    severity: "error",
    file,
    ...(pos ? { line: pos.line, column: pos.column, sourceLine: truncateLine(lines[pos.line - 1]) } : {}),
    ...text,
  });
}

function truncateLine(line: string | undefined): string | undefined {
  return line !== undefined && line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

interface Explanation {
  ja: string;
  en: string;
  hintJa?: string;
  hintEn?: string;
  line?: number;
  column?: number;
}

function explainSyntaxError(
  error: YAMLError,
  text: string,
  lines: string[],
  doc: Document.Parsed,
  at: At,
  file: string,
): Diagnostic {
  const start = at(error.pos[0]);
  const end = at(Math.max(error.pos[0], error.pos[1] - 1));
  const common =
    error.code === "DUPLICATE_KEY"
      ? undefined
      : (findCommonMistake(lines, start.line, end.line) ?? colonMistakeAbove(lines, start.line));
  const e: Explanation = common ?? explainByCode(error, text, lines, doc, at);
  const line = e.line ?? start.line;
  const column = e.column ?? start.column;
  return {
    severity: "error",
    file,
    line,
    column,
    sourceLine: lines[line - 1],
    ja: e.ja,
    en: e.en,
    ...(e.hintJa ? { hintJa: e.hintJa } : {}),
    ...(e.hintEn ? { hintEn: e.hintEn } : {}),
  };
}

/**
 * `title:見出し` (no space after the colon) is a plain text to YAML, so the parser complains only on the line after
 * it: the line above an error is checked for the colon mistakes too.
 */
function colonMistakeAbove(lines: string[], line: number): Explanation | undefined {
  let above = line - 1;
  while (above >= 1 && /^\s*(#.*)?$/.test(lines[above - 1] ?? "")) above--;
  if (above < 1) return undefined;
  const found = findCommonMistake(lines, above, above);
  return found && /コロン/.test(found.ja) ? found : undefined;
}

/** Mistakes recognisable from the text of a line, checked on the lines an error spans. */
function findCommonMistake(lines: string[], from: number, to: number): Explanation | undefined {
  for (let line = from; line <= Math.min(to, from + 20); line++) {
    const s = lines[line - 1] ?? "";
    const lead = /^[ \t\u3000]*/.exec(s)?.[0] ?? "";
    if (lead.includes("\t")) {
      return {
        line,
        column: lead.indexOf("\t") + 1,
        ja: "行頭にタブ文字があります。YAML の字下げには半角スペースしか使えません。",
        en: "A tab is used for indentation; YAML indentation must be spaces.",
        hintJa: "タブを半角スペース（上の行にそろえた数）に置き換えてください。",
        hintEn: "Replace the tab with spaces, lined up with the lines above.",
      };
    }
    if (lead.includes("\u3000")) {
      return {
        line,
        column: lead.indexOf("\u3000") + 1,
        ja: "行頭に全角スペースがあります。YAML の字下げには半角スペースしか使えません。",
        en: "A full-width space (U+3000) is used for indentation; YAML indentation must be ASCII spaces.",
        hintJa: "全角スペースを半角スペースに置き換えてください。",
        hintEn: "Replace the full-width space with ASCII spaces.",
      };
    }
    const fullColon = /^\s*(?:-\s+)?[A-Za-z_][\w]*\s*：/.exec(s);
    if (fullColon) {
      return {
        line,
        column: fullColon[0].length,
        ja: "項目名の後ろのコロンが全角「：」になっています。",
        en: 'The colon after the key is a full-width "：".',
        hintJa: "半角のコロンと半角スペース「: 」に直してください。",
        hintEn: 'Use an ASCII colon followed by a space ": ".',
      };
    }
    const noSpace = /^\s*(?:-\s+)?[A-Za-z_][\w]*:(?=[^\s])/.exec(s);
    if (noSpace) {
      return {
        line,
        column: noSpace[0].length + 1,
        ja: "コロン「:」の後ろに半角スペースがありません。",
        en: 'No space after the colon ":".',
        hintJa: "「項目名: 値」のように、コロンの後ろに半角スペースを1つ入れてください。",
        hintEn: 'Write "key: value" with one space after the colon.',
      };
    }
  }
  return undefined;
}

function explainByCode(
  error: YAMLError,
  text: string,
  lines: string[],
  doc: Document.Parsed,
  at: At,
): Explanation {
  const tail = { hintEn: `(YAML parser: ${error.message})` };
  switch (error.code) {
    case "TAB_AS_INDENT":
      return {
        ja: "行頭にタブ文字があります。YAML の字下げには半角スペースしか使えません。",
        en: "A tab is used for indentation; YAML indentation must be spaces.",
        hintJa: "タブを半角スペースに置き換えてください。",
        hintEn: "Replace the tab with spaces.",
      };
    case "DUPLICATE_KEY": {
      const first = firstOccurrence(doc, error.pos[0]);
      const name = keyText(doc, error.pos[0]) ?? "";
      return {
        ja: `同じ項目名「${name}」が同じ場所に2回書かれています${first ? `（1回目は ${at(first).line} 行目）` : ""}。`,
        en: `The key "${name}" appears twice at the same place${first ? ` (first on line ${at(first).line})` : ""}.`,
        hintJa: "どちらか一方を消すか、別のブロックなら「- 」で区切ってください。",
        hintEn: 'Delete one of them, or start a new block with "- " if they belong to different blocks.',
      };
    }
    case "MISSING_CHAR":
      if (/quote/.test(error.message)) {
        const q = error.message.includes('"') ? '"' : "'";
        const open = findOpeningQuote(text, error.pos[0], q);
        const place = open === undefined ? {} : at(open);
        return {
          ...place,
          ja: `引用符 ${q} が閉じられていません。`,
          en: `The quote ${q} is never closed.`,
          hintJa: `この ${q} で始めた値の終わりにも ${q} を付けてください（値の中の ${q} を消すか、引用符を外しても構いません）。`,
          hintEn: `Close the value with ${q} too (or remove the opening ${q}).`,
        };
      }
      return {
        ja: "「項目名: 値」の形になっていない行があります。本文の続きなら、字下げが「|」の中の行とそろっていないのかもしれません。",
        en: 'This line is not "key: value". If it is body text, it may be indented less than the rest of its "|" block.',
        hintJa: "上の行と同じだけ半角スペースで字下げしてください。",
        ...tail,
      };
    case "MULTILINE_IMPLICIT_KEY":
      return {
        ja: "「項目名: 値」の形になっていない行があります（コロンの後ろの半角スペースや、字下げを確かめてください）。",
        en: 'A line is not in "key: value" form (check the space after the colon and the indentation).',
        hintJa: "「項目名: 値」のように、コロンの後ろに半角スペースを1つ入れてください。",
        ...tail,
      };
    case "BLOCK_AS_IMPLICIT_KEY":
      return {
        ja: "値の中に「: 」（コロンと半角スペース）があるため、YAML が項目名と読み違えています。",
        en: 'The value contains ": " (colon and space), which YAML reads as another key.',
        hintJa: '値全体を引用符で囲むか（例: caption: "講師: 小林薫氏"）、全角の「：」を使ってください。',
        hintEn: 'Quote the whole value (e.g. caption: "講師: 小林薫氏") or use a full-width "：".',
      };
    case "BAD_INDENT":
    case "BAD_COLLECTION_TYPE": {
      const pos = at(error.pos[0]);
      const s = lines[pos.line - 1] ?? "";
      return {
        column: (/^\s*/.exec(s)?.[0].length ?? 0) + 1,
        ja: "字下げ（行頭の半角スペースの数）がそろっていません。",
        en: "The indentation (number of leading spaces) does not line up.",
        hintJa: "同じ階層の項目は、行頭の半角スペースの数をそろえてください。",
        hintEn: "Items at the same level must start at the same column.",
      };
    }
    case "BAD_SCALAR_START":
    case "UNEXPECTED_TOKEN":
      return {
        ja: "値の始まりの記号（[ { @ ` ! & * > | % など）を YAML が特別な意味に読んでいます。",
        en: "The value starts with a character YAML treats specially ([ { @ ` ! & * > | % …).",
        hintJa: '値全体を引用符で囲んでください（例: title: "[速報] 定期大会"）。',
        hintEn: 'Put the whole value in quotes (e.g. title: "[速報] 定期大会").',
      };
    case "MULTIPLE_DOCS":
      return {
        ja: "「---」の行があります。1つの issue.yaml には1号分だけを書きます。",
        en: 'There is a "---" line; an issue.yaml holds exactly one issue.',
        hintJa: "「---」の行を消してください（区切り線のつもりなら「# ---」とコメントにできます）。",
        hintEn: 'Delete the "---" line (write "# ---" for a visual separator).',
      };
    case "RESOURCE_EXHAUSTION":
      return {
        ja: `入れ子（字下げや [ ] { }）が深すぎて読めません（${MAX_DEPTH} 段まで）。`,
        en: `The nesting (indentation or [ ] { }) is too deep to read (at most ${MAX_DEPTH} levels).`,
        hintJa:
          "字下げや括弧の閉じ忘れがないか確かめてください。会報の原稿に数段より深い入れ子は要りません。",
        hintEn: "Check for runaway indentation or unclosed brackets; an issue needs only a few levels.",
      };
    case "BAD_DQ_ESCAPE":
      return {
        ja: '"…" の中の「\\」は特別な意味を持ちます。',
        en: 'A backslash inside "…" starts an escape sequence.',
        hintJa: "「\\」を消すか、値を '…'（一重引用符）で囲んでください。",
        hintEn: "Remove the backslash or use single quotes '…'.",
      };
    default:
      return {
        ja: "YAML の書き方に誤りがあります。",
        en: `YAML syntax error: ${error.message}`,
        hintJa: "この行とその上の行の字下げ、コロン、引用符を確かめてください。",
        hintEn: "Check indentation, colons and quotes on this line and the one above.",
      };
  }
}

function findOpeningQuote(text: string, errorOffset: number, q: string): number | undefined {
  for (let i = Math.min(errorOffset, text.length) - 1; i >= 0; i--) {
    if (text[i] === q && !(q === '"' && text[i - 1] === "\\")) return i;
  }
  return undefined;
}

function keyText(doc: Document.Parsed, offset: number): string | undefined {
  let found: string | undefined;
  visit(doc, {
    Pair(_k, pair) {
      const k = pair.key;
      if (isScalar(k) && k.range?.[0] === offset) {
        found = String(k.value);
        return visit.BREAK;
      }
    },
  });
  return found;
}

/** Offset of the first key equal to the duplicate key that starts at `offset`. */
function firstOccurrence(doc: Document.Parsed, offset: number): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Map(_k, map: YAMLMap) {
      const dup = map.items.find((p) => isScalar(p.key) && p.key.range?.[0] === offset);
      if (!dup || !isScalar(dup.key)) return;
      const name = dup.key.value;
      const first = map.items.find((p) => isScalar(p.key) && p.key.value === name && !isAlias(p.key));
      if (first && isScalar(first.key)) found = first.key.range?.[0];
      return visit.BREAK;
    },
  });
  return found;
}
