/**
 * Sending an issue by email (see SENDING.md). The CLI's `kaiho send` needs:
 *   smtpFromEnvironment(process.env, configFile?) → settings (throws KaihoError saying what to set)
 *   readMembers(csv) → { members, problems }   (problems are warnings: rows left out, with their line)
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
  maskUrl,
  parseFrom,
  parseSmtpUrl,
  type SmtpSettings,
  smtpFromEnvironment,
  smtpMissingError,
} from "./smtp.js";
