import { linksIn } from "../../typeset/links.js";
import { parseInline } from "../../typeset/markup.js";

/**
 * One line of an editor's text (`**太字**`, ruby `｜漢字《かんじ》`, URLs and addresses) in the two forms of the
 * message: HTML, every character of the editor's text escaped, and plain text. The markup is read by the same
 * parser the page uses (src/typeset/markup.ts), so the email and the PDF agree on what is bold and what is ruby.
 */

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** HTML for text with inline markup: <strong>, <ruby> with (…) fallbacks for clients without ruby, <a href>. */
export function inlineHtml(markup: string): string {
  return parseInline(markup)
    .map((span) => {
      const base = span.ruby
        ? `<ruby>${escapeHtml(span.text)}<rp>（</rp><rt>${escapeHtml(span.ruby)}</rt><rp>）</rp></ruby>`
        : linkedHtml(span.text);
      return span.bold ? `<strong>${base}</strong>` : base;
    })
    .join("");
}

/** Plain text: bold marks dropped, ruby as 漢字（かんじ）, links as written. */
export function inlineText(markup: string): string {
  return parseInline(markup)
    .map((span) => (span.ruby ? `${span.text}（${span.ruby}）` : span.text))
    .join("");
}

/** Escaped text with its URLs and e-mail addresses made links (only http, https and mailto, by linksIn). */
function linkedHtml(text: string): string {
  let out = "";
  let at = 0;
  for (const link of linksIn(text)) {
    out += escapeHtml(text.slice(at, link.start));
    out += `<a href="${escapeHtml(link.uri)}" style="color:#1a55b0;text-decoration:underline">${escapeHtml(text.slice(link.start, link.end))}</a>`;
    at = link.end;
  }
  return out + escapeHtml(text.slice(at));
}
