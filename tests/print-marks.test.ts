import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  cmyk,
  decodePDFRawStream,
  degrees,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFRawStream,
  PDFRef,
  rgb,
} from "pdf-lib";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { addPrintMarks, markSegments, PRINT_MARKS_GEOMETRY } from "../src/render/print-marks.js";
import { inspectPdf, normalizeText, type PdfBox, type PdfReport } from "./helpers/pdf.js";
import {
  type CsOperation,
  IDENTITY,
  type Matrix,
  multiply,
  parseContentStream,
} from "./helpers/pdf-content.js";
import { pdfmakeWithJapanese } from "./helpers/pdfmake-fixture.js";

const MM = 72 / 25.4;
const A4 = { width: 595.28, height: 841.89 };
const BLEED = 8.504; // 3 mm
const DATE = new Date("2024-06-01T03:00:00Z");
const CREATED = new Date("2024-05-20T01:02:03Z");
const JP_TEXT = "市職労定期大会のお知らせ。第３回五役会で、賃金改善の要求書を確認しました。";
const PAGE2_TEXT = "今後の予定：組合員アンケートの集計結果を次号でお知らせします。";

let dir: string;
let source: Buffer;
let output: Uint8Array;
let sourcePath: string;
let outputPath: string;
let src: PdfReport;
let out: PdfReport;
let ms = 0;

/** A 2-page A4 issue as the render stage makes it: pdfmake, Noto Sans JP embedded, one photo, Info set. */
async function pdfmakeFixture(): Promise<Buffer> {
  const pm = pdfmakeWithJapanese(dir);
  const photo = await sharp({
    create: { width: 120, height: 80, channels: 3, background: { r: 200, g: 120, b: 40 } },
  })
    .png()
    .toBuffer();
  const doc = pm.createPdf({
    pageSize: "A4",
    pageMargins: [40, 40, 40, 40],
    defaultStyle: { font: "JP", fontSize: 10 },
    language: "ja",
    info: {
      title: "市職労ニュース 第485号",
      author: "市職労 情宣部",
      creator: "kaiho",
      creationDate: CREATED,
      modDate: CREATED,
    },
    content: [
      { text: "市職労ニュース", fontSize: 20 },
      { text: JP_TEXT },
      {
        image: `data:image/png;base64,${photo.toString("base64")}`,
        width: 120,
        absolutePosition: { x: 0, y: 0 },
      },
      { text: PAGE2_TEXT, pageBreak: "before" },
    ],
  });
  return Buffer.from(await doc.getBuffer());
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kaiho-print-marks-"));
  source = await pdfmakeFixture();
  sourcePath = join(dir, "issue.pdf");
  writeFileSync(sourcePath, source);
  const t0 = performance.now();
  output = await addPrintMarks(source, { slug: "shishokuro-485", date: DATE });
  ms = performance.now() - t0;
  outputPath = join(dir, "issue-print.pdf");
  writeFileSync(outputPath, output);
  [src, out] = await Promise.all([inspectPdf(sourcePath), inspectPdf(outputPath)]);
  console.log(
    `print marks: ${source.length} → ${output.length} bytes (+${output.length - source.length}) in ${ms.toFixed(0)} ms`,
  );
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------------------
// Helpers: the output page's own content stream (the marks and the slug; the original page is one `Do`)
// ---------------------------------------------------------------------------------------------------------

async function pageOps(bytes: Uint8Array, index: number): Promise<CsOperation[]> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const page = doc.getPage(index);
  const contents = page.node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : [];
  const text = streams
    .map((s) => {
      const stream = s instanceof PDFRef ? doc.context.lookup(s) : s;
      if (!(stream instanceof PDFRawStream)) throw new Error("content is not a raw stream");
      return Buffer.from(decodePDFRawStream(stream).decode()).toString("latin1");
    })
    .join("\n");
  return parseContentStream(text);
}

interface Stroked {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  lineWidth: number;
  /** The stroking colour operator and operands in force when it was stroked. */
  colour: string;
}

/** Straight segments stroked by the page's own content stream, in page space, with their line width. */
function strokedSegments(ops: CsOperation[]): Stroked[] {
  interface G {
    ctm: Matrix;
    lineWidth: number;
    colour: string;
  }
  let gs: G = { ctm: IDENTITY, lineWidth: 1, colour: "0 G" };
  const stack: G[] = [];
  let path: [number, number, number, number][] = [];
  let cur: [number, number] | undefined;
  const out: Stroked[] = [];
  const num = (o: unknown) => (typeof o === "number" ? o : Number.NaN);
  const tp = (x: number, y: number): [number, number] => [
    gs.ctm[0] * x + gs.ctm[2] * y + gs.ctm[4],
    gs.ctm[1] * x + gs.ctm[3] * y + gs.ctm[5],
  ];
  for (const { op, operands } of ops) {
    const n = operands.map(num);
    switch (op) {
      case "q":
        stack.push({ ...gs });
        break;
      case "Q":
        gs = stack.pop() ?? gs;
        break;
      case "cm":
        gs.ctm = multiply(n as Matrix, gs.ctm);
        break;
      case "w":
        gs.lineWidth = n[0] ?? Number.NaN;
        break;
      case "K":
      case "RG":
      case "G":
      case "SC":
      case "SCN":
        gs.colour = `${n.join(" ")} ${op}`;
        break;
      case "m":
        cur = tp(n[0] ?? 0, n[1] ?? 0);
        break;
      case "l": {
        const next = tp(n[0] ?? 0, n[1] ?? 0);
        if (cur) path.push([cur[0], cur[1], next[0], next[1]]);
        cur = next;
        break;
      }
      case "c":
        // Curves belong to the slug's glyph outlines, which are filled (below), not stroked.
        cur = tp(n[4] ?? 0, n[5] ?? 0);
        break;
      case "h":
        break;
      case "re":
      case "v":
      case "y":
        throw new Error(`unexpected path operator ${op} in the marks`);
      case "S":
      case "s":
        for (const [x1, y1, x2, y2] of path)
          out.push({ x1, y1, x2, y2, lineWidth: gs.lineWidth, colour: gs.colour });
        path = [];
        break;
      case "n":
      case "f":
      case "F":
      case "f*":
      case "B":
      case "b":
        path = [];
        break;
    }
  }
  return out;
}

/** The segment's painted area (butt caps: only the width grows) does not overlap the box's interior. */
function outside(s: Stroked, box: PdfBox): boolean {
  const hw = s.lineWidth / 2;
  const x0 = Math.min(s.x1, s.x2) - (s.y1 === s.y2 ? 0 : hw);
  const x1 = Math.max(s.x1, s.x2) + (s.y1 === s.y2 ? 0 : hw);
  const y0 = Math.min(s.y1, s.y2) - (s.x1 === s.x2 ? 0 : hw);
  const y1 = Math.max(s.y1, s.y2) + (s.x1 === s.x2 ? 0 : hw);
  const eps = 1e-6;
  return x1 <= box[0] + eps || x0 >= box[2] - eps || y1 <= box[1] + eps || y0 >= box[3] - eps;
}

const near = (a: number, b: number, tol = 0.002) => Math.abs(a - b) <= tol;

// ---------------------------------------------------------------------------------------------------------

describe("addPrintMarks: boxes and placement", () => {
  test("page count is preserved", () => {
    expect(src.pages).toHaveLength(2);
    expect(out.pages).toHaveLength(2);
  });

  test("TrimBox is A4, BleedBox 8.504 pt larger per side, MediaBox 12–15 mm beyond the bleed, CropBox = MediaBox", () => {
    for (const page of out.pages) {
      const { media, trim, bleed, crop } = page.boxes;
      if (!trim || !bleed || !crop) throw new Error(`page ${page.number}: boxes missing`);
      expect(trim[2] - trim[0]).toBeCloseTo(A4.width, 3);
      expect(trim[3] - trim[1]).toBeCloseTo(A4.height, 3);
      const bleedPerSide = [trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3]];
      for (const d of bleedPerSide) expect(d).toBeCloseTo(BLEED, 6);
      const roomPerSide = [
        bleed[0] - media[0],
        bleed[1] - media[1],
        media[2] - bleed[2],
        media[3] - bleed[3],
      ];
      for (const d of roomPerSide) {
        expect(d / MM).toBeGreaterThanOrEqual(12);
        expect(d / MM).toBeLessThanOrEqual(15);
      }
      expect(crop).toEqual(media);
      expect(media[0]).toBe(0);
      expect(media[1]).toBe(0);
    }
  });

  test("the original page sits at the trim position, unscaled: its text, fonts and photo move by the offset only", () => {
    for (const [i, page] of out.pages.entries()) {
      const trim = page.boxes.trim;
      const orig = src.pages[i];
      if (!trim || !orig) throw new Error("missing page");
      expect(normalizeText(page.text)).toContain(normalizeText(orig.text));
      for (const item of orig.items) {
        const moved = page.items.find(
          (it) =>
            it.str === item.str && near(it.x, item.x + trim[0], 0.01) && near(it.y, item.y + trim[1], 0.01),
        );
        expect(moved, `${item.str} moved by the trim offset`).toBeDefined();
        expect(moved?.fontSize).toBeCloseTo(item.fontSize, 3);
        expect(moved?.fontName).toBe(item.fontName);
      }
    }
    expect(normalizeText(out.pages[0]?.text ?? "")).toContain(normalizeText(JP_TEXT));
    expect(normalizeText(out.pages[1]?.text ?? "")).toContain(normalizeText(PAGE2_TEXT));

    expect(src.images).toHaveLength(1);
    expect(out.images).toHaveLength(1);
    const [a, b] = [src.images[0], out.images[0]];
    const trim = out.pages[0]?.boxes.trim;
    if (!a || !b || !trim) throw new Error("missing image");
    expect(b.inForm).toBe(true);
    expect([b.pixelWidth, b.pixelHeight]).toEqual([a.pixelWidth, a.pixelHeight]);
    expect(b.placed.x).toBeCloseTo(a.placed.x + trim[0], 3);
    expect(b.placed.y).toBeCloseTo(a.placed.y + trim[1], 3);
    expect(b.placed.width).toBeCloseTo(a.placed.width, 3);
    expect(b.ppi).toBeCloseTo(a.ppi, 3);
  });

  test("every font is embedded, the original's as they were; the slug adds no font (it is drawn as outlines)", () => {
    expect(out.fonts.length).toBe(src.fonts.length);
    for (const f of out.fonts) expect(f.embedded, f.baseFont).toBe(true);
    for (const f of src.fonts) {
      const same = out.fonts.find((g) => g.baseFont === f.baseFont);
      expect(same?.fontFile).toBe(f.fontFile);
      expect(same?.notdefCount).toBe(0);
    }
    expect(out.notdefCount).toBe(0);
  });
});

describe("addPrintMarks: トンボ", () => {
  test("all mark lines lie outside the BleedBox and inside the MediaBox, 0.25 pt, registration colour", async () => {
    for (const [i, page] of out.pages.entries()) {
      const { media, bleed } = page.boxes;
      if (!bleed) throw new Error("no BleedBox");
      const segs = strokedSegments(await pageOps(output, i));
      expect(segs).toHaveLength(4 * 4 + 4 * 2); // 4 lines per corner, centre line + cross bar per side
      for (const s of segs) {
        expect(outside(s, bleed), JSON.stringify(s)).toBe(true);
        for (const [x, y] of [
          [s.x1, s.y1],
          [s.x2, s.y2],
        ] as const) {
          expect(x).toBeGreaterThan(media[0]);
          expect(x).toBeLessThan(media[2]);
          expect(y).toBeGreaterThan(media[1]);
          expect(y).toBeLessThan(media[3]);
        }
        expect(s.lineWidth).toBe(0.25);
        expect(s.colour).toBe("1 1 1 1 K");
        expect(s.x1 === s.x2 || s.y1 === s.y2).toBe(true); // axis-aligned
      }
    }
  });

  test("double corner marks: inner lines on the trim edges, outer on the bleed edges, ~10 mm long, starting outside the bleed", async () => {
    const page = out.pages[0];
    const trim = page?.boxes.trim;
    const bleed = page?.boxes.bleed;
    if (!trim || !bleed) throw new Error("boxes missing");
    const segs = strokedSegments(await pageOps(output, 0));
    const len = (s: Stroked) => Math.hypot(s.x2 - s.x1, s.y2 - s.y1);
    for (const [cx, bx, left] of [
      [trim[0], bleed[0], true],
      [trim[2], bleed[2], false],
    ] as const) {
      for (const [cy, by, low] of [
        [trim[1], bleed[1], true],
        [trim[3], bleed[3], false],
      ] as const) {
        // Horizontal lines on this corner's side, running outward in x (beyond the bleed's x edge).
        const beyondX = (s: Stroked) => (left ? Math.max(s.x1, s.x2) < bx : Math.min(s.x1, s.x2) > bx);
        const beyondY = (s: Stroked) => (low ? Math.max(s.y1, s.y2) < by : Math.min(s.y1, s.y2) > by);
        const horizontal = segs.filter(
          (s) => s.y1 === s.y2 && beyondX(s) && (near(s.y1, cy) || near(s.y1, by)),
        );
        const vertical = segs.filter(
          (s) => s.x1 === s.x2 && beyondY(s) && (near(s.x1, cx) || near(s.x1, bx)),
        );
        expect(horizontal.map((s) => s.y1).sort((a, b) => a - b)).toEqual([cy, by].sort((a, b) => a - b));
        expect(vertical.map((s) => s.x1).sort((a, b) => a - b)).toEqual([cx, bx].sort((a, b) => a - b));
        for (const s of [...horizontal, ...vertical]) {
          expect(len(s) / MM).toBeCloseTo(PRINT_MARKS_GEOMETRY.markLengthMm, 2);
          // Starts 1 mm outside the bleed edge.
          const gap =
            s.y1 === s.y2
              ? Math.min(Math.abs(s.x1 - bx), Math.abs(s.x2 - bx))
              : Math.min(Math.abs(s.y1 - by), Math.abs(s.y2 - by));
          expect(gap / MM).toBeCloseTo(PRINT_MARKS_GEOMETRY.gapMm, 2);
        }
      }
    }
  });

  test("centre marks on all four sides: the centre line and a cross bar, outside the bleed", async () => {
    const page = out.pages[0];
    const trim = page?.boxes.trim;
    const bleed = page?.boxes.bleed;
    if (!trim || !bleed) throw new Error("boxes missing");
    const midX = (trim[0] + trim[2]) / 2;
    const midY = (trim[1] + trim[3]) / 2;
    const segs = strokedSegments(await pageOps(output, 0));
    // Centre lines: vertical at midX above and below, horizontal at midY left and right.
    const vCentre = segs.filter((s) => s.x1 === s.x2 && near(s.x1, midX));
    const hCentre = segs.filter((s) => s.y1 === s.y2 && near(s.y1, midY));
    expect(vCentre.map((s) => Math.sign(s.y1 - midY)).sort()).toEqual([-1, 1]);
    expect(hCentre.map((s) => Math.sign(s.x1 - midX)).sort()).toEqual([-1, 1]);
    // Cross bars: centred on the centre line, crossing it.
    const hBars = segs.filter((s) => s.y1 === s.y2 && near((s.x1 + s.x2) / 2, midX));
    const vBars = segs.filter((s) => s.x1 === s.x2 && near((s.y1 + s.y2) / 2, midY));
    expect(hBars).toHaveLength(2);
    expect(vBars).toHaveLength(2);
    for (const bar of hBars) {
      const line = vCentre.find((c) => Math.sign(c.y1 - midY) === Math.sign(bar.y1 - midY));
      expect(line && bar.y1 > Math.min(line.y1, line.y2) && bar.y1 < Math.max(line.y1, line.y2)).toBe(true);
    }
    for (const bar of vBars) {
      const line = hCentre.find((c) => Math.sign(c.x1 - midX) === Math.sign(bar.x1 - midX));
      expect(line && bar.x1 > Math.min(line.x1, line.x2) && bar.x1 < Math.max(line.x1, line.x2)).toBe(true);
    }
  });

  test("colour operators outside the original page are CMYK 1 1 1 1 only (no RGB, no grey)", async () => {
    for (let i = 0; i < out.pages.length; i++) {
      const ops = await pageOps(output, i);
      const colourOps = ops.filter((o) => /^(k|K|rg|RG|g|G|sc|SC|scn|SCN|cs|CS)$/.test(o.op));
      expect(colourOps.map((o) => o.op).sort()).toEqual(["K", "k"]); // strokes for the marks, fill for the slug
      for (const o of colourOps) expect(o.operands).toEqual([1, 1, 1, 1]);
      // The page's own content: the original page drawn once, marks, slug; nothing else.
      expect(ops.filter((o) => o.op === "Do")).toHaveLength(1);
      const doAt = ops.findIndex((o) => o.op === "Do");
      const ctm = ops
        .slice(0, doAt)
        .filter((o) => o.op === "cm")
        .reduce((m, o) => multiply(o.operands as Matrix, m), IDENTITY);
      const trim = out.pages[i]?.boxes.trim;
      expect(ctm).toEqual([1, 0, 0, 1, trim?.[0], trim?.[1]]);
    }
  });

  test("the slug: filled glyph outlines, about 6 pt high, below the bleed in the bottom-left margin", async () => {
    for (const page of out.pages) {
      const { trim, bleed } = page.boxes;
      if (!trim || !bleed) throw new Error("boxes missing");
      // No text outside the original: the slug is shapes, not a font.
      expect(page.items.filter((it) => it.y < bleed[1])).toEqual([]);
      expect(page.items.length).toBe(src.pages[page.number - 1]?.items.length);
      const ops = await pageOps(output, page.number - 1);
      const fillAt = ops.findIndex((o) => o.op === "f");
      expect(fillAt).toBeGreaterThan(0);
      const points: Array<[number, number]> = [];
      for (let j = fillAt - 1; j >= 0 && ["m", "l", "c", "h"].includes(ops[j]?.op ?? ""); j--) {
        const nums = (ops[j]?.operands ?? []) as number[];
        for (let n = 0; n + 1 < nums.length; n += 2) points.push([nums[n] ?? 0, nums[n + 1] ?? 0]);
      }
      // "shishokuro-485  p.1/2": many outline points, all below the bleed, left of the bottom centre mark.
      expect(points.length).toBeGreaterThan(100);
      const ys = points.map(([, y]) => y);
      const xs = points.map(([x]) => x);
      expect(Math.max(...ys)).toBeLessThan(bleed[1]);
      expect(Math.max(...ys) - Math.min(...ys)).toBeGreaterThan(4);
      expect(Math.max(...ys) - Math.min(...ys)).toBeLessThan(8);
      expect(Math.min(...xs)).toBeGreaterThan(trim[0]);
      expect(Math.max(...xs)).toBeLessThan((trim[0] + trim[2]) / 2 - 5 * MM);
    }
  });
});

describe("addPrintMarks: document", () => {
  test("Info keeps Title, Author, Creator and CreationDate; ModDate is opts.date; Lang kept", async () => {
    expect(out.info.title).toBe("市職労ニュース 第485号");
    expect(out.info.author).toBe("市職労 情宣部");
    expect(out.info.creator).toBe(src.info.creator);
    expect(out.info.creationDate?.toISOString()).toBe(CREATED.toISOString());
    expect(out.info.modDate?.toISOString()).toBe(DATE.toISOString());
    const doc = await PDFDocument.load(output, { updateMetadata: false });
    expect(doc.catalog.lookup(PDFName.of("Lang"))?.toString()).toBe("(ja)");
  });

  test("deterministic: the same input gives the same bytes, whatever the clock says", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(new Date("2031-01-01T00:00:00Z"));
      const again = await addPrintMarks(source, { slug: "shishokuro-485", date: DATE });
      expect(Buffer.from(again).equals(Buffer.from(output))).toBe(true);
    } finally {
      vi.useRealTimers();
    }
    // Without opts.date the source's ModDate is used, still no clock.
    const a = await addPrintMarks(source, { slug: "shishokuro-485" });
    const b = await addPrintMarks(source, { slug: "shishokuro-485" });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    // The document ID is fixed by the input, and changes with it.
    const id = (bytes: Uint8Array) =>
      /\/ID\s*\[\s*<([0-9A-Fa-f]+)>/.exec(Buffer.from(bytes).toString("latin1"))?.[1];
    expect(id(output)).toMatch(/^[0-9A-Fa-f]{32}$/);
    expect(id(a)).not.toBe(id(output));
  });

  test("no leftovers: every object is reachable (the page content is not stored twice)", async () => {
    const doc = await PDFDocument.load(output, { updateMetadata: false });
    const ctx = doc.context;
    const seen = new Set<string>();
    const stack: unknown[] = [ctx.trailerInfo.Root, ctx.trailerInfo.Info];
    while (stack.length) {
      const o = stack.pop();
      if (o instanceof PDFRef) {
        if (!seen.has(o.tag)) {
          seen.add(o.tag);
          stack.push(ctx.lookup(o));
        }
      } else if (o instanceof PDFDict) stack.push(...o.values());
      else if (o instanceof PDFArray) stack.push(...o.asArray());
      else if (o instanceof PDFRawStream) stack.push(o.dict);
    }
    expect(ctx.enumerateIndirectObjects().length).toBe(seen.size);
    const overhead = output.length - source.length;
    expect(overhead).toBeGreaterThan(0);
    expect(overhead).toBeLessThan(20_000);
  });
});

describe("addPrintMarks: other inputs", () => {
  test("bleedMm changes the BleedBox; the marks stay outside it", async () => {
    const bytes = await addPrintMarks(source, { slug: "x", bleedMm: 5, date: DATE });
    const path = join(dir, "bleed5.pdf");
    writeFileSync(path, bytes);
    const report = await inspectPdf(path);
    for (const [i, page] of report.pages.entries()) {
      const { trim, bleed } = page.boxes;
      if (!trim || !bleed) throw new Error("boxes missing");
      expect(trim[0] - bleed[0]).toBeCloseTo(5 * MM, 2);
      for (const s of strokedSegments(await pageOps(bytes, i))) expect(outside(s, bleed)).toBe(true);
    }
    await expect(addPrintMarks(source, { slug: "x", bleedMm: -1 })).rejects.toThrow(RangeError);
  });

  test("a page with a TrimBox keeps its own bleed content; a shifted MediaBox and /Rotate are honoured", async () => {
    const doc = await PDFDocument.create();
    doc.setCreationDate(CREATED);
    const page = doc.addPage([300, 400]);
    page.setMediaBox(-20, 100, 300, 400); // x, y, width, height: origin not at 0,0
    page.setTrimBox(-10, 110, 280, 380); // 10 pt of bleed content around the trim
    page.setRotation(degrees(90));
    page.drawRectangle({ x: -20, y: 100, width: 300, height: 400, color: rgb(0.2, 0.4, 0.6) });
    page.drawRectangle({ x: 0, y: 150, width: 50, height: 50, color: cmyk(0, 0, 0, 1) });
    const bytes = await addPrintMarks(await doc.save(), { slug: "trimmed", date: DATE });
    const path = join(dir, "trimmed.pdf");
    writeFileSync(path, bytes);
    const [p] = (await inspectPdf(path)).pages;
    const { trim, bleed } = p?.boxes ?? {};
    if (!p || !trim || !bleed) throw new Error("boxes missing");
    expect(p.rotate).toBe(90);
    expect(trim[2] - trim[0]).toBeCloseTo(280, 3);
    expect(trim[3] - trim[1]).toBeCloseTo(380, 3);
    // The form shows trim + bleed of the source (8.504 pt of its 10 pt bleed), placed so the trim lands on TrimBox.
    const out = await PDFDocument.load(bytes, { updateMetadata: false });
    const xobjects = out.getPage(0).node.Resources()?.lookup(PDFName.of("XObject"), PDFDict);
    const form = xobjects?.values()[0];
    const formStream = form instanceof PDFRef ? out.context.lookup(form) : form;
    if (!(formStream instanceof PDFRawStream)) throw new Error("no form XObject");
    const bbox = formStream.dict.lookup(PDFName.of("BBox"), PDFArray).asArray().map(Number);
    expect(bbox.map((v) => Math.round(v * 1000) / 1000)).toEqual([-18.504, 101.496, 278.504, 498.504]);
    const ops = await pageOps(bytes, 0);
    const doAt = ops.findIndex((o) => o.op === "Do");
    const ctm = ops
      .slice(0, doAt)
      .filter((o) => o.op === "cm")
      .reduce((m, o) => multiply(o.operands as Matrix, m), IDENTITY);
    // The form's Matrix moves the clip's corner to its origin; the page puts that origin on the BleedBox corner.
    expect(ctm[4]).toBeCloseTo(bleed[0], 3);
    expect(ctm[5]).toBeCloseTo(bleed[1], 3);
  });

  test("markSegments: 24 axis-aligned lines, none inside trim + bleed", () => {
    const trim = { left: 100, bottom: 100, right: 400, top: 500 };
    const segs = markSegments(trim, BLEED);
    expect(segs).toHaveLength(24);
    for (const s of segs) {
      const box: PdfBox = [trim.left - BLEED, trim.bottom - BLEED, trim.right + BLEED, trim.top + BLEED];
      expect(outside({ ...s, lineWidth: PRINT_MARKS_GEOMETRY.lineWidthPt, colour: "" }, box)).toBe(true);
    }
  });

  test("a blank page (no content stream) still gets its marks", async () => {
    const doc = await PDFDocument.create();
    doc.addPage([200, 300]);
    const bytes = await addPrintMarks(await doc.save(), { slug: "blank", date: DATE });
    const path = join(dir, "blank.pdf");
    writeFileSync(path, bytes);
    const [p] = (await inspectPdf(path)).pages;
    expect(p?.boxes.trim?.[2]).toBeCloseTo((p?.boxes.trim?.[0] ?? 0) + 200, 3);
    expect(strokedSegments(await pageOps(bytes, 0))).toHaveLength(24);
    // The slug is drawn (as a filled outline), there is no text on a blank page.
    expect((await pageOps(bytes, 0)).some((o) => o.op === "f")).toBe(true);
    expect(normalizeText(p?.text ?? "")).toBe("");
  });

  test("a PDF without pages is refused", async () => {
    const empty = await PDFDocument.create();
    await expect(addPrintMarks(await empty.save({ addDefaultPage: false }), { slug: "x" })).rejects.toThrow(
      /no pages/,
    );
  });
});
