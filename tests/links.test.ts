import { readFileSync } from "node:fs";
import path from "node:path";
import { PDFArray, PDFDict, PDFDocument, PDFName, type PDFNumber, PDFString } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { linksIn } from "../src/typeset/links.js";
import { type Built, builtWith } from "./helpers/built.js";
import { REPO } from "./helpers/cli.js";
import { inspectPdf, type PdfPage } from "./helpers/pdf.js";

/**
 * Links (issue 9, item 6): URLs and e-mail addresses in the text open from the screen and email editions; the
 * print edition (PDF/X) has none. Checked on the built fixture tests/fixtures/issues/glyphs.
 */

const FIXTURE = path.join(REPO, "tests", "fixtures", "issues", "glyphs", "issue.yaml");
const LONG = "https://forms.example.com/very/long/path/to/the/registration/form?id=12345&lang=ja";
const EXPECTED = [
  "https://nishi-sho-pta.example.jp/festa2026",
  "mailto:info@nishi-sho-pta.example.jp",
  "http://www.example-union.or.jp/entry",
  LONG,
  "mailto:yamada.taro@example-union.or.jp",
];

describe("finding links in text", () => {
  const uris = (text: string) => linksIn(text).map((l) => l.uri);
  it("takes URLs and addresses as written, ending where Japanese or sentence punctuation begins", () => {
    expect(uris("詳細はhttps://example.jp/a?b=1&c=2をご覧ください。")).toEqual([
      "https://example.jp/a?b=1&c=2",
    ]);
    expect(uris("サイト（https://example.jp/festa）へ。")).toEqual(["https://example.jp/festa"]);
    expect(uris("See https://en.wikipedia.org/wiki/Kaiho_(newsletter).")).toEqual([
      "https://en.wikipedia.org/wiki/Kaiho_(newsletter)",
    ]);
    expect(uris("www.example.or.jp/entry, please")).toEqual(["http://www.example.or.jp/entry"]);
    expect(uris("連絡先：taro.yamada+news@example-union.or.jp。")).toEqual([
      "mailto:taro.yamada+news@example-union.or.jp",
    ]);
  });
  it("gives the offsets of the link text, and no link for what only looks like one", () => {
    const text = "メール a@b.jp と https://x.jp/?to=c@d.jp";
    expect(linksIn(text)).toEqual([
      { start: 4, end: 10, uri: "mailto:a@b.jp" },
      { start: 13, end: text.length, uri: "https://x.jp/?to=c@d.jp" },
    ]);
    expect(uris("https:// だけ、www. だけ、@だけ、taro@localhost")).toEqual([]);
  });
});

interface Annotation {
  page: number;
  rect: [number, number, number, number];
  uri: string;
}

async function annotations(file: string): Promise<Annotation[]> {
  const doc = await PDFDocument.load(readFileSync(file), { updateMetadata: false });
  const out: Annotation[] = [];
  doc.getPages().forEach((page, index) => {
    const annots = page.node.lookup(PDFName.of("Annots"));
    if (!(annots instanceof PDFArray)) return;
    for (const ref of annots.asArray()) {
      const a = doc.context.lookup(ref);
      if (!(a instanceof PDFDict) || a.get(PDFName.of("Subtype")) !== PDFName.of("Link")) continue;
      const action = a.lookup(PDFName.of("A"));
      const uri = action instanceof PDFDict ? action.lookup(PDFName.of("URI")) : undefined;
      const rect = a
        .lookup(PDFName.of("Rect"), PDFArray)
        .asArray()
        .map((n) => (n as PDFNumber).asNumber()) as Annotation["rect"];
      out.push({ page: index + 1, rect, uri: uri instanceof PDFString ? uri.decodeText() : String(uri) });
    }
  });
  return out;
}

/** The text drawn inside an annotation's rectangle (items whose middle lies in it), spaces dropped. */
function textUnder(page: PdfPage, a: Annotation): string {
  const [x0, y0, x1, y1] = a.rect;
  return page.items
    .filter((i) => {
      const mid = i.x + i.width / 2;
      return mid > x0 && mid < x1 && i.y > y0 && i.y < y1;
    })
    .map((i) => i.str)
    .join("")
    .replace(/\s+/g, "");
}

describe("link annotations in the built editions", () => {
  let built: Built;
  const out = (suffix: string) => built.out(suffix);

  beforeAll(() => {
    // The same build as tests/typeset-glyphs.test.ts reads (tests/helpers/built.ts).
    built = builtWith(readFileSync(FIXTURE));
    if (built.status !== 0) throw new Error(built.stderr);
  }, 120_000);

  for (const edition of ["", "-email"]) {
    it(`${edition ? "the email" : "the screen"} edition opens every URL and address, exactly as written`, async () => {
      const found = await annotations(out(`${edition}.pdf`));
      expect([...new Set(found.map((a) => a.uri))].sort()).toEqual([...EXPECTED].sort());
    });
  }

  it("each annotation covers its line piece of the URL; the pieces of a URL broken over lines make the whole URL", async () => {
    const found = await annotations(out(".pdf"));
    const report = await inspectPdf(out(".pdf"));
    for (const uri of EXPECTED) {
      const pieces = found.filter((a) => a.uri === uri).sort((a, b) => b.rect[1] - a.rect[1]);
      const written = uri.replace(/^mailto:|^http:\/\/(?=www\.)/, "");
      const under = pieces.map((a) => textUnder(report.pages[a.page - 1] as PdfPage, a));
      // Helper "lines" is making the spaces inside URLs go; until then pdfjs may report some: compare without.
      expect(under.join("")).toBe(written);
      // One annotation per line: no two pieces of one URL on the same baseline.
      expect(new Set(pieces.map((a) => Math.round(a.rect[1]))).size).toBe(pieces.length);
    }
    expect(found.filter((a) => a.uri === LONG).length).toBeGreaterThanOrEqual(2);
  });

  it("the print edition has no annotation, and its PDF/X check is clean", async () => {
    expect(await annotations(out("-print.pdf"))).toEqual([]);
    const preflight = JSON.parse(readFileSync(out("-preflight.json"), "utf8"));
    expect(preflight.printPdf).toEqual([]);
  });
});
