import path from "node:path";
import type SMTPPool from "nodemailer/lib/smtp-pool/index.js";
import { type Diagnostic, EXIT_USAGE, KaihoError } from "../diagnostics.js";
import { readBoundedSync } from "../fsx/read.js";
import { checkEmail } from "./members.js";

/** Where to send from: an SMTP URL (with the login in it) and the From address. */
export interface SmtpSettings {
  /** smtp://user:pass@host:587 (STARTTLS) or smtps://user:pass@host:465 (TLS from the start). */
  url: string;
  /** "市職労ニュース <news@example.jp>" or just news@example.jp. */
  from: string;
}

const URL_EXAMPLE = "smtp://ユーザー名:パスワード@smtp.example.jp:587";
const URL_EXAMPLE_EN = "smtp://user:password@smtp.example.jp:587";
const FROM_EXAMPLE = "市職労ニュース <news@example.jp>";
const QUERY_OPTIONS = ["requireTLS", "rejectUnauthorized"];

/**
 * SMTP settings from the environment (KAIHO_SMTP_URL, KAIHO_MAIL_FROM) or, for what the environment does not
 * set, from a config file of KEY=value lines (# comments; quotes optional). The file must not be inside a
 * content/ folder: content is shared and copied between issues, and the file holds a password.
 * Throws a KaihoError that says exactly what to set; messages never contain the password.
 */
export function smtpFromEnvironment(env: NodeJS.ProcessEnv = process.env, configFile?: string): SmtpSettings {
  const { url, from, sources } = mailSettings(env, configFile);
  if (!url || !from) throw smtpMissingError(configFile, { url: !url, from: !from });
  parseSmtpUrl(url, sources.url);
  parseFrom(from, sources.from);
  return { url, from };
}

/** One mail setting and where it was found (the variable's name, or the settings file), for messages. */
export interface MailSettings {
  url: string;
  from: string;
  /** KAIHO_MAIL_UNSUBSCRIBE: an address and/or an https URL for List-Unsubscribe (src/mail/unsubscribe.ts). */
  unsubscribe: string;
  sources: { url: string; from: string; unsubscribe: string };
}

/**
 * The mail settings as they are set, each from the environment or else the settings file, none required: a dry
 * run needs no server but still takes the sender (KAIHO_MAIL_FROM) when it is set. The file rules are those of
 * smtpFromEnvironment.
 */
export function mailSettings(env: NodeJS.ProcessEnv = process.env, configFile?: string): MailSettings {
  let fromFile: Record<string, string> = {};
  if (configFile) {
    if (path.resolve(configFile).split(path.sep).includes("content")) {
      throw settingsError(
        configFile,
        "パスワードを含む設定ファイルを content/ フォルダの中に置かないでください。",
        "Do not keep the settings file, which holds a password, inside a content/ folder.",
        "content/ の外（例: プロジェクトのフォルダ直下の kaiho-mail.env）に移してください。",
        "Move it outside content/ (e.g. kaiho-mail.env in the project folder).",
      );
    }
    fromFile = readConfigFile(configFile);
  }
  const setting = (name: string) => {
    const own = (env[name] ?? "").trim();
    return { value: own || fromFile[name] || "", source: configFile && !own ? configFile : name };
  };
  const url = setting("KAIHO_SMTP_URL");
  const from = setting("KAIHO_MAIL_FROM");
  const unsubscribe = setting("KAIHO_MAIL_UNSUBSCRIBE");
  return {
    url: url.value,
    from: from.value,
    unsubscribe: unsubscribe.value,
    sources: { url: url.source, from: from.source, unsubscribe: unsubscribe.source },
  };
}

/** The error for SMTP settings that are not set at all: what to set, where, with examples. */
export function smtpMissingError(configFile?: string, which = { url: true, from: true }): KaihoError {
  const where = configFile ? `環境変数か ${configFile}` : "環境変数";
  const whereEn = configFile ? `the environment or ${configFile}` : "the environment";
  const missing: Diagnostic[] = [];
  if (which.url) {
    missing.push({
      severity: "error",
      file: configFile ?? "KAIHO_SMTP_URL",
      ja: `送信に使う SMTP サーバーが設定されていません。${where}に KAIHO_SMTP_URL を設定してください。`,
      en: `No SMTP server is set: set KAIHO_SMTP_URL in ${whereEn}.`,
      hintJa: `例: KAIHO_SMTP_URL=${URL_EXAMPLE}（465 番ポートの場合は smtps://）。サーバー名・ポート・ユーザー名・パスワードはメールの管理者かプロバイダーの案内で確かめてください。`,
      hintEn: `e.g. KAIHO_SMTP_URL=${URL_EXAMPLE_EN} (smtps:// for port 465). Your mail administrator or provider gives the server, port, user and password.`,
    });
  }
  if (which.from) {
    missing.push({
      severity: "error",
      file: configFile ?? "KAIHO_MAIL_FROM",
      ja: `差出人のアドレスが設定されていません。${where}に KAIHO_MAIL_FROM を設定してください。`,
      en: `No sender address is set: set KAIHO_MAIL_FROM in ${whereEn}.`,
      hintJa: `例: KAIHO_MAIL_FROM="${FROM_EXAMPLE}"（SMTP サーバーで送信を許されたアドレス）。`,
      hintEn: `e.g. KAIHO_MAIL_FROM="${FROM_EXAMPLE}" (an address the SMTP server lets you send from).`,
    });
  }
  return new KaihoError(missing, EXIT_USAGE);
}

export interface ParsedSmtpUrl {
  secure: boolean;
  host: string;
  port: number;
  user?: string;
  pass?: string;
  requireTLS: boolean;
  rejectUnauthorized: boolean;
}

/** Parses and checks an SMTP URL. `source` names where it came from in messages (a variable or a file). */
export function parseSmtpUrl(url: string, source = "KAIHO_SMTP_URL"): ParsedSmtpUrl {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw settingsError(
      source,
      `KAIHO_SMTP_URL（${maskUrl(url)}）の形が正しくありません。`,
      `KAIHO_SMTP_URL (${maskUrl(url)}) is not a valid URL.`,
      `${URL_EXAMPLE} の形で書いてください。パスワードに @ : / # ? % が入るときは %40 %3A %2F %23 %3F %25 と書きます。`,
      `Write it as ${URL_EXAMPLE_EN}. In the password write @ : / # ? % as %40 %3A %2F %23 %3F %25.`,
    );
  }
  if (u.protocol !== "smtp:" && u.protocol !== "smtps:") {
    throw settingsError(
      source,
      `KAIHO_SMTP_URL は smtp:// か smtps:// で始めてください（「${u.protocol}//」になっています）。`,
      `KAIHO_SMTP_URL must start with smtp:// or smtps:// (it starts with "${u.protocol}//").`,
      "587 番ポート（STARTTLS）は smtp://、465 番ポートは smtps:// です。",
      "Port 587 (STARTTLS) is smtp://, port 465 is smtps://.",
    );
  }
  if (!u.hostname) {
    throw settingsError(
      source,
      "KAIHO_SMTP_URL にサーバー名がありません。",
      "KAIHO_SMTP_URL has no server name.",
      `例: ${URL_EXAMPLE}`,
      `e.g. ${URL_EXAMPLE_EN}`,
    );
  }
  const unknown = [...u.searchParams.keys()].filter((k) => !QUERY_OPTIONS.includes(k));
  if (unknown.length) {
    throw settingsError(
      source,
      `KAIHO_SMTP_URL の「?${unknown[0]}=」は使えません（使えるのは ${QUERY_OPTIONS.join(", ")}）。`,
      `KAIHO_SMTP_URL option "?${unknown[0]}=" is not supported (supported: ${QUERY_OPTIONS.join(", ")}).`,
    );
  }
  const secure = u.protocol === "smtps:";
  const host = u.hostname.replace(/^\[|\]$/g, "");
  const user = u.username ? decodeURIComponent(u.username) : undefined;
  const pass = u.password ? decodeURIComponent(u.password) : undefined;
  const flag = (name: string, fallback: boolean) => {
    const v = u.searchParams.get(name);
    return v === null ? fallback : !/^(false|0|no)$/i.test(v);
  };
  // A password is never sent over a plain connection to another machine: for smtp:// with a login, STARTTLS is
  // required unless the server is this machine (a local relay) or ?requireTLS=false says otherwise.
  const loopback = host === "localhost" || host === "::1" || host.startsWith("127.");
  return {
    secure,
    host,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    ...(user ? { user } : {}),
    ...(pass ? { pass } : {}),
    requireTLS: flag("requireTLS", !secure && !!user && !loopback),
    rejectUnauthorized: flag("rejectUnauthorized", true),
  };
}

/** Set by the transport's transaction log when the DATA command went out for the message being sent. */
export interface DataWatch {
  dataSent: boolean;
}

/**
 * nodemailer options for one pooled connection; retries and pacing are done by the sender, not the pool. With
 * a watch, the client's commands are observed so the sender can tell a connection lost before DATA (nothing
 * transmitted: safe to retry) from one lost after (the server may have the message).
 */
export function transportOptions(
  url: string,
  extra: { watch?: DataWatch; socketTimeout?: number | undefined } = {},
): SMTPPool.Options {
  const p = parseSmtpUrl(url);
  const watch = extra.watch;
  const observe = (entry: { tnx?: string } | undefined, message: unknown) => {
    if (watch && entry?.tnx === "client" && /^(DATA|BDAT)\b/i.test(String(message))) watch.dataSent = true;
  };
  const quiet = () => {};
  const options: SMTPPool.Options & { maxRequeues: number } = {
    pool: true,
    maxConnections: 1,
    maxMessages: 100,
    // The pool would otherwise resend a message whose connection closed, forever, and possibly twice.
    maxRequeues: 0,
    host: p.host,
    port: p.port,
    secure: p.secure,
    requireTLS: p.requireTLS,
    tls: { rejectUnauthorized: p.rejectUnauthorized },
    ...(p.user ? { auth: { user: p.user, pass: p.pass ?? "" } } : {}),
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: extra.socketTimeout ?? 120_000,
    debug: false,
    ...(watch
      ? {
          transactionLog: true,
          logger: {
            trace: quiet,
            debug: observe,
            info: quiet,
            warn: quiet,
            error: quiet,
            fatal: quiet,
            level: quiet,
          },
        }
      : { logger: false }),
  };
  return options;
}

/** The URL with the password replaced by ***, for logs and messages. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#]*?:)[^/?#]*@/i, "$1***@");
  }
}

/** Removes the password (as written and as decoded) from any text, e.g. an error message, before it is shown. */
export function redact(text: string, url: string | undefined): string {
  if (!url) return text;
  const secrets = new Set<string>();
  try {
    const u = new URL(url);
    if (u.password) {
      secrets.add(u.password);
      secrets.add(decodeURIComponent(u.password));
    }
  } catch {
    const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*?:([^/?#]*)@/i.exec(url);
    if (m?.[1]) secrets.add(m[1]);
  }
  let out = text.split(url).join(maskUrl(url));
  for (const s of secrets) if (s.length >= 3) out = out.split(s).join("***");
  return out;
}

export interface ParsedFrom {
  name?: string;
  address: string;
}

/** "Name <addr>" or "addr". */
export function parseFrom(from: string, source = "KAIHO_MAIL_FROM"): ParsedFrom {
  const m = /^\s*(?:"?([^"<>]*?)"?\s*<([^<>]+)>|([^<>\s]+))\s*$/.exec(from);
  const address = m?.[2] ?? m?.[3];
  const check = address === undefined ? undefined : checkEmail(address);
  if (!check?.ok) {
    throw settingsError(
      source,
      `KAIHO_MAIL_FROM（${from}）が差出人アドレスの形になっていません${check ? `: ${check.ja}` : "。"}`,
      `KAIHO_MAIL_FROM (${from}) is not a sender address${check ? `: ${check.en}` : "."}`,
      `例: KAIHO_MAIL_FROM="${FROM_EXAMPLE}" または news@example.jp`,
      `e.g. KAIHO_MAIL_FROM="${FROM_EXAMPLE}" or news@example.jp`,
    );
  }
  const name = m?.[1]?.trim();
  return name ? { name, address: check.email } : { address: check.email };
}

function readConfigFile(file: string): Record<string, string> {
  let bytes: Buffer | undefined;
  try {
    bytes = readBoundedSync(file, { kind: "config", missingOk: true });
  } catch (err) {
    const d = err instanceof KaihoError ? err.diagnostics[0] : undefined;
    throw settingsError(
      file,
      d?.ja ?? "設定ファイルを読めません。",
      d?.en ?? "Cannot read the settings file.",
    );
  }
  if (!bytes) return {};
  const text = bytes.toString("utf8").replace(/^\uFEFF/, "");
  const out: Record<string, string> = {};
  text.split(/\r\n|\n|\r/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m?.[1]) {
      throw new KaihoError(
        {
          severity: "error",
          file,
          line: index + 1,
          ja: "「名前=値」の形になっていません。",
          en: "This line is not NAME=value.",
          hintJa: `例: KAIHO_SMTP_URL=${URL_EXAMPLE}`,
          hintEn: `e.g. KAIHO_SMTP_URL=${URL_EXAMPLE_EN}`,
        },
        EXIT_USAGE,
      );
    }
    let value = (m[2] ?? "").trim();
    const q = value[0];
    if ((q === '"' || q === "'") && value.endsWith(q) && value.length >= 2) value = value.slice(1, -1);
    out[m[1]] = value;
  });
  return out;
}

function settingsError(file: string, ja: string, en: string, hintJa?: string, hintEn?: string): KaihoError {
  return new KaihoError(
    { severity: "error", file, ja, en, ...(hintJa ? { hintJa } : {}), ...(hintEn ? { hintEn } : {}) },
    EXIT_USAGE,
  );
}
