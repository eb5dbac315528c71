/**
 * URLs and e-mail addresses in running text, which the screen and email editions make clickable. Only ASCII is
 * taken: a URL written in Japanese text ends where the Japanese begins (詳細はhttps://example.jp/をご覧ください).
 */

export interface FoundLink {
  /** UTF-16 offsets of the link text in the string searched. */
  start: number;
  end: number;
  /** What the annotation opens: the URL as written, `http://` before a bare `www.`, `mailto:` before an address. */
  uri: string;
}

const URL = /\b(?:https?:\/\/|www\.)[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+/g;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
/** Sentence punctuation after a URL is not part of it (…/festa2026. or (https://example.jp)). */
const TRAILING = /[.,:;!?'"]+$/;

export function linksIn(text: string): FoundLink[] {
  const found: FoundLink[] = [];
  for (const m of text.matchAll(URL)) {
    let url = m[0];
    for (;;) {
      const trimmed = url.replace(TRAILING, "");
      // A closing bracket ends the URL unless the URL opened one (https://ja.wikipedia.org/wiki/A_(B)).
      const unpaired =
        /[)\]]$/.test(trimmed) &&
        count(trimmed, trimmed.endsWith(")") ? "(" : "[") < count(trimmed, trimmed.endsWith(")") ? ")" : "]");
      const next = unpaired ? trimmed.slice(0, -1) : trimmed;
      if (next === url) break;
      url = next;
    }
    const start = m.index ?? 0;
    if (url.length <= "www.".length || /^https?:\/\/$/.test(url)) continue;
    found.push({ start, end: start + url.length, uri: url.startsWith("www.") ? `http://${url}` : url });
  }
  for (const m of text.matchAll(EMAIL)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (found.some((l) => start < l.end && end > l.start)) continue;
    // A dot may not begin an address (…です.taro@example.jp is not "…です" + ".taro").
    const address = m[0].replace(/^\.+/, "");
    found.push({ start: end - address.length, end, uri: `mailto:${address}` });
  }
  return found.sort((a, b) => a.start - b.start);
}

function count(text: string, ch: string): number {
  return text.split(ch).length - 1;
}
