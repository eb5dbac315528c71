import type { Issue } from "../../content/index.js";
import type { LeafBlockDoc, PhotoDoc, SignatureDoc, TableDoc } from "../../content/schema.js";
import { formatDate } from "../../layout/blocks.js";
import { parseBody } from "../../layout/body.js";
import { infoEntries } from "../../layout/info.js";
import { splitNoteMark } from "../../layout/note.js";
import { plainText } from "../../typeset/index.js";

/**
 * The issue as the email tells it: one column, top to bottom, in the order of issue.yaml (a `row` is read left to
 * right). The HTML and the plain-text part are both drawn from this, so they hold the same text. Texts keep the
 * editor's inline markup (bold, ruby, links); the renderers turn it into HTML or plain text.
 */

export interface MailImage {
  /** Content-ID, referred to as cid:… in the HTML. */
  cid: string;
  filename: string;
  content: Buffer;
  contentType: "image/jpeg" | "image/png";
  /** Pixel size of `content`. */
  width: number;
  height: number;
}

export type MailPart =
  | { kind: "paragraph"; text: string; role?: "lead" | "quote" | "signature" }
  | { kind: "subheading"; text: string }
  | { kind: "note"; mark: string; text: string }
  /** Key–value lines (info, a schedule): each key with one or more values, one a line. */
  | { kind: "pairs"; entries: Array<{ key: string; values: string[] }> }
  /** A table, each row a record: its first cell names it, the others go under it with their header. */
  | { kind: "records"; header?: string[]; rows: string[][] }
  | { kind: "photo"; image?: MailImage; caption?: string }
  /** A slogan's lines, one a line, in a box. */
  | { kind: "slogan"; lines: string[] };

export interface MailSection {
  kind: "article" | "corner" | "slogan" | "schedule" | "table" | "info" | "note";
  title?: string;
  subtitle?: string;
  parts: MailPart[];
}

export interface MailDocument {
  newsletter: string;
  subtitle?: string;
  /** 第485号, the date written out (2023年12月1日発行), the publisher: what the masthead's line says. */
  number?: string;
  date: string;
  publisher?: string;
  logo?: MailImage;
  /** The greeting above the issue (email.text, or one made from the masthead), paragraphs. */
  intro: string[];
  /** The page-1 picture, with email.preview: true. */
  preview?: MailImage;
  sections: MailSection[];
  /** What the end of the message says about the attachment and unsubscribing. */
  pdfName: string;
  unsubscribe?: { mailto?: string; https?: string };
}

export interface DocumentInput {
  /** Resized photos by schema path (`blocks[0].article.photos[1]`, `logo`); a photo without one is left out. */
  images: ReadonlyMap<string, MailImage>;
  preview?: MailImage;
  pdfName: string;
  unsubscribe?: { mailto?: string; https?: string };
}

export function mailDocument(issue: Issue, input: DocumentInput): MailDocument {
  const doc = issue.doc;
  const sections: MailSection[] = [];
  doc.blocks.forEach((block, i) => {
    if ("row" in block) {
      block.row.forEach((cell, j) => {
        sections.push(leafSection(cell, `blocks[${i}].row[${j}]`, input));
      });
    } else sections.push(leafSection(block, `blocks[${i}]`, input));
  });
  const logo = input.images.get("logo");
  return {
    newsletter: doc.newsletter,
    ...(doc.subtitle ? { subtitle: doc.subtitle } : {}),
    ...(doc.number ? { number: doc.number } : {}),
    date: `${formatDate(doc.date, true)}発行`,
    ...(doc.publisher ? { publisher: doc.publisher } : {}),
    ...(logo ? { logo } : {}),
    intro: paragraphs(doc.email?.text ?? defaultIntro(issue)),
    ...(input.preview ? { preview: input.preview } : {}),
    sections,
    pdfName: input.pdfName,
    ...(input.unsubscribe ? { unsubscribe: input.unsubscribe } : {}),
  };
}

/** The subject when email.subject is not given: 市職労ニュース 第485号（2023年12月1日発行）. */
export function defaultSubject(issue: Issue): string {
  const doc = issue.doc;
  // Ruby notation is for the page; a subject line reads the base text.
  const title = [plainText(doc.newsletter), doc.number].filter(Boolean).join(" ");
  return `${title}（${formatDate(doc.date, true)}発行）`;
}

function defaultIntro(issue: Issue): string {
  const doc = issue.doc;
  const title = [doc.newsletter, doc.number].filter(Boolean).join(" ");
  return `${title}をお届けします。`;
}

function paragraphs(text: string): string[] {
  return text
    .replace(/\r\n?/g, "\n")
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean);
}

function leafSection(block: LeafBlockDoc, at: string, input: DocumentInput): MailSection {
  if ("article" in block) {
    const a = block.article;
    const photos = photoParts(a.photos, `${at}.article`, input);
    const parts: MailPart[] = [];
    if (a.lead) parts.push({ kind: "paragraph", text: a.lead, role: "lead" });
    // Photos above the text only when the page puts them there; beside or below the text reads best after it.
    if (a.photosAt === "top") parts.push(...photos);
    parts.push(...bodyParts(a.body));
    if (a.photosAt !== "top") parts.push(...photos);
    if (a.signature !== undefined) parts.push(signature(a.signature));
    return { kind: "article", title: a.title, parts };
  }
  if ("corner" in block) {
    const c = block.corner;
    const parts = [...bodyParts(c.body), ...photoParts(c.photos, `${at}.corner`, input)];
    if (c.signature !== undefined) parts.push(signature(c.signature));
    return { kind: "corner", title: c.title, ...(c.subtitle ? { subtitle: c.subtitle } : {}), parts };
  }
  if ("slogan" in block) {
    return { kind: "slogan", parts: [{ kind: "slogan", lines: [block.slogan].flat() }] };
  }
  if ("schedule" in block) {
    const s = block.schedule;
    const entries = s.items.map((item) => ({
      key: formatDate(item.date, false),
      values: [item.text].flat(),
    }));
    return { kind: "schedule", title: s.title, parts: [{ kind: "pairs", entries }] };
  }
  if ("table" in block) {
    return {
      kind: "table",
      ...(block.table.caption ? { title: block.table.caption } : {}),
      parts: [records(block.table)],
    };
  }
  if ("info" in block) {
    const { title, entries } = infoEntries(block.info);
    return { kind: "info", ...(title ? { title } : {}), parts: [{ kind: "pairs", entries }] };
  }
  const remarks = [block.note].flat();
  return { kind: "note", parts: remarks.map((r) => ({ kind: "note" as const, ...splitNoteMark(r) })) };
}

function bodyParts(body: string): MailPart[] {
  return parseBody(body).map((el): MailPart => {
    switch (el.kind) {
      case "paragraph":
        return { kind: "paragraph", text: el.text };
      case "quote":
        return { kind: "paragraph", text: el.text, role: "quote" };
      case "subheading":
        return { kind: "subheading", text: el.text };
      case "note":
        return { kind: "note", ...splitNoteMark(el.text) };
      default:
        return { kind: "pairs", entries: el.entries };
    }
  });
}

function photoParts(photos: PhotoDoc[] | undefined, at: string, input: DocumentInput): MailPart[] {
  return (photos ?? []).flatMap((p, k): MailPart[] => {
    const image = input.images.get(`${at}.photos[${k}]`);
    const caption = p.caption?.trim();
    if (!image && !caption) return [];
    return [{ kind: "photo", ...(image ? { image } : {}), ...(caption ? { caption } : {}) }];
  });
}

function signature(s: SignatureDoc): MailPart {
  const text = typeof s === "string" ? s : s.text;
  const brackets = typeof s === "string" ? "【】" : (s.brackets ?? "【】");
  const [open, close] = brackets === "none" ? ["", ""] : [...brackets];
  return { kind: "paragraph", text: `${open ?? ""}${text}${close ?? ""}`, role: "signature" };
}

function records(t: TableDoc): MailPart {
  const cell = (c: string | number) => String(c).trim();
  return {
    kind: "records",
    ...(t.header ? { header: t.header.map(cell) } : {}),
    rows: t.rows.map((r) => r.map(cell)),
  };
}
