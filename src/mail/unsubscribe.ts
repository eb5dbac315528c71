import type { Diagnostic } from "../diagnostics.js";
import { KaihoError } from "../diagnostics.js";
import { checkEmail } from "./members.js";

/**
 * Where a member asks to stop receiving the issue, for the List-Unsubscribe header (RFC 2369) that mail apps
 * show as an "unsubscribe" button: an address (mailto:) and/or an https URL. List-Unsubscribe-Post (RFC 8058,
 * one click) is added only with an https URL, since it asks the mail app to POST to that URL.
 */
export interface Unsubscribe {
  mailto?: string;
  https?: string;
}

/** Where the values were written, for the message when one is wrong. */
export interface SettingPlace {
  file: string;
  line?: number;
  column?: number;
  sourceLine?: string;
}

/**
 * `stop@example.jp`, `mailto:stop@example.jp?subject=…` or `https://example.jp/stop`, one or two of them (a
 * settings-file value may list both, separated by a comma or a space). Anything else is an error naming where.
 */
export function parseUnsubscribe(
  values: string | readonly string[],
  place: SettingPlace,
): Unsubscribe | undefined {
  const list = (
    typeof values === "string" ? values.split(/[\s,]+/) : values.flatMap((v) => v.split(/[\s,]+/))
  )
    .map((v) => v.trim().replace(/^<|>$/g, ""))
    .filter(Boolean);
  if (!list.length) return undefined;
  const out: Unsubscribe = {};
  for (const value of list) {
    if (/^https:\/\//i.test(value)) {
      let url: URL | undefined;
      try {
        url = new URL(value);
      } catch {}
      if (!url?.hostname.includes(".")) throw wrong(value, place);
      out.https = url.href;
      continue;
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(value) && !/^mailto:/i.test(value)) throw wrong(value, place);
    const [address = "", query] = value.replace(/^mailto:/i, "").split("?", 2);
    const check = checkEmail(decodeURIComponent(address));
    if (!check.ok) throw wrong(value, place, check.ja, check.en);
    out.mailto = `mailto:${check.email}${query ? `?${query}` : "?subject=unsubscribe"}`;
  }
  return out;
}

/** The header lines for the message, or none. */
export function unsubscribeHeaders(u: Unsubscribe | undefined): Record<string, string> {
  if (!u || (!u.mailto && !u.https)) return {};
  const targets = [u.https, u.mailto].filter(Boolean).map((t) => `<${t}>`);
  return {
    "List-Unsubscribe": targets.join(", "),
    ...(u.https ? { "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" } : {}),
  };
}

function wrong(value: string, place: SettingPlace, whyJa = "", whyEn = ""): KaihoError {
  const d: Diagnostic = {
    severity: "error",
    ...place,
    ja: `配信停止の宛先「${value}」はメールアドレスでも https の URL でもありません${whyJa ? `（${whyJa}）` : "。"}`,
    en: `The unsubscribe target "${value}" is neither an email address nor an https URL${whyEn ? ` (${whyEn})` : "."}`,
    hintJa:
      "例: unsubscribe: stop@example.jp（配信停止の受付アドレス）か https://example.jp/stop（受付ページ）、または両方を [ ] で。",
    hintEn:
      "e.g. unsubscribe: stop@example.jp (an address that takes requests) or https://example.jp/stop, or both in [ ].",
  };
  return new KaihoError(d);
}
