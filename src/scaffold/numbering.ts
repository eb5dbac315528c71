/**
 * The next issue's number, written the way the last one was: 第485号 → 第486号, No.12 → No.13, Vol.3 No.7 →
 * Vol.3 No.8, ４８５号 → ４８６号 (full-width stays full-width), No.007 → No.008, 第十二号 → 第十三号,
 * 2023年12月号 → 2024年1月号 (a month issue rolls the year), 令和5年12月号 → 令和6年1月号.
 */

/** A run of digits: ASCII, full-width, or kanji numerals (一…九, 十, 百, 千, 〇). */
const NUMBER = /[0-9]+|[０-９]+|[〇一二三四五六七八九十百千]+/g;

export interface NextNumber {
  text: string;
  /** The counter before and after (for the folder name): 485 → 486; a month issue gives the months. */
  from: number;
  to: number;
}

/** undefined when the text holds no number to count on (the editor writes it). */
export function nextNumber(text: string): NextNumber | undefined {
  return nextMonthIssue(text) ?? nextCounted(text);
}

/** 12月号 → 1月号, the year before it (2023年, 令和5年) one on when the month rolls over. */
function nextMonthIssue(text: string): NextNumber | undefined {
  const m = /([0-9]+|[０-９]+|[一二三四五六七八九十]+)(\s*)月号/.exec(text);
  if (!m) return undefined;
  const month = readNumber(m[1] as string);
  if (month === undefined || month < 1 || month > 12) return undefined;
  const to = (month % 12) + 1;
  // 12 → 1, not 01: only a month written with a zero (03月号) keeps two digits.
  const like = /^[0０]/.test(m[1] as string) ? (m[1] as string) : (m[1] as string).slice(0, 1);
  let out = replaceAt(text, m.index, (m[1] as string).length, writeLike(like, to));
  if (to === 1) {
    const before = out.slice(0, m.index);
    const year = /([0-9]+|[０-９]+|[〇一二三四五六七八九十百千]+)(\s*)年(?!.*年)/.exec(before);
    if (year) {
      const y = readNumber(year[1] as string);
      if (y !== undefined)
        out = replaceAt(out, year.index, (year[1] as string).length, writeLike(year[1] as string, y + 1));
    }
  }
  return { text: out, from: month, to };
}

/** Every number followed by 号 (第12号（通巻485号）) counts on; without one, the last number does (No.12). */
function nextCounted(text: string): NextNumber | undefined {
  const runs = [...text.matchAll(NUMBER)].filter((r) => readNumber(r[0]) !== undefined);
  if (!runs.length) return undefined;
  const numbered = runs.filter((r) => /^\s*号/.test(text.slice((r.index ?? 0) + r[0].length)));
  const targets = numbered.length ? numbered : [runs.at(-1) as RegExpExecArray];
  let out = text;
  // From the end, so earlier offsets stay valid as lengths change (九 → 十, 99 → 100).
  for (const r of [...targets].reverse()) {
    const n = readNumber(r[0]) as number;
    out = replaceAt(out, r.index ?? 0, r[0].length, writeLike(r[0], n + 1));
  }
  const main = targets.at(-1) as RegExpExecArray;
  const from = readNumber(main[0]) as number;
  return { text: out, from, to: from + 1 };
}

function replaceAt(s: string, at: number, length: number, by: string): string {
  return s.slice(0, at) + by + s.slice(at + length);
}

const KANJI_DIGITS = "〇一二三四五六七八九";
const KANJI_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

export function readNumber(s: string): number | undefined {
  if (/^[0-9]+$/.test(s)) return Number(s);
  if (/^[０-９]+$/.test(s)) return Number(toAscii(s));
  return readKanji(s);
}

/** 十二 → 12, 百五 → 105, 二千二十三 → 2023, 一二 → 12 (digit by digit, as in 二〇二三). */
function readKanji(s: string): number | undefined {
  if (!/[十百千]/.test(s)) {
    const digits = [...s].map((c) => KANJI_DIGITS.indexOf(c));
    return digits.every((d) => d >= 0) ? Number(digits.join("")) : undefined;
  }
  let total = 0;
  let digit: number | undefined;
  for (const c of s) {
    const d = KANJI_DIGITS.indexOf(c);
    if (d >= 0) {
      if (digit !== undefined) return undefined;
      digit = d;
      continue;
    }
    const unit = KANJI_UNITS[c];
    if (unit === undefined) return undefined;
    total += (digit ?? 1) * unit;
    digit = undefined;
  }
  return total + (digit ?? 0);
}

/** n written as `like` is: same digits (ASCII or full-width), same zero padding, or kanji in the same style. */
export function writeLike(like: string, n: number): string {
  if (/^[0-9]+$/.test(like)) return String(n).padStart(like.length, "0");
  if (/^[０-９]+$/.test(like)) return toFullWidth(String(n).padStart(like.length, "0"));
  if (!/[十百千]/.test(like) && like.length > 1)
    return [...String(n)].map((d) => KANJI_DIGITS[Number(d)]).join("");
  return writeKanji(n);
}

function writeKanji(n: number): string {
  if (n === 0) return "〇";
  if (n >= 10000) return [...String(n)].map((d) => KANJI_DIGITS[Number(d)]).join("");
  let out = "";
  for (const [unit, value] of [
    ["千", 1000],
    ["百", 100],
    ["十", 10],
  ] as const) {
    const d = Math.floor(n / value) % 10;
    if (d) out += (d === 1 ? "" : KANJI_DIGITS[d]) + unit;
  }
  const ones = n % 10;
  return out + (ones ? KANJI_DIGITS[ones] : "");
}

function toAscii(s: string): string {
  return s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

function toFullWidth(s: string): string {
  return s.replace(/[0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}
