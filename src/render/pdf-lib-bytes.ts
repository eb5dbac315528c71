import { createRequire } from "node:module";

/**
 * pdf-lib writes each stream into the file byte by byte in a JavaScript loop, and reading a file copies each
 * stream's bytes out of it: with a print edition of photos (23 MB at 25 pages) that was the biggest single cost
 * of the editions (about 0.4 s of CPU per warm 25-page build). Here the write is one typed-array copy, the
 * read a view of the file's bytes, and a stream copied to another document (the print marks place the pages on
 * sheets of a new one) shares its bytes instead of holding a second copy of every photo: pdf-lib never changes
 * a stream's bytes in place (a change assigns a new stream). The same bytes are written. Imported for its effect
 * by the modules that read or write big files.
 */
const require = createRequire(import.meta.url);

interface Writable {
  updateDict(): void;
  dict: { copyBytesInto(buffer: Uint8Array, offset: number): number };
  getContents(): Uint8Array;
}
const { PDFStream } = require("pdf-lib") as { PDFStream: { prototype: Writable & Record<string, unknown> } };
const STREAM = Uint8Array.from(Buffer.from("\nstream\n", "latin1"));
const ENDSTREAM = Uint8Array.from(Buffer.from("\nendstream", "latin1"));

PDFStream.prototype.copyBytesInto = function copyBytesInto(
  this: Writable,
  buffer: Uint8Array,
  offset: number,
): number {
  this.updateDict();
  let at = offset + this.dict.copyBytesInto(buffer, offset);
  buffer.set(STREAM, at);
  at += STREAM.length;
  const contents = this.getContents();
  buffer.set(contents, at);
  at += contents.length;
  buffer.set(ENDSTREAM, at);
  return at + ENDSTREAM.length - offset;
};

const ByteStream = require("pdf-lib/cjs/core/parser/ByteStream").default as {
  prototype: { bytes: Uint8Array; slice(start: number, end: number): Uint8Array };
};
ByteStream.prototype.slice = function slice(this: { bytes: Uint8Array }, start: number, end: number) {
  return this.bytes.subarray(start, end);
};

const { PDFRawStream } = require("pdf-lib") as {
  PDFRawStream: {
    of(dict: unknown, contents: Uint8Array): unknown;
    prototype: {
      dict: { clone(context?: unknown): unknown };
      contents: Uint8Array;
      clone(context?: unknown): unknown;
    };
  };
};
PDFRawStream.prototype.clone = function clone(
  this: { dict: { clone(context?: unknown): unknown }; contents: Uint8Array },
  context?: unknown,
) {
  return PDFRawStream.of(this.dict.clone(context), this.contents);
};
