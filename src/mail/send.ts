import { createHash } from "node:crypto";
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import nodemailer from "nodemailer";
import type Mail from "nodemailer/lib/mailer/index.js";
import { type Diagnostic, errorAt, KaihoError } from "../diagnostics.js";
import { readBounded, reasonOf } from "../fsx/read.js";
import type { MailBody } from "./body/index.js";
import { acquireLock, type JournalRecord, JournalWriter, readJournal } from "./journal.js";
import type { Member } from "./members.js";
import {
  type DataWatch,
  maskUrl,
  type ParsedFrom,
  parseFrom,
  redact,
  type SmtpSettings,
  smtpMissingError,
  transportOptions,
} from "./smtp.js";

/** What the sender needs of a transport: nodemailer's Transporter fits; tests may pass their own. */
export interface MailTransport {
  sendMail(mail: Mail.Options): Promise<{ messageId?: string; response?: unknown }>;
  verify?(): Promise<unknown>;
  close?(): void;
}

export interface SendOptions {
  /** The issue id (the content folder's name): names the attachment and appears in messages. */
  issueId: string;
  /** The email edition PDF (output/<id>-email.pdf), attached to every message as <id>.pdf. */
  pdf: string;
  /** The page-1 preview PNG (output/<id>-page1.png), shown inline in the HTML part. Without it: text only. */
  preview?: string;
  subject: string;
  /** The body as plain text; without `body`, the HTML part is made from it (paragraphs, line breaks, links) plus the preview. */
  text: string;
  /** The message made from the issue (src/mail/body/): its HTML, plain text and inline images replace text/preview. */
  body?: MailBody;
  /** Extra header lines for every message (List-Unsubscribe). */
  headers?: Record<string, string>;
  /** The sender for a dry run without SMTP settings (KAIHO_MAIL_FROM); with smtp, smtp.from is used. */
  from?: string;
  /** Where `from` was set (the variable or the settings file), named if it is not an address. */
  fromSource?: string;
  /** From readMembers: duplicates (case-insensitive) are sent to once. */
  members: ReadonlyArray<Pick<Member, "name" | "email"> & { line?: number }>;
  /** The send journal, output/<id>-send.jsonl: who has been sent to; a rerun skips them. */
  journal: string;
  /** From smtpFromEnvironment. May be undefined for a dry run only. */
  smtp: SmtpSettings | undefined;
  /** Write one .eml per member into dir (output/mail/<id>/) instead of sending; opens no connection. */
  dryRun?: { dir: string };
  /** At most this many messages a minute (default 30: one every two seconds). */
  ratePerMinute?: number;
  /** Progress and the summary, one line per call (default: stderr). Never contains the SMTP password. */
  log?: (line: string) => void;
  /** Stops the run between two messages (e.g. on Ctrl-C); rerunning resumes. */
  signal?: AbortSignal;
  /** A dropped connection or a 4xx reply is retried this many times (default 2) before the run stops. */
  retries?: number;
  /** Wait before the first retry (default 10 s), doubled for each further one. */
  retryDelayMs?: number;
  /**
   * Send again to members whose earlier message may or may not have arrived (an attempt without a result in the
   * journal, or a connection lost after the message was transmitted). Default: list them, do not resend.
   */
  resendUnknown?: boolean;
  /** How long a silent server is waited for (default 120 s). */
  socketTimeoutMs?: number;
  /** For tests: a nodemailer transport to use instead of one made from smtp.url. */
  transport?: MailTransport;
  /** For tests: called before each journal record is written; throwing simulates a full disk. */
  beforeRecord?: (record: JournalRecord) => void;
}

export interface SendSummary {
  /** Messages the server accepted in this run (in a dry run: .eml files written). */
  sent: number;
  /** Members skipped because the journal records them as already sent. */
  skipped: number;
  /** Recipients the server refused (5xx to RCPT TO), with its reply. Recorded; a rerun tries them again. */
  failed: Array<{ email: string; response: string }>;
  /**
   * Members who may have received the message: the connection was lost after it was transmitted (this run), or
   * an earlier run recorded the attempt but no result. Not resent unless resendUnknown.
   */
  unknown: string[];
}

/** The run stopped before everyone was sent to (connection lost, server busy, login refused, Ctrl-C). */
export class SendStoppedError extends KaihoError {
  constructor(
    diagnostic: Diagnostic,
    readonly summary: SendSummary & { remaining: number },
  ) {
    super(diagnostic);
    this.name = "SendStoppedError";
  }
}

const DEFAULT_RATE = 30;
/** The sender of dry-run messages when none is set; .invalid is a domain that never exists (RFC 2606). */
const NO_SENDER = "from-not-set@example.invalid";
const PREVIEW_CID = "page1@kaiho";
const LARGE_ATTACHMENT = 10 * 1024 * 1024;

/**
 * The Message-ID of one member's copy of one issue: the same for the same issue, member and PDF in every run, so
 * a copy sent again after an ambiguous drop is the same message to the recipient's mail store (most drop the
 * repeat), and the journal's attempt record names what may have arrived.
 */
export function messageIdFor(issueId: string, email: string, pdfSha256: string, fromAddress: string): string {
  const hash = createHash("sha256")
    .update(`${issueId}\n${email.toLowerCase()}\n${pdfSha256}`)
    .digest("hex")
    .slice(0, 32);
  const domain =
    fromAddress.slice(fromAddress.lastIndexOf("@") + 1).replace(/[^A-Za-z0-9.-]/g, "") || "kaiho";
  const issue = issueId.replace(/[^A-Za-z0-9._-]/g, "-").slice(0, 40);
  return `<kaiho.${issue}.${hash}@${domain}>`;
}

/**
 * Sends the issue to every member, one message each (To: the member alone), recording each in the journal as it
 * goes. Returns the summary; throws SendStoppedError if the run had to stop (rerun to resume) and KaihoError for
 * settings or files that are wrong before anything is sent.
 */
export async function sendIssue(opts: SendOptions): Promise<SendSummary> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const rate = opts.ratePerMinute ?? DEFAULT_RATE;
  if (!(rate > 0) || !Number.isFinite(rate)) {
    throw errorAt(
      "--rate",
      `1 分あたりの送信数は正の数で指定してください（${rate}）。`,
      `The rate must be a positive number of messages a minute (got ${rate}).`,
    );
  }
  if (!opts.subject.trim()) {
    throw errorAt(opts.pdf, "メールの件名が空です。", "The email subject is empty.");
  }
  const pdf = await readInput(opts.pdf, "pdf");
  const preview = opts.preview ? await readInput(opts.preview, "image") : undefined;
  const pdfSha = createHash("sha256").update(pdf).digest("hex");
  const pdfHash = pdfSha.slice(0, 16);
  if (pdf.length > LARGE_ATTACHMENT) {
    log(
      `警告 warning: 添付する PDF が ${(pdf.length / 1024 / 1024).toFixed(1)} MB あります。10 MB を超えると受け取れない人がいます。 / The PDF is ${(pdf.length / 1024 / 1024).toFixed(1)} MB; some mailboxes refuse attachments over 10 MB.`,
    );
  }

  let from: ParsedFrom;
  if (opts.smtp) from = parseFrom(opts.smtp.from);
  else if (opts.dryRun && opts.from) from = parseFrom(opts.from, opts.fromSource);
  else if (opts.dryRun) {
    from = { name: "差出人未設定", address: NO_SENDER };
    log(
      `警告 warning: 差出人（KAIHO_MAIL_FROM）が設定されていないため、試し送信のメールの差出人は ${NO_SENDER} にしました。本番の送信の前に KAIHO_MAIL_FROM を設定してください（例: KAIHO_MAIL_FROM="市職労ニュース <news@example.jp>"）。 / KAIHO_MAIL_FROM is not set: the dry-run messages are from ${NO_SENDER}. Set it before sending for real.`,
    );
  } else throw smtpMissingError();
  const messageId = (m: Pick<Member, "email">) => messageIdFor(opts.issueId, m.email, pdfSha, from.address);
  const compose = (m: Pick<Member, "name" | "email">) => ({
    ...composeMessage(m, {
      from: from,
      subject: opts.subject,
      text: opts.text,
      issueId: opts.issueId,
      pdf,
      preview,
      ...(opts.body ? { body: opts.body } : {}),
      ...(opts.headers ? { headers: opts.headers } : {}),
    }),
    messageId: messageId(m),
  });

  // Each address once, in list order.
  const members: Array<Pick<Member, "name" | "email"> & { line?: number }> = [];
  const listed = new Set<string>();
  for (const m of opts.members) {
    const key = m.email.toLowerCase();
    if (!listed.has(key)) {
      listed.add(key);
      members.push(m);
    }
  }

  // Only a dry run reads the journal without holding the lock: a real run reads it after taking the lock, so a
  // run that finished meanwhile cannot have sent to someone this one still thinks is pending.
  const plan = async () => {
    const state = await readJournal(opts.journal);
    if (state.badLines.length) {
      log(
        `警告 warning: ${opts.journal} の ${state.badLines.join(", ")} 行目は読めないため無視します。 / Ignoring unreadable line(s) ${state.badLines.join(", ")} of ${opts.journal}.`,
      );
    }
    const earlierPdf = state.records.find((r) => r.status === "sent" && r.pdf && r.pdf !== pdfHash);
    if (earlierPdf && !opts.dryRun) {
      log(
        "警告 warning: 前回送ったときから PDF が変わっています。送信済みの人には前の版、残りの人には今の版が届きます。 / The PDF changed since the earlier run: members already sent to have the earlier version.",
      );
    }
    const notSent = members.filter((m) => !state.sent.has(m.email.toLowerCase()));
    const held = opts.resendUnknown ? [] : notSent.filter((m) => state.unknown.has(m.email.toLowerCase()));
    const pending = notSent.filter((m) => !held.includes(m));
    const summary: SendSummary = {
      sent: 0,
      skipped: members.length - notSent.length,
      failed: [],
      unknown: held.map((m) => m.email),
    };
    return { state, pending, summary };
  };
  if (opts.dryRun) {
    const { pending, summary } = await plan();
    return dryRun(opts.dryRun.dir, pending, compose, summary, log);
  }

  const smtp = opts.smtp as SmtpSettings;
  const release = lockOrExplain(opts.journal);
  try {
    return await sendLocked();
  } finally {
    release();
  }

  async function sendLocked(): Promise<SendSummary> {
    const { state, pending, summary } = await plan();
    const ownTransport = !opts.transport;
    let transport: MailTransport | undefined;
    let writer: JournalWriter | undefined;
    let started = false;
    let unknownHere = 0;
    const stop = (reasonJa: string, reasonEn: string, hintJa?: string, hintEn?: string): SendStoppedError => {
      const remaining = pending.length - summary.sent - summary.failed.length - unknownHere;
      const unknownNow = summary.unknown.length;
      const doneJa = `この回の送信 ${summary.sent} 通、送信済みで飛ばした ${summary.skipped} 名、届いたか不明 ${unknownNow} 名、残り ${remaining} 名。`;
      const doneEn = `${summary.sent} sent in this run, ${summary.skipped} skipped as already sent, ${unknownNow} unknown, ${remaining} remaining.`;
      return new SendStoppedError(
        {
          severity: "error",
          file: opts.journal,
          ja: `${started ? "送信を途中で止めました" : "送信を始められませんでした"}: ${redact(reasonJa, smtp.url)}${doneJa}`,
          en: `${started ? "Sending stopped" : "Could not start sending"}: ${redact(reasonEn, smtp.url)} ${doneEn}`,
          hintJa: `${hintJa ? redact(hintJa, smtp.url) : ""}もう一度同じ kaiho send を実行すると、送信済みの人を飛ばして続きから送ります（記録: ${opts.journal}）。`,
          hintEn: `${hintEn ? `${redact(hintEn, smtp.url)} ` : ""}Run the same kaiho send again to resume: members already sent to are skipped (record: ${opts.journal}).`,
        },
        { ...summary, failed: [...summary.failed], unknown: [...summary.unknown], remaining },
      );
    };

    try {
      log(
        `送信開始 sending ${opts.issueId}: ${pending.length} 名に送ります${summary.skipped ? `（送信済みの ${summary.skipped} 名は飛ばします）` : ""} / to ${pending.length} member(s)${summary.skipped ? ` (${summary.skipped} already sent, skipped)` : ""} — ${maskUrl(smtp.url)}, 毎分 ${rate} 通まで / at most ${rate} a minute`,
      );
      if (summary.unknown.length) logUnknown(summary.unknown, state.unknown, log);
      if (!pending.length) {
        logSummary(summary, log, false);
        return summary;
      }
      const watch: DataWatch = { dataSent: false };
      transport =
        opts.transport ??
        (nodemailer.createTransport(
          transportOptions(smtp.url, { watch, socketTimeout: opts.socketTimeoutMs }),
        ) as MailTransport);
      if (ownTransport && transport.verify) {
        try {
          await transport.verify();
        } catch (err) {
          const f = classify(err, false);
          throw stop(...failureReason(f, smtp), ...failureHint(f));
        }
      }
      try {
        writer = await JournalWriter.open(opts.journal, state.torn);
      } catch (err) {
        throw journalError(opts.journal, err, "開けません", "cannot be opened");
      }
      started = true;
      const journal = writer;
      const write = async (r: JournalRecord) => {
        opts.beforeRecord?.(r);
        await journal.append(r);
      };
      const pacer = new Pacer(rate);
      const retries = opts.retries ?? 2;
      const retryDelay = opts.retryDelayMs ?? 10_000;

      for (const [index, member] of pending.entries()) {
        const counter = `[${index + 1}/${pending.length}]`;
        const mail = compose(member);
        const id = mail.messageId;
        const base = { email: member.email, messageId: id, pdf: pdfHash };
        let attempt = 0;
        let announced = false;
        for (;;) {
          if (opts.signal?.aborted) throw stop("中断しました。", "interrupted.");
          try {
            await pacer.wait(opts.signal);
          } catch {
            throw stop("中断しました。", "interrupted.");
          }
          if (!announced) {
            // Write-ahead: once this is on disk, a crash at any later point leaves a record of what may have gone.
            try {
              await write({ ...base, status: "attempt", at: new Date().toISOString() });
            } catch (err) {
              throw stop(
                `送信記録 ${opts.journal} に書き込めません（${errorCode(err)}: ${reasonOf(errorCode(err))[0]}）。${member.email} にはまだ送っていません。`,
                `cannot write the send record ${opts.journal} (${errorCode(err)}: ${reasonOf(errorCode(err))[1]}); ${member.email} was not sent to.`,
                "ディスクの空きと書き込みの権限を確かめてから、",
                "Check the free disk space and write permission.",
              );
            }
            announced = true;
          }
          let info: Awaited<ReturnType<MailTransport["sendMail"]>>;
          watch.dataSent = false;
          try {
            info = await transport.sendMail(mail);
          } catch (err) {
            const f = classify(err, watch.dataSent);
            if (f.kind === "rejected") {
              const response = redact(f.response, smtp.url);
              summary.failed.push({ email: member.email, response });
              await recordOutcome({ ...base, status: "rejected", response });
              log(`${counter} 拒否 rejected: ${display(member)} — ${response}`);
              break;
            }
            if (f.kind === "unknown") {
              // The server may have taken it: sending again now could deliver it twice.
              const response = redact(f.response, smtp.url);
              summary.unknown.push(member.email);
              unknownHere++;
              await recordOutcome({ ...base, status: "unknown", response });
              log(
                `${counter} 不明 unknown: ${display(member)} — 送信中に接続が切れました。届いている可能性があるため、再送しません。 / the connection was lost after the message was transmitted; it may have arrived, so it is not sent again (${response})`,
              );
              break;
            }
            if (f.kind !== "transient" || attempt >= retries) {
              const [ja, en] = failureReason(f, smtp);
              await recordOutcome({ ...base, status: "not-sent", response: redact(f.response, smtp.url) });
              throw stop(
                `${display(member)} に送るときに${ja}`,
                `while sending to ${member.email}, ${en}`,
                ...failureHint(f),
              );
            }
            attempt++;
            const delay = retryDelay * 2 ** (attempt - 1);
            log(
              `${counter} 一時的なエラー temporary error: ${redact(f.response, smtp.url)} — ${formatSeconds(delay)} 後に再試行します (${attempt}/${retries}) / retrying in ${formatSeconds(delay)}`,
            );
            try {
              await sleep(delay, undefined, opts.signal ? { signal: opts.signal } : {});
            } catch {
              await recordOutcome({ ...base, status: "not-sent", response: "interrupted" });
              throw stop("中断しました。", "interrupted.");
            }
            continue;
          }
          summary.sent++;
          try {
            await write({
              ...base,
              status: "sent",
              response: responseText(info.response),
              messageId: info.messageId || id,
              at: new Date().toISOString(),
            });
          } catch (err) {
            throw stop(
              `${member.email} には送信済みですが、送信記録 ${opts.journal} に書き込めません（${errorCode(err)}: ${reasonOf(errorCode(err))[0]}）。`,
              `${member.email} has been sent to, but the send record ${opts.journal} cannot be written (${errorCode(err)}: ${reasonOf(errorCode(err))[1]}).`,
              `ディスクの空きを確かめてください。次の実行では ${member.email} を「届いたか不明」として再送せずに一覧します。`,
              `Check the free disk space. The next run lists ${member.email} as "may have received it" and does not resend.`,
            );
          }
          log(`${counter} 送信 sent: ${display(member)}`);
          break;
        }
      }
      logSummary(summary, log, false);
      return summary;
    } catch (err) {
      if (started && err instanceof SendStoppedError) logSummary(summary, log, false);
      throw err;
    } finally {
      if (ownTransport) transport?.close?.();
      await writer?.close().catch(() => {});
    }

    /** An outcome that cannot be recorded leaves the attempt open: the next run lists the member as unknown. */
    async function recordOutcome(r: Omit<JournalRecord, "at">): Promise<void> {
      try {
        opts.beforeRecord?.({ ...r, at: "" });
        await (writer as JournalWriter).append({ ...r, at: new Date().toISOString() });
      } catch (err) {
        throw stop(
          `送信記録 ${opts.journal} に書き込めません（${errorCode(err)}: ${reasonOf(errorCode(err))[0]}）。`,
          `cannot write the send record ${opts.journal} (${errorCode(err)}: ${reasonOf(errorCode(err))[1]}).`,
          `ディスクの空きを確かめてください。次の実行では ${r.email} を「届いたか不明」として一覧します。`,
          `Check the free disk space. The next run lists ${r.email} as "may have received it".`,
        );
      }
    }
  }
}

/** Takes the send lock, turning a full disk or a read-only folder into a message that says so. */
function lockOrExplain(journal: string): () => void {
  try {
    return acquireLock(journal);
  } catch (err) {
    if (err instanceof KaihoError) throw err;
    throw journalError(
      `${journal}.lock`,
      err,
      "作れません",
      "cannot be created",
      "ロックファイル",
      "lock file",
    );
  }
}

function journalError(
  file: string,
  err: unknown,
  verbJa: string,
  verbEn: string,
  whatJa = "送信記録",
  whatEn = "send record",
): KaihoError {
  const code = errorCode(err);
  const [ja, en] = reasonOf(code);
  return errorAt(
    file,
    `${whatJa} ${file} を${verbJa}: ${ja}（${code}）。まだ誰にも送っていません。`,
    `The ${whatEn} ${file} ${verbEn}: ${en} (${code}). Nothing has been sent.`,
    {
      hintJa:
        "ディスクの空き、書き込みの権限、同じ名前のフォルダがないかを確かめてから、もう一度実行してください。",
      hintEn:
        "Check the free disk space, the write permission and that no folder has that name; then run again.",
    },
  );
}

function errorCode(err: unknown): string {
  return (err as NodeJS.ErrnoException)?.code ?? String((err as Error)?.message ?? err);
}

function logUnknown(
  emails: string[],
  records: Map<string, JournalRecord>,
  log: (line: string) => void,
): void {
  log(
    `届いたか不明 may have received it: 前回、次の ${emails.length} 名への送信中に止まりました。届いている可能性があるため、今回は送りません。 / An earlier run stopped while sending to these ${emails.length} member(s); they may have received it and are not sent to now:`,
  );
  for (const e of emails) {
    const r = records.get(e.toLowerCase());
    log(`  不明 unknown: ${e}${r?.messageId ? ` (Message-ID ${r.messageId}, ${r.at})` : ""}`);
  }
  log(
    "  → 受け取ったか本人に確かめ、届いていなければ --resend-unknown を付けて実行すると送り直します（同じ Message-ID なので、届いていた場合も多くのメールソフトは 1 通にまとめます）。 / Check with them and use --resend-unknown to send again (the same Message-ID, so most mail stores drop a repeat).",
  );
}

// --- messages -----------------------------------------------------------------------------------------------

interface ComposeContext {
  from: ParsedFrom;
  subject: string;
  text: string;
  issueId: string;
  pdf: Buffer;
  preview: Buffer | undefined;
  body?: MailBody;
  headers?: Record<string, string>;
}

/**
 * One member's message: To the member alone, the envelope likewise (no Cc, no Bcc, no other member anywhere),
 * the body made from the issue (HTML with its photos inline by cid, and the same text as plain text) or, without
 * one, the given text with the page-1 preview inline; the PDF attached; List-Unsubscribe when set.
 */
export function composeMessage(member: Pick<Member, "name" | "email">, ctx: ComposeContext): Mail.Options {
  // A display name that looks like an address would put a second address in the header: leave it out then.
  const to =
    member.name && !/[@<>]/.test(member.name) ? { name: member.name, address: member.email } : member.email;
  const attachments: Mail.Attachment[] = [
    { filename: `${ctx.issueId}.pdf`, content: ctx.pdf, contentType: "application/pdf" },
  ];
  const mail: Mail.Options = {
    from: { name: ctx.from.name ?? "", address: ctx.from.address },
    to,
    envelope: { from: ctx.from.address, to: [member.email] },
    subject: ctx.subject,
    text: ctx.text,
    attachments,
    disableFileAccess: true,
    disableUrlAccess: true,
    ...(ctx.headers && Object.keys(ctx.headers).length ? { headers: ctx.headers } : {}),
  };
  if (ctx.body) {
    mail.text = ctx.body.text;
    mail.html = ctx.body.html;
    for (const img of ctx.body.images) {
      attachments.push({
        filename: img.filename,
        content: img.content,
        contentType: img.contentType,
        cid: img.cid,
        contentDisposition: "inline",
      });
    }
  } else if (ctx.preview) {
    attachments.push({
      filename: `${ctx.issueId}-page1.png`,
      content: ctx.preview,
      contentType: "image/png",
      cid: PREVIEW_CID,
      contentDisposition: "inline",
    });
    mail.html = textToHtml(ctx.text, ctx.subject, PREVIEW_CID);
  }
  return mail;
}

/** Paragraphs (blank lines), line breaks and http(s) links of the body text, then the preview image. */
export function textToHtml(text: string, subject: string, cid: string): string {
  const paragraphs = text
    .replace(/\r\n?/g, "\n")
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${linkify(escapeHtml(p)).replace(/\n/g, "<br>\n")}</p>`);
  const alt = escapeHtml(`${subject} 1ページ目 / page 1`);
  return [
    "<!DOCTYPE html>",
    '<html lang="ja"><head><meta charset="utf-8">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: sans-serif; line-height: 1.7;">',
    ...paragraphs,
    `<p><img src="cid:${cid}" alt="${alt}" width="600" style="max-width: 100%; height: auto; border: 1px solid #ccc;"></p>`,
    "</body></html>",
  ].join("\n");
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function linkify(escaped: string): string {
  return escaped.replace(
    /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]、。）」]/g,
    (url) => `<a href="${url}">${url}</a>`,
  );
}

// --- dry run ------------------------------------------------------------------------------------------------

async function dryRun(
  dir: string,
  pending: Array<Pick<Member, "name" | "email"> & { line?: number }>,
  compose: (m: Pick<Member, "name" | "email">) => Mail.Options,
  summary: SendSummary,
  log: (line: string) => void,
): Promise<SendSummary> {
  const stream = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "windows" });
  let current = dir;
  try {
    await mkdir(dir, { recursive: true });
    // Files of an earlier dry run would look like part of this one.
    for (const name of await readdir(dir)) {
      current = path.join(dir, name);
      if (name.endsWith(".eml") || name.endsWith(".eml.tmp")) await rm(current, { force: true });
    }
    for (const [index, member] of pending.entries()) {
      const info = await stream.sendMail(compose(member));
      current = path.join(dir, emlName(member.line ?? index + 1, member.email));
      const tmp = `${current}.tmp`;
      try {
        await writeFile(tmp, info.message as Buffer);
        await rename(tmp, current);
      } catch (err) {
        await rm(tmp, { force: true }).catch(() => {});
        throw err;
      }
      summary.sent++;
    }
  } catch (err) {
    const code = errorCode(err);
    const [ja, en] = reasonOf(code);
    throw errorAt(
      current,
      `試し送信のメールを書き出せません: ${ja}（${code}）。書き出し済み ${summary.sent} 通。`,
      `Cannot write the dry-run messages: ${en} (${code}); ${summary.sent} written.`,
      {
        hintJa: `ディスクの空きと ${dir} に書き込めるかを確かめてから、もう一度実行してください。`,
        hintEn: `Check the free disk space and that ${dir} is writable, then run again.`,
      },
    );
  }
  log(
    `試し送信 dry run: ${summary.sent} 通のメールを ${dir} に書き出しました（送信はしていません）。 / Wrote ${summary.sent} message(s) to ${dir}; nothing was sent.`,
  );
  logSummary(summary, log, true);
  return summary;
}

/**
 * A dry-run file name that every file system takes: the member's row and the address made safe and short
 * (an address may be 300 characters; most file systems allow 255 bytes a name). A shortened address keeps a
 * hash of the whole one, so two long addresses never share a name.
 */
export function emlName(row: number, email: string): string {
  const safe = email.replace(/[^A-Za-z0-9@._+-]/g, "_");
  const short =
    safe.length <= 80
      ? safe
      : `${safe.slice(0, 60)}~${createHash("sha256").update(email).digest("hex").slice(0, 8)}`;
  return `${String(row).padStart(3, "0")}-${short}.eml`;
}

// --- failures -----------------------------------------------------------------------------------------------

type Failure = {
  kind: "rejected" | "transient" | "unknown" | "auth" | "relay" | "tls" | "refused";
  response: string;
};

/**
 * nodemailer errors → what to do. A 5xx reply to RCPT TO is about that recipient: record it and go on. Anything
 * else permanent (login refused, TLS, 5xx to MAIL FROM or after DATA) would fail for everyone: stop. A reply of
 * 4xx means the server did not take the message: retry, then stop. A connection lost or timed out without a
 * reply is retried only if the message had not been transmitted yet (`afterData` false); after DATA the server
 * may have taken it, so it is "unknown" and not retried.
 */
function classify(err: unknown, afterData: boolean): Failure {
  const e = (err ?? {}) as {
    code?: string;
    responseCode?: number;
    command?: string;
    response?: string;
    message?: string;
    afterData?: boolean;
  };
  const response = String(e.response ?? e.message ?? err).trim();
  const code = typeof e.responseCode === "number" ? e.responseCode : undefined;
  if (e.code === "EAUTH") return { kind: "auth", response: e.message ?? response };
  if (code !== undefined && code >= 500 && e.command?.startsWith("RCPT")) {
    return { kind: /relay/i.test(response) ? "relay" : "rejected", response };
  }
  if (e.code === "EENVELOPE" && code === undefined && /recipient/i.test(e.message ?? "")) {
    return { kind: "rejected", response: e.message ?? response };
  }
  if (code !== undefined && code >= 500) return { kind: "refused", response };
  if (e.code === "ETLS" || e.code === "EREQUIRETLS") return { kind: "tls", response: e.message ?? response };
  if (code === undefined && (afterData || e.afterData === true)) return { kind: "unknown", response };
  return { kind: "transient", response };
}

function failureReason(f: Failure, smtp: SmtpSettings): [string, string] {
  const r = f.response;
  switch (f.kind) {
    case "auth":
      return [
        `SMTP サーバーにログインできませんでした（${r}）。`,
        `the SMTP server refused the login (${r}).`,
      ];
    case "relay":
      return [
        `サーバーが宛先への中継を断りました（${r}）。`,
        `the server refused to relay to the recipient (${r}).`,
      ];
    case "tls":
      return [`暗号化（TLS）の接続ができませんでした（${r}）。`, `the TLS connection failed (${r}).`];
    case "refused":
      return [`サーバーがメールを受け付けませんでした（${r}）。`, `the server refused the message (${r}).`];
    default:
      return [
        `SMTP サーバー ${maskUrl(smtp.url)} との接続が切れたか、サーバーが一時的に受け付けませんでした（${r}）。`,
        `the connection to ${maskUrl(smtp.url)} was lost or the server is busy (${r}).`,
      ];
  }
}

function failureHint(f: Failure): [string?, string?] {
  switch (f.kind) {
    case "auth":
    case "relay":
      return [
        "KAIHO_SMTP_URL のユーザー名とパスワードを確かめてください。",
        "Check the user name and password in KAIHO_SMTP_URL.",
      ];
    case "tls":
      return [
        "ポート 465 なら smtps://、587 なら smtp:// にしてください。",
        "Use smtps:// for port 465 and smtp:// for port 587.",
      ];
    case "refused":
      return [
        "KAIHO_MAIL_FROM がこのサーバーで使えるアドレスか、PDF が大きすぎないか確かめてください。",
        "Check that KAIHO_MAIL_FROM is allowed on this server and that the PDF is not too large.",
      ];
    default:
      return ["しばらく待ってから、", "Wait a while."];
  }
}

// --- helpers ------------------------------------------------------------------------------------------------

/** Evenly spaced sends: one every 60/rate seconds, so a per-minute limit is never exceeded, even in bursts. */
class Pacer {
  private next = 0;
  private readonly interval: number;
  constructor(perMinute: number) {
    this.interval = 60_000 / perMinute;
  }
  async wait(signal?: AbortSignal): Promise<void> {
    const delay = this.next - Date.now();
    if (delay > 0) await sleep(delay, undefined, signal ? { signal } : {});
    this.next = Math.max(Date.now(), this.next) + this.interval;
  }
}

async function readInput(file: string, kind: "pdf" | "image"): Promise<Buffer> {
  const missing = await readBounded(file, { kind, missingOk: true });
  if (missing) return missing;
  throw errorAt(
    file,
    kind === "pdf" ? "メール版 PDF が見つかりません。" : "1 ページ目のプレビュー画像が見つかりません。",
    kind === "pdf" ? "The email edition PDF does not exist." : "The page-1 preview image does not exist.",
    {
      hintJa: "先に kaiho build でこの号を作ってください。",
      hintEn: "Build the issue first with kaiho build.",
    },
  );
}

function responseText(response: unknown): string {
  if (Buffer.isBuffer(response)) return "";
  return typeof response === "string" ? response : "";
}

function display(m: Pick<Member, "name" | "email">): string {
  return m.name ? `${m.name} <${m.email}>` : m.email;
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} 秒 s` : `${ms} ms`;
}

function logSummary(summary: SendSummary, log: (line: string) => void, dry: boolean): void {
  const verb = dry ? "書き出し written" : "送信 sent";
  log(
    `${dry ? "試し送信の結果" : "送信結果"} summary: ${verb} ${summary.sent}、送信済みのため省略 skipped (already sent) ${summary.skipped}、失敗 failed ${summary.failed.length}、届いたか不明 unknown ${summary.unknown.length}`,
  );
  if (summary.unknown.length)
    log(`  届いたか不明 unknown ${summary.unknown.length}: ${summary.unknown.join(", ")}`);
  for (const f of summary.failed) log(`  失敗 failed: ${f.email} — ${f.response}`);
  if (summary.failed.length) {
    log(
      "  → 名簿のアドレスを確かめてください。直して再実行すると、失敗した人にだけ送ります。 / Check these addresses; a rerun sends to them only.",
    );
  }
  if (summary.unknown.length && !dry) {
    log(
      "  → 「不明」の人には届いている可能性があります。確かめて、送り直すときは --resend-unknown を付けて実行してください。 / Those listed as unknown may have received it: check, and use --resend-unknown to send again.",
    );
  }
}
