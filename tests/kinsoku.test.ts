import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { kaiho, projectWith } from "./helpers/cli.js";
import { inspectPdf, lineBoxes, normalizeText, type PdfReport } from "./helpers/pdf.js";

/** Punctuation-dense Japanese in narrow columns: where a naive breaker puts 。」、ー or small kana at a line head. */
const DENSE = [
  "「えっ、本当？」「うん、本当。」――そう言って、彼女は笑った。（ちょっと、待ってよ！）『なぜ？』",
  "チョコレート・ケーキ、ショートケーキ……どっちも好き。ヴァイオリンのレッスンは、2024年、100円、3回目。",
  "「ジャンプ！」「キャッチ！」ちょっと、ショッピング、ファイル、チェック、ティッシュ、ヴィオラ、ぎゅっと。j-unionの専属講師、小林さん（講師）。",
  "々や〻、ゝゞヽヾ……「一つ」「二つ」、【重要】〔注〕《引用》〈括弧〉。ええ、そうです！？ほんと？！",
].join("");

const yaml = `newsletter: 禁則テスト
date: 2024-01-15
paper: B5
blocks:
  - row:
${[0, 1, 2]
  .map(
    (i) => `      - article:
          title: 段${i + 1}
          body: |
            ${DENSE}

            ${DENSE}`,
  )
  .join("\n")}
`;

const LINE_START_FORBIDDEN =
  /^[、。，．・：；？！‼⁇ー」』）］｝〉》】〕〗〙ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ々〻ゝゞヽヾ]/u;
const LINE_END_FORBIDDEN = /[「『（［｛〈《【〔〖〘]$/u;

describe("line breaking in a narrow column", () => {
  let report: PdfReport;
  let status: number;

  beforeAll(async () => {
    const { root, issue } = projectWith(yaml);
    const r = kaiho(["build", issue, "--root", root, "--only", "screen"]);
    status = r.status;
    if (r.status !== 0) throw new Error(r.stderr);
    report = await inspectPdf(path.join(root, "output", "test-issue.pdf"));
  });

  it("builds", () => expect(status).toBe(0));

  it("sets every character of the text", () => {
    const text = normalizeText(report.pages.map((p) => p.text).join(""));
    expect(text.split(normalizeText(DENSE)).length - 1).toBe(6);
  });

  it("starts no line with a closing bracket, 、。, ？！, ー, iteration marks or small kana", () => {
    const lines = report.pages.flatMap((p) => lineBoxes(p)).filter((l) => l.fontSize < 12);
    expect(lines.length).toBeGreaterThan(30);
    expect(lines.map((l) => l.text).filter((t) => LINE_START_FORBIDDEN.test(t))).toEqual([]);
  });

  it("ends no line with an opening bracket", () => {
    const lines = report.pages.flatMap((p) => lineBoxes(p));
    expect(lines.map((l) => l.text).filter((t) => LINE_END_FORBIDDEN.test(t))).toEqual([]);
  });

  it("keeps numbers with their units and Latin words whole", () => {
    const lines = report.pages.flatMap((p) => lineBoxes(p)).map((l) => l.text);
    expect(lines.some((t) => /^(年|円|回目)/.test(t))).toBe(false);
    expect(lines.some((t) => /j-$|^union/.test(t) || /j-u$/.test(t))).toBe(false);
  });

  it("justifies: every line but a paragraph's last ends at the column edge", () => {
    const page = report.pages[0];
    if (!page) throw new Error("no page");
    // Body lines only (B5 body is 8.5 pt): headlines and the footer are set in other sizes.
    const lines = lineBoxes(page).filter((l) => Math.abs(l.fontSize - 8.5) < 0.1);
    // Columns by their left edge (a first line's one-em indent stays within its column's group).
    const columns = new Map<number, typeof lines>();
    for (const line of lines) {
      const key = [...columns.keys()].find((k) => Math.abs(k - line.left) < 15) ?? line.left;
      columns.set(key, [...(columns.get(key) ?? []), line]);
    }
    expect(columns.size).toBe(3);
    // A line-end 、。」 is set half-width (halt); pdfjs counts its glyph's full em in the item width.
    const right = (l: (typeof lines)[number]) =>
      l.right - (/[、。，．」』）】〕〉》]$/u.test(l.text) ? l.fontSize / 2 : 0);
    for (const col of columns.values()) {
      const edge = Math.max(...col.map(right));
      const short = col.filter((l) => right(l) < edge - 0.1);
      expect(col.length).toBeGreaterThan(10);
      // Two paragraphs per column: only their last lines may stop short.
      expect(short.length).toBeLessThanOrEqual(2);
    }
  });
});
