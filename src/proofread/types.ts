/**
 * The proofreading stage's contract (校正): it reads the validated issue (content/issue.ts) and gives warnings, each
 * at the line of issue.yaml the editor must look at. It changes nothing and never fails a build by itself.
 */

/** One printed text of the issue and where it comes from. */
export interface ProseText {
  /** Schema path of the text, e.g. `blocks[2].article.body` or `blocks[3].row[0].schedule.items[1].text[0]`. */
  path: string;
  text: string;
  /**
   * Texts read together as one context when matching a schedule's entries with dates in the articles: the
   * values of one `info` block belong together; other texts are read sentence by sentence.
   */
  group?: string;
  /** The text is an entry of a schedule (its date is the item's `date`, not written in the text). */
  inSchedule: boolean;
}

/** A schedule entry: the item's date and the text(s) printed beside it. */
export interface ScheduleEntry {
  /** Schema path of the item's `date`. */
  datePath: string;
  /** YYYY-MM-DD as written. */
  date: string;
  texts: ProseText[];
}

/** Something a proofreader would mark, before it is given its line. */
export interface Finding {
  /** The text it is in. */
  path: string;
  /** Where in that text (UTF-16 offset) and what stands there: used to find the line in issue.yaml. */
  offset: number;
  snippet: string;
  ja: string;
  en: string;
  hintJa: string;
  hintEn: string;
}

/** The line of issue.yaml where `snippet`, found at `offset` of text `t`, stands (for messages naming a line). */
export type LineOf = (t: ProseText, offset: number, snippet: string) => number | undefined;
