/**
 * `kaiho new` (src/scaffold/): the next issue's folder from the last one, as an editor uses it. Numbering and
 * dates are unit-tested on many patterns; the command is run on a copy of the sample and on a school newsletter
 * numbered by month, and the new issue is checked with `kaiho check` as the editor would.
 */
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { oneMonthOn } from "../src/scaffold/dates.js";
import { nextFolderName } from "../src/scaffold/folder-name.js";
import { nextNumber } from "../src/scaffold/numbering.js";
import { kaiho, REPO, SAMPLE, tempProject } from "./helpers/cli.js";

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");
const treeHashes = (dir: string) =>
  Object.fromEntries(readdirSync(dir).map((f) => [f, sha(path.join(dir, f))] as const));

describe("the next number, written the way the last one was", () => {
  it.each([
    ["第485号", "第486号"],
    ["No.12", "No.13"],
    ["Vol.3 No.7", "Vol.3 No.8"],
    ["No.009", "No.010"],
    ["第４８５号", "第４８６号"],
    ["第十二号", "第十三号"],
    ["第九号", "第十号"],
    ["第九十九号", "第百号"],
    ["第百九号", "第百十号"],
    ["12月号", "1月号"],
    ["2023年12月号", "2024年1月号"],
    ["2024年3月号", "2024年4月号"],
    ["令和5年12月号", "令和6年1月号"],
    ["１２月号", "１月号"],
    ["03月号", "04月号"],
    ["十二月号", "一月号"],
    ["第12号（通巻485号）", "第13号（通巻486号）"],
    ["号外 第3号", "号外 第4号"],
  ])("%s → %s", (from, to) => {
    expect(nextNumber(from)?.text).toBe(to);
  });

  it("a number without a figure is not guessed", () => {
    expect(nextNumber("新春特別号")).toBeUndefined();
  });
});

describe("the next date and folder name", () => {
  it.each([
    ["2023-12-01", "2024-01-01"],
    ["2024-01-31", "2024-02-29"],
    ["2023-01-31", "2023-02-28"],
    ["2024-03-31", "2024-04-30"],
    ["2024-08-15", "2024-09-15"],
  ])("%s → %s", (from, to) => {
    expect(oneMonthOn(from)).toBe(to);
  });

  it.each([
    ["shishokuro-485", { from: 485, to: 486 }, "2023-12-01", "2024-01-01", "shishokuro-486"],
    ["midori-2024-03", { from: 3, to: 4 }, "2024-03-31", "2024-04-30", "midori-2024-04"],
    ["news-202312", { from: 12, to: 1 }, "2023-12-01", "2024-01-01", "news-202401"],
    ["vol3-no07", { from: 7, to: 8 }, "2024-05-01", "2024-06-01", "vol3-no08"],
    ["tayori", undefined, "2024-05-01", "2024-06-01", "tayori-2024-06"],
    ["kaiho99", undefined, "2024-05-01", "2024-06-01", "kaiho100"],
  ])("%s → %s", (name, counter, fromDate, toDate, expected) => {
    expect(nextFolderName({ name, fromDate, toDate, ...(counter ? { counter } : {}) })).toBe(expected);
  });
});

describe("kaiho new on the sample", () => {
  const { root, issue } = tempProject();
  temps.push(root);
  const before = treeHashes(issue);
  const made = kaiho(["new", "--root", root], root);
  const dir = path.join(root, "content", "shishokuro-486");
  const yamlText = existsSync(path.join(dir, "issue.yaml"))
    ? readFileSync(path.join(dir, "issue.yaml"), "utf8")
    : "";
  const doc = parse(yamlText) as Record<string, unknown>;
  const old = parse(readFileSync(path.join(issue, "issue.yaml"), "utf8")) as Record<string, unknown>;

  it("makes content/shishokuro-486 with the number and date moved on and says what to do next", () => {
    expect(made.stderr).toBe("");
    expect(made.status).toBe(0);
    expect(made.stdout).toContain("content/shishokuro-486");
    expect(made.stdout).toContain("第485号 → 第486号");
    expect(made.stdout).toMatch(/次にすること[\s\S]*next[\s\S]*kaiho check[\s\S]*kaiho build/);
    expect(doc.number).toBe("第486号");
    expect(doc.date).toBe("2024-01-01");
  });

  it("keeps the masthead and settings with their comments, and the heading comment follows the number", () => {
    for (const key of ["newsletter", "publisher", "paper"]) expect(doc[key]).toEqual(old[key]);
    expect(yamlText).toContain("newsletter: 市職労ニュース # 題字");
    expect(yamlText).toContain("# yaml-language-server: $schema=../../schema/issue.schema.json");
    expect(yamlText).toContain("# 市職労ニュース 第486号（2024年1月）");
  });

  it("replaces the articles by a template of every block kind, copies no photo and leaves the source alone", () => {
    const blocks = doc.blocks as Array<Record<string, unknown>>;
    const kinds = new Set(
      blocks.flatMap((b) => ("row" in b ? (b.row as object[]).flatMap(Object.keys) : Object.keys(b))),
    );
    expect([...kinds].sort()).toEqual(["article", "corner", "info", "note", "schedule", "slogan", "table"]);
    expect(yamlText).not.toContain("2024高崎市職労役員合同学習会開催");
    expect(yamlText).toMatch(/# photos:\n\s+# {3}- src: /);
    expect(readdirSync(dir)).toEqual(["issue.yaml"]);
    expect(treeHashes(issue)).toEqual(before);
  });

  it("the new issue checks clean", () => {
    const checked = kaiho(["check", dir, "--root", root], root);
    expect(checked.stderr).toContain("エラー errors: 0, 警告 warnings: 0");
    expect(checked.status).toBe(0);
  });

  it("refuses to overwrite an existing folder, exit 1, and leaves it as it was", () => {
    writeFileSync(path.join(dir, "issue.yaml"), `${yamlText}# 編集中\n`);
    const edited = treeHashes(dir);
    const again = kaiho(["new", "--from", issue, "--root", root], root);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("content/shishokuro-486");
    expect(again.stderr).toMatch(/もうあります[\s\S]*already exists/);
    expect(treeHashes(dir)).toEqual(edited);
    expect(readdirSync(path.join(root, "content")).sort()).toEqual(["shishokuro-485", "shishokuro-486"]);
  });
});

describe("kaiho new on a school newsletter numbered by month", async () => {
  const { root } = tempProject();
  temps.push(root);
  rmSync(path.join(root, "content", SAMPLE), { recursive: true });
  const from = path.join(root, "content", "midori-2024-03");
  mkdirSync(from, { recursive: true });
  cpSync(path.join(REPO, "tests", "fixtures", "new-issue", "midori-2024-03"), from, { recursive: true });
  const photo = (w: number, h: number, rgb: [number, number, number]) =>
    sharp({ create: { width: w, height: h, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } });
  await photo(800, 600, [240, 200, 60]).jpeg().toFile(path.join(from, "mascot-800x600.jpg"));
  await photo(1600, 1200, [250, 190, 210]).jpeg().toFile(path.join(from, "spring-1600x1200.jpg"));
  await photo(300, 300, [30, 160, 110]).png().toFile(path.join(from, "logo.png"));
  const made = kaiho(["new", "--root", root], root);
  const dir = path.join(root, "content", "midori-2024-04");
  const yamlText = existsSync(path.join(dir, "issue.yaml"))
    ? readFileSync(path.join(dir, "issue.yaml"), "utf8")
    : "";
  const doc = parse(yamlText) as Record<string, unknown>;

  it("rolls the month issue and clamps the date to April's last day", () => {
    expect(made.status).toBe(0);
    expect(doc.number).toBe("2024年4月号");
    expect(doc.date).toBe("2024-04-30");
    expect((doc.email as { subject: string }).subject).toBe("みどり小だより 2024年4月号をお届けします");
  });

  it("keeps theme, style, logo and the recurring corner (with its comment and photo), nothing else of the blocks", () => {
    expect(doc.theme).toEqual({ base: "school", accent: { rgb: "#2a7", cmyk: [80, 0, 60, 10] } });
    expect(doc.style).toEqual({ bodySize: 9 });
    expect(doc.subtitle).toBe("笑顔あふれるみどり小");
    const corners = (doc.blocks as Array<Record<string, { title: string }>>).filter((b) => b.corner);
    expect(corners.map((c) => c.corner?.title)).toContain("★みどりんの部屋★");
    expect(yamlText).toContain("# 毎月のマスコット紹介（続きもの）");
    expect(yamlText).not.toContain("卒業式のお知らせ");
    expect(yamlText).not.toContain("図書室から");
    expect(readdirSync(dir).sort()).toEqual(["issue.yaml", "logo.png", "mascot-800x600.jpg"]);
  });

  it("the new issue checks clean", () => {
    const checked = kaiho(["check", dir, "--root", root], root);
    expect(checked.stderr).toContain("エラー errors: 0");
    expect(checked.status).toBe(0);
  });
});
