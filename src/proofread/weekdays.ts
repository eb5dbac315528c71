import { dateMentions, daysInMonth, WEEKDAYS, weekdayOf } from "./dates.js";
import type { Finding, ProseText } from "./types.js";

/**
 * A date written with its weekday (８月２日（土）) whose weekday is wrong. A date without a year is read in the
 * issue's year, or the next year when its month comes before the issue's (a December issue announcing January),
 * or the year before when it is more than half a year after the issue's month (a January issue reporting
 * December); the weekday must fit one of these. The hint gives the right weekday.
 */
export function checkWeekdays(texts: ProseText[], issueDate: string): Finding[] {
  const [issueYear, issueMonth] = issueDate.split("-").map(Number) as [number, number];
  const findings: Finding[] = [];
  for (const t of texts) {
    for (const m of dateMentions(t.text)) {
      if (m.weekday === undefined) continue;
      const years = m.year ? [m.year] : candidateYears(issueYear, issueMonth, m.month);
      const real = years.filter((y) => m.day <= daysInMonth(y, m.month));
      const at = { path: t.path, offset: m.offset, snippet: m.snippet };
      if (!real.length) {
        findings.push({
          ...at,
          ja: `「${m.snippet}」: ${m.month}月${m.day}日という日はありません。`,
          en: `"${m.snippet}": there is no ${monthName(m.month)} ${m.day}${m.year ? `, ${m.year}` : ""}.`,
          hintJa: `${m.month}月は${daysInMonth(years[0] ?? issueYear, m.month)}日までです。日付を確かめてください。`,
          hintEn: `${monthName(m.month)} has ${daysInMonth(years[0] ?? issueYear, m.month)} days; check the date.`,
        });
        continue;
      }
      if (real.some((y) => weekdayOf(y, m.month, m.day) === m.weekday)) continue;
      const right = real.map((y) => ({ y, w: weekdayOf(y, m.month, m.day) }));
      findings.push({
        ...at,
        ja: `「${m.snippet}」の曜日が違います: ${right.map((r) => `${r.y}年${m.month}月${m.day}日は${WEEKDAYS[r.w]}曜日`).join("、")}です。`,
        en: `"${m.snippet}" has the wrong weekday: ${right.map((r) => `${monthName(m.month)} ${m.day}, ${r.y} is a ${DAY_NAMES[r.w]}`).join("; ")}.`,
        hintJa: `曜日を（${right.map((r) => WEEKDAYS[r.w]).join("）か（")}）に直すか、日付を確かめてください。`,
        hintEn: `Write (${right.map((r) => WEEKDAYS[r.w]).join(") or (")}), or check the date.`,
      });
    }
  }
  return findings;
}

function candidateYears(issueYear: number, issueMonth: number, month: number): number[] {
  const years = [issueYear];
  if (month < issueMonth) years.push(issueYear + 1);
  if (month - issueMonth > 6) years.push(issueYear - 1);
  return years;
}

const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = "January February March April May June July August September October November December".split(
  " ",
);

export function monthName(month: number): string {
  return MONTHS[month - 1] ?? String(month);
}
