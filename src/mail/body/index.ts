import path from "node:path";
import type { Issue } from "../../content/index.js";
import type { Warnings } from "../../diagnostics.js";
import { renderHtml } from "./html.js";
import { mailImages, previewImage } from "./images.js";
import { defaultSubject, type MailImage, mailDocument } from "./model.js";
import { renderText } from "./text.js";

export type { MailImage } from "./model.js";

/** What a member's message holds besides the PDF: the same for every member. */
export interface MailBody {
  subject: string;
  html: string;
  text: string;
  /** Inline images the HTML refers to by cid: (photos, the logo, the page-1 picture). */
  images: MailImage[];
}

export interface MailBodyOptions {
  /** Where resized photos are kept between runs (e.g. `.cache/kaiho/mail`). */
  cacheDir: string;
  warnings: Warnings;
  /** The page-1 picture (output/<id>-page1.png), shown at the top with `email.preview: true`. */
  preview?: string;
  /** Name of the attached PDF, as the message's last lines mention it. */
  pdfName: string;
  unsubscribe?: { mailto?: string; https?: string };
}

/**
 * The message body made from the issue itself (the content stage's output): the masthead, every block's text
 * with its photos as small inline images, as HTML for a phone and as plain text holding the same words.
 * Made when sending, so `kaiho build` does not pay for it; the photos are cached.
 */
export async function buildMailBody(issue: Issue, opts: MailBodyOptions): Promise<MailBody> {
  const images = await mailImages(issue, { cacheDir: opts.cacheDir, warnings: opts.warnings });
  const preview = opts.preview ? await previewImage(opts.preview, issue.id, opts.cacheDir) : undefined;
  const doc = mailDocument(issue, {
    images,
    ...(preview ? { preview } : {}),
    pdfName: opts.pdfName,
    ...(opts.unsubscribe ? { unsubscribe: opts.unsubscribe } : {}),
  });
  const subject = issue.doc.email?.subject ?? defaultSubject(issue);
  const html = renderHtml(doc, subject, issue.theme.palette);
  // Only what the HTML shows is attached: a photo the message does not use would be dead weight.
  const used = [...(preview ? [preview] : []), ...images.values()].filter((img) =>
    html.includes(`cid:${img.cid}`),
  );
  return { subject, html, text: renderText(doc), images: used };
}

export const MAIL_CACHE = path.join(".cache", "kaiho", "mail");
