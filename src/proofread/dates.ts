/**
 * Dates written in text: 8月2日(土), ８月２日（土曜日）, 8/2(土), 2024年8月2日, 令和6年8月2日（金・祝）, and a day
 * that follows one (8月2日（土）・3日（日）). Full-width and half-width digits alike, spaces allowed.
 */

export interface DateMention {
  /** UTF-16 offset in the text, and the text of the date as written (weekday included). */
  offset: number;
  snippet: string;
  /** The year when it is written (2024年…, 2024/…, 令和6年…). */
  year?: number;
  month: number;
  day: number;
  /** 0 = Sunday … 6 = Saturday, when a weekday is written. */
  weekday?: number;
}

export const WEEKDAYS = "日月火水木金土";

const D = "[0-9０-９]";
/** （土）, (土), （土曜日）, （土曜）, （金・祝）, (木祝), （月・休） */
const WEEKDAY = `[（(]\\s*([${WEEKDAYS}])(?:曜日|曜)?\\s*(?:[・･、,]?\\s*(?:祝日|祝|祭日|振休|休日|休))?\\s*[）)]`;
const FULL = new RegExp(
  `(?<!${D})(?:(${D}{4})\\s*[年/／]\\s*|(令和|平成)\\s*(${D}{1,2}|元)\\s*年\\s*)?(${D}{1,2})\\s*(月|[/／])\\s*(${D}{1,2})(?!${D})\\s*(日)?(?:\\s*${WEEKDAY})?`,
  "g",
);
/** The day of a date that goes on from the one before: ・3日（日）, ～3日(日), 、3日（日） */
const NEXT_DAY = new RegExp(
  `^\\s*(?:[～〜~・･、，,\\-－―‐]|から|および|と)\\s*(${D}{1,2})\\s*日(?:\\s*${WEEKDAY})`,
);

const ERAS: Record<string, number> = { 令和: 2018, 平成: 1988 };

export function toAscii(digits: string): string {
  return digits.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

export function dateMentions(text: string): DateMention[] {
  const out: DateMention[] = [];
  for (const m of text.matchAll(FULL)) {
    const [snippet, yearText, era, eraYear, monthText, sep, dayText, nichi, weekdayText] = m;
    const month = Number(toAscii(monthText ?? ""));
    const day = Number(toAscii(dayText ?? ""));
    // 8月2 without 日, or 1/2 without a weekday, is not surely a date.
    if (sep === "月" ? !nichi : !weekdayText) continue;
    if (month < 1 || month > 12 || day < 1 || day > 31) continue;
    const year = yearText
      ? Number(toAscii(yearText))
      : era
        ? (ERAS[era] ?? 0) + (eraYear === "元" ? 1 : Number(toAscii(eraYear ?? "")))
        : undefined;
    const offset = m.index ?? 0;
    const mention: DateMention = { offset, snippet, month, day, ...(year ? { year } : {}) };
    if (weekdayText) mention.weekday = WEEKDAYS.indexOf(weekdayText);
    out.push(mention);
    let end = offset + snippet.length;
    for (let next = NEXT_DAY.exec(text.slice(end)); next; next = NEXT_DAY.exec(text.slice(end))) {
      const lead = /^\s*(?:[～〜~・･、，,\-－―‐]|から|および|と)\s*/.exec(next[0])?.[0].length ?? 0;
      const nextDay = Number(toAscii(next[1] ?? ""));
      if (nextDay < 1 || nextDay > 31) break;
      out.push({
        offset: end + lead,
        snippet: next[0].slice(lead),
        month,
        day: nextDay,
        weekday: WEEKDAYS.indexOf(next[2] ?? ""),
        ...(year ? { year } : {}),
      });
      end += next[0].length;
    }
  }
  return out;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}
