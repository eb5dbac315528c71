import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadIssue } from "../src/content/index.js";
import { type Diagnostic, Warnings } from "../src/diagnostics.js";
import { preflight, preflightSummary } from "../src/preflight/index.js";
import { dateMentions } from "../src/proofread/dates.js";
import { proofread } from "../src/proofread/index.js";

const REPO = path.join(import.meta.dirname, "..");
const CLI = path.join(REPO, "dist", "cli", "main.js");
const FIXTURE = path.join(REPO, "tests", "fixtures", "proofread");
const SAMPLE_PHOTO = path.join(REPO, "content", "shishokuro-485", "gakushukai-1.jpg");

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});
function temp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "kaiho-proofread-"));
  temps.push(dir);
  return dir;
}

/** Loads `yaml` as an issue (each photo it names is a copy of a sample photo) and proofreads it. */
async function check(yaml: string): Promise<Diagnostic[]> {
  const dir = temp();
  writeFileSync(path.join(dir, "issue.yaml"), yaml);
  for (const m of yaml.matchAll(/(?:src|logo):\s*([^\s}#,]+)/g)) {
    copyFileSync(SAMPLE_PHOTO, path.join(dir, m[1] ?? ""));
  }
  const issue = await loadIssue(dir, { root: dir, warnings: new Warnings() });
  return proofread(issue);
}

/** An issue dated `date` with one article whose body is `body` (the body starts on line 8). */
function article(body: string, date = "2025-07-01", extra = ""): string {
  const indented = body
    .split("\n")
    .map((l) => (l ? `        ${l}` : ""))
    .join("\n");
  return `newsletter: テスト会報\ndate: ${date}\n${extra}blocks:\n  - article:\n      title: お知らせ\n      body: |\n${indented}\n`;
}
const BODY_LINE = 7;

describe("dates written in text", () => {
  it("reads every way editors write a date with its weekday", () => {
    const text =
      "８月２日（土）、8/2(土)、8月2日(土)、８／２（土）、8月2日（土曜日）、8 月 2 日 （ 土 ）、2025年8月2日(土)、令和7年8月2日（土・祝）";
    const got = dateMentions(text).map((d) => [d.month, d.day, d.weekday, d.year]);
    expect(got).toEqual([
      [8, 2, 6, undefined],
      [8, 2, 6, undefined],
      [8, 2, 6, undefined],
      [8, 2, 6, undefined],
      [8, 2, 6, undefined],
      [8, 2, 6, undefined],
      [8, 2, 6, 2025],
      [8, 2, 6, 2025],
    ]);
  });

  it("reads the day that goes on from a date, and leaves fractions, times and 8月2 alone", () => {
    expect(dateMentions("8月2日（土）・3日（日）の2日間").map((d) => [d.month, d.day, d.weekday])).toEqual([
      [8, 2, 6],
      [8, 3, 0],
    ]);
    expect(dateMentions("1/2の人が、10:30に、8月2の、3/4(半分)")).toEqual([]);
    expect(dateMentions("8月2日に").map((d) => [d.month, d.day, d.weekday])).toEqual([[8, 2, undefined]]);
  });
});

describe("proofreading warnings, each at its line", () => {
  it("a wrong weekday, with the right one in the hint", async () => {
    const [d, ...rest] = await check(article("受付は\n8月1日（木曜日）から始めます。"));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ severity: "warning", line: BODY_LINE + 1, column: 9 });
    expect(d?.ja).toContain("「8月1日（木曜日）」の曜日が違います: 2025年8月1日は金曜日です");
    expect(d?.en).toContain("August 1, 2025 is a Friday");
    expect(d?.hintJa).toContain("（金）");
  });

  it("full-width, slashed and spaced dates, the day after a date, and a date that does not exist", async () => {
    const all = await check(
      article(
        "８月２日（金）に集まります。\n8/2(土)は正しい。\n夏祭りは 8 / 16 （土）と17日（月）です。\n2月30日（日）は無い日です。",
      ),
    );
    // (and one warning that ８２ and 8/2 mix full- and half-width digits)
    const found = all.filter((d) => !d.ja.includes("数字が混じって"));
    expect(all).toHaveLength(found.length + 1);
    expect(found.map((d) => d.line)).toEqual([BODY_LINE, BODY_LINE + 2, BODY_LINE + 3]);
    expect(found[0]?.ja).toContain("2025年8月2日は土曜日");
    expect(found[1]?.ja).toContain("「17日（月）」");
    expect(found[1]?.ja).toContain("2025年8月17日は日曜日");
    expect(found[2]?.ja).toContain("2月30日という日はありません");
    expect(found[2]?.hintJa).toContain("2月は28日まで");
  });

  it("the same mistake twice in one text is reported at each of its lines", async () => {
    const found = await check(article("受付は8月1日（木）から。\n\n締切も8月1日（木）です。（"));
    expect(found.map((d) => [d.line, d.column])).toEqual([
      [BODY_LINE, 12],
      [BODY_LINE + 2, 12],
      [BODY_LINE + 2, 22],
    ]);
  });

  it("a date earlier in the year than the issue may be next year's; a late one, last year's", async () => {
    // December 2025 issue: 1月12日 is a Monday in 2026 (a Sunday in 2025).
    expect(await check(article("新年会は1月12日（月）です。", "2025-12-01"))).toEqual([]);
    expect(await check(article("新年会は1月12日（日）です。", "2025-12-01"))).toEqual([]); // 2025: Sunday
    const [d] = await check(article("新年会は1月12日（火）です。", "2025-12-01"));
    expect(d?.ja).toContain("2025年1月12日は日曜日、2026年1月12日は月曜日");
    // January 2026 issue reporting December: 12月14日 2025 was a Sunday.
    expect(await check(article("12月14日（日）に餅つきをしました。", "2026-01-01"))).toEqual([]);
    // A month after the issue's, in the same half year: this year only (8月2日 2024 was a Friday).
    expect(await check(article("8月2日（金）", "2025-07-01"))).toHaveLength(1);
  });

  it("unbalanced brackets in one paragraph: left open, nothing to close, crossed; list numbers are not brackets", async () => {
    const found = await check(
      article(
        [
          "清掃を行いました（参加者30名。",
          "",
          "「燃えるごみ『缶・びん」』に分けました。",
          "",
          "来年も続けます）。",
          "",
          "１）受付　２）会場設営（テント【大】を含む）　※１）雨天中止",
          "",
          "「二行に",
          "わたる」かぎ括弧と『入れ子の「括弧」』は正しい。",
        ].join("\n"),
      ),
    );
    expect(found.map((d) => [d.line, d.column])).toEqual([
      [BODY_LINE, 17],
      [BODY_LINE + 2, 20],
      [BODY_LINE + 4, 16],
    ]);
    expect(found[0]?.ja).toContain("「（」が閉じられていません");
    expect(found[1]?.ja).toContain("括弧の組が入れ違っています");
    expect(found[2]?.ja).toContain("閉じ括弧「）」に対応する「（」がありません");
  });

  it("full- and half-width digits mixed: counts, lines; URLs, phone numbers and Latin words are not counted", async () => {
    const found = await check(
      article(
        [
          "参加者は３０名でした。",
          "詳しくは https://example.jp/2025/0801 を、電話 027-231-0000 まで。A4 判、No.1、COVID-19。",
          "来年は４月に開きます。",
          "会費は1,000円です。",
        ].join("\n"),
      ),
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: BODY_LINE + 3, column: 12 });
    expect(found[0]?.ja).toContain("全角 2 か所、半角 1 か所。半角は 10 行目です");
    expect(found[0]?.en).toContain("2 numbers full-width, 1 half-width");
  });

  it("no mixing warning when the digits are all one width, or single digits full-width and longer ones half", async () => {
    expect(await check(article("参加者は30名、4月に開きます。電話 ０２７－２３１－００００。"))).toEqual([]);
    expect(await check(article("第１回は参加者30名、第２回は120名でした。"))).toEqual([]);
  });

  it("half-width katakana, with the full-width form (voiced marks joined)", async () => {
    const [d, ...rest] = await check(article("ｶﾌｪでｶﾞｲﾄﾞブックを配ります。"));
    expect(d).toMatchObject({ line: BODY_LINE, column: 9 });
    expect(d?.hintJa).toContain("「カフェ」");
    expect(rest[0]?.hintJa).toContain("「ガイド」");
  });

  it("a schedule entry whose date disagrees with the article on the same event", async () => {
    const yaml = `${article("８月２日（土）の第45回定期大会には、ぜひご参加ください。\n\n9月1日は防災の日です。三丁目合同防災訓練を行います。")}  - schedule:
      title: 予定
      items:
        - { date: 2025-08-03, text: 第45回定期大会 }
        - { date: 2025-09-06, text: 合同防災訓練 }
        - { date: 2025-08-10, text: 第44回定期大会 }
        - { date: 2025-08-11, text: 北関東センター 家族見学会 }
`;
    const found = (await check(yaml)).filter((d) => d.ja.includes("予定"));
    expect(found).toHaveLength(1);
    const at = yaml.split("\n").findIndex((l) => l.includes("2025-08-03")) + 1;
    const column = (yaml.split("\n")[at - 1] ?? "").indexOf("2025") + 1;
    expect(found[0]).toMatchObject({ line: at, column });
    expect(found[0]?.ja).toContain(
      `予定「第45回定期大会」は 8月3日（日）ですが、記事（${BODY_LINE}行目）では「８月２日（土）」です`,
    );
  });

  it("agrees when one sentence on the event gives the schedule's date, and reads an info block as one", async () => {
    const yaml = `${article("定期大会に向けて7月20日（日）に職場集会を開きます。8月3日（日）の定期大会にご参加ください。")}  - info:
      - 日時: 2025年9月14日（日）10時から
      - 内容: 秋の運動会
  - schedule:
      title: 予定
      items:
        - { date: 2025-08-03, text: 定期大会 }
        - { date: 2025-09-15, text: 秋の運動会 }
`;
    const found = await check(yaml);
    expect(found).toHaveLength(1);
    expect(found[0]?.ja).toContain("予定「秋の運動会」は 9月15日（月）ですが");
    expect(found[0]?.ja).toContain("「2025年9月14日（日）」");
  });

  it("style: { proofread: false } turns them off", async () => {
    const body = "8月1日（木）、ｶﾌｪ（";
    expect(await check(article(body))).toHaveLength(3);
    expect(await check(article(body, "2025-07-01", "style: { proofread: false }\n"))).toEqual([]);
  });
});

describe("no warning on real issues", () => {
  it("the sample and every corpus fixture proofread clean", async () => {
    const dirs = [
      path.join(REPO, "content", "shishokuro-485"),
      ...readdirSync(path.join(REPO, "tests", "fixtures", "issues")).map((n) =>
        path.join(REPO, "tests", "fixtures", "issues", n),
      ),
      path.join(REPO, "tests", "fixtures", "themes"),
    ];
    for (const dir of dirs) {
      const found = await check(readFileSync(path.join(dir, "issue.yaml"), "utf8"));
      expect(
        found.map((d) => `${d.line}: ${d.ja}`),
        dir,
      ).toEqual([]);
    }
  });
});

describe("kaiho check on the proofreading fixture", () => {
  it("prints each warning with its line and counts them in the preflight summary", () => {
    const r = spawnSync(process.execPath, [CLI, "check", FIXTURE, "--root", temp()], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const printed = [
      ...r.stderr.matchAll(/issue\.yaml:(\d+):\d+: 警告 warning: 校正: (.*)\n {2}Proofreading: /g),
    ];
    expect(printed.map((m) => Number(m[1]))).toEqual([12, 14, 18, 22, 24, 26, 31]);
    const what = [
      "全角と半角の数字が混じっています: 全角 5 か所、半角 13 か所。全角は 12, 22 行目です",
      "「8月1日（木曜日）」の曜日が違います: 2025年8月1日は金曜日です",
      "半角カタカナ「ｶﾌｪ」",
      "「（」が閉じられていません",
      "括弧の組が入れ違っています",
      "閉じ括弧「）」に対応する「（」がありません",
      "予定「第45回定期大会」は 8月3日（日）ですが、記事（12行目）では「８月２日（土）」です",
    ];
    what.forEach((text, i) => {
      expect(printed[i]?.[2]).toContain(text);
    });
    expect(r.stderr).toContain("→ 全角の「カフェ」にしてください。");
    expect(r.stderr).toContain("校正 proofreading: 7 件 to check");
    expect(r.stderr).toContain("警告 warnings: 7");
  });

  it("puts them in the preflight report (output/<id>-preflight.json), among its warnings", async () => {
    const issue = await loadIssue(FIXTURE, { root: temp(), warnings: new Warnings() });
    const report = preflight({
      issue,
      images: { photos: new Map() },
      pages: 1,
      missing: [],
      problems: [],
      proofread: proofread(issue),
    });
    expect(report.proofread.map((d) => d.line)).toEqual([12, 14, 18, 22, 24, 26, 31]);
    expect(report.warnings.filter((d) => d.ja.startsWith("校正"))).toHaveLength(7);
    expect(report.proofread[1]?.hintEn).toBe("Write (金), or check the date.");
    expect(preflightSummary(report)).toContain("校正 proofreading: 7 件 to check");
  });
});
