import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { PDFRawStream as RawStream } from "../src/render/pdf-lib.js";
import { REPO } from "./helpers/cli.js";

/**
 * src/render/pdf-lib-bytes.ts replaces PDFStream.copyBytesInto, ByteStream.slice and PDFRawStream.clone, and
 * src/render/pdf-lib-zlib.ts replaces decodePDFRawStream (and pako's deflate) — pdf-lib internals, written to do
 * exactly what the originals do, faster. So pdf-lib is pinned to one exact version in package.json, and this
 * fails loudly when another version is installed or one of those files changes. If it fails: read the new
 * pdf-lib's files below, check both modules against them, then update the pin and the fingerprints.
 */
const require = createRequire(import.meta.url);
const PATCHED: Record<string, string> = {
  "cjs/core/objects/PDFStream.js": "a1b903e417f413a8",
  "cjs/core/parser/ByteStream.js": "f7489621ec58792b",
  "cjs/core/objects/PDFRawStream.js": "e4082883d8cca140",
  "cjs/core/streams/decode.js": "d9a689fe9004122c",
};

describe("the pdf-lib internals kaiho relies on", () => {
  it("pdf-lib is pinned to one exact version, and that version is installed", () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    const pinned = pkg.dependencies["pdf-lib"];
    expect(pinned, "package.json must pin pdf-lib exactly (no ^ or ~)").toMatch(/^\d+\.\d+\.\d+$/);
    expect((require("pdf-lib/package.json") as { version: string }).version).toBe(pinned);
  });

  it("the files whose functions kaiho replaces are the ones it was written against", () => {
    const root = path.dirname(require.resolve("pdf-lib/package.json"));
    for (const [file, want] of Object.entries(PATCHED)) {
      const got = createHash("sha256")
        .update(readFileSync(path.join(root, file)))
        .digest("hex")
        .slice(0, 16);
      expect(got, `pdf-lib/${file} changed`).toBe(want);
    }
  });

  it("a document saved and read back through the replaced functions keeps its stream bytes", async () => {
    await import("../src/render/pdf-lib-bytes.js");
    await import("../src/render/pdf-lib-zlib.js");
    const { PDFDocument, PDFName, PDFRawStream } = await import("../src/render/pdf-lib.js");
    const doc = await PDFDocument.create();
    const bytes = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) % 251);
    const ref = doc.context.register(doc.context.stream(bytes, { Length: bytes.length }));
    const saved = await doc.save({ useObjectStreams: false });
    const again = await PDFDocument.load(saved);
    const stream = again.context.lookup(ref);
    expect(stream).toBeInstanceOf(PDFRawStream);
    expect(Buffer.from((stream as RawStream).contents)).toEqual(Buffer.from(bytes));
    expect((stream as RawStream).dict.get(PDFName.of("Length"))?.toString()).toBe("5000");
  });
});
