import { mailtoAddress, markGap } from "./html.js";
import { inlineText } from "./inline.js";
import type { MailDocument, MailPart, MailSection } from "./model.js";

/**
 * The plain-text part: the same text as the HTML, for clients that show no HTML and for readers that read
 * aloud. Ruby is written 漢字（かんじ）, headlines stand out with ■, a table's rows are told one under another.
 * Lines are not wrapped: the reader's screen does that.
 */

const RULE = "────────────────";

export function renderText(doc: MailDocument): string {
  const out: string[] = [];
  out.push(inlineText(doc.newsletter));
  if (doc.subtitle) out.push(inlineText(doc.subtitle));
  out.push(
    [doc.number, doc.date]
      .filter(Boolean)
      .map((s) => inlineText(s ?? ""))
      .join("　"),
  );
  if (doc.publisher) out.push(inlineText(doc.publisher));
  out.push("");
  for (const p of doc.intro) out.push(...p.split(/\r?\n/).map(inlineText), "");
  for (const section of doc.sections) out.push(RULE, ...renderSection(section), "");
  out.push(RULE, `印刷用の紙面は添付の PDF（${doc.pdfName}）でご覧いただけます。`);
  const u = doc.unsubscribe;
  if (u?.https || u?.mailto) {
    const where = [u.https, u.mailto ? mailtoAddress(u.mailto) : undefined].filter(Boolean).join(" または ");
    out.push(`配信停止のご希望は ${where} へ。`);
  }
  if (doc.publisher) out.push(`発行: ${inlineText(doc.publisher)}`);
  return `${out.join("\n")}\n`;
}

function renderSection(s: MailSection): string[] {
  const out: string[] = [];
  if (s.title) out.push(`■ ${inlineText(s.title)}`, "");
  if (s.subtitle) out.push(inlineText(s.subtitle), "");
  for (const part of s.parts) out.push(...renderPart(part), "");
  while (out[out.length - 1] === "") out.pop();
  return out;
}

function renderPart(p: MailPart): string[] {
  switch (p.kind) {
    case "paragraph":
      if (p.role === "quote") return [`＞ ${inlineText(p.text)}`];
      return [inlineText(p.text)];
    case "subheading":
      return [`◆ ${inlineText(p.text)}`];
    case "note":
      return [`${p.mark}${markGap(p.mark)}${inlineText(p.text)}`];
    case "pairs":
      return p.entries.flatMap((e) => {
        const [first = "", ...more] = e.values.map(inlineText);
        return [`${inlineText(e.key)}：${first}`, ...more.map((v) => `　　${v}`)];
      });
    case "records":
      return p.rows.flatMap((row) => {
        const [first = "", ...rest] = row;
        const cells = rest
          .map((cell, i) => ({ cell, label: p.header?.[i + 1] }))
          .filter(({ cell }) => cell !== "")
          .map(({ cell, label }) => `　${label ? `${inlineText(label)}：` : ""}${inlineText(cell)}`);
        return [`◇ ${inlineText(first)}`, ...cells];
      });
    case "photo":
      return p.caption ? [`［写真］${p.caption.split(/\r?\n/).map(inlineText).join(" ")}`] : ["［写真］"];
    case "slogan":
      return p.lines.map((l) => `★ ${inlineText(l)}`);
  }
}
