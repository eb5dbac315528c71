/**
 * Sending an issue by email (see SENDING.md). The CLI's `kaiho send` needs:
 *   smtpFromEnvironment(process.env, configFile?) → settings (throws KaihoError saying what to set)
 *   readMembers(csv) → { members, problems }   (problems are warnings: rows left out, with their line)
 *   buildMailBody(issue, { cacheDir, ... }) → { subject, html, text, images }   (the message made from the issue;
 *     from ./body/index.js, kept out of this index so the sender alone loads without the content and layout code)
 *   sendIssue({ ... }) → { sent, skipped, failed, unknown }   (throws SendStoppedError when a rerun must resume)
 */
export { type JournalRecord, readJournal } from "./journal.js";
export { checkEmail, type Member, type MembersResult, parseMembers, readMembers } from "./members.js";
export {
  composeMessage,
  emlName,
  type MailTransport,
  messageIdFor,
  type SendOptions,
  SendStoppedError,
  type SendSummary,
  sendIssue,
} from "./send.js";
export {
  type MailSettings,
  mailSettings,
  maskUrl,
  parseFrom,
  parseSmtpUrl,
  type SmtpSettings,
  smtpFromEnvironment,
  smtpMissingError,
} from "./smtp.js";
export { parseUnsubscribe, type Unsubscribe, unsubscribeHeaders } from "./unsubscribe.js";
