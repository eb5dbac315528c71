import type { Finding, ProseText } from "./types.js";

const PAIRS: Record<string, string> = { "「": "」", "『": "』", "（": "）", "【": "】" };
const CLOSERS = new Map(Object.entries(PAIRS).map(([open, close]) => [close, open]));

/**
 * Brackets 「」『』（）【】 that do not pair up within one paragraph (a blank line ends a paragraph): one left open,
 * a closing one with nothing to close, or two pairs crossed (「…（…」…）). A list number such as １）at the start of
 * a line is not a bracket.
 */
export function checkBrackets(texts: ProseText[]): Finding[] {
  const findings: Finding[] = [];
  for (const t of texts) {
    const paragraphs = /\n[ \t　]*\n/g;
    let start = 0;
    for (const end of [...[...t.text.matchAll(paragraphs)].map((m) => m.index ?? 0), t.text.length]) {
      findings.push(...paragraph(t, start, end));
      start = end;
    }
  }
  return findings;
}

function paragraph(t: ProseText, start: number, end: number): Finding[] {
  const findings: Finding[] = [];
  // `crossed`: an opener already reported as crossed; not reported again if it is never closed.
  const open: Array<{ char: string; at: number; crossed?: boolean }> = [];
  const text = t.text;
  const shown = (at: number) => quote(text, at, end);
  for (let i = start; i < end; i++) {
    const c = text[i] ?? "";
    if (PAIRS[c]) {
      open.push({ char: c, at: i });
      continue;
    }
    const opener = CLOSERS.get(c);
    if (!opener) continue;
    const top = open[open.length - 1];
    if (top?.char === opener) {
      open.pop();
      continue;
    }
    const depth = open.map((o) => o.char).lastIndexOf(opener);
    if (depth < 0) {
      if (isListNumber(text, i)) continue;
      findings.push({
        path: t.path,
        offset: i,
        snippet: c,
        ja: `閉じ括弧「${c}」に対応する「${opener}」がありません（${shown(i)}）。`,
        en: `The closing "${c}" has no "${opener}" before it in its paragraph (${shown(i)}).`,
        hintJa: `「${opener}」を補うか、余分な「${c}」を消してください。`,
        hintEn: `Add the missing "${opener}" or delete the extra "${c}".`,
      });
      continue;
    }
    const inner = top as { char: string; at: number };
    findings.push({
      path: t.path,
      offset: i,
      snippet: c,
      ja: `括弧の組が入れ違っています: 「${inner.char}」が閉じる前に「${c}」で閉じています（${shown(i)}）。`,
      en: `Brackets cross: "${c}" closes before the "${inner.char}" opened inside it is closed (${shown(i)}).`,
      hintJa: `「${PAIRS[inner.char]}」を「${c}」の前に入れるか、括弧の順を直してください。`,
      hintEn: `Put "${PAIRS[inner.char]}" before "${c}", or fix the order of the brackets.`,
    });
    // Only the pair that closed leaves; what was opened inside it may still be closed later (「…『…」』).
    open.splice(depth, 1);
    for (const o of open.slice(depth)) o.crossed = true;
  }
  for (const o of open.filter((x) => !x.crossed)) {
    const close = PAIRS[o.char] ?? "";
    findings.push({
      path: t.path,
      offset: o.at,
      snippet: o.char,
      ja: `「${o.char}」が閉じられていません（段落の中に「${close}」がありません: ${shown(o.at)}）。`,
      en: `"${o.char}" is never closed: no "${close}" follows in its paragraph (${shown(o.at)}).`,
      hintJa: `閉じる位置に「${close}」を補うか、余分な「${o.char}」を消してください。`,
      hintEn: `Add "${close}" where it closes, or delete the extra "${o.char}".`,
    });
  }
  return findings;
}

/** １）, 2）, a）, ※1） at the start of a line or after a space: an enumeration, not a closing bracket. */
function isListNumber(text: string, i: number): boolean {
  const before = text.slice(text.lastIndexOf("\n", i - 1) + 1, i);
  return /(?:^|[\s　、。])(?:※|注)?[0-9０-９a-zA-Zａ-ｚＡ-Ｚ]{1,2}$/.test(before);
}

/** A few characters around `at`, on its line, for the message. */
function quote(text: string, at: number, end: number): string {
  const lineStart = text.lastIndexOf("\n", at - 1) + 1;
  const from = Math.max(lineStart, at - 8);
  const lineEnd = text.indexOf("\n", at);
  const to = Math.min(end, lineEnd < 0 ? text.length : lineEnd, at + 9);
  return `${from > lineStart ? "…" : ""}${text.slice(from, to)}${to < (lineEnd < 0 ? text.length : lineEnd) ? "…" : ""}`;
}
