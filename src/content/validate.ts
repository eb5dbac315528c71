import { readFileSync } from "node:fs";
import type { ErrorObject, ValidateFunction } from "ajv";
import type { Diagnostic } from "../diagnostics.js";
import type { SourcePosition } from "./issue.js";
import validateGenerated from "./issue-validator.js";
import { formatPath, keyPath, pointerToSegments, showPath } from "./paths.js";
import { RGB_PATTERN, SIGNATURE_BRACKETS_PATTERN } from "./patterns.js";
import type { IssueDoc } from "./schema.js";
import type { SourceMap } from "./source-map.js";
import { didYouMean } from "./suggest.js";

/**
 * Checks the data against IssueSchema and turns ajv's errors into one message per real problem, each with the
 * schema path and the line in issue.yaml. Unions (a block is one of five kinds; a slogan is a text or a list)
 * are resolved first: the alternative the editor evidently meant is chosen (by the block's key, or by the type
 * of the value) and only its errors are reported.
 */

// The committed JSON Schema compiled by ajv ahead of time (src/content/export-schema.ts writes it, a test keeps it
// current): compiling it at every start took about 0.35 s of CPU, loading TypeBox another 90 ms.
const check = validateGenerated as unknown as ValidateFunction<IssueDoc>;

interface JsonSchema {
  type?: string;
  const?: unknown;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
}

export interface ValidateContext {
  file: string;
  lines: string[];
  sourceMap: SourceMap;
  /**
   * JSON pointers set aside because of a YAML syntax error (src/content/parse.ts parseSourceAll): that they are
   * missing or empty is the syntax error's echo, already reported.
   */
  setAside?: readonly string[];
}

/** Problems found (empty when the data is a valid issue). */
export function validateIssueData(data: unknown, ctx: ValidateContext): Diagnostic[] {
  if (check(data))
    return tidy([...checkDates(data, ctx), ...checkThemeColours(data, ctx), ...checkTableRows(data, ctx)]);
  const setAside = new Set(ctx.setAside ?? []);
  const errors = (check.errors ?? []).filter(
    (e) =>
      !setAside.has(e.instancePath) &&
      !(e.keyword === "required" && setAside.has(`${e.instancePath}/${String(e.params.missingProperty)}`)),
  );
  const { remaining, problems } = resolveUnions(errors, data, ctx);
  // `titel:` (or `見出し:`) is one problem, not also "title is missing": keep only the did-you-mean.
  const guessed = new Set<string>();
  for (const e of remaining) {
    if (e.keyword !== "additionalProperties") continue;
    const allowed = Object.keys((e.parentSchema as JsonSchema | undefined)?.properties ?? {});
    const guess = didYouMean(String((e.params as Record<string, unknown>).additionalProperty), allowed);
    if (guess) guessed.add(`${e.instancePath}|${guess}`);
  }
  for (const e of remaining) {
    if (e.keyword === "required" && guessed.has(`${e.instancePath}|${String(e.params.missingProperty)}`))
      continue;
    const d = translate(e, data, ctx);
    if (d) problems.push(d);
  }
  return tidy([...problems, ...checkDates(data, ctx)]);
}

function tidy(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const out = list.filter((d) => {
    const key = `${d.line}:${d.column}:${d.ja}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return out.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

// ---------------------------------------------------------------------------------------------------------------
// Unions

function isUnder(instancePath: string, base: string): boolean {
  return instancePath === base || instancePath.startsWith(`${base}/`);
}

function resolveUnions(
  errors: ErrorObject[],
  data: unknown,
  ctx: ValidateContext,
): { remaining: ErrorObject[]; problems: Diagnostic[] } {
  let list = [...errors];
  const problems: Diagnostic[] = [];
  const unions = list
    .filter((e) => e.keyword === "anyOf")
    .sort(
      (a, b) => a.schemaPath.length - b.schemaPath.length || a.instancePath.length - b.instancePath.length,
    );
  for (const u of unions) {
    if (!list.includes(u)) continue; // dropped with an alternative that was not chosen
    const prefix = `${u.schemaPath}/`;
    const inUnion = (e: ErrorObject) =>
      e !== u && e.schemaPath.startsWith(prefix) && isUnder(e.instancePath, u.instancePath);
    const branchOf = (e: ErrorObject) => Number(e.schemaPath.slice(prefix.length).split("/")[0]);
    const branches = (u.schema ?? []) as JsonSchema[];
    const path = formatPath(pointerToSegments(u.instancePath, data));
    const choice = chooseBranch(path, u.data, branches, list.filter(inUnion), branchOf, u.instancePath, ctx);
    list = list.filter((e) => e !== u && !(inUnion(e) && branchOf(e) !== choice.branch));
    problems.push(...choice.problems);
  }
  return { remaining: list, problems };
}

/** The block-like unions: every alternative is an object with exactly one (required) key. */
function discriminatorKeys(branches: JsonSchema[]): string[] | undefined {
  const keys = branches.map((b) =>
    b.type === "object" && b.required?.length === 1 && Object.keys(b.properties ?? {}).length === 1
      ? b.required[0]
      : undefined,
  );
  return keys.every((k): k is string => k !== undefined) ? keys : undefined;
}

function chooseBranch(
  path: string,
  value: unknown,
  branches: JsonSchema[],
  branchErrors: ErrorObject[],
  branchOf: (e: ErrorObject) => number,
  instancePath: string,
  ctx: ValidateContext,
): { branch: number; problems: Diagnostic[] } {
  const none = (problems: Diagnostic[]) => ({ branch: -1, problems });
  const where = showPath(path);

  const kinds = discriminatorKeys(branches);
  if (kinds) {
    const list = kinds.join(" / ");
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      return none([
        problem(ctx, ctx.sourceMap.locate(path), {
          ja: `${where.ja} はブロックの種類（${list}）を書いて始めます。`,
          en: `${where.en} must start with the kind of block (${list}).`,
          hintJa: "例: 「- article:」の次の行から、字下げして title: や body: を書きます。",
          hintEn: 'E.g. "- article:" and below it, indented, title: and body:.',
        }),
      ]);
    }
    const keys = Object.keys(value);
    const present = keys.filter((k) => kinds.includes(k));
    if (present.length === 1) return { branch: kinds.indexOf(present[0] as string), problems: [] };
    if (present.length > 1) {
      const second = present[1] as string;
      return none([
        problem(ctx, ctx.sourceMap.locateKey(keyPath(path, second)), {
          ja: `1つのブロック（${where.ja}）に ${present.join(" と ")} が入っています。`,
          en: `One block (${where.en}) holds both ${present.join(" and ")}.`,
          hintJa: `「${second}:」の前に「- 」を付けて別のブロックにしてください（字下げもそろえます）。`,
          hintEn: `Put "- " before "${second}:" to make it a separate block.`,
        }),
      ]);
    }
    if (keys.length === 0) {
      return none([
        problem(ctx, ctx.sourceMap.locate(path), {
          ja: `${where.ja} のブロックが空です。`,
          en: `The block ${where.en} is empty.`,
          hintJa: `${list} のどれかを書いてください。`,
          hintEn: `Write one of ${list}.`,
        }),
      ]);
    }
    return none(
      keys.map((k) => {
        const pos = ctx.sourceMap.locateKey(keyPath(path, k));
        if (k === "row") {
          return problem(ctx, pos, {
            ja: "row の中に row は入れられません。",
            en: "A row cannot contain another row.",
            hintJa: "横に並べるブロックは1つの row の中に2〜3個まで書けます。",
            hintEn: "Put 2-3 blocks directly inside one row.",
          });
        }
        const guess = didYouMean(k, kinds);
        return problem(ctx, pos, {
          ja: `「${k}」はブロックの種類として使えません。${guess ? `もしかして「${guess}」？` : ""}`,
          en: `"${k}" is not a kind of block.${guess ? ` Did you mean "${guess}"?` : ""}`,
          hintJa: `使えるのは ${list} です。`,
          hintEn: `Use one of ${list}.`,
        });
      }),
    );
  }

  if (branches.length > 0 && branches.every((b) => b.const !== undefined)) {
    const allowed = branches.map((b) => String(b.const));
    const guess = typeof value === "string" ? didYouMean(value, allowed) : undefined;
    if (value !== null && typeof value === "object") {
      // A map or list where one word belongs, e.g. `paper: {w: 1}`: say what was written and the words.
      return none([
        problem(ctx, ctx.sourceMap.locate(path), {
          ja: `${where.ja} には ${allowed.join(" / ")} のどれか 1 つを書きます（今は ${compact(value)} と書かれています）。`,
          en: `${where.en} takes one of ${allowed.join(" / ")} (found ${compact(value)}).`,
          hintJa: `例: ${path.split(".").at(-1)}: ${allowed[0]}`,
          hintEn: `e.g. ${path.split(".").at(-1)}: ${allowed[0]}`,
        }),
      ]);
    }
    return none([
      problem(ctx, ctx.sourceMap.locate(path), {
        ja: `${where.ja} に「${String(value)}」は使えません。${guess ? `もしかして「${guess}」？` : ""}`,
        en: `${where.en} cannot be "${String(value)}".${guess ? ` Did you mean "${guess}"?` : ""}`,
        hintJa: `使えるのは ${allowed.join(" / ")} です。`,
        hintEn: `Allowed: ${allowed.join(" / ")}.`,
      }),
    ]);
  }

  // Otherwise the alternative whose type matches the value (a text, or a list of texts).
  const typeMismatch = (i: number) =>
    branchErrors.some((e) => branchOf(e) === i && e.instancePath === instancePath && e.keyword === "type");
  const fits = branches.map((_, i) => i).filter((i) => !typeMismatch(i));
  if (fits.length > 0) return { branch: fits[0] as number, problems: [] };
  const types = [...new Set(branches.map((b) => typeName(b.type)))];
  return none([
    problem(ctx, ctx.sourceMap.locate(path), {
      ja: `${where.ja} には ${types.map((t) => t.ja).join(" か ")} を書きます（今は ${actualType(value).ja}）。`,
      en: `${where.en} must be ${types.map((t) => t.en).join(" or ")} (found ${actualType(value).en}).`,
    }),
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// Single errors

function translate(e: ErrorObject, data: unknown, ctx: ValidateContext): Diagnostic | undefined {
  const path = formatPath(pointerToSegments(e.instancePath, data));
  const where = showPath(path);
  const parent = e.parentSchema as JsonSchema | undefined;
  const pos = ctx.sourceMap.locate(path);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required": {
      const missing = String(params.missingProperty);
      const label = splitDescription(parent?.properties?.[missing]?.description);
      return problem(ctx, pos, {
        ja: `${where.ja} に「${missing}」${label.ja ? `（${label.ja}）` : ""}がありません。`,
        en: `${where.en} has no "${missing}"${label.en ? ` (${label.en})` : ""}.`,
        hintJa: `「${missing}: …」の行を書き足してください。`,
        hintEn: `Add a line "${missing}: …".`,
      });
    }
    case "additionalProperties":
      return unknownKey(path, String(params.additionalProperty), parent, ctx);
    case "type":
      return wrongType(path, String(params.type), e.data, ctx);
    case "minLength":
      return problem(ctx, pos, {
        ja: `${where.ja} が空です。`,
        en: `${where.en} is empty.`,
        hintJa: "文字を書くか、いらなければ行ごと消してください。",
        hintEn: "Write something, or delete the line if it is not needed.",
      });
    case "pattern": {
      if (params.pattern === RGB_PATTERN) {
        return problem(ctx, pos, {
          ja: `${where.ja} の色「${String(e.data)}」は #rrggbb か #rgb（16進数）で書きます。`,
          en: `The colour "${String(e.data)}" at ${where.en} must be written #rrggbb or #rgb (hexadecimal).`,
          hintJa:
            '例: rgb: "#22aa77"（# で始まるので引用符で囲みます）。印刷用の色は cmyk: [80, 0, 60, 10] と書きます。',
          hintEn:
            'E.g. rgb: "#22aa77" (quoted, as it starts with #). The print colour goes in cmyk: [80, 0, 60, 10].',
        });
      }
      if (params.pattern === SIGNATURE_BRACKETS_PATTERN) {
        return problem(ctx, pos, {
          ja: `${where.ja} の「${String(e.data)}」は括弧として使えません。開き・閉じの2文字か none を書きます。`,
          en: `"${String(e.data)}" at ${where.en} cannot be used as brackets: write the opening and closing character, or none.`,
          hintJa: "例: brackets: （） / brackets: 「」 / brackets: none",
          hintEn: "E.g. brackets: （） or brackets: 「」 or brackets: none",
        });
      }
      const isDate = String(params.pattern).includes("\\d{4}-\\d{2}-\\d{2}");
      if (isDate) {
        return problem(ctx, pos, {
          ja: `${where.ja} の日付「${String(e.data)}」は YYYY-MM-DD の形で書きます。`,
          en: `The date "${String(e.data)}" at ${where.en} must be written YYYY-MM-DD.`,
          hintJa: "例: 2023-12-01（月・日が1桁なら 0 を付けます）。曜日は自動で入ります。",
          hintEn: "E.g. 2023-12-01 (pad month and day with 0). The weekday is added automatically.",
        });
      }
      return problem(ctx, pos, {
        ja: `${where.ja} の書き方が違います（形式: ${String(params.pattern)}）。`,
        en: `${where.en} does not match the pattern ${String(params.pattern)}.`,
      });
    }
    case "minimum":
    case "maximum": {
      const range = rangeText(parent?.minimum, parent?.maximum, "");
      return problem(ctx, pos, {
        ja: `${where.ja} は ${range.ja} で書きます（今は ${String(e.data)}）。`,
        en: `${where.en} must be ${range.en} (found ${String(e.data)}).`,
      });
    }
    case "minItems":
    case "maxItems": {
      const n = Array.isArray(e.data) ? e.data.length : 0;
      const range = rangeText(parent?.minItems, parent?.maxItems, " 個");
      return problem(ctx, pos, {
        ja: `${where.ja} には ${range.ja}を書きます（今は ${n} 個）。`,
        en: `${where.en} needs ${range.en} entries (found ${n}).`,
      });
    }
    case "minProperties":
    case "maxProperties":
      return problem(ctx, pos, {
        ja: `${where.ja} には「項目: 内容」を1つだけ書きます。`,
        en: `${where.en} takes exactly one "key: value".`,
        hintJa: "項目ごとに行頭に「- 」を付けて、1行に1つずつ書いてください（例: - 日時: 11月3日）。",
        hintEn: 'Write one "- key: value" line per entry (e.g. - 日時: 11月3日).',
      });
    case "const":
    case "enum": {
      const allowed = params.allowedValues ?? [params.allowedValue];
      const list = (Array.isArray(allowed) ? allowed : [allowed]).map(String);
      if (e.data !== null && typeof e.data === "object") {
        // A map or list where one word belongs, e.g. `paper: {w: 1}`: say what was written and the one word.
        const shown = compact(e.data);
        return problem(ctx, pos, {
          ja: `${where.ja} には ${list.join(" / ")} のどれか 1 つを書きます（今は ${shown} と書かれています）。`,
          en: `${where.en} takes one of ${list.join(" / ")} (found ${shown}).`,
          hintJa: `例: ${where.ja.split(".").at(-1)}: ${list[0]}`,
          hintEn: `e.g. ${where.en.split(".").at(-1)}: ${list[0]}`,
        });
      }
      return problem(ctx, pos, {
        ja: `${where.ja} に「${String(e.data)}」は使えません。`,
        en: `${where.en} cannot be "${String(e.data)}".`,
        hintJa: `使えるのは ${list.join(" / ")} です。`,
        hintEn: `Allowed: ${list.join(" / ")}.`,
      });
    }
    default:
      return problem(ctx, pos, {
        ja: `${where.ja} の書き方に誤りがあります。`,
        en: `${where.en}: ${e.message ?? e.keyword}`,
      });
  }
}

let allKeys: Set<string> | undefined;

/**
 * Every property name the schema knows, to tell a misplaced key (indentation) from a misspelt one. Read from the
 * committed JSON Schema only when an unknown key is found, so a valid issue does not pay for reading it.
 */
function knownKeys(): Set<string> {
  allKeys ??= collectKeys(
    JSON.parse(
      readFileSync(new URL("../../schema/issue.schema.json", import.meta.url), "utf8"),
    ) as JsonSchema,
    new Set<string>(),
  );
  return allKeys;
}

function collectKeys(s: JsonSchema | undefined, into: Set<string>): Set<string> {
  if (!s) return into;
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    into.add(k);
    collectKeys(v, into);
  }
  for (const b of s.anyOf ?? []) collectKeys(b, into);
  collectKeys(s.items, into);
  return into;
}

function unknownKey(
  path: string,
  key: string,
  parent: JsonSchema | undefined,
  ctx: ValidateContext,
): Diagnostic {
  const where = showPath(path);
  const pos = ctx.sourceMap.locateKey(keyPath(path, key));
  const allowed = Object.keys(parent?.properties ?? {});
  if (/^[\s\u3000]/.test(key)) {
    return problem(ctx, pos, {
      ja: "行頭に全角スペースがあります。YAML の字下げには半角スペースしか使えません。",
      en: "A full-width space (U+3000) is used for indentation; YAML indentation must be ASCII spaces.",
      hintJa: "全角スペースを半角スペースに置き換えてください。",
      hintEn: "Replace the full-width space with ASCII spaces.",
    });
  }
  const guess = didYouMean(key, allowed);
  // A block's own key (article, …) holds the fields; a field written beside it is mis-indented.
  const blockKind = allowed.length === 1 ? allowed[0] : undefined;
  const misplaced = !guess && knownKeys().has(key);
  const allowedText = allowed.join(", ");
  return problem(ctx, pos, {
    ja: `${where.ja} に「${key}」という項目は書けません。${guess ? `もしかして「${guess}」？` : ""}`,
    en: `Unknown key "${key}" in ${where.en}.${guess ? ` Did you mean "${guess}"?` : ""}`,
    hintJa: misplaced
      ? `「${key}」は別の場所で使う項目です。字下げ（行頭の半角スペースの数）を確かめてください${blockKind ? `（${blockKind}: の中なら、title: などと同じ深さにそろえます）` : ""}。`
      : `ここで使える項目: ${allowedText}`,
    hintEn: misplaced
      ? `"${key}" belongs somewhere else; check the indentation${blockKind ? ` (inside ${blockKind}:, line it up with title:)` : ""}.`
      : `Allowed here: ${allowedText}`,
  });
}

function wrongType(path: string, expected: string, value: unknown, ctx: ValidateContext): Diagnostic {
  const where = showPath(path);
  const pos = ctx.sourceMap.locate(path);
  const want = typeName(expected);
  const got = actualType(value);
  if (value === null) {
    return problem(ctx, pos, {
      ja: `${where.ja} が空です（${want.ja}を書きます）。`,
      en: `${where.en} is empty (${want.en} expected).`,
      hintJa: "値を書くか、いらなければ行ごと消してください。",
      hintEn: "Write a value, or delete the line if it is not needed.",
    });
  }
  const hint =
    expected === "string" && (typeof value === "number" || typeof value === "boolean")
      ? {
          hintJa: `文字として扱うには引用符で囲んでください（例: "${String(value)}"）。`,
          hintEn: `Put it in quotes to make it text (e.g. "${String(value)}").`,
        }
      : expected === "array"
        ? {
            hintJa: "一覧は、1つずつ行頭に「- 」を付けて書きます。",
            hintEn: 'Write a list with one "- " line per entry.',
          }
        : expected === "object"
          ? {
              hintJa: "次の行から字下げして「項目名: 値」を書きます。",
              hintEn: 'On the following lines, indented, write "key: value" entries.',
            }
          : {};
  return problem(ctx, pos, {
    ja: `${where.ja} には${want.ja}を書きます（今は ${got.ja}）。`,
    en: `${where.en} must be ${want.en} (found ${got.en}).`,
    ...hint,
  });
}

function typeName(type: string | undefined): { ja: string; en: string } {
  switch (type) {
    case "string":
      return { ja: "文字", en: "text" };
    case "integer":
      return { ja: "整数", en: "a whole number" };
    case "number":
      return { ja: "数", en: "a number" };
    case "array":
      return { ja: "一覧（「- 」で始まる行）", en: 'a list ("- " lines)' };
    case "object":
      return { ja: "「項目名: 値」の組", en: '"key: value" entries' };
    case "boolean":
      return { ja: "true か false", en: "true or false" };
    default:
      return { ja: String(type), en: String(type) };
  }
}

function actualType(value: unknown): { ja: string; en: string } {
  if (value === null || value === undefined) return { ja: "空", en: "nothing" };
  if (Array.isArray(value)) return { ja: "一覧", en: "a list" };
  if (typeof value === "object") return { ja: "「項目名: 値」の組", en: "key: value entries" };
  if (typeof value === "number")
    return Number.isInteger(value)
      ? { ja: `数 ${value}`, en: `the number ${value}` }
      : { ja: `数 ${value}`, en: `${value}` };
  if (typeof value === "boolean") return { ja: `${value}`, en: `${value}` };
  return { ja: `文字「${String(value)}」`, en: `the text "${String(value)}"` };
}

function rangeText(
  min: number | undefined,
  max: number | undefined,
  unit: string,
): { ja: string; en: string } {
  if (min !== undefined && min === max) return { ja: `${min}${unit}`, en: `exactly ${min}` };
  if (min !== undefined && max !== undefined) return { ja: `${min}〜${max}${unit}`, en: `${min}-${max}` };
  if (min !== undefined) return { ja: `${min}${unit}以上`, en: `at least ${min}` };
  if (max !== undefined) return { ja: `${max}${unit}以下`, en: `at most ${max}` };
  return { ja: "?", en: "?" };
}

/** "見出し / headline" → { ja: 見出し, en: headline }, the Japanese cut to its first phrase. */
function splitDescription(description: string | undefined): { ja?: string; en?: string } {
  if (!description) return {};
  const [ja = "", en] = description.split(" / ");
  const short = ja.split(/[。（(:： ]/)[0]?.trim();
  const enShort = en?.split(/[:(,]/)[0]?.trim();
  return { ...(short ? { ja: short } : {}), ...(enShort ? { en: enShort } : {}) };
}

function problem(
  ctx: ValidateContext,
  pos: SourcePosition | undefined,
  text: { ja: string; en: string; hintJa?: string; hintEn?: string },
): Diagnostic {
  return {
    severity: "error",
    file: ctx.file,
    ...(pos ? { line: pos.line, column: pos.column, sourceLine: ctx.lines[pos.line - 1] } : {}),
    ...text,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Beyond the schema: dates must exist on the calendar (the weekday is computed from them).

/**
 * Dates the pattern lets through that no calendar has (2024-02-30). Read from data the schema may have refused
 * elsewhere, so a wrong date is reported in the same run as the other problems.
 */
function checkDates(doc: unknown, ctx: ValidateContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const obj = (v: unknown): Record<string, unknown> | undefined =>
    typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  const test = (value: unknown, path: string) => {
    if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value) || isRealDate(value)) return;
    out.push(
      problem(ctx, ctx.sourceMap.locate(path), {
        ja: `${path} の日付「${value}」はカレンダーにありません。`,
        en: `The date "${value}" at ${path} does not exist.`,
        hintJa: "月と日を確かめてください（例: 2023-11-31 はありません）。",
        hintEn: "Check the month and day (e.g. there is no 2023-11-31).",
      }),
    );
  };
  test(obj(doc)?.date, "date");
  const blocks = obj(doc)?.blocks;
  if (!Array.isArray(blocks)) return out;
  blocks.forEach((block: unknown, i) => {
    const row = obj(block)?.row;
    const cells = Array.isArray(row)
      ? row.map((b: unknown, j) => ({ b, p: `blocks[${i}].row[${j}]` }))
      : [{ b: block, p: `blocks[${i}]` }];
    for (const { b, p } of cells) {
      const items = obj(obj(b)?.schedule)?.items;
      if (!Array.isArray(items)) continue;
      items.forEach((item: unknown, k) => {
        test(obj(item)?.date, `${p}.schedule.items[${k}].date`);
      });
    }
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Beyond the schema: a table row with more cells than its header has cells under no heading. Almost always a
// comma inside an unquoted cell of a `[ … ]` list (`[和室, 800円 → 1, 000円]` is four cells).

function checkTableRows(doc: IssueDoc, ctx: ValidateContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  doc.blocks.forEach((block, i) => {
    const cells =
      "row" in block
        ? block.row.map((b, j) => ({ b, p: `blocks[${i}].row[${j}]` }))
        : [{ b: block, p: `blocks[${i}]` }];
    for (const { b, p } of cells) {
      if (!("table" in b) || !b.table.header) continue;
      const heads = b.table.header.length;
      b.table.rows.forEach((row, r) => {
        if (row.length <= heads) return;
        const path = `${p}.table.rows[${r}]`;
        out.push(
          problem(ctx, ctx.sourceMap.locate(path), {
            ja: `${path} のセルが ${row.length} 個あり、見出し（${heads} 個）より多くなっています。`,
            en: `${path} has ${row.length} cells, more than its header's ${heads}.`,
            hintJa:
              'カンマ（,）を含むセルは引用符で囲んでください（例: "1,000円"）。セルを増やすなら header にも足してください。',
            hintEn:
              'Put a cell that contains a comma in quotes (e.g. "1,000円"), or add the column to header.',
          }),
        );
      });
    }
  });
  return out;
}

export function isRealDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** A map or list as an editor wrote it, short: {w: 1}, [1, 2]. */
function compact(value: object): string {
  const text =
    JSON.stringify(value)
      ?.replace(/"([^"]+)":/g, "$1: ")
      .replace(/,/g, ", ") ?? "";
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

// ---------------------------------------------------------------------------------------------------------------
// Beyond the schema: the mono theme prints in black alone, so a colour given to it must be K only.

function checkThemeColours(doc: IssueDoc, ctx: ValidateContext): Diagnostic[] {
  const theme = doc.theme;
  if (typeof theme !== "object" || theme.base !== "mono") return [];
  const out: Diagnostic[] = [];
  for (const [name, value] of Object.entries(theme)) {
    if (name === "base" || typeof value !== "object") continue;
    const [c = 0, m = 0, y = 0] = value.cmyk;
    if (c === 0 && m === 0 && y === 0) continue;
    out.push(
      problem(ctx, ctx.sourceMap.locate(`theme.${name}.cmyk`), {
        ja: `theme.${name} の cmyk [${value.cmyk.join(", ")}] に C・M・Y が入っています。mono は黒（K）1色で刷るテーマです。`,
        en: `theme.${name}.cmyk [${value.cmyk.join(", ")}] has C, M or Y ink; the mono theme prints in black (K) alone.`,
        hintJa: `[0, 0, 0, ${value.cmyk[3] ?? 100}] のように C・M・Y を 0 にするか、base を union か school にしてください。`,
        hintEn: `Set C, M and Y to 0 (e.g. [0, 0, 0, ${value.cmyk[3] ?? 100}]), or use base: union or school.`,
      }),
    );
  }
  return out;
}
