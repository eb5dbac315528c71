import { readNumber, writeLike } from "./numbering.js";

export interface FolderNaming {
  /** The last issue's folder name, e.g. shishokuro-485 or midori-2024-09. */
  name: string;
  fromDate: string;
  toDate: string;
  /** The issue counter before and after (485 → 486), when the number had one. */
  counter?: { from: number; to: number };
}

/**
 * The next folder's name, derived from the last one the way its name was made: a date in it (2024-09, 202409,
 * 2024_09) moves to the new month; else a number equal to the issue counter (shishokuro-485 with 第485号)
 * becomes the new counter; else the last number in the name counts on; a name with no number gets the month.
 */
export function nextFolderName(n: FolderNaming): string {
  const [fy, fm] = n.fromDate.split("-") as [string, string];
  const [ty, tm] = n.toDate.split("-") as [string, string];
  const dated = new RegExp(`${fy}([-_]?)${fm}(?![0-9])`);
  const d = dated.exec(n.name);
  if (d) return n.name.replace(dated, `${ty}${d[1]}${tm}`);

  const runs = [...n.name.matchAll(/[0-9]+/g)];
  const counter = n.counter;
  const same = counter ? runs.filter((r) => readNumber(r[0]) === counter.from).at(-1) : undefined;
  if (same && counter) return splice(n.name, same, writeLike(same[0], counter.to));
  const last = runs.at(-1);
  if (last) return splice(n.name, last, writeLike(last[0], Number(last[0]) + 1));
  return `${n.name}-${ty}-${tm}`;
}

function splice(s: string, run: RegExpExecArray | RegExpMatchArray, by: string): string {
  const at = run.index ?? 0;
  return s.slice(0, at) + by + s.slice(at + run[0].length);
}
