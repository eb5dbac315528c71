import type { Palette } from "../../theme/types.js";
import { escapeHtml, inlineHtml } from "./inline.js";
import type { MailDocument, MailImage, MailPart, MailSection } from "./model.js";

/**
 * The message's HTML: one column at most 640 px wide, 16 px text, every style inline (several mail clients drop
 * a <style> block; the one in the head only repeats what is safe to lose). Nothing is wider than the screen:
 * photos shrink to the column, long words and URLs break anywhere, a table is told as one record under another,
 * and key–value lines stand in two columns only when every key is short. Every text from issue.yaml is
 * escaped (src/mail/body/inline.ts), so nothing in it can become markup.
 */

const FONT =
  "-apple-system, BlinkMacSystemFont, 'Hiragino Sans', 'Hiragino Kaku Gothic ProN', 'Yu Gothic', Meiryo, 'Noto Sans JP', sans-serif";
/** Keys up to this many em stand in a column of their own beside the values; longer ones go above them. */
const KEY_COLUMN_EM = 8;

interface Colours {
  text: string;
  accent: string;
  primary: string;
  muted: string;
  tint: string;
  rule: string;
}

export function renderHtml(doc: MailDocument, subject: string, palette: Palette): string {
  const c: Colours = {
    text: palette.text.rgb,
    accent: palette.accent.rgb,
    primary: palette.primary.rgb,
    muted: palette.muted.rgb,
    tint: palette.tint.rgb,
    rule: palette.hairline.rgb,
  };
  const out: string[] = [
    "<!DOCTYPE html>",
    '<html lang="ja">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light">',
    `<title>${escapeHtml(subject)}</title>`,
    "<style>body{margin:0;padding:0;-webkit-text-size-adjust:100%;text-size-adjust:100%}img{max-width:100%;height:auto}</style>",
    "</head>",
    '<body style="margin:0;padding:0;background:#f0f0f0">',
    `<div style="max-width:640px;margin:0 auto;padding:20px 16px 28px;background:#ffffff;color:${c.text};font-family:${FONT};font-size:16px;line-height:1.75;overflow-wrap:anywhere;word-break:break-word">`,
    masthead(doc, c),
    // The greeting is a letter's opening: its line breaks are the writer's, kept as they are.
    ...doc.intro.map((p) => `<p style="margin:0 0 1em">${lines(p)}</p>`),
  ];
  if (doc.preview) {
    out.push(`<p style="margin:0 0 1em">${image(doc.preview, `${doc.newsletter} 1ページ目`)}</p>`);
  }
  for (const section of doc.sections) out.push(renderSection(section, c));
  out.push(footer(doc, c), "</div>", "</body>", "</html>");
  return `${out.join("\n")}\n`;
}

function masthead(doc: MailDocument, c: Colours): string {
  const line = [doc.number, doc.date].filter(Boolean).map((s) => inlineHtml(s ?? ""));
  return [
    `<div style="margin:0 0 20px;padding:0 0 10px;border-bottom:3px double ${c.primary}">`,
    doc.logo ? image(doc.logo, "", 120) : "",
    `<h1 style="margin:0;font-size:28px;line-height:1.3;color:${c.primary};font-weight:bold">${inlineHtml(doc.newsletter)}</h1>`,
    doc.subtitle
      ? `<p style="margin:2px 0 0;font-size:16px;color:${c.muted}">${inlineHtml(doc.subtitle)}</p>`
      : "",
    `<p style="margin:4px 0 0;font-size:16px;color:${c.muted}">${line.join("　")}</p>`,
    doc.publisher
      ? `<p style="margin:0;font-size:16px;color:${c.muted}">${inlineHtml(doc.publisher)}</p>`
      : "",
    "</div>",
  ]
    .filter(Boolean)
    .join("\n");
}

function renderSection(s: MailSection, c: Colours): string {
  const parts = s.parts.map((p) => renderPart(p, c)).join("\n");
  const boxed = s.kind === "corner" || s.kind === "slogan";
  const title = s.title
    ? s.kind === "article"
      ? `<h2 style="margin:0 0 12px;padding:0 0 0 10px;border-left:5px solid ${c.accent};font-size:21px;line-height:1.45;color:${c.text}">${inlineHtml(s.title)}</h2>`
      : `<h2 style="margin:0 0 10px;font-size:19px;line-height:1.45;color:${c.accent}">${inlineHtml(s.title)}</h2>`
    : "";
  const subtitle = s.subtitle
    ? `<p style="margin:0 0 10px;font-weight:bold">${inlineHtml(s.subtitle)}</p>`
    : "";
  const style = boxed
    ? `margin:0 0 28px;padding:14px 14px 4px;border:2px solid ${c.primary};border-radius:6px;background:${c.tint}`
    : "margin:0 0 28px";
  return `<div style="${style}">\n${title}${subtitle}${parts}\n</div>`;
}

function renderPart(p: MailPart, c: Colours): string {
  switch (p.kind) {
    case "paragraph":
      if (p.role === "quote")
        return `<blockquote style="margin:0 0 1em;padding:0 0 0 12px;border-left:3px solid ${c.rule};color:${c.muted}">${inlineHtml(p.text)}</blockquote>`;
      if (p.role === "signature")
        return `<p style="margin:0 0 1em;text-align:right">${inlineHtml(p.text)}</p>`;
      if (p.role === "lead") return `<p style="margin:0 0 1em;font-weight:bold">${inlineHtml(p.text)}</p>`;
      return `<p style="margin:0 0 1em">${inlineHtml(p.text)}</p>`;
    case "subheading":
      return `<h3 style="margin:1.4em 0 0.4em;font-size:17px;line-height:1.5;color:${c.accent}">${inlineHtml(p.text)}</h3>`;
    case "note": {
      const indent = `${Math.max(1, emWidth(p.mark) + 0.3).toFixed(1)}em`;
      return `<p style="margin:0 0 0.6em;padding-left:${indent};text-indent:-${indent};font-size:14px;line-height:1.65;color:${c.muted}">${escapeHtml(p.mark)}${markGap(p.mark)}${inlineHtml(p.text)}</p>`;
    }
    case "pairs":
      return pairs(p.entries, c);
    case "records":
      return records(p.header, p.rows, c);
    case "photo": {
      const caption = p.caption
        ? `<div style="margin:4px 0 0;font-size:14px;line-height:1.55;color:${c.muted}">${p.image ? "" : "［写真］"}${lines(p.caption)}</div>`
        : "";
      const img = p.image ? image(p.image, p.caption ?? "") : "";
      return `<div style="margin:0 0 1.2em">${img}${caption}</div>`;
    }
    case "slogan":
      return p.lines
        .map(
          (l) =>
            `<p style="margin:0 0 10px;text-align:center;font-weight:bold;font-size:18px;color:${c.primary}">${inlineHtml(l)}</p>`,
        )
        .join("\n");
  }
}

/** Key–value lines in two columns when every key is short, otherwise each key above its values. */
function pairs(entries: Array<{ key: string; values: string[] }>, c: Colours): string {
  const values = (vs: string[]) => vs.map((v) => inlineHtml(v)).join("<br>");
  if (entries.every((e) => emWidth(e.key) <= KEY_COLUMN_EM)) {
    const rows = entries.map(
      (e) =>
        `<tr><th scope="row" style="width:1%;text-align:left;vertical-align:top;white-space:nowrap;padding:6px 12px 6px 0;border-bottom:1px solid ${c.rule};font-weight:bold">${inlineHtml(e.key)}</th><td style="vertical-align:top;padding:6px 0;border-bottom:1px solid ${c.rule}">${values(e.values)}</td></tr>`,
    );
    return `<table style="width:100%;border-collapse:collapse;margin:0 0 1em;font-size:16px;line-height:1.6">\n${rows.join("\n")}\n</table>`;
  }
  return entries
    .map(
      (e) =>
        `<p style="margin:0 0 0.6em;padding:0 0 6px;border-bottom:1px solid ${c.rule}"><strong>${inlineHtml(e.key)}</strong><br>${values(e.values)}</p>`,
    )
    .join("\n");
}

/** A table, each row a small card: its first cell in bold, then every other cell after its header. */
function records(header: string[] | undefined, rows: string[][], c: Colours): string {
  return rows
    .map((row) => {
      const [first = "", ...rest] = row;
      const cells = rest
        .map((cell, i) => ({ cell, label: header?.[i + 1] }))
        .filter(({ cell }) => cell !== "")
        .map(
          ({ cell, label }) =>
            `<div>${label ? `<span style="color:${c.muted}">${inlineHtml(label)}：</span>` : ""}${inlineHtml(cell)}</div>`,
        );
      return `<div style="padding:8px 0;border-top:1px solid ${c.rule}"><div style="font-weight:bold">${inlineHtml(first)}</div>${cells.join("")}</div>`;
    })
    .join("\n")
    .concat(`\n<div style="border-top:1px solid ${c.rule};margin:0 0 1em"></div>`);
}

/** A tall photo is shown narrower, so it is never much more than a phone screen's height. */
const MAX_IMAGE_HEIGHT = 520;

function image(img: MailImage, alt: string, maxWidth = img.width): string {
  const width = Math.min(maxWidth, img.width, Math.round((MAX_IMAGE_HEIGHT * img.width) / img.height));
  const height = Math.round((img.height * width) / img.width);
  return `<img src="cid:${escapeHtml(img.cid)}" alt="${escapeHtml(alt.replace(/\s+/g, " ").trim())}" width="${width}" height="${height}" style="display:block;width:100%;max-width:${width}px;height:auto;border:0">`;
}

function footer(doc: MailDocument, c: Colours): string {
  const out = [
    `<div style="margin:8px 0 0;padding:12px 0 0;border-top:1px solid ${c.rule};font-size:14px;line-height:1.65;color:${c.muted}">`,
    `<p style="margin:0 0 0.5em">印刷用の紙面は添付の PDF（${escapeHtml(doc.pdfName)}）でご覧いただけます。</p>`,
  ];
  const u = doc.unsubscribe;
  if (u?.https || u?.mailto) {
    const links: string[] = [];
    if (u.https)
      links.push(`<a href="${escapeHtml(u.https)}" style="color:#1a55b0">${escapeHtml(u.https)}</a>`);
    if (u.mailto) {
      const address = mailtoAddress(u.mailto);
      links.push(`<a href="${escapeHtml(u.mailto)}" style="color:#1a55b0">${escapeHtml(address)}</a>`);
    }
    out.push(`<p style="margin:0 0 0.5em">配信停止のご希望は ${links.join(" または ")} へ。</p>`);
  }
  if (doc.publisher) out.push(`<p style="margin:0">発行: ${inlineHtml(doc.publisher)}</p>`);
  out.push("</div>");
  return out.join("\n");
}

export function mailtoAddress(mailto: string): string {
  return decodeURIComponent(mailto.replace(/^mailto:/i, "").replace(/\?.*$/, ""));
}

/** A caption's own line breaks kept. */
function lines(text: string): string {
  return text
    .split(/\r?\n/)
    .map((l) => inlineHtml(l))
    .join("<br>");
}

/** ※1 and * are followed by a space, as the page sets a gap after them; ※ and 注1： need none. */
export function markGap(mark: string): string {
  return /[\x21-\x7e]$/.test(mark) ? " " : "";
}

/** Width in em: full-width characters 1, others half. */
function emWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += (ch.codePointAt(0) ?? 0) >= 0x1100 ? 1 : 0.5;
  return w;
}
