/**
 * The structure an editor writes in a body: blank lines between paragraphs, `### 小見出し` for a subheading,
 * `> ` for a quote, `※` to start a small remark, and `: 日時: 11月3日` lines for key–value lines (an empty key,
 * `: : …`, puts another value under the one before). A single line break inside a paragraph is only the
 * editor's wrapping and is joined.
 */
export type BodyElement =
  | { kind: "paragraph"; text: string }
  | { kind: "subheading"; text: string }
  | { kind: "quote"; text: string }
  | { kind: "note"; text: string }
  | { kind: "info"; entries: { key: string; values: string[] }[] };

/** `: 日時: 11月3日` or `：場所：市民会館` → key and value; undefined when the line is not one. */
export function infoLine(line: string): { key: string; value: string } | undefined {
  if (!/^[:：]/.test(line)) return undefined;
  const rest = line.slice(1);
  const sep = rest.search(/[:：]/);
  if (sep < 0) return undefined;
  return { key: rest.slice(0, sep).trim(), value: rest.slice(sep + 1).trim() };
}

export function parseBody(body: string): BodyElement[] {
  const elements: BodyElement[] = [];
  let paragraph: string[] = [];
  let quote: string[] = [];
  let note: string[] = [];
  let info: { key: string; values: string[] }[] = [];
  const flush = () => {
    if (paragraph.length) elements.push({ kind: "paragraph", text: joinLines(paragraph) });
    if (quote.length) elements.push({ kind: "quote", text: joinLines(quote) });
    if (note.length) elements.push({ kind: "note", text: joinLines(note) });
    if (info.length) elements.push({ kind: "info", entries: info });
    paragraph = [];
    quote = [];
    note = [];
    info = [];
  };
  for (const raw of body.replace(/\r\n?/g, "\n").split("\n")) {
    const line = raw.trim();
    const kv = infoLine(line);
    if (!line) {
      flush();
    } else if (kv) {
      if (!info.length) flush();
      const last = info[info.length - 1];
      if (!kv.key && last) last.values.push(kv.value);
      else info.push({ key: kv.key, values: [kv.value] });
    } else if (line.startsWith("※")) {
      flush();
      note.push(line);
    } else if (line.startsWith("###")) {
      flush();
      elements.push({ kind: "subheading", text: line.replace(/^#+\s*/, "") });
    } else if (line.startsWith(">")) {
      if (!quote.length) flush();
      quote.push(line.replace(/^>\s?/, ""));
    } else if (note.length) {
      // A remark runs on until a blank line, as a paragraph does.
      note.push(line);
    } else {
      if (!paragraph.length) flush();
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
