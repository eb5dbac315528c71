import type { Issue } from "../content/issue.js";
import type { Diagnostic } from "../diagnostics.js";
import { plainText } from "../typeset/index.js";
import { articleHeight, type Piece } from "./compose.js";

/** How far off, in words an editor can act on: lines when it is a little, fractions of a page when it is more. */
function amount(off: number, pageHeight: number, lineHeight: number): { ja: string; en: string } {
  const q = Math.abs(off) / pageHeight;
  if (q < 0.2) {
    const n = Math.max(1, Math.round(Math.abs(off) / lineHeight));
    return { ja: `約${n}行`, en: `about ${n} line${n === 1 ? "" : "s"}` };
  }
  if (q < 0.375) return { ja: "約4分の1ページ", en: "about a quarter page" };
  if (q < 0.625) return { ja: "約半ページ", en: "about half a page" };
  if (q < 0.875) return { ja: "約4分の3ページ", en: "about three quarters of a page" };
  const pages = Math.round(q * 2) / 2;
  return { ja: `約${pages}ページ`, en: `about ${pages} page${pages === 1 ? "" : "s"}` };
}

/**
 * The warning when `pages: N` cannot be met: how much too long or short, and which articles to shorten (the
 * longest ones, where shortening helps most).
 */
export function pagesMessage(
  issue: Issue,
  wanted: number,
  off: number,
  pageHeight: number,
  lineHeight: number,
  pieces: Piece[],
): Diagnostic {
  const pos = issue.locate("pages");
  const { ja, en } = amount(off, pageHeight, lineHeight);
  const longest = pieces
    .filter((p) => p.kind === "article")
    .map((p) => ({ what: short(p.what), h: articleHeight(p) }))
    .sort((a, b) => b.h - a.h)
    .slice(0, 2);
  const namesJa = longest.map((a) => `「${a.what}」`).join("");
  const namesEn = longest.map((a) => `"${a.what}"`).join(", ");
  const base = { severity: "warning" as const, file: issue.file, line: pos?.line, column: pos?.column };
  if (off > 0)
    return {
      ...base,
      ja: `pages: ${wanted} に${ja}長すぎます：記事を短くするか写真を減らしてください${namesJa ? `（長い記事: ${namesJa}）` : ""}。`,
      en: `${en} too long for pages: ${wanted}: shorten an article or remove a photo${namesEn ? ` (longest: ${namesEn})` : ""}.`,
      hintJa: `または pages: を ${wanted + 1} にしてください。`,
      hintEn: `Or set pages: ${wanted + 1}.`,
    };
  return {
    ...base,
    ja: `pages: ${wanted} に${ja}足りません：記事や写真を足すか、pages: を減らしてください。`,
    en: `${en} short of pages: ${wanted}: add an article or a photo, or lower pages:.`,
  };
}

/** A title as a message quotes it: a few words, not a whole paragraph pasted by mistake, read without ruby notation. */
export function short(text: string, max = 40): string {
  const plain = plainText(text);
  const chars = [...plain];
  return chars.length > max ? `${chars.slice(0, max).join("")}…` : plain;
}
