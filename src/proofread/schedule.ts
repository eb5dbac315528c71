import { type DateMention, dateMentions, toAscii, WEEKDAYS, weekdayOf } from "./dates.js";
import type { Finding, LineOf, ProseText, ScheduleEntry } from "./types.js";
import { monthName } from "./weekdays.js";

/**
 * A schedule entry whose date disagrees with the date an article gives the same event. The event is matched by
 * what its text shares with the sentence around a date in an article (for an `info` block: with the whole block):
 * a run of at least 4 characters (all of the entry when shorter, never less than 2) that is at least half of the
 * entry, such as 定期大会 of 第45回定期大会 (a numbered event, 第3回…, matches only the same number). A date of
 * that sentence speaks of the event when it has a weekday (８月２日（土）, as announcements write) or stands right
 * beside the shared words (8月2日の定期大会); a date written only in passing (9月1日は防災の日…) does not. When any
 * matching sentence has the entry's date, they agree.
 */
export function checkSchedules(entries: ScheduleEntry[], texts: ProseText[], lineOf: LineOf): Finding[] {
  const contexts = articleContexts(texts);
  const findings: Finding[] = [];
  for (const entry of entries) {
    const [year, month, day] = entry.date.split("-").map(Number) as [number, number, number];
    const agrees = (d: DateMention) => d.month === month && d.day === day && (!d.year || d.year === year);
    for (const item of entry.texts) {
      const event = comparable(item.text).text;
      // What is in brackets is a remark (新入社員研修（〜4/24）), not the event's name.
      const core = comparable(item.text.replace(/[（(][^）)]*[）)]/g, "")).text;
      const ordinal = ordinalOf(event);
      const name = ordinal ? core.replace(ordinal, "") : core;
      let disagreeing: { date: ContextDate; gap: number } | undefined;
      let agreed = false;
      for (const ctx of contexts) {
        const text = comparable(ctx.text);
        if (ordinal && !text.text.includes(ordinal)) continue;
        const shared = longestShared(name, text.text);
        if (shared.replace(/[0-9]/g, "").length < 2) continue;
        if (shared.length < Math.min(4, name.length) || shared.length * 2 < name.length) continue;
        if (ctx.dates.some(agrees)) {
          agreed = true;
          break;
        }
        const from = text.origin[text.text.indexOf(shared)] ?? 0;
        const to = (text.origin[text.text.indexOf(shared) + shared.length - 1] ?? from) + 1;
        for (const d of ctx.dates) {
          const gap = d.at >= to ? d.at - to : from - (d.at + d.snippet.length);
          if (d.weekday === undefined && gap > 3) continue;
          if (!disagreeing || gap < disagreeing.gap) disagreeing = { date: d, gap };
        }
      }
      if (agreed || !disagreeing) continue;
      const d = disagreeing.date;
      const line = lineOf(d.t, d.offset, d.snippet);
      const where = line ? `${line}行目` : d.t.path;
      const whereEn = line ? `line ${line}` : d.t.path;
      const wd = WEEKDAYS[weekdayOf(year, month, day)];
      findings.push({
        path: entry.datePath,
        offset: 0,
        snippet: entry.date,
        ja: `予定「${item.text}」は ${month}月${day}日（${wd}）ですが、記事（${where}）では「${d.snippet}」です。`,
        en: `The schedule has "${item.text}" on ${monthName(month)} ${day}, but the article (${whereEn}) says "${d.snippet}".`,
        hintJa: "どちらかの日付が誤っています。正しい日付にそろえてください。",
        hintEn: "One of the two dates is wrong; make them agree.",
      });
    }
  }
  return findings;
}

type ContextDate = DateMention & { t: ProseText; at: number };

interface Context {
  text: string;
  /** Each date with `at`, its offset in `text`. */
  dates: ContextDate[];
}

/** Each sentence of the articles (not the schedules) that has a date, and each info block that has one. */
function articleContexts(texts: ProseText[]): Context[] {
  const contexts: Context[] = [];
  const groups = new Map<string, Context>();
  for (const t of texts) {
    if (t.inSchedule) continue;
    const dates = dateMentions(t.text).map((d) => ({ ...d, t, at: d.offset }));
    if (t.group) {
      let g = groups.get(t.group);
      if (!g) {
        g = { text: "", dates: [] };
        groups.set(t.group, g);
        contexts.push(g);
      }
      const base = g.text.length;
      g.dates.push(...dates.map((d) => ({ ...d, at: base + d.offset })));
      g.text += `${t.text}\n`;
      continue;
    }
    for (const s of sentences(t.text)) {
      const inside = dates.filter((d) => d.offset >= s.start && d.offset < s.end);
      const text = t.text.slice(s.start, s.end);
      if (inside.length)
        contexts.push({ text, dates: inside.map((d) => ({ ...d, at: d.offset - s.start })) });
    }
  }
  return contexts.filter((c) => c.dates.length);
}

/** Sentences end at 。！？!?, a blank line, or a line that starts a list, a heading or a key–value line. */
function sentences(text: string): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  let start = 0;
  for (const m of text.matchAll(/[。！？!?]+|\n\s*\n|\n(?=\s*[#:：>※・-])/g)) {
    const end = (m.index ?? 0) + m[0].length;
    out.push({ start, end });
    start = end;
  }
  if (start < text.length) out.push({ start, end: text.length });
  return out;
}

/**
 * Compared as NFKC (１２ = 12, ｶﾌｪ = カフェ) without spaces, brackets and punctuation; `origin` gives, for each
 * character of the result, its offset in `s`.
 */
function comparable(s: string): { text: string; origin: number[] } {
  let text = "";
  const origin: number[] = [];
  let i = 0;
  for (const ch of s) {
    const n = toAscii(ch.normalize("NFKC")).replace(/[\s\p{P}\p{S}]/gu, "");
    for (let k = 0; k < n.length; k++) origin.push(i);
    text += n;
    i += ch.length;
  }
  return { text, origin };
}

/** 第3回 / 第45期 / 3回目 in an event name, as written once compared. */
function ordinalOf(event: string): string | undefined {
  return /第[0-9]+[回期]|[0-9]+回目/.exec(event)?.[0];
}

/** The longest run of characters both strings have. */
function longestShared(a: string, b: string): string {
  let best = "";
  let prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      if (a[i - 1] !== b[j - 1]) continue;
      const n = (prev[j - 1] ?? 0) + 1;
      row[j] = n;
      if (n > best.length) best = a.slice(i - n, i);
    }
    prev = row;
  }
  return best;
}
