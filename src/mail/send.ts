import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import nodemailer from "nodemailer";
import type Mail from "nodemailer/lib/mailer/index.js";
import { type Diagnostic, errorAt, KaihoError } from "../diagnostics.js";
import { acquireLock, type JournalRecord, JournalWriter, readJournal } from "./journal.js";
import type { Member } from "./members.js";
import {
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
  /** The body as plain text; the HTML part is made from it (paragraphs, line breaks, links) plus the preview. */
  text: string;
  /** From readMembers: duplicates (case-insensitive) are sent to once. */
  members: ReadonlyArray<Pick<Member, "name" | "email">>;
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
  /** For tests: a nodemailer transport to use instead of one made from smtp.url. */
  transport?: MailTransport;
}

export interface SendSummary {
  /** Messages the server accepted in this run (in a dry run: .eml files written). */
  sent: number;
  /** Members skipped because the journal records them as already sent. */
  skipped: number;
  /** Recipients the server refused (5xx to RCPT TO), with its reply. Recorded; a rerun tries them again. */
  failed: Array<{ email: string; response: string }>;
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
const PREVIEW_CID = "page1@kaiho";
const LARGE_ATTACHMENT = 10 * 1024 * 1024;

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
  const pdf = await readInput(opts.pdf, "メール版 PDF", "email edition PDF");
  const preview = opts.preview
    ? await readInput(opts.preview, "1 ページ目のプレビュー画像", "page-1 preview image")
    : undefined;
  const pdfHash = createHash("sha256").update(pdf).digest("hex").slice(0, 16);
  if (pdf.length > LARGE_ATTACHMENT) {
    log(
      `警告 warning: 添付する PDF が ${(pdf.length / 1024 / 1024).toFixed(1)} MB あります。10 MB を超えると受け取れない人がいます。 / The PDF is ${(pdf.length / 1024 / 1024).toFixed(1)} MB; some mailboxes refuse attachments over 10 MB.`,
    );
  }

  let from: ParsedFrom;
  if (opts.smtp) from = parseFrom(opts.smtp.from);
  else if (opts.dryRun) from = { name: "差出人未設定", address: "from-not-set@example.invalid" };
  else throw smtpMissingError();
  const compose = (m: Pick<Member, "name" | "email">) =>
    composeMessage(m, {
      from: from,
      subject: opts.subject,
      text: opts.text,
      issueId: opts.issueId,
      pdf,
      preview,
    });

  // Each address once, in list order.
  const members: Array<Pick<Member, "name" | "email">> = [];
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
    const pending = members.filter((m) => !state.sent.has(m.email.toLowerCase()));
    const summary: SendSummary = { sent: 0, skipped: members.length - pending.length, failed: [] };
    return { state, pending, summary };
  };
  if (opts.dryRun) {
    const { pending, summary } = await plan();
    return dryRun(opts.dryRun.dir, pending, compose, summary, log);
  }

  const smtp = opts.smtp as SmtpSettings;
  const release = acquireLock(opts.journal);
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
    const stop = (reasonJa: string, reasonEn: string, hintJa?: string, hintEn?: string): SendStoppedError => {
      const remaining = pending.length - summary.sent - summary.failed.length;
      const doneJa = `この回の送信 ${summary.sent} 通、送信済みで飛ばした ${summary.skipped} 名、残り ${remaining} 名。`;
      const doneEn = `${summary.sent} sent in this run, ${summary.skipped} skipped as already sent, ${remaining} remaining.`;
      return new SendStoppedError(
        {
          severity: "error",
          file: opts.journal,
          ja: `${started ? "送信を途中で止めました" : "送信を始められませんでした"}: ${redact(reasonJa, smtp.url)}${doneJa}`,
          en: `${started ? "Sending stopped" : "Could not start sending"}: ${redact(reasonEn, smtp.url)} ${doneEn}`,
          hintJa: `${hintJa ? redact(hintJa, smtp.url) : ""}もう一度同じ kaiho send を実行すると、送信済みの人を飛ばして続きから送ります（記録: ${opts.journal}）。`,
          hintEn: `${hintEn ? `${redact(hintEn, smtp.url)} ` : ""}Run the same kaiho send again to resume: members already sent to are skipped (record: ${opts.journal}).`,
        },
        { ...summary, failed: [...summary.failed], remaining },
      );
    };

    try {
      log(
        `送信開始 sending ${opts.issueId}: ${pending.length} 名に送ります${summary.skipped ? `（送信済みの ${summary.skipped} 名は飛ばします）` : ""} / to ${pending.length} member(s)${summary.skipped ? ` (${summary.skipped} already sent, skipped)` : ""} — ${maskUrl(smtp.url)}, 毎分 ${rate} 通まで / at most ${rate} a minute`,
      );
      if (!pending.length) {
        logSummary(summary, log, false);
        return summary;
      }
      transport = opts.transport ?? (nodemailer.createTransport(transportOptions(smtp.url)) as MailTransport);
      if (ownTransport && transport.verify) {
        try {
          await transport.verify();
        } catch (err) {
          const f = classify(err);
          throw stop(...failureReason(f, smtp), ...failureHint(f));
        }
      }
      writer = await JournalWriter.open(opts.journal, state.torn);
      started = true;
      const journal = writer;
      // A record that cannot be written must stop the run: going on (or retrying) would send twice on the rerun.
      const record = async (r: JournalRecord) => {
        try {
          await journal.append(r);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code ?? String(err);
          if (r.status === "sent") summary.sent++;
          throw stop(
            `送信記録 ${opts.journal} に書き込めません（${code}）。${r.email} には送信済みです。`,
            `cannot write the send record ${opts.journal} (${code}); ${r.email} has been sent to.`,
            `ディスクの空きを確かめ、${r.email} の行を記録に足すか名簿から外してから、`,
            `Check the free disk space; add ${r.email} to the record or take it off the list first.`,
          );
        }
      };
      const pacer = new Pacer(rate);
      const retries = opts.retries ?? 2;
      const retryDelay = opts.retryDelayMs ?? 10_000;

      for (const [index, member] of pending.entries()) {
        const counter = `[${index + 1}/${pending.length}]`;
        let attempt = 0;
        for (;;) {
          if (opts.signal?.aborted) throw stop("中断しました。", "interrupted.");
          try {
            await pacer.wait(opts.signal);
          } catch {
            throw stop("中断しました。", "interrupted.");
          }
          let info: Awaited<ReturnType<MailTransport["sendMail"]>>;
          try {
            info = await transport.sendMail(compose(member));
          } catch (err) {
            const f = classify(err);
            if (f.kind === "rejected") {
              const response = redact(f.response, smtp.url);
              await record({
                email: member.email,
                status: "rejected",
                response,
                at: new Date().toISOString(),
              });
              summary.failed.push({ email: member.email, response });
              log(`${counter} 拒否 rejected: ${display(member)} — ${response}`);
              break;
            }
            if (f.kind !== "transient" || attempt >= retries) {
              const [ja, en] = failureReason(f, smtp);
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
              throw stop("中断しました。", "interrupted.");
            }
            continue;
          }
          await record({
            email: member.email,
            status: "sent",
            response: responseText(info.response),
            messageId: info.messageId ?? "",
            at: new Date().toISOString(),
            pdf: pdfHash,
          });
          summary.sent++;
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
      await writer?.close();
    }
  }
}

// --- messages -----------------------------------------------------------------------------------------------

interface ComposeContext {
  from: ParsedFrom;
  subject: string;
  text: string;
  issueId: string;
  pdf: Buffer;
  preview: Buffer | undefined;
}

/**
 * One member's message: To the member alone, the envelope likewise (no Cc, no Bcc, no other member anywhere),
 * the text part, an HTML part with the page-1 preview inline (cid) when there is one, and the PDF attached.
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
  };
  if (ctx.preview) {
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
  pending: Array<Pick<Member, "name" | "email">>,
  compose: (m: Pick<Member, "name" | "email">) => Mail.Options,
  summary: SendSummary,
  log: (line: string) => void,
): Promise<SendSummary> {
  await mkdir(dir, { recursive: true });
  // Files of an earlier dry run would look like part of this one.
  for (const name of await readdir(dir)) if (name.endsWith(".eml")) await unlink(path.join(dir, name));
  const stream = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "windows" });
  for (const [index, member] of pending.entries()) {
    const info = await stream.sendMail(compose(member));
    const file = `${String(index + 1).padStart(3, "0")}-${member.email.replace(/[^A-Za-z0-9@._+-]/g, "_")}.eml`;
    await writeFile(path.join(dir, file), info.message as Buffer);
    summary.sent++;
  }
  log(
    `試し送信 dry run: ${summary.sent} 通のメールを ${dir} に書き出しました（送信はしていません）。 / Wrote ${summary.sent} message(s) to ${dir}; nothing was sent.`,
  );
  logSummary(summary, log, true);
  return summary;
}

// --- failures -----------------------------------------------------------------------------------------------

type Failure = {
  kind: "rejected" | "transient" | "auth" | "relay" | "tls" | "refused";
  response: string;
};

/**
 * nodemailer errors → what to do. A 5xx reply to RCPT TO is about that recipient: record it and go on. Anything
 * else permanent (login refused, TLS, 5xx to MAIL FROM or after DATA) would fail for everyone: stop. Dropped
 * connections, timeouts and 4xx replies are temporary: retry, then stop.
 */
function classify(err: unknown): Failure {
  const e = (err ?? {}) as {
    code?: string;
    responseCode?: number;
    command?: string;
    response?: string;
    message?: string;
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

async function readInput(file: string, whatJa: string, whatEn: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    throw errorAt(
      file,
      `${whatJa}が見つかりません（${(err as NodeJS.ErrnoException).code}）。`,
      `The ${whatEn} cannot be read (${(err as NodeJS.ErrnoException).code}).`,
      {
        hintJa: "先に kaiho build でこの号を作ってください。",
        hintEn: "Build the issue first with kaiho build.",
      },
    );
  }
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
    `${dry ? "試し送信の結果" : "送信結果"} summary: ${verb} ${summary.sent}、送信済みのため省略 skipped (already sent) ${summary.skipped}、失敗 failed ${summary.failed.length}`,
  );
  for (const f of summary.failed) log(`  失敗 failed: ${f.email} — ${f.response}`);
  if (summary.failed.length) {
    log(
      "  → 名簿のアドレスを確かめてください。直して再実行すると、失敗した人にだけ送ります。 / Check these addresses; a rerun sends to them only.",
    );
  }
}
