/**
 * The structure an editor writes in a body: blank lines between paragraphs, `### 小見出し` for a subheading and
 * `> ` for a quote. A single line break inside a paragraph is only the editor's wrapping and is joined.
 */
export type BodyElement =
  | { kind: "paragraph"; text: string }
  | { kind: "subheading"; text: string }
  | { kind: "quote"; text: string };

export function parseBody(body: string): BodyElement[] {
  const elements: BodyElement[] = [];
  let paragraph: string[] = [];
  let quote: string[] = [];
  const flush = () => {
    if (paragraph.length) elements.push({ kind: "paragraph", text: joinLines(paragraph) });
    if (quote.length) elements.push({ kind: "quote", text: joinLines(quote) });
    paragraph = [];
    quote = [];
  };
  for (const raw of body.replace(/\r\n?/g, "\n").split("\n")) {
    const line = raw.trim();
    if (!line) {
      flush();
    } else if (line.startsWith("###")) {
      flush();
      elements.push({ kind: "subheading", text: line.replace(/^#+\s*/, "") });
    } else if (line.startsWith(">")) {
      if (paragraph.length) flush();
      quote.push(line.replace(/^>\s?/, ""));
    } else {
      if (quote.length) flush();
      paragraph.push(line);
    }
  }
  flush();
  return elements;
}

/** Japanese lines join without a space; a space is kept only between two Latin words. */
function joinLines(lines: string[]): string {
  return lines.reduce((acc, line) => {
    if (!acc) return line;
    const latinJoin = /[A-Za-z0-9,.;:!?]$/.test(acc) && /^[A-Za-z0-9]/.test(line);
    return acc + (latinJoin ? " " : "") + line;
  }, "");
}
