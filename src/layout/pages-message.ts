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

/**
 * Issue 8's limit for the white at the foot of the last page (a share of the type area): past it the page breaker
 * has no more room to spread (photos at their largest, gaps at their widest), so only the editor can fill it.
 */
export const LAST_PAGE_EMPTY_LIMIT = 0.15;

/**
 * The warning when an issue of several pages ends with its last page partly empty and no `pages:` asked for that:
 * how much is empty, and the two things an editor can do — add to it, or cut what the last page holds to save it.
 * `where` is the path of the last block on that page, whose line the message points at.
 */
export function lastPageMessage(
  issue: Issue,
  pages: number,
  free: number,
  used: number,
  pageHeight: number,
  lineHeight: number,
  where: string,
): Diagnostic {
  const pos = issue.locate(where);
  const empty = amount(free, pageHeight, lineHeight);
  const cut = amount(used, pageHeight, lineHeight);
  return {
    severity: "warning",
    file: issue.file,
    line: pos?.line,
    column: pos?.column,
    ja: `最後のページ（${pages}ページ目）の下が${empty.ja}空いています：記事や写真、お知らせを足してください。`,
    en: `The last page (page ${pages}) has ${empty.en} empty at its foot: add an article, a photo or a notice.`,
    hintJa: `または全体を${cut.ja}短くすると${pages - 1}ページに収まります。`,
    hintEn: `Or shorten the issue by ${cut.en} to fit ${pages - 1} page${pages - 1 === 1 ? "" : "s"}.`,
  };
}
