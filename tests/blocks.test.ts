import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadIssue } from "../src/content/index.js";
import { Warnings } from "../src/diagnostics.js";
import { loadFonts } from "../src/fonts/index.js";
import type { LayoutContext } from "../src/layout/blocks.js";
import { parseBody } from "../src/layout/body.js";
import { splitNoteMark } from "../src/layout/note.js";
import { columnWidths, splitTable, tablePieces } from "../src/layout/table.js";
import { themeFor } from "../src/layout/theme.js";
import { createTypesetter } from "../src/typeset/index.js";
import { kaiho, projectWith } from "./helpers/cli.js";
import { inspectPdf, type PdfPage, type PdfReport, type PdfTextItem } from "./helpers/pdf.js";
import { demoProject, demoYaml } from "./helpers/theme-demo.js";

const LONG_WORD = "Kommunalverwaltungsangestellte";

/** The demo issue with more: signatures in each form, a long Latin word in a table, a table longer than a page. */
function blocksYaml(): string {
  const rows = Array.from(
    { length: 70 },
    (_, i) => `        - [${i + 1}, 会員${i + 1}, 第${(i % 5) + 1}支部]`,
  );
  return `${demoYaml()}
  - article:
      title: 署名の括弧
      body: |
        既定の括弧で署名します。
      signature: 山田
  - article:
      title: 括弧なしの署名
      body: |
        括弧を付けずに署名します。
      signature: { text: 編集部一同, brackets: none }
  - table:
      caption: 資料の置き場所
      header: [資料, 場所]
      rows:
        - [年次報告, ${LONG_WORD}]
  - table:
      caption: 名簿
      header: [番号, 氏名, 所属]
      rows:
${rows.join("\n")}
`;
}

function itemsStarting(page: PdfPage, prefix: string): PdfTextItem[] {
  return page.items.filter((i) => i.str.startsWith(prefix));
}

function only(items: PdfTextItem[], what: string): PdfTextItem {
  expect(items.length, what).toBeGreaterThanOrEqual(1);
  return items[0] as PdfTextItem;
}

describe("new blocks in the built PDF", () => {
  let report: PdfReport;
  let status: number;
  let stderr: string;

  beforeAll(async () => {
    const project = demoProject(undefined, blocksYaml());
    const r = kaiho(["build", "--root", project.root, project.issue, "--only", "screen"]);
    status = r.status;
    stderr = r.stderr;
    report = await inspectPdf(path.join(project.root, "output", "test-issue.pdf"));
  });

  it("builds without a warning but the one about its last page's white", () => {
    // The demo of every block ends high on its last page: that is said (tests/last-page-warning.test.ts), nothing else.
    const warnings = stderr.split("\n").filter((l) => l.includes("警告 warning:"));
    expect(warnings.filter((l) => !l.includes("最後のページ"))).toEqual([]);
    expect(status).toBe(0);
  });

  it("info: every value starts at the same x, and a second value of a key wraps under the first", () => {
    const page = report.pages[0] as PdfPage;
    const key = only(itemsStarting(page, "日時"), "日時");
    const dateValue = only(
      page.items.filter((i) => Math.abs(i.top - key.top) < 0.5 && i.x > key.x && i.str.trim()),
      "the value beside 日時",
    );
    const others = ["みどり町公園", "飲み物", "帽子"].map((s) => only(itemsStarting(page, s), s).x);
    const xs = [dateValue.x, ...others];
    for (const x of xs) expect(x).toBeCloseTo(dateValue.x, 1);
    expect(dateValue.x).toBeGreaterThan(key.x + 20);
    // The block form: its keys one column, its values another.
    const block = report.pages.find((p) => itemsStarting(p, "お問い合わせ").length > 0) as PdfPage;
    const values = ["自治会 広報部", "012-345-6789", "みどり商店会", "みどり町子ども会"].map(
      (s) => only(itemsStarting(block, s), s).x,
    );
    for (const x of values) expect(x).toBeCloseTo(values[0] as number, 1);
  });

  it("note: the ※ hangs in the margin and the next line starts under the text, not under the ※", () => {
    const page = report.pages[0] as PdfPage;
    const mark = itemsStarting(page, "※").find((i) => i.str === "※" || i.str.startsWith("※雨"));
    expect(mark).toBeDefined();
    const first = only(itemsStarting(page, "雨天"), "雨天");
    const second = only(itemsStarting(page, "中止の連絡"), "second line");
    expect(first.x).toBeGreaterThan((mark as PdfTextItem).x + 4);
    expect(second.x).toBeCloseTo(first.x, 1);
    expect(second.top).toBeGreaterThan(first.top);
  });

  it("signature: brackets as asked, 【】 by default, none without", () => {
    const text = report.pages.map((p) => p.text).join("\n");
    expect(text).toContain("（広報部 佐藤）");
    expect(text).toContain("【山田】");
    expect(text).toContain("編集部一同");
    expect(text).not.toMatch(/[【（「]編集部一同/);
  });

  it("table: a column is never narrower than its widest unbreakable word, which stays on one line", () => {
    const text = report.pages.map((p) => p.text.replace(/\s/g, "")).join("\n");
    expect(text).toContain(LONG_WORD);
  });

  it("table: a table longer than a page continues on the next with its header repeated", () => {
    const pagesWithHeader = report.pages.filter(
      (p) => itemsStarting(p, "番号").length > 0 && itemsStarting(p, "所属").length > 0,
    );
    expect(pagesWithHeader.length).toBeGreaterThanOrEqual(2);
    const continued = pagesWithHeader[1] as PdfPage;
    expect(continued.text).toContain("名簿（続き）");
    // Every member once, in order, across the parts.
    const all = report.pages.map((p) => p.text.replace(/[ \t]/g, "")).join("\n");
    const at = Array.from({ length: 70 }, (_, i) => all.indexOf(`${i + 1}会員${i + 1}第`));
    for (const [i, pos] of at.entries())
      expect(pos, `会員${i + 1}`).toBeGreaterThan(i > 0 ? (at[i - 1] ?? 0) : -1);
    // The header is the first line of the part on the continued page, under the caption.
    const header = only(itemsStarting(continued, "番号"), "header");
    const firstRow = continued.items.filter((i) => i.str === "会員").sort((a, b) => a.top - b.top)[0];
    expect(firstRow).toBeDefined();
    expect(header.top).toBeLessThan((firstRow as PdfTextItem).top);
  });
});

describe("table engine", () => {
  it("shares room between min- and max-content widths, and gives figures no more than they need", () => {
    expect(columnWidths([10, 20], [30, 60], 200, [true, false])).toEqual([140, 60]);
    const between = columnWidths([10, 20], [30, 60], 70);
    expect(between[0]).toBeCloseTo(10 + 20 * (40 / 60));
    expect(between[1]).toBeCloseTo(20 + 40 * (40 / 60));
    // Too narrow even for the min-content widths: scaled down, summing to the room.
    const narrow = columnWidths([40, 60], [80, 90], 50);
    expect(narrow[0]).toBeCloseTo(20);
    expect(narrow[1]).toBeCloseTo(30);
  });

  describe("with the typesetter", () => {
    let ctx: LayoutContext;

    beforeAll(async () => {
      const project = demoProject();
      const warnings = new Warnings();
      const issue = await loadIssue(project.issue, { root: project.root, warnings });
      const fonts = await loadFonts(issue, {
        cacheDir: path.join(project.root, ".cache", "kaiho"),
        warnings,
      });
      const g = issue.geometry;
      ctx = {
        issue,
        g,
        theme: themeFor(issue.theme, g),
        ts: createTypesetter(fonts),
      };
    });

    it("sets a column at least as wide as its widest unbreakable word", () => {
      const pieces = tablePieces(ctx, { rows: [["年次報告", LONG_WORD]] }, "t", 200);
      const pad = ctx.theme.body * ctx.theme.look.table.padding;
      const word = ctx.ts.widthOf(LONG_WORD, {
        size: ctx.theme.body * ctx.theme.look.table.size,
        leading: 1.45,
      });
      expect((pieces.columns[1] ?? 0) - 2 * pad).toBeGreaterThanOrEqual(word - 0.01);
    });

    it("splits between rows, each part under the header, the first where at least two rows fit", () => {
      const rows = Array.from({ length: 30 }, (_, i) => [`${i + 1}`, `行${i + 1}`]);
      const pieces = tablePieces(ctx, { caption: "名簿", header: ["番号", "氏名"], rows }, "t", 300);
      const rowH = pieces.rows[0]?.height ?? 0;
      const head = (pieces.caption?.height ?? 0) + (pieces.header?.height ?? 0);
      const { parts, fresh } = splitTable(ctx, pieces, head + rowH * 5.5, head + rowH * 12.5);
      expect(fresh).toBe(false);
      const lineText = (b: (typeof parts)[number]) =>
        b.items.flatMap((i) => (i.kind === "line" ? [i.line.runs.map((r) => r.text).join("")] : []));
      const counts = parts.map((p) => lineText(p).filter((t) => t.startsWith("行")).length);
      expect(counts[0]).toBe(5);
      // The last part takes rows from the one before instead of standing as one row on a page.
      expect(counts[counts.length - 1]).toBeGreaterThanOrEqual(3);
      expect(counts.reduce((s, n) => s + n, 0)).toBe(30);
      for (const p of parts) expect(lineText(p)).toContain("番号");
      expect(lineText(parts[1] as (typeof parts)[number])).toContain("名簿（続き）");
      // Only one row would fit here: the table starts on the next page instead.
      expect(splitTable(ctx, pieces, head + rowH * 1.5, head + rowH * 12.5).fresh).toBe(true);
    });
  });
});

describe("body markup for remarks and key–value lines", () => {
  it("reads ※ lines as remarks and ': key: value' lines as one info list", () => {
    const els = parseBody(
      "本文です。\n\n: 日時: 11月3日\n：場所：公民館\n: : 2階ホール\n※雨天中止。\n続きの文。\n\n次の段落。",
    );
    expect(els).toEqual([
      { kind: "paragraph", text: "本文です。" },
      {
        kind: "info",
        entries: [
          { key: "日時", values: ["11月3日"] },
          { key: "場所", values: ["公民館", "2階ホール"] },
        ],
      },
      { kind: "note", text: "※雨天中止。続きの文。" },
      { kind: "paragraph", text: "次の段落。" },
    ]);
  });

  it("keeps a remark's own mark (※1, ＊) and adds ※ when there is none", () => {
    expect(splitNoteMark("※1 駐車場はありません。")).toEqual({ mark: "※1", text: "駐車場はありません。" });
    expect(splitNoteMark("＊印は予定です。")).toEqual({ mark: "＊", text: "印は予定です。" });
    expect(splitNoteMark("軍手を差し上げます。")).toEqual({ mark: "※", text: "軍手を差し上げます。" });
  });
});

describe("new blocks: mistakes an editor makes", () => {
  it("suggests table for tabel, and asks for one key: value per info line, naming the lines", () => {
    const yaml = [
      "newsletter: テスト",
      "date: 2024-01-01",
      "blocks:",
      "  - info:",
      "      - { 日時: 11月3日, 場所: 公民館 }",
      "  - tabel:",
      "      rows: [[a]]",
      "  - article:",
      "      title: 署名",
      "      body: 本文",
      "      signature: { text: 山田, brackets: 括弧です }",
      "",
    ].join("\n");
    const project = projectWith(yaml);
    const r = kaiho(["check", "--root", project.root, project.issue]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("issue.yaml:5:");
    expect(r.stderr).toContain('takes exactly one "key: value"');
    expect(r.stderr).toContain("issue.yaml:6:");
    expect(r.stderr).toContain('Did you mean "table"');
    expect(r.stderr).toContain("issue.yaml:11:");
    expect(r.stderr).toContain("開き・閉じの2文字か none");
  });

  it("names a table row with more cells than its header: a comma in an unquoted cell of a [ ] list", () => {
    const yaml = [
      "newsletter: テスト",
      "date: 2024-01-01",
      "blocks:",
      "  - table:",
      "      header: [部屋, 会員, 会員以外]",
      "      rows:",
      '        - [和室, 300円, "1,000円"]',
      "        - [会議室, 400円, 1, 200円]",
      "",
    ].join("\n");
    const project = projectWith(yaml);
    const r = kaiho(["check", "--root", project.root, project.issue]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("issue.yaml:8:");
    expect(r.stderr).toContain("blocks[0].table.rows[1] has 4 cells, more than its header's 3");
    expect(r.stderr).toContain("引用符で囲んでください");
    expect(r.stderr).not.toContain("rows[0]");
  });
});
