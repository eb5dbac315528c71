import type { Finding, LineOf, ProseText } from "./types.js";

/**
 * Text that keeps its own digits whatever the prose uses: URLs, e-mail addresses, phone and postal numbers
 * (027-231-0000, 〒370-8501), and words of Latin letters with digits (A4, No.1, COVID-19, 5G). Their digits are
 * not counted.
 */
const OWN_DIGITS = [
  /(?:https?:\/\/|www\.)[^\s　「」『』（）【】<>"]+/g,
  /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g,
  /(?:[0-9０-９]{2,5}[-－ー‐(（)）]){1,2}[0-9０-９]{3,4}(?![0-9０-９])/g,
  /〒?\s*[0-9０-９]{3}[-－ー‐][0-9０-９]{4}(?![0-9０-９])/g,
  /[0-9０-９]*[A-Za-zＡ-Ｚａ-ｚ][A-Za-zＡ-Ｚａ-ｚ0-9０-９.\-－]*/g,
];

interface Run {
  t: ProseText;
  offset: number;
  digits: string;
}

/**
 * Full-width (１２) and half-width (12) digits both used for numbers in the prose of one issue. One warning for the
 * issue, at the first number in the less used form, with how many numbers each form has and the lines of the less
 * used one. Writing single digits full-width and longer numbers half-width (a common house style) is consistent,
 * not mixed.
 */
export function checkDigits(texts: ProseText[], lineOf: LineOf): Finding[] {
  const full: Run[] = [];
  const half: Run[] = [];
  for (const t of texts) {
    let masked = t.text;
    for (const re of OWN_DIGITS) masked = masked.replace(re, (s) => " ".repeat(s.length));
    for (const m of masked.matchAll(/[0-9]+(?:[.,][0-9]+)*|[０-９]+(?:[．，][０-９]+)*/g)) {
      const run = { t, offset: m.index ?? 0, digits: m[0] };
      (/[0-9]/.test(m[0]) ? half : full).push(run);
    }
  }
  if (!full.length || !half.length) return [];
  if (full.every((r) => r.digits.length === 1) && half.every((r) => r.digits.length > 1)) return [];
  const fewer = full.length <= half.length ? full : half;
  const fewerIsFull = fewer === full;
  const first = fewer[0] as Run;
  const lines = [
    ...new Set(fewer.map((r) => lineOf(r.t, r.offset, r.digits)).filter((l) => l !== undefined)),
  ];
  const shown = lines.slice(0, 12).join(", ") + (lines.length > 12 ? " …" : "");
  const [nameJa, otherJa] = fewerIsFull ? ["全角", "半角"] : ["半角", "全角"];
  const [nameEn, otherEn] = fewerIsFull ? ["full-width", "half-width"] : ["half-width", "full-width"];
  return [
    {
      path: first.t.path,
      offset: first.offset,
      snippet: first.digits,
      ja: `全角と半角の数字が混じっています: 全角 ${full.length} か所、半角 ${half.length} か所。${nameJa}は ${shown} 行目です。`,
      en: `Full-width and half-width digits are mixed: ${full.length} numbers full-width, ${half.length} half-width; the ${nameEn} ones are on lines ${shown}.`,
      hintJa: `${nameJa}の数字を${otherJa}にそろえてください（URL・電話番号・英字まじりの語は数えていません）。`,
      hintEn: `Write the ${nameEn} digits ${otherEn}, as the rest are (URLs, phone numbers and words with Latin letters are not counted).`,
    },
  ];
}
