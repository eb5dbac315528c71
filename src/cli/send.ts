import { existsSync } from "node:fs";
import path from "node:path";
import { loadIssue } from "../content/index.js";
import { type Diagnostic, KaihoError, Warnings } from "../diagnostics.js";
import { readMembers, sendIssue, smtpFromEnvironment } from "../mail/index.js";
import { plainText } from "../typeset/index.js";

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
  for (const d of [...warnings.list, ...problems]) process.stderr.write(`${cmd.show(d)}\n`);
  let smtp: ReturnType<typeof smtpFromEnvironment> | undefined;
  try {
    smtp = smtpFromEnvironment(process.env, cmd.config);
  } catch (err) {
    // A dry run writes .eml files and needs no server.
    if (!cmd.dryRun) throw err;
  }
  const doc = issue.doc;
  // Ruby notation (｜学級通信《がっきゅうつうしん》) is for the page; a mail reads the base text.
  const title = [plainText(doc.newsletter), doc.number].filter(Boolean).join(" ");
  const [y, m, d] = doc.date.split("-").map(Number) as [number, number, number];
  const subject = doc.email?.subject ?? `${title}（${y}年${m}月${d}日発行）`;
  const text =
    doc.email?.text ??
    `${title}をお届けします。\n添付の PDF をご覧ください。\n\n${plainText(doc.publisher ?? doc.newsletter)}`;
  const abort = new AbortController();
  process.once("SIGINT", () => abort.abort());
  const summary = await sendIssue({
    issueId: issue.id,
    pdf,
    preview: existsSync(out("-page1.png")) ? out("-page1.png") : undefined,
    subject,
    text,
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
