/**
 * Booklet imposition (src/render/impose.ts): fixture PDFs whose pages carry big page numbers ("P1", "P2", …)
 * are imposed, written out and read back with inspectPdf, so every check is on what a reader of the file sees —
 * sheet-side sizes, which page's text lies in the left and the right half, where exactly it lies.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { degrees, PDFDocument, PDFName, StandardFonts } from "pdf-lib";
import pdfmake from "pdfmake";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mm } from "../src/content/geometry.js";
import { bookletOrder, ImpositionError, imposeBooklet } from "../src/render/impose.js";
import { inspectPdf, normalizeText, type PdfPage } from "./helpers/pdf.js";
import { woffFileToSfnt } from "./helpers/woff.js";

const A4_W = mm(210); // 595.2756 pt, as kaiho's layout writes it
const A4_H = mm(297);
const A3_LANDSCAPE = { width: 1190.55, height: 841.89 };
/** Where each fixture page draws its number, in its own coordinates. */
const MARK_X = 150;
const MARK_Y = 400;
const DATE = new Date("2024-04-01T00:00:00Z");

let dir: string;
let serial = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kaiho-impose-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface FixtureOptions {
  /** Page size per 1-based page number; A4 portrait otherwise. */
  sizes?: Record<number, [number, number]>;
  title?: string;
  author?: string;
  created?: Date;
}

/** n pages, page i showing "Pi" in 96 pt Helvetica at (MARK_X, MARK_Y). */
async function numberedPdf(n: number, o: FixtureOptions = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= n; i++) {
    const page = doc.addPage(o.sizes?.[i] ?? [A4_W, A4_H]);
    page.drawText(`P${i}`, { x: MARK_X, y: MARK_Y, size: 96, font });
  }
  if (o.title) doc.setTitle(o.title);
  if (o.author) doc.setAuthor(o.author);
  if (o.created) {
    doc.setCreationDate(o.created);
    doc.setModificationDate(o.created);
  }
  return doc.save();
}

async function writeOut(bytes: Uint8Array): Promise<string> {
  const path = join(dir, `imposed-${++serial}.pdf`);
  await writeFile(path, bytes);
  return path;
}

/** The page-number marks on a sheet side, split into halves by x. */
function halves(side: PdfPage, pageWidth: number) {
  const marks = side.items.filter((it) => /^P\d+$/.test(it.str.trim()));
  const left = marks.filter((it) => it.x < pageWidth);
  const right = marks.filter((it) => it.x >= pageWidth);
  return { marks, left, right };
}

describe("bookletOrder", () => {
  it.each([
    [
      8,
      [
        [8, 1],
        [2, 7],
        [6, 3],
        [4, 5],
      ],
    ],
    [
      4,
      [
        [4, 1],
        [2, 3],
      ],
    ],
    [
      2,
      [
        [null, 1],
        [2, null],
      ],
    ],
    [
      1,
      [
        [null, 1],
        [null, null],
      ],
    ],
    [
      5,
      [
        [null, 1],
        [2, null],
        [null, 3],
        [4, 5],
      ],
    ],
  ])("%i pages", (n, expected) => {
    expect(bookletOrder(n)).toEqual(expected);
  });

  it("12 pages: every page once, facing pages of each side add up to 13", () => {
    const order = bookletOrder(12);
    expect(order).toHaveLength(6);
    expect(order.flat().sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    for (const [l, r] of order) expect((l ?? 0) + (r ?? 0)).toBe(13);
    // fronts carry the odd page on the right, backs the even page on the left
    order.forEach(([l, r], i) => {
      if (i % 2 === 0) expect((r ?? 0) % 2).toBe(1);
      else expect((l ?? 0) % 2).toBe(0);
    });
  });

  it("refuses zero pages", () => {
    expect(() => bookletOrder(0)).toThrow(ImpositionError);
  });
});

describe.each([
  { n: 8, sheets: 2, blanks: 0, order: bookletOrder(8) },
  { n: 4, sheets: 1, blanks: 0, order: bookletOrder(4) },
  { n: 2, sheets: 1, blanks: 2, order: bookletOrder(2) },
  { n: 5, sheets: 2, blanks: 3, order: bookletOrder(5) },
])("imposeBooklet: $n A4 pages", ({ n, sheets, blanks, order }) => {
  let result: Awaited<ReturnType<typeof imposeBooklet>>;
  let sides: PdfPage[];

  beforeAll(async () => {
    result = await imposeBooklet(await numberedPdf(n), { date: DATE });
    sides = [...(await inspectPdf(await writeOut(result.bytes))).pages];
  });

  it(`${sheets} sheet(s), ${blanks} blank page(s), the expected order`, () => {
    expect(result.sheets).toBe(sheets);
    expect(result.blanks).toBe(blanks);
    expect(result.order).toEqual(order);
    expect(sides).toHaveLength(2 * sheets);
  });

  it("every sheet side is A3 landscape (2 × A4 wide, A4 high), unrotated", () => {
    for (const side of sides) {
      expect(Math.abs(side.width - A3_LANDSCAPE.width)).toBeLessThanOrEqual(0.01);
      expect(Math.abs(side.height - A3_LANDSCAPE.height)).toBeLessThanOrEqual(0.01);
      expect(side.rotate).toBe(0);
    }
  });

  it("each half shows the expected page, unscaled at its own position; blanks are empty", () => {
    sides.forEach((side, i) => {
      const [l, r] = order[i] ?? [null, null];
      const { left, right } = halves(side, A4_W);
      expect(
        left.map((it) => it.str.trim()),
        `side ${i + 1} left`,
      ).toEqual(l === null ? [] : [`P${l}`]);
      expect(
        right.map((it) => it.str.trim()),
        `side ${i + 1} right`,
      ).toEqual(r === null ? [] : [`P${r}`]);
      for (const it of left) {
        expect(it.x).toBeCloseTo(MARK_X, 2);
        expect(it.y).toBeCloseTo(MARK_Y, 2);
        expect(it.fontSize).toBeCloseTo(96, 2);
      }
      for (const it of right) {
        expect(it.x).toBeCloseTo(A4_W + MARK_X, 2);
        expect(it.y).toBeCloseTo(MARK_Y, 2);
        expect(it.fontSize).toBeCloseTo(96, 2);
      }
    });
  });

  it("every content page appears exactly once", () => {
    const seen = sides.flatMap((s) => halves(s, A4_W).marks.map((it) => it.str.trim()));
    expect(seen.sort()).toEqual(Array.from({ length: n }, (_, i) => `P${i + 1}`).sort());
  });
});

describe("imposeBooklet: page boxes", () => {
  it("a MediaBox that does not start at (0,0) is placed by its corner, not by the origin", async () => {
    const doc = await PDFDocument.load(await numberedPdf(4));
    for (const page of doc.getPages()) page.setMediaBox(100, 50, A4_W, A4_H); // content moves 100 pt left
    const result = await imposeBooklet(await doc.save());
    const sides = (await inspectPdf(await writeOut(result.bytes))).pages;
    const { left, right } = halves(sides[0] as PdfPage, A4_W);
    expect(left.map((it) => it.str.trim())).toEqual(["P4"]);
    expect(right.map((it) => it.str.trim())).toEqual(["P1"]);
    expect(left[0]?.x).toBeCloseTo(MARK_X - 100, 2);
    expect(left[0]?.y).toBeCloseTo(MARK_Y - 50, 2);
    expect(right[0]?.x).toBeCloseTo(A4_W + MARK_X - 100, 2);
    expect(right[0]?.y).toBeCloseTo(MARK_Y - 50, 2);
  });
});

describe("imposeBooklet: metadata and determinism", () => {
  it("same input → same bytes (two runs, and with the date taken from the input)", async () => {
    const input = await numberedPdf(6, { title: "会報 第3号", author: "PTA 広報委員会", created: DATE });
    const a = await imposeBooklet(input, { date: DATE });
    const b = await imposeBooklet(input, { date: DATE });
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    const c = await imposeBooklet(input);
    const d = await imposeBooklet(input);
    expect(Buffer.from(c.bytes).equals(Buffer.from(d.bytes))).toBe(true);
  });

  it("keeps Title and Author; dates are opts.date, else the input's", async () => {
    const input = await numberedPdf(3, {
      title: "会報 第3号",
      author: "PTA 広報委員会",
      created: new Date("2023-12-01T00:00:00Z"),
    });
    const given = await inspectPdf(await writeOut((await imposeBooklet(input, { date: DATE })).bytes));
    expect(given.info.title).toBe("会報 第3号");
    expect(given.info.author).toBe("PTA 広報委員会");
    expect(given.info.creationDate?.toISOString()).toBe(DATE.toISOString());
    expect(given.info.modDate?.toISOString()).toBe(DATE.toISOString());

    const inherited = await inspectPdf(await writeOut((await imposeBooklet(input)).bytes));
    expect(inherited.info.title).toBe("会報 第3号");
    expect(inherited.info.creationDate?.toISOString()).toBe("2023-12-01T00:00:00.000Z");
  });

  it("an input without dates gives an output without dates (nothing from the clock)", async () => {
    const out = await inspectPdf(await writeOut((await imposeBooklet(await numberedPdf(2))).bytes));
    expect(out.info.creationDate).toBeUndefined();
    expect(out.info.modDate).toBeUndefined();
  });
});

describe("imposeBooklet: refused inputs", () => {
  it("mixed page sizes → a clear error naming the odd page", async () => {
    const input = await numberedPdf(4, { sizes: { 3: [A4_H, A4_W] } }); // page 3 landscape
    const err = await imposeBooklet(input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImpositionError);
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).toMatch(/same size/);
    expect(message).toContain("page 1 is 210 × 297 mm");
    expect(message).toContain("page 3 is 297 × 210 mm");
    expect(message).not.toContain("page 2 is");
  });

  it("a page a few points off (B5 among A4) is refused too", async () => {
    const input = await numberedPdf(2, { sizes: { 2: [mm(182), mm(257)] } });
    await expect(imposeBooklet(input)).rejects.toThrow(/page 2 is 182 × 257 mm/);
  });

  it("a PDF without pages is refused", async () => {
    const empty = await (await PDFDocument.create()).save({ addDefaultPage: false });
    await expect(imposeBooklet(empty)).rejects.toThrow(ImpositionError);
  });

  it("a rotated page is refused", async () => {
    const doc = await PDFDocument.load(await numberedPdf(2));
    doc.getPage(1).setRotation(degrees(90));
    await expect(imposeBooklet(await doc.save())).rejects.toThrow(/page 2 \(90°\)/);
  });
});

describe("imposeBooklet: a pdfmake newsletter (embedded Japanese font, a photo)", () => {
  const NOTO_JP_WOFF = "node_modules/@fontsource/noto-sans-jp/files/noto-sans-jp-japanese-400-normal.woff";
  let sides: PdfPage[];
  let report: Awaited<ReturnType<typeof inspectPdf>>;

  beforeAll(async () => {
    const ttf = join(dir, "NotoSansJP-Regular.ttf");
    await writeFile(ttf, woffFileToSfnt(NOTO_JP_WOFF));
    pdfmake.setUrlAccessPolicy(() => false);
    pdfmake.setLocalAccessPolicy((p) => p === ttf);
    pdfmake.addFonts({ ImposeJP: { normal: ttf, bold: ttf, italics: ttf, bolditalics: ttf } });
    const jpeg = await sharp({ create: { width: 400, height: 300, channels: 3, background: "#2864c8" } })
      .jpeg()
      .toBuffer();
    const doc = {
      pageSize: { width: A4_W, height: A4_H },
      pageMargins: [0, 0, 0, 0],
      defaultStyle: { font: "ImposeJP", fontSize: 40 },
      language: "ja",
      info: { title: "会報 第3号", author: "市職労", creationDate: DATE, modDate: DATE },
      content: [
        { text: "一ページ目", absolutePosition: { x: 80, y: 100 } },
        {
          image: `data:image/jpeg;base64,${jpeg.toString("base64")}`,
          width: 200,
          height: 150,
          absolutePosition: { x: 60, y: 300 },
        },
        { text: "", pageBreak: "before" },
        { text: "二ページ目", absolutePosition: { x: 80, y: 100 } },
        { text: "", pageBreak: "before" },
        { text: "三ページ目", absolutePosition: { x: 80, y: 100 } },
      ],
    };
    const input = await pdfmake.createPdf(doc as never).getBuffer();
    const result = await imposeBooklet(new Uint8Array(input), { date: DATE });
    expect(result.order).toEqual([
      [null, 1],
      [2, 3],
    ]);
    report = await inspectPdf(await writeOut(result.bytes));
    sides = [...report.pages];
  });

  it("text lands on the right half of the right side", () => {
    const text = (side: PdfPage, half: "left" | "right") =>
      normalizeText(
        side.items
          .filter((it) => (half === "left" ? it.x < A4_W : it.x >= A4_W))
          .map((it) => it.str)
          .join(""),
      );
    expect(text(sides[0] as PdfPage, "left")).toBe("");
    expect(text(sides[0] as PdfPage, "right")).toBe("一ページ目");
    expect(text(sides[1] as PdfPage, "left")).toBe("二ページ目");
    expect(text(sides[1] as PdfPage, "right")).toBe("三ページ目");
    const first = sides[0]?.items[0];
    expect(first?.x).toBeCloseTo(A4_W + 80, 1);
  });

  it("the font stays embedded, with no tofu", () => {
    const jp = report.fonts.filter((f) => f.baseFont.includes("NotoSansJP"));
    expect(jp.length).toBeGreaterThan(0);
    for (const f of jp) expect(f.embedded).toBe(true);
    expect(report.notdefCount).toBe(0);
  });

  it("the photo is carried, unscaled, on page 1's half", () => {
    expect(report.images).toHaveLength(1);
    const img = report.images[0];
    expect(img?.page).toBe(1);
    expect(img?.inForm).toBe(true);
    expect(img?.filter).toBe("DCTDecode");
    expect(img?.placed.x).toBeCloseTo(A4_W + 60, 2);
    expect(img?.placed.y).toBeCloseTo(A4_H - 300 - 150, 2);
    expect(img?.placed.width).toBeCloseTo(200, 2);
    expect(img?.placed.height).toBeCloseTo(150, 2);
  });

  it("keeps Title, Author and the document language", async () => {
    expect(report.info.title).toBe("会報 第3号");
    expect(report.info.author).toBe("市職労");
    const out = await PDFDocument.load(await readFile(report.path));
    expect(String(out.catalog.get(PDFName.of("Lang")))).toBe("(ja)");
  });
});
