import { beforeAll, describe, expect, it } from "vitest";
import type { SetLine, TextStyle, Typesetter } from "../src/typeset/index.js";
import { sampleTypesetter } from "./helpers/sample-fonts.js";

/**
 * The line engine on its own: paragraphs set with the real fonts, lines and runs read back. Sizes are in em of
 * a 10 pt body, so a 12-em column is 120 pt.
 */
const SIZE = 10;
const style: TextStyle = { size: SIZE, leading: 1.6, indent: 1 };
let ts: Typesetter;

beforeAll(async () => {
  ts = await sampleTypesetter();
});

const textOf = (l: SetLine) => l.runs.map((r) => r.text).join("");
const set = (text: string, em: number, s: TextStyle = style) => ts.set(text, s, em * SIZE, "test").lines;
/** Space in em between two runs of a line: where the earlier one's glyphs end and the next one's begin. */
const gapEm = (l: SetLine, a: string, b: string) => {
  const i = l.runs.findIndex((r, k) => r.text.endsWith(a) && l.runs[k + 1]?.text.startsWith(b));
  const ra = l.runs[i];
  const rb = l.runs[i + 1];
  if (!ra || !rb) throw new Error(`no runs ${a}|${b} in ${l.runs.map((r) => r.text).join("|")}`);
  return (rb.x - (ra.x + ra.width)) / SIZE;
};
const isLatinRun = (t: string) => /^[\x21-\x7e]+$/.test(t);
/** Lines but the last: the justified ones. */
const justified = (lines: SetLine[]) => lines.slice(0, -1);

describe("Latin runs are words", () => {
  const line = () => {
    const lines = set(
      "参加費は1,234円（税込1,357円）、3.5％、-3.5℃、No.1、10:00～15:00、j-union.or.jp。",
      60,
    );
    expect(lines).toHaveLength(1);
    return lines[0] as SetLine;
  };

  it("keeps each number, time and address one run, with nothing inserted inside", () => {
    const runs = line().runs.map((r) => r.text);
    for (const word of ["1,234", "1,357", "3.5", "-3.5", "No.1", "10:00", "15:00", "j-union.or.jp"]) {
      expect(runs).toContain(word);
    }
    for (const r of line().runs.filter((r) => isLatinRun(r.text))) expect(r.charSpacing).toBe(0);
  });

  it("puts a quarter em between Japanese and a Latin run, none after a bracket or before a number's sign", () => {
    const l = line();
    expect(gapEm(l, "は", "1,234")).toBeCloseTo(0.25, 3);
    expect(gapEm(l, "1,234", "円")).toBeCloseTo(0.25, 3);
    expect(gapEm(l, "（", "税込")).toBeCloseTo(0, 3);
    // 3.5％ and -3.5℃: the sign belongs to the number (JLReq cl-20).
    const signs = l.runs.map((r) => r.text);
    expect(signs.join("|")).toMatch(/3\.5\|?％/);
    const pct = l.runs.findIndex((r) => r.text.startsWith("％"));
    const num = l.runs[pct - 1];
    expect(num?.text).toBe("3.5");
    expect(((l.runs[pct]?.x ?? 0) - ((num?.x ?? 0) + (num?.width ?? 0))) / SIZE).toBeCloseTo(0, 2);
    // 10:00～15:00 reads as one range; ㎡ is the number's unit.
    expect(gapEm(l, "10:00", "～")).toBeCloseTo(0, 3);
    const area = set("約4,500㎡の会場", 20)[0] as SetLine;
    expect(gapEm(area, "約", "4,500")).toBeCloseTo(0.25, 3);
    expect(gapEm(area, "4,500", "㎡")).toBeCloseTo(0, 3);
  });

  it("keeps a Latin sentence's word spaces and stretches them, not the letters", () => {
    const lines = set(
      "The meeting was held in the main hall. After long negotiations, the union and the city agreed on new working hours for part-time staff.",
      14,
      { ...style, indent: 0 },
    );
    expect(lines.length).toBeGreaterThan(3);
    for (const l of lines) {
      expect(textOf(l)).not.toMatch(/ [.,]/);
      for (const r of l.runs) expect(r.charSpacing).toBe(0);
    }
    for (const l of justified(lines)) expect(l.width / SIZE).toBeCloseTo(14, 3);
    expect(lines.map(textOf).join(" ").replace(/- /g, "")).toContain("main hall. After long");
    expect(ts.loose.filter((l) => /meeting|negotia/.test(l.text))).toEqual([]);
  });
});

describe("breaking Latin runs", () => {
  const URL = "https://nishi-sho-pta.example.jp/festa2026/entry?form=family&lang=ja#top";
  const MAIL = "information.desk-2026@j-union.example.or.jp";

  it("breaks a URL or e-mail address only after / . - _ ? & = # or before @, adding nothing", () => {
    for (const address of [URL, MAIL]) {
      const lines = set(`詳しくは${address} をご覧ください。`, 10);
      const texts = lines.map(textOf);
      expect(texts.join("")).toContain(address);
      const inside = texts
        .slice(0, -1)
        .filter((t, i) => /[\x21-\x7e]$/.test(t) && /^[\x21-\x7e]/.test(texts[i + 1] ?? ""));
      expect(inside.length).toBeGreaterThan(0);
      for (const [i, t] of texts.entries()) {
        const next = texts[i + 1] ?? "";
        if (!/[\x21-\x7e]$/.test(t) || !/^[\x21-\x7e]/.test(next)) continue;
        expect(/[/.\-_?&=#]$/.test(t) || next.startsWith("@"), `${t} | ${next}`).toBe(true);
      }
      // Never right after the scheme.
      expect(texts.some((t) => t.endsWith("https://"))).toBe(false);
    }
  });

  it("hyphenates a long word at its syllables, with a hyphen drawn, never letter-spaced", () => {
    const word = "pneumonoultramicroscopicsilicovolcanoconiosis";
    expect(word).toHaveLength(45);
    const lines = set(`四十五文字の単語は${word}です。`, 10);
    const texts = lines.map(textOf);
    const pieces = texts.filter((t) => /[a-z]-$/.test(t));
    expect(pieces.length).toBeGreaterThan(1);
    expect(texts.map((t) => t.replace(/-$/, "")).join("")).toContain(word);
    for (const l of lines)
      for (const r of l.runs.filter((r) => isLatinRun(r.text))) expect(r.charSpacing).toBe(0);
    // Breaks only where the en-us patterns put them: pneu-mo-noul-tra-mi-cro-scop-ic-sil-i-co-vol-canoco-nio-sis.
    const allowed = new Set<number>();
    let at = 0;
    for (const s of "pneu mo noul tra mi cro scop ic sil i co vol canoco nio".split(" ")) {
      at += s.length;
      allowed.add(at);
    }
    const joined = texts.join("\n");
    const start = joined.indexOf("pneu");
    let letters = 0;
    for (let k = start; letters < word.length && k < joined.length; k++) {
      const ch = joined[k] as string;
      if (ch === "-" && joined[k + 1] === "\n") {
        expect(allowed.has(letters), `break after ${word.slice(0, letters)}`).toBe(true);
        k++;
      } else if (/[a-z]/.test(ch)) letters++;
    }
    expect(letters).toBe(word.length);
  });

  it("never splits a number from its unit or currency, nor a phone number", () => {
    // From the narrowest column the phone number fits in.
    for (const em of [7, 8, 9, 10, 11]) {
      const texts = set("会費（1,234円）、3.5％、10kg、¥500、￥500、電話027-231-0000。", em).map(textOf);
      const joined = texts.join("\n");
      for (const unit of ["1,234円", "3.5％", "10kg", "¥500", "￥500", "027-231-0000"]) {
        expect(joined, `${unit} at ${em} em`).toContain(unit);
      }
    }
  });
});

describe("total-fit justification (JLReq 3.8)", () => {
  const DENSE =
    "「えっ、本当？」「うん、本当。」――そう言って、彼女は笑った。（ちょっと、待ってよ！）『なぜ？』j-unionの講師、小林さん（講師）は2024年度、100円のチョコレート・ケーキ……ショッピング、ファイル、チェック、ティッシュ。詳細はhttps://example.jp/news で、会費は1,234円です。";

  it("sets every full line flush, with no gap between Japanese characters stretched over a quarter em", () => {
    // From a column the URL (11.5 em) fits in with a few characters beside it: in narrower ones it is a word
    // (nearly) as wide as the column, whose line cannot be filled without spacing its letters (reported, below).
    for (let em = 14; em <= 28; em++) {
      const lines = ts.set(DENSE, style, em * SIZE, "flush").lines;
      for (const [i, l] of justified(lines).entries()) {
        // A URL nearly as wide as the column, alone on its line, cannot be justified: it is said, not spaced out.
        const ragged = ts.loose.some((r) => r.reason === "ragged" && r.text === textOf(l));
        if (ragged) expect(textOf(l)).toMatch(/^[\x21-\x7e]+$/);
        else expect(Math.abs(l.width / SIZE - em), `${em} em: ${textOf(l)} (${i})`).toBeLessThan(0.05);
        for (const r of l.runs) expect(r.charSpacing / SIZE, textOf(l)).toBeLessThanOrEqual(0.25 + 1e-9);
      }
    }
    expect(
      ts.loose.filter((l) => l.path === "flush" && l.reason !== "ragged").map((l) => `${l.reason} ${l.text}`),
    ).toEqual([]);
  });

  it("keeps the kinsoku rules, and no paragraph ends with a line of one character", () => {
    for (let em = 6; em <= 20; em++) {
      const texts = set(DENSE, em).map(textOf);
      for (const t of texts) {
        expect(t).not.toMatch(
          /^[、。，．・：；？！ー」』）］｝〉》】〕ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々]/u,
        );
        expect(t).not.toMatch(/[「『（［｛〈《【〔]$/u);
      }
      const last = texts[texts.length - 1] ?? "";
      expect(last.replace(/[、。」』）]/gu, "").length, `${em} em: ${last}`).toBeGreaterThan(1);
    }
  });

  it("spreads the space of a line first over Japanese-Latin gaps and word spaces, then between characters", () => {
    // One Japanese-Latin pair and solid kana: the quarter em takes up to half an em before the kana spread.
    const lines = set("あいうえおかきくけこさしすせそ ABCDE たちつてとなにぬねの", 12, {
      ...style,
      indent: 0,
    });
    const first = lines[0] as SetLine;
    expect(textOf(first)).toMatch(/^あいうえおかきくけこさし/);
    // The first line has no Latin: its slack (if any) is between characters.
    const withLatin = lines.find((l) => /ABCDE/.test(textOf(l)));
    if (!withLatin) throw new Error("no ABCDE line");
    const runs = withLatin.runs.filter((r) => r.text.trim());
    for (const r of runs) expect(r.charSpacing / SIZE).toBeLessThanOrEqual(0.25);
  });

  it("prefers breaks that leave no loose line to a first-fit that would (a long word after short text)", () => {
    const lines = set("詳細は次の資料をご覧ください。internationalization と localization の違い。", 11);
    for (const l of justified(lines)) {
      for (const r of l.runs) expect(r.charSpacing / SIZE, textOf(l)).toBeLessThanOrEqual(0.25 + 1e-9);
      expect(Math.abs(l.width / SIZE - 11), textOf(l)).toBeLessThan(0.05);
    }
  });

  it("reports a word wider than the column that cannot be broken by rule, with its paragraph path", () => {
    const before = ts.loose.length;
    ts.set("番号は12345678901234567890123456789です。", style, 8 * SIZE, "blocks[9].article.body");
    const found = ts.loose.slice(before);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((l) => l.path === "blocks[9].article.body")).toBe(true);
    expect(found.map((l) => l.reason)).toContain("broken");
  });
});
