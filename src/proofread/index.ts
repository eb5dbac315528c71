import type { Issue } from "../content/issue.js";
import type { Diagnostic } from "../diagnostics.js";
import { checkBrackets } from "./brackets.js";
import { checkDigits } from "./digits.js";
import { checkKatakana } from "./katakana.js";
import { placeIn } from "./place.js";
import { checkSchedules } from "./schedule.js";
import { proseTexts, scheduleEntries } from "./texts.js";
import type { Finding, LineOf, ProseText } from "./types.js";
import { checkWeekdays } from "./weekdays.js";

export type { Finding, ProseText, ScheduleEntry } from "./types.js";

/**
 * The proofreading stage (校正): what a careful reader would mark in the text before it goes to print — a wrong
 * weekday, a schedule that disagrees with its article, brackets that do not pair up, full- and half-width digits
 * mixed, half-width katakana. Warnings only, each at its line of issue.yaml; `style: { proofread: false }` turns
 * them off.
 */
export function proofread(issue: Issue): Diagnostic[] {
  if (issue.doc.style?.proofread === false) return [];
  const texts = proseTexts(issue.doc);
  const byPath = new Map(texts.map((t) => [t.path, t]));
  const lineOf: LineOf = (t, offset, snippet) => placeIn(issue, t.path, t.text, offset, snippet).line;
  const findings: Finding[] = [
    ...checkWeekdays(texts, issue.doc.date),
    ...checkSchedules(scheduleEntries(issue.doc, texts), texts, lineOf),
    ...checkBrackets(texts),
    ...checkDigits(texts, lineOf),
    ...checkKatakana(texts),
  ];
  const diagnostics = findings.map((f): Diagnostic => {
    const t: Pick<ProseText, "path" | "text"> = byPath.get(f.path) ?? { path: f.path, text: f.snippet };
    return {
      severity: "warning",
      file: issue.file,
      ...placeIn(issue, f.path, t.text, f.offset, f.snippet),
      ja: `校正: ${f.ja}`,
      en: `Proofreading: ${f.en}`,
      hintJa: f.hintJa,
      hintEn: f.hintEn,
    };
  });
  return diagnostics.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}
