import { existsSync } from "node:fs";
import path from "node:path";
import { type Issue, loadIssue } from "../content/index.js";
import { type Diagnostic, KaihoError, Warnings } from "../diagnostics.js";
import { buildMailBody, MAIL_CACHE } from "../mail/body/index.js";
import {
  mailSettings,
  parseUnsubscribe,
  readMembers,
  sendIssue,
  smtpFromEnvironment,
  type Unsubscribe,
  unsubscribeHeaders,
} from "../mail/index.js";

export interface SendCommand {
  root: string;
  dir: string;
  members: string;
  dryRun: boolean;
  /** Send again to members an earlier run may or may not have reached (see src/mail/journal.ts). */
  resendUnknown?: boolean;
  rate?: number;
  config?: string;
  show: (d: Diagnostic) => string;
}

/** `kaiho send`: mails the email edition that `kaiho build` wrote to every member, resumably. */
export async function sendCommand(cmd: SendCommand): Promise<number> {
  const warnings = new Warnings();
  const issue = await loadIssue(path.resolve(cmd.dir), { root: cmd.root, warnings });
  const out = (suffix: string) => path.join(cmd.root, "output", `${issue.id}${suffix}`);
  const pdf = out("-email.pdf");
  if (!existsSync(pdf)) {
    throw new KaihoError({
      severity: "error",
      file: pdf,
      ja: "メール版 PDF がありません。先に kaiho build でこの号を作ってください。",
      en: "The email edition does not exist yet: build the issue first (kaiho build).",
      hintJa: `npm run build -- ${cmd.dir}`,
      hintEn: `npm run build -- ${cmd.dir}`,
    });
  }
  const { members, problems } = await readMembers(path.resolve(cmd.members));
  const settings = mailSettings(process.env, cmd.config);
  let smtp: ReturnType<typeof smtpFromEnvironment> | undefined;
  try {
    smtp = smtpFromEnvironment(process.env, cmd.config);
  } catch (err) {
    // A dry run writes .eml files and needs no server; it still takes the sender when that alone is set.
    if (!cmd.dryRun) throw err;
  }
  const unsubscribe = unsubscribeOf(issue, settings);
  const body = await buildMailBody(issue, {
    cacheDir: path.join(cmd.root, MAIL_CACHE),
    warnings,
    ...(issue.doc.email?.preview ? { preview: out("-page1.png") } : {}),
    pdfName: `${issue.id}.pdf`,
    ...(unsubscribe ? { unsubscribe } : {}),
  });
  for (const d of [...warnings.list, ...problems]) process.stderr.write(`${cmd.show(d)}\n`);
  const abort = new AbortController();
  process.once("SIGINT", () => abort.abort());
  const summary = await sendIssue({
    issueId: issue.id,
    pdf,
    subject: body.subject,
    text: body.text,
    body,
    headers: unsubscribeHeaders(unsubscribe),
    ...(settings.from ? { from: settings.from, fromSource: settings.sources.from } : {}),
    members,
    journal: out("-send.jsonl"),
    smtp,
    dryRun: cmd.dryRun ? { dir: path.join(cmd.root, "output", "mail", issue.id) } : undefined,
    ratePerMinute: cmd.rate,
    resendUnknown: cmd.resendUnknown ?? false,
    signal: abort.signal,
  });
  return summary.failed.length || summary.unknown.length ? 1 : 0;
}

/** `email.unsubscribe` in issue.yaml, else KAIHO_MAIL_UNSUBSCRIBE (environment or settings file). */
function unsubscribeOf(issue: Issue, settings: ReturnType<typeof mailSettings>): Unsubscribe | undefined {
  const own = issue.doc.email?.unsubscribe;
  if (own !== undefined) {
    const at = issue.locate("email.unsubscribe");
    const file = path.relative(issue.root, issue.file).split(path.sep).join("/") || issue.file;
    return parseUnsubscribe(own, {
      file,
      ...(at ? { line: at.line, column: at.column, sourceLine: issue.sourceLines[at.line - 1] ?? "" } : {}),
    });
  }
  return settings.unsubscribe
    ? parseUnsubscribe(settings.unsubscribe, { file: settings.sources.unsubscribe })
    : undefined;
}
