import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import iconv from "iconv-lite";
import { afterAll, describe, expect, test } from "vitest";
import {
  issueJsonSchema,
  issueJsonSchemaText,
  issueValidatorText,
  SCHEMA_FILE,
  VALIDATOR_FILE,
  VALIDATOR_OPTIONS,
} from "../src/content/export-schema.js";
import { loadIssue } from "../src/content/index.js";
import issueValidator from "../src/content/issue-validator.js";
import type { IssueDoc } from "../src/content/schema.js";
import { type Diagnostic, KaihoError, Warnings } from "../src/diagnostics.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SAMPLE = path.join(ROOT, "content", "shishokuro-485");
const SEED = path.join(ROOT, "tests", "fixtures", "content", "seed-485.txt");

// ---------------------------------------------------------------------------------------------------------------
// Helpers: each case is a throwaway project root under the OS temp folder.

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xd9]); // content does not decode photos; a stand-in is enough

function project(issueYaml: string | Uint8Array, files: Record<string, Uint8Array> = {}, id = "test-1") {
  const root = mkdtempSync(path.join(os.tmpdir(), "kaiho-content-"));
  temps.push(root);
  const dir = path.join(root, "content", id);
  mkdirSync(dir, { recursive: true });
  mkdirSync(path.join(root, "images"));
  writeFileSync(path.join(dir, "issue.yaml"), issueYaml);
  for (const [name, bytes] of Object.entries(files)) {
    const target = path.join(root, name);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, bytes);
  }
  return { root, dir };
}

async function load(issueYaml: string | Uint8Array, files: Record<string, Uint8Array> = {}) {
  const { root, dir } = project(issueYaml, files);
  const warnings = new Warnings();
  const issue = await loadIssue(dir, { root, warnings });
  return { issue, warnings, root, dir };
}

async function problems(
  issueYaml: string | Uint8Array,
  files: Record<string, Uint8Array> = {},
): Promise<Diagnostic[]> {
  const { root, dir } = project(issueYaml, files);
  try {
    await loadIssue(dir, { root, warnings: new Warnings() });
  } catch (e) {
    if (e instanceof KaihoError) return e.diagnostics;
    throw e;
  }
  throw new Error("expected a KaihoError");
}

const HEAD = "newsletter: テスト通信\ndate: 2023-12-01\nblocks:\n";
const ARTICLE = "  - article:\n      title: 見出し\n      body: 本文です。\n";

// ---------------------------------------------------------------------------------------------------------------

describe("the sample issue", () => {
  test("loads with 7 photos, their upright pixel sizes and the lines of their src", async () => {
    const warnings = new Warnings();
    const issue = await loadIssue(SAMPLE, { root: ROOT, warnings });
    expect(warnings.list).toEqual([]);
    expect(issue.id).toBe("shishokuro-485");
    expect(issue.doc.date).toBe("2023-12-01");
    expect(issue.geometry.paper).toBe("A4");
    expect(issue.photos.map((p) => p.path)).toEqual([
      "blocks[0].article.photos[0]",
      "blocks[0].article.photos[1]",
      "blocks[0].article.photos[2]",
      "blocks[0].article.photos[3]",
      "blocks[0].article.photos[4]",
      "blocks[2].article.photos[0]",
      "blocks[2].article.photos[1]",
    ]);
    for (const p of issue.photos) {
      // Read from the header: the layout sizes photos from their shape (the sample's are landscape).
      expect(p.pixelWidth).toBeGreaterThan(p.pixelHeight ?? Number.POSITIVE_INFINITY);
      expect(p.file.startsWith(SAMPLE)).toBe(true);
      const line = issue.sourceLines[(p.position?.line ?? 0) - 1] ?? "";
      expect(line.slice((p.position?.column ?? 1) - 1)).toBe(p.src);
    }
    expect(issue.photos.filter((p) => p.caption?.includes("\n"))).toHaveLength(5);
  });

  test("holds every sentence of the seed newsletter verbatim", async () => {
    const issue = await loadIssue(SAMPLE, { root: ROOT, warnings: new Warnings() });
    const doc = issue.doc;
    const texts: string[] = [];
    const collect = (v: unknown) => {
      if (typeof v === "string") texts.push(v.replace(/^### /gm, ""));
      else if (Array.isArray(v)) v.forEach(collect);
      else if (v && typeof v === "object") Object.values(v).forEach(collect);
    };
    collect(doc);
    const all = texts.join("\n");
    const signatures = new Set<string>();
    const schedule: { date: string; text: string }[] = [];
    const visit = (b: IssueDoc["blocks"][number]) => {
      const cells = "row" in b ? b.row : [b];
      for (const c of cells) {
        const sig = "article" in c ? c.article.signature : "corner" in c ? c.corner.signature : undefined;
        if (sig) signatures.add(typeof sig === "string" ? sig : sig.text);
        if ("schedule" in c)
          for (const it of c.schedule.items)
            for (const t of Array.isArray(it.text) ? it.text : [it.text])
              schedule.push({ date: it.date, text: t });
      }
    };
    doc.blocks.forEach(visit);

    const seed = readFileSync(SEED, "utf8");
    const lines = seed
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "");
    expect(lines.length).toBeGreaterThan(40);
    const weekdays = "日月火水木金土";
    for (const line of lines) {
      let rest = line;
      for (const m of line.matchAll(/【(.+?)】/g)) {
        expect(signatures, line).toContain(m[1]);
        rest = rest.replace(m[0], "").trim();
      }
      const dated = /^(\d+)月\s*(\d+)日\((.)\)\s+(.+)$/.exec(rest);
      if (dated) {
        const [, month, day, weekday, text] = dated;
        const item = schedule.find((s) => s.text === text);
        expect(item, line).toBeDefined();
        const [y, m, d] = (item?.date ?? "").split("-").map(Number);
        expect([m, d], line).toEqual([Number(month), Number(day)]);
        expect(weekdays[new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, d)).getUTCDay()], line).toBe(weekday);
        continue;
      }
      if (rest !== "") expect(all.includes(rest), `seed line missing: ${rest}`).toBe(true);
    }
    expect(signatures).toEqual(new Set(["ラミちゃん", "オラフ", "まるピー", "中沢", "えだまめ"]));
  });

  test("locate maps schema paths to lines", async () => {
    const issue = await loadIssue(SAMPLE, { root: ROOT, warnings: new Warnings() });
    const title = issue.locate("blocks[0].article.title");
    expect(issue.sourceLines[(title?.line ?? 0) - 1]).toContain("title: 2024高崎市職労役員合同学習会開催");
    const article = issue.locate("blocks[0].article");
    expect(issue.sourceLines[(article?.line ?? 0) - 1]).toMatch(/^ {2}- article:/);
    // a path that is not written (optional field) falls back to its parent
    expect(issue.locate("blocks[0].article.lead")).toEqual(article);
    expect(issue.locate("date")).toEqual({ line: expect.any(Number), column: 7 });
  });
});

describe("decoding", () => {
  test("a UTF-8 BOM is fine", async () => {
    const { issue, warnings } = await load(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(HEAD + ARTICLE)]),
    );
    expect(issue.doc.newsletter).toBe("テスト通信");
    expect(warnings.list).toEqual([]);
  });

  test("UTF-16 with a BOM is read", async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HEAD + ARTICLE, "utf16le")]);
    const { issue } = await load(bytes);
    expect(issue.doc.newsletter).toBe("テスト通信");
  });

  test("Shift_JIS is decoded, with a warning, and the file is left alone", async () => {
    const bytes = iconv.encode(HEAD + ARTICLE.replace("本文です。", "高崎市職労～①"), "cp932");
    const { issue, warnings, dir } = await load(bytes);
    expect((issue.doc.blocks[0] as { article: { body: string } }).article.body).toBe("高崎市職労～①");
    expect(warnings.list).toHaveLength(1);
    expect(warnings.list[0]?.ja).toContain("Shift_JIS");
    expect(warnings.list[0]?.en).toContain("UTF-8");
    expect(warnings.list[0]?.file).toBe("content/test-1/issue.yaml");
    expect(readFileSync(path.join(dir, "issue.yaml")).equals(bytes)).toBe(true);
  });

  test("bytes that are no text are an error naming the line", async () => {
    const bytes = Buffer.concat([
      Buffer.from(`${HEAD}  - slogan: `),
      Buffer.from([0x81, 0xff, 0x00, 0x80]),
      Buffer.from("\n"),
    ]);
    const [d] = await problems(bytes);
    expect(d?.line).toBe(4);
    expect(d?.ja).toContain("UTF-8");
  });
});

describe("the issue folder", () => {
  test("issue.yml instead of issue.yaml is named", async () => {
    const { root, dir } = project(HEAD + ARTICLE);
    writeFileSync(path.join(dir, "issue.yml"), HEAD + ARTICLE);
    rmSync(path.join(dir, "issue.yaml"));
    const err = await loadIssue(dir, { root, warnings: new Warnings() }).catch((e: unknown) => e);
    expect((err as KaihoError).diagnostics[0]?.ja).toContain("「issue.yml」");
    expect((err as KaihoError).diagnostics[0]?.file).toBe("content/test-1/issue.yaml");
  });
});

describe("YAML syntax", () => {
  test("a tab in the indentation: line and column, source line and a Japanese explanation", async () => {
    const list = await problems(`${HEAD}\t- slogan: がんばろう\n`);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ line: 4, column: 1, sourceLine: "\t- slogan: がんばろう" });
    expect(list[0]?.ja).toContain("タブ");
  });

  test("a missing space after a colon points at the colon", async () => {
    const list = await problems(`newsletter: テスト\ndate:2023-12-01\nblocks:\n${ARTICLE}`);
    expect(list[0]).toMatchObject({ line: 2, column: 6 });
    expect(list[0]?.ja).toContain("半角スペースがありません");
  });

  test("an unclosed quote points at the opening quote", async () => {
    const list = await problems(`${HEAD}  - article:\n      title: "見出し\n      body: 本文\n`);
    expect(list[0]).toMatchObject({ line: 5, column: 14 });
    expect(list[0]?.ja).toContain("閉じられていません");
  });

  test("a duplicate key is an error naming both lines", async () => {
    const list = await problems(`${HEAD}  - article:\n      title: 一\n      title: 二\n      body: 本文\n`);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ line: 6, column: 7 });
    expect(list[0]?.ja).toContain("5 行目");
  });

  test("dates and yes/no stay strings (YAML 1.2 core schema); a bare number is refused with a hint", async () => {
    const { issue } = await load(`${HEAD}  - slogan: [yes, 2023-12-01, 12:30]\n`);
    expect(issue.doc.date).toBe("2023-12-01");
    expect(issue.doc.blocks[0]).toEqual({ slogan: ["yes", "2023-12-01", "12:30"] });
    const list = await problems(HEAD.replace("blocks:", "number: 485\nblocks:") + ARTICLE);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ line: 3, column: 9 });
    expect(list[0]?.hintJa).toContain('"485"');
  });
});

describe("schema", () => {
  test("a value out of range: path, line and the allowed range", async () => {
    const list = await problems(
      `${HEAD}  - article:\n      title: 見出し\n      columns: 5\n      body: 本文\n`,
    );
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ line: 6, column: 16 });
    expect(list[0]?.ja).toContain("blocks[0].article.columns");
    expect(list[0]?.ja).toContain("1〜3");
  });

  test("a missing field points at its parent", async () => {
    const list = await problems(`${HEAD}  - article:\n      body: 本文\n`);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ line: 4, column: 5 });
    expect(list[0]?.ja).toBe("blocks[0].article に「title」（見出し）がありません。");
  });

  test("an enum lists its values and guesses", async () => {
    const list = await problems(HEAD.replace("blocks:", "paper: a4\nblocks:") + ARTICLE);
    expect(list).toHaveLength(1);
    expect(list[0]?.line).toBe(3);
    expect(list[0]?.ja).toContain("もしかして「A4」");
    expect(list[0]?.hintJa).toContain("A4 / B5 / A3 / B4");
  });

  test("a bad date says how to write it", async () => {
    const list = await problems(HEAD.replace("2023-12-01", "2023-12-1") + ARTICLE);
    expect(list[0]).toMatchObject({ line: 2, column: 7 });
    expect(list[0]?.ja).toContain("YYYY-MM-DD");
    const impossible = await problems(HEAD.replace("2023-12-01", "2023-11-31") + ARTICLE);
    expect(impossible[0]?.ja).toContain("カレンダーにありません");
  });

  test("wrong type inside a row, one message per problem", async () => {
    const yaml = `${HEAD}  - row:\n      - slogan: 一つ目\n      - schedule:\n          title: 予定\n          items:\n            - { date: 2023-12-21, text: 123 }\n`;
    const list = await problems(yaml);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ line: 9, column: 41 });
    expect(list[0]?.ja).toContain("blocks[0].row[1].schedule.items[0].text");
  });
});

describe("unknown keys", () => {
  test("a misspelt block kind gets one did-you-mean against the five kinds", async () => {
    const list = await problems(`${HEAD}  - artcle:\n      title: 見出し\n      body: 本文\n`);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ line: 4, column: 5 });
    expect(list[0]?.ja).toContain("もしかして「article」");
    expect(list[0]?.en).toContain('Did you mean "article"?');
  });

  test("a misspelt field gets a did-you-mean from the fields allowed there", async () => {
    const yaml = `${HEAD}  - article:\n      title: 見出し\n      body: 本文\n      photos:\n        - src: a.jpg\n          captoin: 説明\n`;
    const list = await problems(yaml, { "content/test-1/a.jpg": JPEG });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ line: 9, column: 11 });
    expect(list[0]?.ja).toContain("blocks[0].article.photos[0]");
    expect(list[0]?.ja).toContain("もしかして「caption」");
  });

  test("a Japanese word for a key is understood, and the missing field is not reported twice", async () => {
    const list = await problems(`${HEAD}  - article:\n      見出し: 学習会\n      body: 本文\n`);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ line: 5, column: 7 });
    expect(list[0]?.ja).toContain("もしかして「title」");
  });

  test("a field written beside the block key is told to check indentation", async () => {
    const list = await problems(
      `${HEAD}  - article:\n      title: 見出し\n      body: 本文\n    signature: 名前\n`,
    );
    expect(list).toHaveLength(1);
    expect(list[0]?.line).toBe(7);
    expect(list[0]?.hintJa).toContain("字下げ");
  });
});

describe("photo paths", () => {
  const withPhoto = (src: string) =>
    `${HEAD}  - article:\n      title: 見出し\n      body: 本文\n      photos:\n        - src: ${src}\n`;

  test("a missing photo names the file and the line", async () => {
    const list = await problems(withPhoto("nai.jpg"), { "content/test-1/nai.JPG": JPEG });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ line: 8, column: 16, sourceLine: "        - src: nai.jpg" });
    expect(list[0]?.ja).toContain("「nai.jpg」が見つかりません");
    expect(list[0]?.ja).toContain("もしかして「nai.JPG」");
    expect(list[0]?.hintJa).toContain("content/test-1/");
  });

  test("../ is refused even when the file exists", async () => {
    const list = await problems(withPhoto("../secret.jpg"), { "content/secret.jpg": JPEG });
    expect(list).toHaveLength(1);
    expect(list[0]?.line).toBe(8);
    expect(list[0]?.ja).toContain("外");
  });

  test("an absolute path is refused", async () => {
    const list = await problems(withPhoto("/etc/passwd"));
    expect(list[0]?.ja).toContain("絶対パス");
  });

  test("a symlink leading out of the folder is refused", async () => {
    const { root, dir } = project(withPhoto("link.jpg"), { "elsewhere/x.jpg": JPEG });
    symlinkSync(path.join(root, "elsewhere", "x.jpg"), path.join(dir, "link.jpg"));
    const err = await loadIssue(dir, { root, warnings: new Warnings() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KaihoError);
    expect((err as KaihoError).diagnostics[0]?.ja).toContain("リンク");
  });

  test("logo comes from images/, photos of corners in rows are found", async () => {
    const yaml =
      HEAD.replace("blocks:", "logo: logo.png\nblocks:") +
      "  - row:\n      - slogan: がんばろう\n      - corner:\n          title: ◎コーナー◎\n          body: 本文\n          photos:\n            - { src: c1.jpg, caption: 一 }\n            - { src: c2.jpg }\n";
    const { issue } = await load(yaml, {
      "images/logo.png": JPEG,
      "content/test-1/c1.jpg": JPEG,
      "content/test-1/c2.jpg": JPEG,
    });
    expect(issue.photos.map((p) => [p.path, p.src])).toEqual([
      ["logo", "logo.png"],
      ["blocks[0].row[1].corner.photos[0]", "c1.jpg"],
      ["blocks[0].row[1].corner.photos[1]", "c2.jpg"],
    ]);
    expect(issue.photos[0]?.file).toBe(path.join(issue.root, "images", "logo.png"));
    expect(issue.photos[1]?.caption).toBe("一");
    expect(issue.photos[1]?.position).toEqual({ line: 11, column: 22 });
  });
});

describe("JSON Schema export", () => {
  test("schema/issue.schema.json is up to date with IssueSchema", () => {
    const committed = readFileSync(SCHEMA_FILE, "utf8");
    expect(committed, "run: npm run compile && node dist/content/export-schema.js").toBe(
      issueJsonSchemaText(),
    );
    expect(SCHEMA_FILE).toBe(path.join(ROOT, "schema", "issue.schema.json"));
  });

  test("src/content/issue-validator.ts is up to date with the schema", () => {
    const committed = readFileSync(VALIDATOR_FILE, "utf8");
    expect(committed, "run: npm run compile && node dist/content/export-schema.js").toBe(
      issueValidatorText(),
    );
    expect(VALIDATOR_FILE).toBe(path.join(ROOT, "src", "content", "issue-validator.ts"));
  });

  test("the generated validator finds the same errors as ajv compiling the schema", async () => {
    const issue = await loadIssue(SAMPLE, { root: ROOT, warnings: new Warnings() });
    const compiled = new Ajv(VALIDATOR_OPTIONS).compile(issueJsonSchema());
    const generated = issueValidator as unknown as ValidateFunction;
    const [first, ...rest] = issue.doc.blocks;
    const broken = [
      issue.doc,
      { ...issue.doc, paper: "A5", date: "2024-1-1", newsletter: "" },
      { ...issue.doc, theme: { base: "mono", accent: { rgb: "red", cmyk: [0, 0, 0] } } },
      { ...issue.doc, blocks: [{ article: { titel: "x", body: 3 } }, { slogan: [] }, first, ...rest] },
      { ...issue.doc, blocks: [{ row: [{ table: { rows: "x" } }, { info: { items: [{ a: 1, b: 2 }] } }] }] },
      { blocks: "none", extra: true },
    ];
    for (const doc of broken) {
      expect(generated(doc)).toBe(compiled(doc));
      expect(generated.errors).toEqual(compiled.errors);
    }
    expect(compiled.errors?.length).toBeGreaterThan(0);
  });

  test("the exported schema validates the sample like IssueSchema does", async () => {
    const issue = await loadIssue(SAMPLE, { root: ROOT, warnings: new Warnings() });
    const ajv = new Ajv({ strict: false });
    const validate = ajv.compile(issueJsonSchema());
    expect(validate(issue.doc)).toBe(true);
    expect(validate({ ...issue.doc, paper: "A5" })).toBe(false);
    expect(readFileSync(path.join(SAMPLE, "issue.yaml"), "utf8").split("\n")[0]).toBe(
      "# yaml-language-server: $schema=../../schema/issue.schema.json",
    );
  });
});
