/**
 * Proves tests/helpers/pdf.ts against PDFs made here with pdfmake (the same path kaiho's build takes):
 * every field a later test will rely on is checked against what the fixture was built to contain.
 */
import { mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PDFDocument } from "pdf-lib";
import type { Content } from "pdfmake";
import pdfmake from "pdfmake";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inspectPdf, lineBoxes, normalizeText, type PdfReport } from "./helpers/pdf.js";
import { parseContentStream, parseToUnicodeCMap } from "./helpers/pdf-content.js";
import { woffFileToSfnt } from "./helpers/woff.js";

const NOTO_JP_WOFF = "node_modules/@fontsource/noto-sans-jp/files/noto-sans-jp-japanese-400-normal.woff";
const ROBOTO = "node_modules/pdfmake/fonts/Roboto/Roboto-Regular.ttf";

const HEADING = "会報 第一号";
const PARAGRAPH =
  "春の集いのお知らせです。今年は四月二十日の日曜日、午前十時から公民館の大広間で開きます。" +
  "お弁当とお茶を用意しますので、参加される方は四月十日までに係までお知らせください。" +
  "雨天の場合も予定どおり行います。皆さまのご参加を心よりお待ちしております。";
const COLUMN_LEFT =
  "左の段です。町内の清掃活動は毎月第二土曜日の朝八時から行っています。軍手とごみ袋は自治会で用意します。";
const COLUMN_RIGHT = "右の段です。防災訓練のお知らせ。今年は消火器の使い方と避難経路の確認を中心に行います。";

let dir: string;
let cleanPath: string;
let tofuPath: string;
let boxedPath: string;
let formPath: string;
let clean: PdfReport;

type TDocumentDefinitions = Parameters<typeof pdfmake.createPdf>[0];

async function build(doc: TDocumentDefinitions, path: string): Promise<void> {
  const buf = await pdfmake.createPdf(doc).getBuffer();
  await writeFile(path, buf);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kaiho-pdf-inspect-"));
  const jpTtf = join(dir, "NotoSansJP-Regular.ttf");
  await writeFile(jpTtf, woffFileToSfnt(NOTO_JP_WOFF));

  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((p) => p === jpTtf || p.endsWith("Roboto-Regular.ttf"));
  pdfmake.addFonts({
    NotoJP: { normal: jpTtf, bold: jpTtf, italics: jpTtf, bolditalics: jpTtf },
    Roboto: { normal: ROBOTO, bold: ROBOTO, italics: ROBOTO, bolditalics: ROBOTO },
  });

  const jpeg = await sharp({ create: { width: 300, height: 200, channels: 3, background: "#c83232" } })
    .jpeg()
    .toBuffer();
  const png = await sharp({ create: { width: 150, height: 150, channels: 4, background: "#3264c880" } })
    .png()
    .toBuffer();

  const body: Content[] = [
    { text: HEADING, fontSize: 14, margin: [0, 0, 0, 8] },
    { text: PARAGRAPH, alignment: "justify", fontSize: 10 },
    { text: "Spring gathering, 20 April.", font: "Roboto", fontSize: 9, margin: [0, 6, 0, 6] },
    { image: `data:image/jpeg;base64,${jpeg.toString("base64")}`, width: 100 },
    { text: "二ページ目", fontSize: 12, pageBreak: "before", margin: [0, 0, 0, 6] },
    {
      columns: [
        { text: COLUMN_LEFT, alignment: "justify" },
        { text: COLUMN_RIGHT, alignment: "justify" },
      ],
      columnGap: 20,
      fontSize: 10,
    },
    { image: `data:image/png;base64,${png.toString("base64")}`, width: 72, margin: [0, 10, 0, 0] },
  ];
  const base: TDocumentDefinitions = {
    pageSize: "A4",
    pageMargins: [50, 50, 300, 50], // a narrow text block so the paragraph wraps over several lines
    defaultStyle: { font: "NotoJP" },
    info: { title: "会報 第一号", author: "広報部" },
    content: body,
  };
  cleanPath = join(dir, "clean.pdf");
  tofuPath = join(dir, "tofu.pdf");
  await build(base, cleanPath);
  await build(
    { ...base, pageMargins: 50, content: [{ text: "星✧印と😀の行" }, { text: "二行目は普通です。" }] },
    tofuPath,
  );

  // A print copy: MediaBox = BleedBox with 3 mm (≈8.5 pt) bleed around the TrimBox.
  const copy = await PDFDocument.load(await readFile(cleanPath), { updateMetadata: false });
  for (const page of copy.getPages()) {
    const { width, height } = page.getSize();
    page.setBleedBox(0, 0, width, height);
    page.setTrimBox(8.5, 8.5, width - 17, height - 17);
  }
  boxedPath = join(dir, "boxed.pdf");
  await writeFile(boxedPath, await copy.save());

  // Page 1 drawn at half size through a form XObject (pdf-lib's embedPage): images and fonts inside forms.
  const host = await PDFDocument.create();
  const [embedded] = await host.embedPdf(await readFile(cleanPath), [0]);
  if (!embedded) throw new Error("embedPdf returned nothing");
  host.addPage([400, 500]).drawPage(embedded, { x: 10, y: 20, xScale: 0.5, yScale: 0.5 });
  formPath = join(dir, "form.pdf");
  await writeFile(formPath, await host.save());

  clean = await inspectPdf(cleanPath);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("inspectPdf — pages and boxes", () => {
  it("reports page count, size from the MediaBox, and no trim/bleed on a plain pdfmake file", () => {
    expect(clean.pages).toHaveLength(2);
    for (const page of clean.pages) {
      expect(page.width).toBeCloseTo(595.28, 1);
      expect(page.height).toBeCloseTo(841.89, 1);
      expect(page.boxes.media).toEqual([0, 0, page.width, page.height]);
      expect(page.boxes.trim).toBeUndefined();
      expect(page.boxes.bleed).toBeUndefined();
    }
    expect(clean.pages.map((p) => p.number)).toEqual([1, 2]);
    expect(clean.version).toMatch(/^1\.\d$/);
  });

  it("reads TrimBox and BleedBox set with pdf-lib", async () => {
    const boxed = await inspectPdf(boxedPath);
    expect(boxed.pages).toHaveLength(2);
    const p = boxed.pages[0];
    expect(p?.boxes.bleed).toEqual([0, 0, p?.width, p?.height]);
    const trim = p?.boxes.trim ?? [0, 0, 0, 0];
    expect(trim[0]).toBeCloseTo(8.5, 5);
    expect(trim[1]).toBeCloseTo(8.5, 5);
    expect(trim[2]).toBeCloseTo(595.28 - 8.5, 2);
    expect(trim[3]).toBeCloseTo(841.89 - 8.5, 2);
    // the round trip through pdf-lib kept everything else
    expect(normalizeText(boxed.pages[0]?.text ?? "")).toContain(normalizeText(PARAGRAPH));
    expect(boxed.images).toHaveLength(2);
  });
});

describe("inspectPdf — text", () => {
  it("finds every sentence on its page even though lines split them", () => {
    const [p1, p2] = clean.pages;
    const t1 = normalizeText(p1?.text ?? "");
    const t2 = normalizeText(p2?.text ?? "");
    expect(t1).toContain(normalizeText(HEADING));
    for (const sentence of PARAGRAPH.split("。").filter(Boolean)) expect(t1).toContain(`${sentence}。`);
    expect(t1).toContain("Springgathering,20April.");
    expect(t2).toContain("二ページ目");
    expect(t2).toContain(normalizeText(COLUMN_LEFT));
    expect(t2).toContain(normalizeText(COLUMN_RIGHT));
    expect(t1).not.toContain("二ページ目");
    // the paragraph really wraps: several lines on page 1
    expect((p1?.text ?? "").split("\n").length).toBeGreaterThan(4);
  });

  it("gives items with positions inside the page, real font names and sizes", () => {
    const p1 = clean.pages[0];
    if (!p1) throw new Error("no page 1");
    const headingItems = p1.items.filter((i) => HEADING.includes(i.str.trim()) && i.str.trim() !== "");
    expect(headingItems.length).toBeGreaterThan(0);
    for (const it of headingItems) {
      expect(it.fontSize).toBeCloseTo(14, 5);
      expect(it.fontName).toMatch(/^[A-Z]{6}\+NotoSansJP/);
      // top margin 50 pt: the heading sits just below it (top-left origin) / near the page top (PDF y up)
      expect(it.top).toBeGreaterThan(45);
      expect(it.top).toBeLessThan(70);
      expect(it.y).toBeGreaterThan(p1.height - 70);
      expect(it.x).toBeGreaterThanOrEqual(50 - 0.01);
    }
    const latin = p1.items.find((i) => i.str.includes("Spring"));
    expect(latin?.fontName).toMatch(/^[A-Z]{6}\+Roboto/);
    expect(latin?.fontSize).toBeCloseTo(9, 5);
    const fontNames = new Set(clean.fonts.map((f) => f.baseFont));
    for (const it of p1.items) expect(fontNames.has(it.fontName)).toBe(true);
    for (const it of p1.items) {
      expect(it.x).toBeGreaterThanOrEqual(0);
      expect(it.x + it.width).toBeLessThanOrEqual(p1.width - 300 + 0.5); // right margin 300 pt
    }
  });

  it("lineBoxes: a justified paragraph has even right edges and no line starts with 。 or 、", () => {
    const lines = lineBoxes(clean.pages[0] ?? { items: [] }).filter((l) => l.fontSize === 10);
    expect(lines.length).toBeGreaterThan(4);
    const textRight = clean.pages[0]?.width ?? 0;
    const body = lines.slice(0, -1); // the last line of a justified paragraph is ragged
    for (const line of body) {
      expect(line.right).toBeCloseTo(textRight - 300, 0);
      expect(line.left).toBeCloseTo(50, 5);
    }
    for (const line of lines) expect(line.text).not.toMatch(/^[。、]/);
    expect(normalizeText(lines.map((l) => l.text).join(""))).toBe(PARAGRAPH);
  });

  it("lineBoxes: columns give their own lines in stream order; by y merges them", () => {
    const p2 = clean.pages[1] ?? { items: [], width: 0 };
    const stream = lineBoxes(p2).filter((l) => l.fontSize === 10);
    const gutterX = 50 + (595.28 - 350 - 20) / 2; // left column's right edge
    const left = stream.filter((l) => l.right <= gutterX + 0.5);
    const right = stream.filter((l) => l.left >= gutterX + 20 - 0.5);
    expect(left.length + right.length).toBe(stream.length);
    // pdfjs reports wide justification gaps as spaces, so compare without whitespace
    expect(normalizeText(left.map((l) => l.text).join(""))).toBe(COLUMN_LEFT);
    expect(normalizeText(right.map((l) => l.text).join(""))).toBe(COLUMN_RIGHT);
    for (const l of left.slice(0, -1)) expect(l.right).toBeCloseTo(gutterX, 0);

    const byY = lineBoxes(p2, { by: "y", maxGapEm: 10 }).filter((l) => l.fontSize === 10);
    expect(byY[0]?.text.startsWith("左の段")).toBe(true);
    expect(byY[0]?.text).toContain("右の段");
    // with the default gap split, the 20 pt gutter (2 em) still joins; a 1.5 em limit splits the columns
    const split = lineBoxes(p2, { by: "y", maxGapEm: 1.5 }).filter((l) => l.fontSize === 10);
    expect(split[0]?.text.startsWith("左の段")).toBe(true);
    expect(split[1]?.text.startsWith("右の段")).toBe(true);
  });
});

describe("inspectPdf — fonts", () => {
  it("lists each font once, embedded and subset, as pdfkit writes it (Type0 / Identity-H / FontFile2)", () => {
    expect(clean.fonts).toHaveLength(2);
    const jp = clean.fonts.find((f) => f.baseFont.includes("NotoSansJP"));
    const roboto = clean.fonts.find((f) => f.baseFont.includes("Roboto"));
    for (const f of [jp, roboto]) {
      expect(f).toMatchObject({
        subtype: "Type0",
        descendantSubtype: "CIDFontType2",
        encoding: "Identity-H",
        embedded: true,
        fontFile: "FontFile2",
        subset: true,
        toUnicode: true,
        notdefChecked: true,
        notdefCount: 0,
      });
    }
    expect(jp?.pages).toEqual([1, 2]);
    expect(jp?.usedOnPages).toEqual([1, 2]);
    expect(roboto?.usedOnPages).toEqual([1]);
    expect(jp?.glyphsDrawn).toBeGreaterThan(PARAGRAPH.length);
  });

  it("reports a non-embedded standard font as not embedded", async () => {
    const doc = await PDFDocument.create();
    const helvetica = await doc.embedFont("Helvetica");
    doc.addPage([200, 200]).drawText("Hello", { font: helvetica, x: 20, y: 100, size: 12 });
    const path = join(dir, "helvetica.pdf");
    await writeFile(path, await doc.save());
    const report = await inspectPdf(path);
    expect(report.fonts).toEqual([
      expect.objectContaining({ baseFont: "Helvetica", subtype: "Type1", embedded: false, subset: false }),
    ]);
    expect(report.fonts[0]?.notdefChecked).toBe(false);
    expect(report.pages[0]?.text).toBe("Hello");
    expect(report.pages[0]?.items[0]?.fontName).toBe("Helvetica");
  });
});

describe("inspectPdf — .notdef", () => {
  it("counts no .notdef when the font has every character", () => {
    expect(clean.notdefCount).toBe(0);
    expect(clean.notdefSamples).toEqual([]);
    expect(clean.pages.map((p) => p.notdefCount)).toEqual([0, 0]);
  });

  it("counts each drawn character the font lacks (✧ and 😀), with page, font and context", async () => {
    const tofu = await inspectPdf(tofuPath);
    expect(tofu.notdefCount).toBe(2);
    expect(tofu.pages[0]?.notdefCount).toBe(2);
    expect(tofu.notdefSamples).toHaveLength(2);
    const [first, second] = tofu.notdefSamples;
    expect(first?.page).toBe(1);
    expect(first?.font).toMatch(/^[A-Z]{6}\+NotoSansJP/);
    expect(first?.context).toBe("星\uFFFD印と\uFFFDの行二行目は普通で");
    expect(second?.context).toBe("星\uFFFD印と\uFFFDの行二行目は普通です。");
    expect(tofu.fonts[0]?.notdefCount).toBe(2);
  });
});

describe("inspectPdf — images", () => {
  it("reports pixels, colour, filter and placed size, so ppi = px / (pt / 72)", () => {
    expect(clean.images).toHaveLength(2);
    const [jpeg, png] = clean.images;
    expect(jpeg).toMatchObject({
      page: 1,
      inline: false,
      inForm: false,
      pixelWidth: 300,
      pixelHeight: 200,
      colorSpace: "DeviceRGB",
      bitsPerComponent: 8,
      filter: "DCTDecode",
      hasSMask: false,
    });
    expect(jpeg?.placedWidth).toBeCloseTo(100, 5);
    expect(jpeg?.placedHeight).toBeCloseTo(200 / 3, 3);
    expect(jpeg?.ppi).toBeCloseTo(216, 5);
    expect(jpeg?.placed.x).toBeCloseTo(50, 5);
    expect(clean.pages[0]?.images).toEqual([jpeg]);

    expect(png).toMatchObject({
      page: 2,
      pixelWidth: 150,
      pixelHeight: 150,
      filter: "FlateDecode",
      hasSMask: true,
    });
    expect(png?.ppi).toBeCloseTo(150, 5);
  });

  it("follows form XObjects: the same photo drawn at half size has twice the ppi", async () => {
    const form = await inspectPdf(formPath);
    expect(form.pages).toHaveLength(1);
    const [img] = form.images;
    expect(form.images).toHaveLength(1);
    expect(img?.inForm).toBe(true);
    expect(img?.placedWidth).toBeCloseTo(50, 5);
    expect(img?.ppi).toBeCloseTo(432, 5);
    expect(img?.placed.x).toBeCloseTo(10 + 25, 5);
    expect(normalizeText(form.pages[0]?.text ?? "")).toContain(normalizeText(HEADING));
    expect(form.fonts.map((f) => f.usedOnPages)).toEqual([[1], [1]]);
    expect(form.notdefCount).toBe(0);
  });
});

describe("inspectPdf — info and cache", () => {
  it("reads the Info dictionary", () => {
    expect(clean.info.title).toBe("会報 第一号");
    expect(clean.info.author).toBe("広報部");
    expect(clean.info.producer).toBe("pdfmake");
    expect(clean.info.creator).toBe("pdfmake");
    expect(clean.info.creationDate).toBeInstanceOf(Date);
    expect(Math.abs(Date.now() - (clean.info.creationDate?.getTime() ?? 0))).toBeLessThan(10 * 60_000);
    expect(clean.info.raw.CreationDate).toMatch(/^D:\d{14}/);
  });

  it("caches per path and mtime, and re-reads a rewritten file", async () => {
    const path = join(dir, "cached.pdf");
    await writeFile(path, await readFile(cleanPath));
    const a = await inspectPdf(path);
    expect(await inspectPdf(path)).toBe(a);
    expect(Object.isFrozen(a.pages[0]?.items)).toBe(true);
    await writeFile(path, await readFile(tofuPath));
    const later = new Date(Date.now() + 5_000);
    await utimes(path, later, later);
    const b = await inspectPdf(path);
    expect(b).not.toBe(a);
    expect(b.notdefCount).toBe(2);
  });
});

describe("content-stream lexer", () => {
  it("handles literal-string escapes, hex strings, arrays, inline images and comments", () => {
    const ops = parseContentStream(
      "% comment\nBT /F1 9 Tf (a\\(b\\)\\101\\\n) Tj [<0041> -20 (x)] TJ ET\n" +
        "q 10 0 0 5 1 2 cm BI /W 2 /H 1 /CS /RGB /BPC 8 /F /Fl ID \x00EI\xff\x01 EI Q",
    );
    expect(ops.map((o) => o.op)).toEqual(["BT", "Tf", "Tj", "TJ", "ET", "q", "cm", "BI", "Q"]);
    expect(ops[2]?.operands).toEqual([{ t: "str", v: "a(b)A" }]);
    expect(ops[3]?.operands).toEqual([[{ t: "str", v: "\x00A" }, -20, { t: "str", v: "x" }]]);
    expect(ops[7]?.inlineImage?.get("W")).toBe(2);
  });

  it("reads ToUnicode bfchar and both bfrange forms", () => {
    const { map } = parseToUnicodeCMap(
      "1 begincodespacerange <0000> <ffff> endcodespacerange\n" +
        "2 beginbfchar <0001> <4F1A> <0002> <D83DDE00> endbfchar\n" +
        "2 beginbfrange <0010> <0012> <3042> <0020> <0021> [<5831> <3002>] endbfrange",
    );
    expect(map.get(1)).toBe("会");
    expect(map.get(2)).toBe("😀");
    expect([16, 17, 18].map((c) => map.get(c))).toEqual(["あ", "ぃ", "い"]);
    expect(map.get(0x21)).toBe("。");
  });
});
