/**
 * Inline markup an editor writes in any typeset text: `**太字**` for emphasis, and Aozora Bunko ruby (furigana)
 * notation, as school letters use it: `｜水泳《すいえい》` (the base runs from ｜ to 《) or `漢字《かんじ》` (the
 * base is the run of kanji directly before 《). Everything else is literal text: a 《 that closes nothing, or a ｜
 * not followed by a base and 《…》, is printed as written.
 */

export interface Span {
  text: string;
  bold: boolean;
  /** Ruby over the whole of `text` (which is then its base). */
  ruby?: string;
}

/**
 * ｜ (or |) base 《ruby》, else a run of kanji (with 々〆〇ヶ, which Aozora counts as kanji) directly before 《ruby》.
 * Neither base nor ruby may contain a line break or another ruby mark.
 */
const RUBY = /[｜|]([^｜|《》\n]+)《([^《》\n]+)》|([\p{Script=Han}々〆〇ヶ]+)《([^《》\n]+)》/gu;

export function parseInline(text: string, bold = false): Span[] {
  const spans: Span[] = [];
  const parts = text.split("**");
  // An unpaired ** is kept as literal text rather than swallowing the rest of the paragraph.
  const paired = parts.length % 2 === 1;
  parts.forEach((part, i) => {
    const isBold = paired && i % 2 === 1;
    const literal = !paired && i > 0 ? `**${part}` : part;
    if (literal) spans.push(...rubySpans(literal, bold || isBold));
  });
  return spans;
}

/** Splits one run of text into plain spans and ruby spans. */
export function rubySpans(text: string, bold: boolean): Span[] {
  const spans: Span[] = [];
  let at = 0;
  for (const m of text.matchAll(RUBY)) {
    const start = m.index ?? 0;
    if (start > at) spans.push({ text: text.slice(at, start), bold });
    const base = m[1] ?? m[3] ?? "";
    const ruby = (m[2] ?? m[4] ?? "").trim();
    spans.push(ruby ? { text: base, bold, ruby } : { text: base, bold });
    at = start + m[0].length;
  }
  if (at < text.length) spans.push({ text: text.slice(at), bold });
  return spans;
}

/** The text as a reader sees it, markup removed and ruby left out (for messages, PDF metadata and tests). */
export function plainText(text: string): string {
  return parseInline(text)
    .map((s) => s.text)
    .join("");
}
