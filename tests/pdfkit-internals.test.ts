import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "./helpers/cli.js";

/**
 * src/render/pdfkit-layout-cache.ts patches pdfkit's EmbeddedFont.layout, and src/fonts/face.ts measures text
 * with the same operations in the same order as EmbeddedFont.layoutRun / widthOfString, so that kaiho's line
 * widths are bit-for-bit what pdfkit draws. Both depend on pdfkit's internals, so pdfkit is pinned to one exact
 * version in package.json; this fails loudly when another version is installed or those functions change.
 * If it fails: read the new pdfkit's js/pdfkit.js EmbeddedFont, check both files against it, then update the pin
 * and the fingerprints below.
 */

const require = createRequire(import.meta.url);
const FONT = path.join(REPO, "node_modules", "pdfjs-dist", "standard_fonts", "LiberationSans-Regular.ttf");

interface EmbeddedFontProto {
  layout(text: string, features?: unknown, onlyWidth?: boolean): unknown;
  layoutRun(text: string, features?: unknown): unknown;
  widthOfString(text: string, size: number, features?: unknown): number;
}

function embeddedFontProto(): EmbeddedFontProto {
  const PDFDocument = require("pdfkit") as new (opts: object) => { font(src: string): { _font: object } };
  const doc = new PDFDocument({ autoFirstPage: false });
  return Object.getPrototypeOf(doc.font(FONT)._font) as EmbeddedFontProto;
}

const fingerprint = (fn: unknown) => createHash("sha256").update(String(fn)).digest("hex").slice(0, 16);

describe("the pdfkit internals kaiho relies on", () => {
  it("pdfkit is pinned to one exact version, and that version is installed", () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    const pinned = pkg.dependencies.pdfkit;
    expect(pinned, "package.json must pin pdfkit exactly (no ^ or ~)").toMatch(/^\d+\.\d+\.\d+$/);
    const installed = (require("pdfkit/package.json") as { version: string }).version;
    expect(installed).toBe(pinned);
  });

  it("EmbeddedFont's layout, layoutRun and widthOfString are the ones face.ts and the layout cache were written against", () => {
    const proto = embeddedFontProto();
    expect(typeof proto.layout).toBe("function");
    expect(typeof proto.layoutRun).toBe("function");
    expect({
      layout: fingerprint(proto.layout),
      layoutRun: fingerprint(proto.layoutRun),
      widthOfString: fingerprint(proto.widthOfString),
    }).toEqual({
      layout: "1bf021e3cd3ce4ae",
      layoutRun: "a860ec491bf13a9b",
      widthOfString: "0dc66ac40029d181",
    });
  });
});
