/**
 * Every content error in one run (src/content/parse.ts parseSourceAll, validate.ts, src/cli/pipeline.ts): YAML
 * syntax as far as the parser can go, the schema's problems, photos and fonts, sorted by line, at most 30 and the
 * rest counted; warnings (the Shift_JIS one too) counted in the summary, also when there are errors.
 */
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import iconv from "iconv-lite";
import { afterAll, describe, expect, it } from "vitest";
import { parseSourceAll } from "../src/content/parse.js";
import { validateIssueData } from "../src/content/validate.js";
import { Warnings } from "../src/diagnostics.js";
import { kaiho, projectWith, REPO, SAMPLE } from "./helpers/cli.js";

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

function check(yaml: string | Buffer, files: Record<string, string | Buffer> = {}) {
  const p = projectWith(yaml, files);
  temps.push(p.root);
  return kaiho(["check", p.issue, "--root", p.root], p.root);
}

/** The `file:line:col: エラー error:` heads, in the order printed. */
const errorLines = (stderr: string) =>
  [...stderr.matchAll(/issue\.yaml:(\d+)(?::\d+)?: エラー error: (.*)/g)].map((m) => ({
    line: Number(m[1]),
    ja: m[2] as string,
  }));

const FIVE = readFileSync(path.join(REPO, "tests", "fixtures", "errors-at-once", "issue.yaml"), "utf8");

describe("a file with five mistakes of different kinds", () => {
  const r = check(FIVE);
  const errors = errorLines(r.stderr);

  it("reports all five in one run, sorted by line, and exits 1", () => {
    expect(r.status).toBe(1);
    expect(errors.map((e) => e.line)).toEqual([4, 12, 16, 19, 26]);
    expect(r.stderr).toContain("エラー errors: 5, 警告 warnings: 0");
  });

  it("each with its own explanation", () => {
    expect(errors[0]?.ja).toContain("もしかして「publisher」");
    expect(errors[1]?.ja).toContain("整数");
    expect(errors[2]?.ja).toContain("seisou-2023.jpg");
    expect(errors[3]?.ja).toContain("コロン");
    expect(errors[4]?.ja).toContain("2024-11-31");
    // The block after the one set aside for the syntax error keeps its number.
    expect(errors[4]?.ja).toContain("blocks[2].schedule");
  });
});

describe("files", () => {
  it("a missing font file and a missing photo are reported together, sorted by line", () => {
    const r = check(
      "newsletter: みどり町内会だより\ndate: 2024-10-01\nfonts:\n  body: MyGothic.ttf\nblocks:\n  - article:\n      title: 秋祭り\n      body: 10月20日に秋祭りを行います。\n      photos:\n        - src: matsuri.jpg\n",
    );
    expect(r.status).toBe(1);
    const errors = errorLines(r.stderr);
    expect(errors.map((e) => e.line)).toEqual([4, 10]);
    expect(errors[0]?.ja).toContain("MyGothic.ttf");
    expect(errors[1]?.ja).toContain("matsuri.jpg");
    expect(r.stderr).toContain("エラー errors: 2, 警告 warnings: 0");
  });
});

describe("syntax errors", () => {
  const sample = readFileSync(path.join(REPO, "content", SAMPLE, "issue.yaml"), "utf8").split("\n");
  const problems = (lines: string[]) => {
    const p = parseSourceAll(lines.join("\n"), "issue.yaml", new Warnings());
    return [
      ...p.problems,
      ...validateIssueData(p.data, {
        file: "issue.yaml",
        lines: p.lines,
        sourceMap: p.sourceMap,
        setAside: p.setAside,
      }),
    ];
  };

  it("two mistakes in different blocks are two messages, without the parser's echoes", () => {
    const lines = [...sample];
    const article = lines.indexOf("  - article:");
    const schedule = lines.findIndex((l) => l.includes("title: ～今後の予定～"));
    lines[article] = "\t- article:"; // a tab: the parser alone reports ten errors over thirty lines
    lines[schedule] = (lines[schedule] as string).replace("title: ", "title:");
    const found = problems(lines);
    expect(found.map((d) => d.line)).toEqual([article + 1, schedule + 1]);
    expect(found[0]?.en).toMatch(/tab/);
    expect(found[1]?.en).toMatch(/No space after the colon/);
  });

  it("a top-level key lost to a syntax error is not also reported missing", () => {
    const lines = sample.map((l) => (l.startsWith("date: ") ? l.replace("date: ", "date：") : l));
    const found = problems(lines);
    expect(found).toHaveLength(1);
    expect(found[0]?.ja).toContain("全角");
  });
});

describe("many mistakes", () => {
  const items = Array.from({ length: 35 }, (_, i) => `      - { date: 2024-02-30, text: 予定${i + 1} }`);
  const r = check(
    `newsletter: 予定表\ndate: 2024-02-01\nblocks:\n  - schedule:\n      title: 予定\n      items:\n${items.join("\n")}\n`,
  );

  it("shows the first 30 sorted by line and counts the rest", () => {
    expect(r.status).toBe(1);
    const lines = errorLines(r.stderr).map((e) => e.line);
    expect(lines).toEqual(Array.from({ length: 30 }, (_, i) => i + 7));
    expect(r.stderr).toContain("ほかに 5 件あります / and 5 more");
    expect(r.stderr).toContain("エラー errors: 35");
  });
});

describe("warnings are counted, also with errors", () => {
  const good =
    "newsletter: みどり町内会だより\ndate: 2024-10-01\nblocks:\n  - note: 回覧板でお知らせします。\n";

  it("the Shift_JIS warning is counted in the preflight summary", () => {
    const r = check(iconv.encode(good, "cp932"));
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("Shift_JIS");
    expect(r.stderr).toContain("警告 warnings: 1");
  });

  it("and shown and counted when there is also an error", () => {
    const r = check(iconv.encode(good.replace("date: 2024-10-01", "date: 2024-10-01\npaper: A5"), "cp932"));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("Shift_JIS");
    expect(r.stderr).toMatch(/issue\.yaml:3:\d+: エラー error:/);
    expect(r.stderr).toContain("エラー errors: 1, 警告 warnings: 1");
  });
});
