import { createRequire } from "node:module";
import { inflateSync } from "node:zlib";
import { PDFArray, PDFDocument, PDFName, PDFRawStream, PDFRef } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { defaultOutputProfile } from "../src/render/pdfx.js";
import { printEdition } from "../src/render/print-edition.js";
import { printFromScreen } from "../src/render/print-from-screen.js";
import { BUILT_IN_THEMES, type Palette, THEME_NAMES } from "../src/theme/index.js";

/**
 * The print edition rewrites the RGB colour operators pdfkit wrote into the palette's CMYK ones
 * (src/render/print-from-screen.ts, a regular expression over the content streams), and the PDF/X check that
 * follows guards it: whatever the rewrite misses is refused and the pages are drawn again in DeviceCMYK. These
 * pages are drawn by pdfkit itself (the writer whose output the expression reads) in every colour of every
 * built-in theme, as fills and strokes.
 */

const require = createRequire(import.meta.url);
type Doc = {
  rect(x: number, y: number, w: number, h: number): Doc;
  fillColor(c: string): Doc;
  strokeColor(c: string): Doc;
  fill(): Doc;
  stroke(): Doc;
  end(): void;
  on(event: string, fn: (chunk?: Buffer) => void): void;
};
const PDFKit = require("pdfkit") as new (opts: object) => Doc;

/** One A4 page with a filled and a stroked box in each RGB colour, as pdfkit writes them. */
function pagesIn(colours: string[]): Promise<Uint8Array> {
  const doc = new PDFKit({ size: "A4", info: { CreationDate: new Date(0) } });
  const chunks: Buffer[] = [];
  doc.on("data", (c) => chunks.push(c as Buffer));
  const done = new Promise<Uint8Array>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  colours.forEach((rgb, i) => {
    doc
      .rect(40, 40 + i * 30, 200, 20)
      .fillColor(rgb)
      .fill();
    doc
      .rect(300, 40 + i * 30, 200, 20)
      .strokeColor(rgb)
      .stroke();
  });
  doc.end();
  return done;
}

async function contentText(pdf: Uint8Array): Promise<string> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  return doc
    .getPages()
    .flatMap((page) => {
      const contents = page.node.get(PDFName.of("Contents"));
      const refs = contents instanceof PDFArray ? contents.asArray() : [contents];
      return refs.filter((r): r is PDFRef => r instanceof PDFRef).map((r) => doc.context.lookup(r));
    })
    .filter((s): s is PDFRawStream => s instanceof PDFRawStream)
    .map((s) => Buffer.from(inflateSync(s.contents)).toString("latin1"))
    .join("\n");
}

const rgbList = (palette: Palette) => Object.values(palette).map((c) => c.rgb);

async function printOf(drawn: Uint8Array) {
  return printEdition({
    drawn,
    title: "colours",
    date: new Date(Date.UTC(2026, 11, 1)),
    slug: "colours",
    profile: defaultOutputProfile(),
  });
}

describe("the print edition's colours, for every theme", () => {
  for (const name of THEME_NAMES) {
    it(`${name}: every palette colour becomes its CMYK form, and the PDF/X check passes`, async () => {
      const palette = BUILT_IN_THEMES[name].palette;
      const screen = await pagesIn(rgbList(palette));
      expect(await contentText(screen)).toContain("/DeviceRGB cs");
      const rewritten = await printFromScreen(screen, [], palette);
      const text = await contentText(rewritten);
      expect(text).not.toContain("/DeviceRGB");
      for (const { cmyk } of Object.values(palette)) {
        const ops = cmyk.map((v) => v / 100).join(" ");
        expect(text).toContain(`/DeviceCMYK cs\n${ops} scn`);
        expect(text).toContain(`/DeviceCMYK CS\n${ops} SCN`);
      }
      const print = await printOf(rewritten);
      expect(print.problems).toEqual([]);
    });
  }

  it("a colour outside the palette stays RGB, and the PDF/X check refuses it (the build then draws again)", async () => {
    const palette = BUILT_IN_THEMES.union.palette;
    const screen = await pagesIn([...rgbList(palette), "#123456"]);
    const text = await contentText(await printFromScreen(screen, [], palette));
    expect(text).toContain("/DeviceRGB");
    const print = await printOf(await printFromScreen(screen, [], palette));
    expect(print.problems.join("\n")).toMatch(/DeviceRGB/);
  });
});
