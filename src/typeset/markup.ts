/** Inline markup an editor writes in body text: `**太字**` for emphasis. Everything else is literal text. */

export interface Span {
  text: string;
  bold: boolean;
}

export function parseInline(text: string, bold = false): Span[] {
  const spans: Span[] = [];
  const parts = text.split("**");
  // An unpaired ** is kept as literal text rather than swallowing the rest of the paragraph.
  const paired = parts.length % 2 === 1;
  parts.forEach((part, i) => {
    const isBold = paired && i % 2 === 1;
    const literal = !paired && i > 0 ? `**${part}` : part;
    if (literal) spans.push({ text: literal, bold: bold || isBold });
  });
  return spans;
}

/** The text as a reader sees it, markup removed (for messages and tests). */
export function plainText(text: string): string {
  return parseInline(text)
    .map((s) => s.text)
    .join("");
}
