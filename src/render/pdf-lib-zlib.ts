import { createRequire } from "node:module";
import { deflateSync, inflateSync } from "node:zlib";

/**
 * pdf-lib compresses with pako and decompresses with its own JavaScript inflater; on the sample's print edition
 * those two took about 270 ms of a 1.2 s build. Node's zlib is the same Deflate, natively: pdf-lib is pointed at
 * it here (its modules look these functions up on each call). Imported for its effect by the modules that use
 * pdf-lib on big files.
 */
const require = createRequire(import.meta.url);

const pako = require("pako") as { deflate: (data: Uint8Array) => Uint8Array };
pako.deflate = (data: Uint8Array) => new Uint8Array(deflateSync(data));

interface RawStream {
  dict: { lookup(key: unknown): unknown; get(key: unknown): unknown };
  contents: Uint8Array;
}
const decode = require("pdf-lib/cjs/core/streams/decode") as {
  decodePDFRawStream: (stream: RawStream) => { decode(): Uint8Array };
};
const { PDFName } = require("pdf-lib") as { PDFName: { of(name: string): unknown } };
const original = decode.decodePDFRawStream;
/** pdf-lib's decodePDFRawStream, with native inflate for plain Flate streams. */
export const decodeStream = (stream: RawStream): { decode(): Uint8Array } => {
  // Only the plain case: one FlateDecode filter without predictor parameters. Anything else is pdf-lib's.
  if (
    stream.dict.lookup(PDFName.of("Filter")) === PDFName.of("FlateDecode") &&
    !stream.dict.get(PDFName.of("DecodeParms"))
  ) {
    return { decode: () => new Uint8Array(inflateSync(stream.contents)) };
  }
  return original(stream);
};
decode.decodePDFRawStream = decodeStream;
