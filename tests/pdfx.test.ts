import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  cmyk,
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  type PDFObject,
  PDFOperator,
  type PDFPage,
  PDFRawStream,
  PDFRef,
  PDFStream,
  PDFString,
  rgb,
  StandardFonts,
} from "pdf-lib";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { checkPdfX, defaultOutputProfile, toPdfX1a } from "../src/render/pdfx.js";
import { addPrintMarks } from "../src/render/print-marks.js";
import { type Built, builtSample } from "./helpers/built.js";
import { SAMPLE } from "./helpers/cli.js";
import { inspectPdf, normalizeText, type PdfReport } from "./helpers/pdf.js";
import { pdfmakeWithJapanese } from "./helpers/pdfmake-fixture.js";

const DATE = new Date("2024-06-01T03:00:00Z");
const TITLE = "市職労ニュース 第485号";
const MM = 72 / 25.4;

let dir: string;
const temps: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "kaiho-pdfx-"));
  temps.push(dir);
});

afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------

async function load(bytes: Uint8Array): Promise<PDFDocument> {
  return PDFDocument.load(bytes, { updateMetadata: false });
}

function look(doc: PDFDocument, o: PDFObject | undefined): PDFObject | undefined {
  return o instanceof PDFRef ? doc.context.lookup(o) : o;
}

/** Every dictionary in the file, indirect or nested (stream dictionaries included). */
function allDicts(doc: PDFDocument): PDFDict[] {
  const out: PDFDict[] = [];
  const seen = new Set<PDFObject>();
  const stack: PDFObject[] = doc.context.enumerateIndirectObjects().map(([, o]) => o);
  while (stack.length) {
    const o = stack.pop() as PDFObject;
    if (seen.has(o)) continue;
    seen.add(o);
    const d = o instanceof PDFStream ? o.dict : o instanceof PDFDict ? o : undefined;
    if (d) {
      out.push(d);
      for (const [, v] of d.entries()) if (!(v instanceof PDFRef)) stack.push(v);
    } else if (o instanceof PDFArray) {
      for (const v of o.asArray()) if (!(v instanceof PDFRef)) stack.push(v);
    }
  }
  return out;
}

function textOf(doc: PDFDocument, o: PDFObject | undefined): string | undefined {
  const v = look(doc, o);
  return v instanceof PDFString || v instanceof PDFHexString ? v.decodeText() : undefined;
}

function infoOf(doc: PDFDocument): PDFDict {
  const info = look(doc, doc.context.trailerInfo.Info);
  if (!(info instanceof PDFDict)) throw new Error("no Info dictionary");
  return info;
}

function idOf(doc: PDFDocument): string[] {
  const id = look(doc, doc.context.trailerInfo.ID);
  if (!(id instanceof PDFArray)) return [];
  return id.asArray().map((x) => {
    const v = look(doc, x);
    return v instanceof PDFHexString || v instanceof PDFString
      ? Buffer.from(v.asBytes()).toString("hex")
      : "";
  });
}

function extGStates(doc: PDFDocument): PDFDict[] {
  const out = new Set<PDFDict>();
  for (const d of allDicts(doc)) {
    if (look(doc, d.get(PDFName.of("Type")))?.toString() === "/ExtGState") out.add(d);
    const map = look(doc, d.get(PDFName.of("ExtGState")));
    if (map instanceof PDFDict) {
      for (const [, v] of map.entries()) {
        const gs = look(doc, v);
        if (gs instanceof PDFDict) out.add(gs);
      }
    }
  }
  return [...out];
}

/** A print-shaped page made with pdf-lib: A4 trim, 3 mm bleed, marks margin, a CMYK rectangle. */
async function printLikePdf(
  draw: (page: PDFPage, doc: PDFDocument) => void | Promise<void> = () => {},
  boxes = true,
): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const off = 45.354;
  const w = 595.276;
  const h = 841.89;
  const page = doc.addPage([w + 2 * off, h + 2 * off]);
  if (boxes) {
    page.setTrimBox(off, off, w, h);
    page.setBleedBox(off - 3 * MM, off - 3 * MM, w + 6 * MM, h + 6 * MM);
  }
  page.drawRectangle({ x: off, y: off, width: 100, height: 100, color: cmyk(0, 0, 0, 1) });
  await draw(page, doc);
  doc.setTitle("fixture");
  return doc.save({ useObjectStreams: false });
}

async function refusal(pdf: Uint8Array): Promise<string> {
  try {
    await toPdfX1a(pdf, { title: TITLE, date: DATE });
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  throw new Error("toPdfX1a accepted the PDF");
}

/** Writes bytes to the test's folder and inspects them (inspectPdf works on paths). */
async function inspectBytes(name: string, bytes: Uint8Array): Promise<PdfReport> {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return inspectPdf(file);
}

/** The render stage's kind of PDF: pdfmake, CMYK colours, an embedded Japanese font, a CMYK JPEG photo. */
async function pdfmakeFixture(): Promise<Buffer> {
  const pm = pdfmakeWithJapanese(dir);
  const photo = join(dir, "photo-cmyk.jpg");
  await sharp({ create: { width: 120, height: 80, channels: 3, background: { r: 200, g: 120, b: 40 } } })
    .toColourspace("cmyk")
    .jpeg()
    .toFile(photo);
  const doc = pm.createPdf({
    pageSize: "A4",
    pageMargins: [40, 40, 40, 40],
    defaultStyle: { font: "JP", fontSize: 10, color: [0, 0, 0, 100] },
    info: { title: TITLE, creator: "kaiho", producer: "kaiho (pdfmake)", creationDate: DATE, modDate: DATE },
    content: [
      { text: "市職労ニュース", fontSize: 20, color: [100, 60, 0, 0] },
      { text: "定期大会のお知らせ。賃金改善の要求書を確認しました。" },
      { image: photo, width: 120 },
      { canvas: [{ type: "rect", x: 0, y: 0, w: 100, h: 20, color: [0, 20, 100, 0] }] },
      { text: "次号でお知らせします。", pageBreak: "before" },
    ],
  });
  return Buffer.from(await doc.getBuffer());
}

// ---------------------------------------------------------------------------------------------------------
// The sample issue's print edition, as the CLI builds it
// ---------------------------------------------------------------------------------------------------------

describe("toPdfX1a on the sample's print edition (built by the CLI)", () => {
  let input: Buffer;
  let output: Uint8Array;
  let inDoc: PDFDocument;
  let outDoc: PDFDocument;
  let inReport: PdfReport;
  let outReport: PdfReport;
  let sample: Built;

  // When the pipeline already runs toPdfX1a, the CLI's print edition is PDF/X-1a, and this block checks that a
  // second pass keeps everything; the pdfmake fixture below checks the conversion of a plain print edition.
  beforeAll(async () => {
    sample = builtSample();
    if (sample.status !== 0) throw new Error(sample.stderr);
    input = readFileSync(sample.out("-print.pdf"));
    const t0 = performance.now();
    output = await toPdfX1a(input, { title: TITLE, date: DATE });
    const t1 = performance.now();
    await checkPdfX(output);
    const t2 = performance.now();
    console.log(
      `pdfx: ${input.length} → ${output.length} bytes; toPdfX1a ${(t1 - t0).toFixed(0)} ms, ` +
        `checkPdfX ${(t2 - t1).toFixed(0)} ms`,
    );
    [inDoc, outDoc] = await Promise.all([load(input), load(output)]);
    [inReport, outReport] = await Promise.all([
      inspectBytes("sample-print.pdf", input),
      inspectBytes("sample-print-x1a.pdf", output),
    ]);
  });

  test("is a PDF 1.3 file: header %PDF-1.3, an xref table, no object or xref streams", () => {
    const text = Buffer.from(output).toString("latin1");
    expect(text.slice(0, 9)).toBe("%PDF-1.3\n");
    const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(text);
    expect(startxref).not.toBeNull();
    expect(text.startsWith("xref", Number(startxref?.[1]))).toBe(true);
    expect(text).not.toMatch(/\/Type\s*\/(ObjStm|XRef)\b/);
  });

  test("Info: Title, GTS_PDFXVersion, GTS_PDFXConformance, Trapped /False, dates; Creator and Producer kept", () => {
    const info = infoOf(outDoc);
    const get = (k: string) => info.get(PDFName.of(k));
    expect(textOf(outDoc, get("Title"))).toBe(TITLE);
    expect(textOf(outDoc, get("GTS_PDFXVersion"))).toBe("PDF/X-1:2001");
    expect(textOf(outDoc, get("GTS_PDFXConformance"))).toBe("PDF/X-1a:2001");
    const trapped = look(outDoc, get("Trapped"));
    expect(trapped).toBeInstanceOf(PDFName);
    expect(trapped?.toString()).toBe("/False");
    expect(outDoc.getCreationDate()?.toISOString()).toBe(DATE.toISOString());
    expect(outDoc.getModificationDate()?.toISOString()).toBe(DATE.toISOString());
    expect(outDoc.getCreator()).toBe(inDoc.getCreator());
    expect(outDoc.getProducer()).toBe(inDoc.getProducer());
    expect(outDoc.getAuthor()).toBe(inDoc.getAuthor());
  });

  test("OutputIntents: one /GTS_PDFX intent for CGATS TR 001 with the CMYK profile (N 4) embedded", () => {
    const intents = look(outDoc, outDoc.catalog.get(PDFName.of("OutputIntents")));
    expect(intents).toBeInstanceOf(PDFArray);
    const list = (intents as PDFArray).asArray().map((o) => look(outDoc, o));
    expect(list).toHaveLength(1);
    const oi = list[0] as PDFDict;
    const profile = defaultOutputProfile();
    expect(look(outDoc, oi.get(PDFName.of("Type")))?.toString()).toBe("/OutputIntent");
    expect(look(outDoc, oi.get(PDFName.of("S")))?.toString()).toBe("/GTS_PDFX");
    expect(textOf(outDoc, oi.get(PDFName.of("OutputConditionIdentifier")))).toBe("CGATS TR 001");
    expect(textOf(outDoc, oi.get(PDFName.of("RegistryName")))).toBe("http://www.color.org");
    expect(textOf(outDoc, oi.get(PDFName.of("OutputCondition")))).toBe("SWOP (Publication) Grade 1 Paper");
    expect(textOf(outDoc, oi.get(PDFName.of("Info")))).toMatch(/CGATS001Compat-v2-micro\.icc.*CC0/);
    const icc = look(outDoc, oi.get(PDFName.of("DestOutputProfile")));
    expect(icc).toBeInstanceOf(PDFRawStream);
    const stream = icc as PDFRawStream;
    expect((look(outDoc, stream.dict.get(PDFName.of("N"))) as PDFNumber).asNumber()).toBe(4);
    const bytes = Buffer.from(decodePDFRawStream(stream).decode());
    expect(bytes.equals(Buffer.from(profile.bytes))).toBe(true);
    expect(bytes.toString("latin1", 36, 40)).toBe("acsp");
    expect(bytes.toString("latin1", 16, 20)).toBe("CMYK");
  });

  test("the trailer /ID is two equal 16-byte strings, the ones addPrintMarks wrote", () => {
    const id = idOf(outDoc);
    expect(id).toHaveLength(2);
    expect(id[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(id[1]).toBe(id[0]);
    expect(id[0]).toBe(idOf(inDoc)[0]);
  });

  test("no ExtGState keeps /CA or /ca", () => {
    const states = extGStates(outDoc);
    for (const gs of states) {
      expect(gs.has(PDFName.of("CA"))).toBe(false);
      expect(gs.has(PDFName.of("ca"))).toBe(false);
    }
  });

  test("checkPdfX finds nothing in the output", async () => {
    expect(await checkPdfX(output)).toEqual([]);
  });

  test("the page boxes survive", () => {
    expect(outReport.pages.map((p) => p.boxes)).toEqual(inReport.pages.map((p) => p.boxes));
    for (const p of outReport.pages) {
      expect(p.boxes.trim).toBeDefined();
      expect(p.boxes.bleed).toBeDefined();
    }
  });

  test("the text, the photos (DeviceCMYK) and the embedded fonts survive", () => {
    expect(outReport.pages).toHaveLength(inReport.pages.length);
    outReport.pages.forEach((p, i) => {
      expect(normalizeText(p.text)).toBe(normalizeText(inReport.pages[i]?.text ?? ""));
    });
    expect(normalizeText(outReport.pages.map((p) => p.text).join(""))).toContain(
      "取り組みなくして成果なし！",
    );
    expect(outReport.images).toHaveLength(inReport.images.length);
    expect(outReport.images.length).toBeGreaterThan(0);
    for (const image of outReport.images) expect(image.colorSpace).toBe("DeviceCMYK");
    expect(outReport.fonts.length).toBe(inReport.fonts.length);
    for (const font of outReport.fonts) expect(font.embedded).toBe(true);
    expect(outReport.notdefCount).toBe(0);
  });

  test("the screen edition (RGB) through addPrintMarks is refused, naming RGB", async () => {
    const screen = readFileSync(sample.out(".pdf"));
    const marked = await addPrintMarks(screen, { slug: SAMPLE, date: DATE });
    const message = await refusal(marked);
    expect(message).toMatch(
      /^toPdfX1a: cannot make a PDF\/X-1a:2001 file \(RGB colour not allowed in PDF\/X-1a\)/,
    );
    expect(message).toMatch(
      /RGB colour: page 1 › XObject \/EmbeddedPdfPage-\d+ content sets RGB colour: \d+ × \/DeviceRGB cs/,
    );
    // the photos
    expect(message).toMatch(/RGB colour: DeviceRGB in page 1 › XObject \/EmbeddedPdfPage-\d+ › XObject \/I1/);
  });

  test("is deterministic, and a second run changes nothing", async () => {
    const again = await toPdfX1a(input, { title: TITLE, date: DATE });
    expect(Buffer.from(again).equals(Buffer.from(output))).toBe(true);
    const twice = await toPdfX1a(output, { title: TITLE, date: DATE });
    expect(Buffer.from(twice).equals(Buffer.from(output))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------------
// A pdfmake + addPrintMarks fixture: what the pipeline hands over, before any PDF/X step
// ---------------------------------------------------------------------------------------------------------

describe("toPdfX1a on a pdfmake page through addPrintMarks", () => {
  let input: Uint8Array;
  let output: Uint8Array;

  beforeAll(async () => {
    input = await addPrintMarks(await pdfmakeFixture(), { slug: "fixture", date: DATE });
    output = await toPdfX1a(input, { title: TITLE, date: DATE });
  });

  test("checkPdfX names exactly what the plain print edition lacks", async () => {
    expect(await checkPdfX(input)).toEqual([
      "file: header %PDF-1.7; PDF/X-1a:2001 is PDF 1.3",
      'Info: GTS_PDFXVersion is missing, not "PDF/X-1:2001"',
      'Info: GTS_PDFXConformance is missing, not "PDF/X-1a:2001"',
      "Info: Trapped must be the name /True or /False",
      "OutputIntent: no OutputIntents entry with /S /GTS_PDFX",
    ]);
    expect(await checkPdfX(output)).toEqual([]);
  });

  test("pdfmake's /CA 1 and /ca 1 go; the graphics states the content names stay", async () => {
    const before = extGStates(await load(input));
    expect(before.some((gs) => gs.has(PDFName.of("CA")) || gs.has(PDFName.of("ca")))).toBe(true);
    const doc = await load(output);
    const after = extGStates(doc);
    expect(after.length).toBe(before.length);
    for (const gs of after) expect(gs.has(PDFName.of("CA")) || gs.has(PDFName.of("ca"))).toBe(false);
  });

  test("text, photo and boxes survive", async () => {
    const [a, b] = await Promise.all([inspectBytes("fx.pdf", input), inspectBytes("fx-x1a.pdf", output)]);
    expect(b.pages.map((p) => normalizeText(p.text))).toEqual(a.pages.map((p) => normalizeText(p.text)));
    expect(normalizeText(b.pages[0]?.text ?? "")).toContain("定期大会のお知らせ");
    expect(b.pages.map((p) => p.boxes)).toEqual(a.pages.map((p) => p.boxes));
    expect(b.images).toHaveLength(1);
    expect(b.images[0]?.colorSpace).toBe("DeviceCMYK");
  });

  test("a custom output profile is declared as given", async () => {
    const profile = {
      ...defaultOutputProfile(),
      identifier: "JC200103",
      condition: "Japan Color 2001 Coated",
      info: "test profile",
    };
    const out = await toPdfX1a(input, { title: TITLE, date: DATE, profile });
    const doc = await load(out);
    const intents = look(doc, doc.catalog.get(PDFName.of("OutputIntents"))) as PDFArray;
    const oi = look(doc, intents.get(0)) as PDFDict;
    expect(textOf(doc, oi.get(PDFName.of("OutputConditionIdentifier")))).toBe("JC200103");
    expect(textOf(doc, oi.get(PDFName.of("OutputCondition")))).toBe("Japan Color 2001 Coated");
    expect(await checkPdfX(out)).toEqual([]);
  });

  test("the default profile (input class 'scnr') passes only beside a registered characterisation", async () => {
    const profile = { ...defaultOutputProfile(), identifier: "Our press", registry: "" };
    await expect(toPdfX1a(input, { title: TITLE, date: DATE, profile })).rejects.toThrow(
      /DestOutputProfile is an 'scnr' profile, not an output \('prtr'\) profile/,
    );
  });

  test("RGB inside the placed page (the form XObject addPrintMarks draws) is found", async () => {
    const doc = await load(input);
    const ctx = doc.context;
    const forms = ctx
      .enumerateIndirectObjects()
      .filter(
        ([, o]) => o instanceof PDFRawStream && o.dict.get(PDFName.of("Subtype"))?.toString() === "/Form",
      );
    expect(forms.length).toBeGreaterThan(0);
    const [ref, form] = forms[0] as [PDFRef, PDFRawStream];
    const content = `${Buffer.from(decodePDFRawStream(form).decode()).toString("latin1")}\n1 0 0 rg 0 0 5 5 re f\n`;
    const dict: Record<string, PDFObject> = {};
    for (const [k, v] of form.dict.entries()) {
      if (!["Length", "Filter", "DecodeParms"].includes(k.decodeText())) dict[k.decodeText()] = v;
    }
    ctx.assign(ref, ctx.flateStream(Buffer.from(content, "latin1"), dict));
    const message = await refusal(await doc.save({ useObjectStreams: false }));
    expect(message).toMatch(
      /RGB colour: page 1 › XObject \/EmbeddedPdfPage-\d+ content sets RGB colour: 1 × rg \(DeviceRGB fill colour\)/,
    );
  });

  test("a profile that is not CMYK is refused", async () => {
    const bytes = defaultOutputProfile().bytes;
    bytes.set(Buffer.from("RGB ", "latin1"), 16);
    await expect(
      toPdfX1a(input, { title: TITLE, date: DATE, profile: { ...defaultOutputProfile(), bytes } }),
    ).rejects.toThrow(/DestOutputProfile is for 'RGB', not CMYK/);
  });
});

// ---------------------------------------------------------------------------------------------------------
// What is refused, and what is repaired
// ---------------------------------------------------------------------------------------------------------

describe("toPdfX1a refuses what PDF/X-1a forbids", () => {
  test("the pdf-lib fixture itself passes", async () => {
    const out = await toPdfX1a(await printLikePdf(), { title: TITLE, date: DATE });
    expect(await checkPdfX(out)).toEqual([]);
  });

  test("an RGB fill (pdf-lib rgb(1, 0, 0)), naming RGB and where", async () => {
    const pdf = await printLikePdf((page) => {
      page.drawRectangle({ x: 100, y: 100, width: 50, height: 50, color: rgb(1, 0, 0) });
    });
    const message = await refusal(pdf);
    expect(message).toMatch(/RGB colour/);
    expect(message).toMatch(/page 1 content.*rg \(DeviceRGB fill colour\)/);
    expect(message).not.toMatch(/transparency/);
  });

  test("opacity 0.5, naming transparency", async () => {
    const pdf = await printLikePdf((page) => {
      page.drawRectangle({ x: 100, y: 100, width: 50, height: 50, color: cmyk(0, 1, 0, 0), opacity: 0.5 });
    });
    const message = await refusal(pdf);
    expect(message).toMatch(/transparency not allowed in PDF\/X-1a/);
    expect(message).toMatch(/transparency: ExtGState \/ca 0\.5 \(opacity\) in page 1 › ExtGState \/GS-\d+/);
  });

  test("a blend mode and a soft-masked (PNG with alpha) image", async () => {
    const png = await sharp({
      create: { width: 4, height: 4, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0.5 } },
    })
      .png()
      .toBuffer();
    const pdf = await printLikePdf(async (page, doc) => {
      const gs = doc.context.obj({ Type: "ExtGState", BM: "Multiply" });
      page.node.setExtGState(PDFName.of("GSm"), doc.context.register(gs));
      page.drawImage(await doc.embedPng(png), { x: 100, y: 100, width: 10, height: 10 });
    });
    const message = await refusal(pdf);
    expect(message).toMatch(/transparency: blend mode \/Multiply in page 1 › ExtGState \/GSm/);
    expect(message).toMatch(/transparency: soft-masked image \(SMask\) in page 1 › XObject/);
    expect(message).toMatch(/RGB colour: DeviceRGB in page 1 › XObject/); // the PNG is RGB too
  });

  test("RGB through a colour space: /DeviceRGB cs, ICCBased N 3, CalRGB and Lab resources", async () => {
    const pdf = await printLikePdf((page, doc) => {
      const ctx = doc.context;
      const icc = ctx.register(ctx.stream("", { N: 3 }));
      page.node.set(
        PDFName.of("Resources"),
        ctx.obj({
          ColorSpace: {
            CS0: ctx.obj([PDFName.of("ICCBased"), icc]),
            CS1: ctx.obj([PDFName.of("CalRGB"), ctx.obj({ WhitePoint: [0.95, 1, 1.09] })]),
            CS2: ctx.obj([PDFName.of("Lab"), ctx.obj({ WhitePoint: [0.95, 1, 1.09] })]),
          },
        }),
      );
      page.pushOperators(
        PDFOperator.of("cs" as never, [PDFName.of("DeviceRGB")]),
        PDFOperator.of(
          "sc" as never,
          [1, 0, 0].map((n) => PDFNumber.of(n)),
        ),
        PDFOperator.of("CS" as never, [PDFName.of("CS0")]),
      );
    });
    const message = await refusal(pdf);
    expect(message).toMatch(/RGB colour: page 1 content sets RGB colour: 1 × \/DeviceRGB cs/);
    expect(message).toMatch(/RGB colour: ICCBased RGB \(N 3\) colour space in page 1 › ColorSpace \/CS0/);
    expect(message).toMatch(/RGB colour: CalRGB colour space in page 1 › ColorSpace \/CS1/);
    expect(message).toMatch(/device-independent colour: Lab colour space in page 1 › ColorSpace \/CS2/);
  });

  test("an RGB inline image in the content stream", async () => {
    const pdf = await printLikePdf((page, doc) => {
      const content = "q 10 0 0 10 100 100 cm BI /W 1 /H 1 /CS /RGB /BPC 8 ID \xff\x00\x00 EI Q 0 0 0 1 k";
      const stream = doc.context.register(doc.context.stream(Buffer.from(content, "latin1")));
      const contents = page.node.Contents();
      if (contents instanceof PDFArray) contents.push(stream);
    });
    const message = await refusal(pdf);
    expect(message).toMatch(/RGB colour: page 1 content sets RGB colour: 1 × inline image in DeviceRGB/);
    expect(message).not.toMatch(/unknown operator/);
  });

  test("a font that is not embedded (pdf-lib's Helvetica)", async () => {
    const pdf = await printLikePdf(async (page, doc) => {
      const font = await doc.embedFont(StandardFonts.Helvetica);
      page.drawText("Hello", { x: 100, y: 100, size: 10, font, color: cmyk(0, 0, 0, 1) });
    });
    expect(await refusal(pdf)).toMatch(/font: Helvetica is not embedded \(page 1 › Font \//);
  });

  test("a page without TrimBox and BleedBox", async () => {
    const message = await refusal(await printLikePdf(() => {}, false));
    expect(message).toMatch(/page 1: no TrimBox or ArtBox/);
    expect(message).toMatch(/page 1: no BleedBox/);
  });

  test("a TrimBox outside the MediaBox", async () => {
    const pdf = await printLikePdf((page) => page.setTrimBox(-10, 0, 100, 100));
    expect(await refusal(pdf)).toMatch(/page 1: TrimBox \[-10 0 90 100\] is not inside BleedBox/);
  });

  test("an empty title", async () => {
    await expect(toPdfX1a(await printLikePdf(), { title: "  ", date: DATE })).rejects.toThrow(/title/);
  });

  test("link annotations (and their URI actions) are dropped", async () => {
    const pdf = await printLikePdf((page, doc) => {
      const link = doc.context.obj({
        Type: "Annot",
        Subtype: "Link",
        Rect: [100, 100, 200, 120],
        A: { S: "URI", URI: PDFString.of("https://example.org/") },
      });
      page.node.set(PDFName.of("Annots"), doc.context.obj([doc.context.register(link)]));
    });
    expect((await checkPdfX(pdf)).filter((p) => p.startsWith("interactive"))).toEqual([
      "interactive: page 1 has a /Link annotation inside the BleedBox",
      "interactive: /URI action in page 1",
    ]);
    const out = await toPdfX1a(pdf, { title: TITLE, date: DATE });
    const doc = await load(out);
    expect(doc.getPage(0).node.has(PDFName.of("Annots"))).toBe(false);
    expect(Buffer.from(out).toString("latin1")).not.toContain("/Link");
    expect(await checkPdfX(out)).toEqual([]);
  });
});

describe("checkPdfX on files pdf-lib writes for PDF 1.5+", () => {
  test("object streams and a cross-reference stream are reported", async () => {
    const doc = await load(await printLikePdf());
    const pdf = await doc.save({ useObjectStreams: true });
    const problems = await checkPdfX(pdf);
    expect(problems).toContain("file: cross-reference stream instead of an xref table (PDF 1.5)");
    expect(problems).toContain("file: object streams (PDF 1.5)");
    expect(problems).toContain("file: no trailer /ID (two byte strings)");
  });
});
