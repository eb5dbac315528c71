import { indexPath, keyPath } from "../content/paths.js";
import type { IssueDoc } from "../content/schema.js";
import type { ProseText, ScheduleEntry } from "./types.js";

/**
 * Keys whose values are settings, file names or dates rather than text a reader sees. Every other string in the
 * issue is printed (or mailed) and is proofread, so a field added to the schema later is read without a change
 * here.
 */
const NOT_PROSE = new Set([
  "date",
  "src",
  "size",
  "photosAt",
  "brackets",
  "theme",
  "fonts",
  "style",
  "print",
  "paper",
  "orientation",
  "logo",
  "binding",
  "imposition",
]);

/** Every text of the issue with its schema path, in document order. */
export function proseTexts(doc: IssueDoc): ProseText[] {
  const out: ProseText[] = [];
  const walk = (value: unknown, path: string, group: string | undefined, inSchedule: boolean) => {
    if (typeof value === "string") {
      if (value.trim()) out.push({ path, text: value, inSchedule, ...(group ? { group } : {}) });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => {
        walk(v, indexPath(path, i), group, inSchedule);
      });
    } else if (value && typeof value === "object") {
      for (const [key, v] of Object.entries(value)) {
        if (NOT_PROSE.has(key)) continue;
        const child = keyPath(path, key);
        walk(v, child, key === "info" && !group ? child : group, inSchedule || key === "schedule");
      }
    }
  };
  walk(doc, "", undefined, false);
  return out;
}

/** Every schedule item of the issue (in rows too), with the texts printed beside its date. */
export function scheduleEntries(doc: IssueDoc, texts: ProseText[]): ScheduleEntry[] {
  const entries: ScheduleEntry[] = [];
  const visit = (blocks: unknown[], at: string) => {
    blocks.forEach((block, i) => {
      const here = indexPath(at, i);
      if (!block || typeof block !== "object") return;
      if ("row" in block && Array.isArray(block.row)) visit(block.row, keyPath(here, "row"));
      if (!("schedule" in block) || !block.schedule || typeof block.schedule !== "object") return;
      const items = (block.schedule as { items?: unknown }).items;
      if (!Array.isArray(items)) return;
      items.forEach((item: { date?: unknown }, k) => {
        const itemPath = indexPath(keyPath(keyPath(here, "schedule"), "items"), k);
        if (typeof item?.date !== "string") return;
        const textPath = keyPath(itemPath, "text");
        entries.push({
          datePath: keyPath(itemPath, "date"),
          date: item.date,
          texts: texts.filter((t) => t.path === textPath || t.path.startsWith(`${textPath}[`)),
        });
      });
    });
  };
  visit(doc.blocks, "blocks");
  return entries;
}
