import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { builtSample } from "./helpers/built.js";
import { kaiho, projectWith, REPO } from "./helpers/cli.js";
import { inspectPdf, type LineBox, lineBoxes, type PdfReport, type PdfTextItem } from "./helpers/pdf.js";

/**
 * The typesetting fixture (tests/fixtures/issues/typesetting) built and read back where a reader sees it: the
 * text items' positions in the PDF. Numbers, URLs and Latin words must come out exactly as written, lines flush
 * without loose gaps, breaks only where the rules allow.
 */
const FIXTURE = path.join(REPO, "tests", "fixtures", "issues", "typesetting", "issue.yaml");
const PHOTO = path.join(REPO, "tests", "fixtures", "photos", "exif", "Landscape_1.jpg");
const BODY = 9;
const CAPTION = 7.65;

const URL = "https://nishi-sho-pta.example.jp/festa2026/entry?form=family&lang=ja#top";
const MAIL = "information.desk-2026@j-union.example.or.jp";
const SITE = "https://www.j-union.example.or.jp/news/2026/12/";
const NARROW_SITE = "https://www.j-union.example.or.jp/kaiho/";
const WORD = "pneumonoultramicroscopicsilicovolcanoconiosis";
/** Written in the fixture; each must be one item of the PDF's text, nothing inserted inside. */
const TOKENS = [
  "4,500",
  "1,234",
  "1,357",
  "-3.5",
  "3.5",
  "10:00",
  "15:00",
  "No.1",
  "027-231-0000",
  "9:00",
  "17:00",
  "10kg",
  "12,345,678",
  "11,987,654",
  "357,024",
  "2,048",
  "+1.5",
  "87.25",
  "13:30",
  "1,200",
  "3,000",
  "negotiations,",
  "part-time",
  "Saturday.",
];
const URL_BREAKS = "/.-_?&=#";

const visible = (l: LineBox) => l.items.filter((i) => i.str.trim() !== "");
const isLatin = (s: string) => /^[\x21-\x7e]+$/.test(s);
const isKanaKanji = (s: string) =>
  /^[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}ー\s]+$/u.test(s) && /\S/.test(s);
/** A half-width (halt) bracket or stop: pdfjs reports the full em as its width. */
const HALF = /^[「『（【〔〈《」』）】〕〉》、。，．]$/u;

interface Built {
  report: PdfReport;
  lines: LineBox[];
  stderr: string;
}

async function build(project: { root: string; issue: string }): Promise<Built> {
  const r = kaiho(["build", project.issue, "--root", project.root, "--only", "screen"]);
  if (r.status !== 0) throw new Error(r.stderr);
  const id = path.basename(project.issue);
  const report = await inspectPdf(path.join(project.root, "output", `${id}.pdf`));
  return { report, lines: report.pages.flatMap((p) => lineBoxes(p)), stderr: r.stderr };
}

/**
 * The pieces of a token broken over lines: the last item of one line, then the first items of the next ones,
 * as long as they continue it.
 */
function pieces(lines: LineBox[], token: string, hyphenated = false): string[] {
  const clean = (s: string) => (hyphenated ? s.replace(/-$/, "") : s);
  for (const [i, line] of lines.entries()) {
    const last = visible(line).at(-1);
    if (!last || last.str.length < 3 || !token.startsWith(clean(last.str)) || clean(last.str) === token)
      continue;
    const out = [last.str];
    for (const next of lines.slice(i + 1)) {
      const first = visible(next)[0];
      const sofar = out.map(clean).join("");
      if (!first) break;
      const piece = first.str;
      if (!token.startsWith(sofar + clean(piece)) && !(sofar + piece).startsWith(token)) break;
      out.push(piece);
      if ((sofar + clean(piece)).length >= token.length || visible(next).length > 1) break;
    }
    if (out.map(clean).join("").startsWith(token)) return out;
  }
  return [];
}

/** Body lines grouped by article (a headline starts one) and column (left edge), top to bottom. */
function columns(lines: LineBox[], size: number): LineBox[][] {
  const out: LineBox[][] = [];
  let article: Map<number, LineBox[]> = new Map();
  const flush = () => {
    for (const col of article.values()) out.push(col);
    article = new Map();
  };
  for (const line of lines) {
    if (line.fontSize > 12) {
      flush();
      continue;
    }
    if (Math.abs(line.fontSize - size) > 0.05) continue;
    const key = [...article.keys()].find((k) => Math.abs(k - line.left) < 15) ?? line.left;
    article.set(key, [...(article.get(key) ?? []), line]);
  }
  flush();
  return out;
}

const visualRight = (l: LineBox) => {
  const last = visible(l).at(-1) as PdfTextItem;
  return (
    last.x +
    last.width -
    (HALF.test(last.str.slice(-1)) && /[」』）】〕〉》、。，．]$/u.test(last.str) ? l.fontSize / 2 : 0)
  );
};

/** Lines of a column that stop short of its edge, other than a paragraph's last line. */
function shortLines(col: LineBox[]): LineBox[] {
  const edge = Math.max(...col.map(visualRight));
  const left = Math.min(...col.map((l) => l.left));
  return col.filter((l, i) => {
    const next = col[i + 1];
    const endsParagraph = !next || next.left > left + BODY * 0.5;
    return !endsParagraph && !isTableRow(l) && visualRight(l) < edge - 0.1;
  });
}

/** A schedule's row (date, a one-em gap, the entry): each entry is a paragraph of its own. */
function isTableRow(l: LineBox): boolean {
  const items = visible(l);
  return items.slice(1).some((b, k) => {
    const a = items[k] as PdfTextItem;
    return b.x - (a.x + a.width) > 0.9 * l.fontSize;
  });
}

/** Largest extra space between two Japanese characters of a line, in em (pdfjs spreads charSpacing in its items). */
function largestCharGap(l: LineBox): number {
  let worst = 0;
  for (const item of visible(l)) {
    if (!isKanaKanji(item.str)) continue;
    const glyphs = [...item.str.replace(/\s/g, "")].length;
    if (glyphs < 2) continue;
    worst = Math.max(worst, (item.width - glyphs * item.fontSize) / (glyphs - 1) / item.fontSize);
  }
  return worst;
}

/** Largest space after a Latin word space, in em: the space's item, then the next word. */
function largestWordGap(l: LineBox): number {
  let worst = 0;
  l.items.forEach((item, i) => {
    const next = l.items[i + 1];
    if (item.str !== " " || item.height === 0 || !next || !isLatin(next.str)) return;
    worst = Math.max(worst, (next.x - (item.x + item.width)) / l.fontSize);
  });
  return worst;
}

describe("the typesetting fixture", () => {
  let built: Built;

  beforeAll(async () => {
    built = await build(projectWith(readFileSync(FIXTURE), { "photo-1800x1200.jpg": readFileSync(PHOTO) }));
  }, 300_000);

  it("sets every number, time, phone number and Latin word as written, nothing inserted inside", () => {
    const items = built.lines.flatMap(visible).map((i) => i.str);
    for (const token of TOKENS)
      expect(
        items.some((s) => s.split(/\s/).includes(token) || s === token),
        token,
      ).toBe(true);
    // No Latin item carries a space pdfjs saw inside it (letter-spacing would show as one).
    for (const s of items.filter(
      (s) => /[A-Za-z0-9]/.test(s) && !/[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/u.test(s),
    )) {
      expect(s.trim(), s).not.toMatch(/\s/);
    }
  });

  it("puts nothing between a number and its sign (3.5％, ￥500), a quarter em between Japanese and a number", () => {
    const pairs = built.lines.flatMap((l) =>
      visible(l)
        .slice(1)
        .map((b, k) => [visible(l)[k] as PdfTextItem, b] as const),
    );
    const gap = (a: PdfTextItem, b: PdfTextItem) => (b.x - (a.x + a.width)) / a.fontSize;
    const percent = pairs.find(([a, b]) => a.str === "3.5" && b.str.startsWith("％"));
    const yen = pairs.find(([a, b]) => a.str.endsWith("￥") && b.str === "500");
    const yenNumber = pairs.find(([a, b]) => a.str.endsWith("参加費は") && b.str === "1,234");
    if (!percent || !yen || !yenNumber) throw new Error("pairs not found");
    expect(gap(...percent)).toBeCloseTo(0, 2);
    expect(gap(...yen)).toBeCloseTo(0, 2);
    expect(gap(...yenNumber)).toBeGreaterThanOrEqual(0.24);
    expect(gap(...yenNumber)).toBeLessThanOrEqual(0.51);
  });

  it("breaks URLs and e-mail addresses only after / . - _ ? & = # or before @, adding no hyphen", () => {
    for (const token of [URL, MAIL, SITE, NARROW_SITE]) {
      const parts = pieces(built.lines, token);
      const whole = built.lines.some((l) => visible(l).some((i) => i.str === token));
      if (whole) continue;
      expect(parts.length, token).toBeGreaterThan(1);
      expect(parts.join("").startsWith(token), parts.join(" | ")).toBe(true);
      let at = 0;
      for (const part of parts.slice(0, -1)) {
        at += part.length;
        const ok = URL_BREAKS.includes(token[at - 1] ?? "") || token[at] === "@";
        expect(ok, `${token.slice(0, at)} | ${token.slice(at)}`).toBe(true);
      }
    }
    // The long ones do not fit a column: they are broken at all.
    expect(pieces(built.lines, URL).length).toBeGreaterThan(1);
  });

  it("hyphenates the 45-letter word at a syllable, with a hyphen drawn at the break", () => {
    const parts = pieces(built.lines, WORD, true);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts.slice(0, -1)) expect(part).toMatch(/[a-z]-$/);
    expect(parts.map((p) => p.replace(/-$/, "")).join("")).toContain(WORD);
    const first = (parts[0] as string).replace(/-$/, "");
    // en-us patterns: pneu-mo-noul-tra-mi-cro-scop-ic-sil-i-co-vol-canoco-nio-sis.
    expect([
      "pneu",
      "pneumo",
      "pneumonoul",
      "pneumonoultra",
      "pneumonoultrami",
      "pneumonoultramicro",
      "pneumonoultramicroscop",
      "pneumonoultramicroscopic",
      "pneumonoultramicroscopicsil",
      "pneumonoultramicroscopicsili",
      "pneumonoultramicroscopicsilico",
      "pneumonoultramicroscopicsilicovol",
      "pneumonoultramicroscopicsilicovolcanoco",
    ]).toContain(first);
  });

  it("keeps numbers with their units and phone numbers whole in a narrow caption", () => {
    const captions = built.lines.filter((l) => Math.abs(l.fontSize - CAPTION) < 0.2);
    expect(captions.length).toBeGreaterThan(3);
    const items = captions.flatMap(visible).map((i) => i.str);
    for (const token of ["1,234", "1,357", "027-231-0000", "10:00", "15:00", "No.1"])
      expect(items).toContain(token);
    for (const l of captions) expect(l.text, l.text).not.toMatch(/^[～、。）円]/u);
  });

  it("sets every full line flush and no line loose, but the reported ones with a word as wide as the column", () => {
    const reported = (l: LineBox) => built.stderr.includes(l.text.replace(/\s/g, "").slice(0, 8));
    const body = columns(built.lines, BODY);
    expect(body.length).toBeGreaterThanOrEqual(8);
    for (const col of body) {
      for (const l of shortLines(col)) expect(reported(l), `short: ${l.text}`).toBe(true);
      for (const l of col) {
        if (largestCharGap(l) > 0.25 + 0.01) expect(reported(l), `loose: ${l.text}`).toBe(true);
        expect(largestWordGap(l), `word space: ${l.text}`).toBeLessThanOrEqual(0.5 + 0.01);
      }
    }
    // What is reported has a Latin run as wide as most of its column.
    const warned = [...built.stderr.matchAll(/（blocks\[\d+\][^）]*）：「([^」]*)」/gu)].map(
      (m) => m[1] as string,
    );
    for (const text of warned) expect(text, text).toMatch(/[\x21-\x7e]{20,}/);
  });
});

describe("the sample issue's lines", () => {
  let built: Built;

  beforeAll(async () => {
    // The sample's shared build (tests/helpers/built.ts), which other test files read too.
    const sample = builtSample();
    if (sample.status !== 0) throw new Error(sample.stderr);
    const report = await inspectPdf(sample.out(".pdf"));
    built = { report, lines: report.pages.flatMap((p) => lineBoxes(p)), stderr: sample.stderr };
  }, 300_000);

  it("sets every full line flush, without loose lines or holes, and spaces every Japanese-Latin pair", () => {
    expect(built.stderr).not.toMatch(/字間|行末がそろわない|区切りました/u);
    const body = columns(built.lines, BODY);
    expect(body.length).toBeGreaterThan(8);
    let pairs = 0;
    for (const col of body) {
      expect(shortLines(col).map((l) => l.text)).toEqual([]);
      for (const l of col) {
        expect(largestCharGap(l), l.text).toBeLessThanOrEqual(0.25 + 0.01);
        const items = visible(l);
        items.slice(1).forEach((b, k) => {
          const a = items[k] as PdfTextItem;
          const gap = (b.x - (a.x + a.width)) / l.fontSize;
          // A signature 【名前】 is set flush right on the last line of its article.
          if (!b.str.startsWith("【")) expect(gap, `hole in ${l.text}`).toBeLessThanOrEqual(1.01);
          const jl =
            (/[A-Za-z0-9]$/.test(a.str) && /^[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/u.test(b.str)) ||
            (/[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]$/u.test(a.str) && /^[A-Za-z0-9]/.test(b.str));
          if (!jl) return;
          pairs++;
          // A quarter em, which a line that must shrink may reduce to an eighth (JLReq 3.8.2), never to nothing.
          expect(gap, `${a.str}|${b.str} in ${l.text}`).toBeGreaterThanOrEqual(0.125 - 0.005);
          expect(gap, `${a.str}|${b.str} in ${l.text}`).toBeLessThanOrEqual(0.5 + 0.01);
        });
      }
    }
    expect(pairs).toBeGreaterThan(10);
  });
});
