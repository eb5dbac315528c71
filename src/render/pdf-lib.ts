import { createRequire } from "node:module";
import type * as PdfLib from "pdf-lib";

/**
 * pdf-lib, loaded with require(). Imported as an ES module, Node (20) reads all 137 of its CommonJS files through
 * its ES module loader, scanning each for its export names: about 0.4 s of CPU instead of 0.2 s, paid by the
 * main thread (print edition) and by the worker (email edition). It is the same module instance that
 * ./pdf-lib-zlib.ts points at native zlib. The render modules import pdf-lib from here, the names they use.
 */
const pdfLib = createRequire(import.meta.url)("pdf-lib") as typeof PdfLib;

export const PDFArray = pdfLib.PDFArray;
export type PDFArray = PdfLib.PDFArray;
export const PDFDict = pdfLib.PDFDict;
export type PDFDict = PdfLib.PDFDict;
export const PDFDocument = pdfLib.PDFDocument;
export type PDFDocument = PdfLib.PDFDocument;
export const PDFHexString = pdfLib.PDFHexString;
export type PDFHexString = PdfLib.PDFHexString;
export const PDFName = pdfLib.PDFName;
export type PDFName = PdfLib.PDFName;
export const PDFNumber = pdfLib.PDFNumber;
export type PDFNumber = PdfLib.PDFNumber;
export const PDFRawStream = pdfLib.PDFRawStream;
export type PDFRawStream = PdfLib.PDFRawStream;
export const PDFRef = pdfLib.PDFRef;
export type PDFRef = PdfLib.PDFRef;
export const PDFStream = pdfLib.PDFStream;
export type PDFStream = PdfLib.PDFStream;
export const PDFString = pdfLib.PDFString;
export type PDFString = PdfLib.PDFString;
export const LineCapStyle = pdfLib.LineCapStyle;
export type LineCapStyle = PdfLib.LineCapStyle;
export type PDFObject = PdfLib.PDFObject;
export type PDFOperator = PdfLib.PDFOperator;
export type PDFPage = PdfLib.PDFPage;
export type PDFEmbeddedPage = PdfLib.PDFEmbeddedPage;

/** Looked up at each call: ./pdf-lib-zlib.ts replaces pdf-lib's own for plain Flate streams. */
export const decodePDFRawStream = (
  stream: PdfLib.PDFRawStream,
): ReturnType<typeof PdfLib.decodePDFRawStream> => pdfLib.decodePDFRawStream(stream);

export const {
  appendBezierCurve,
  closePath,
  fill,
  lineTo,
  moveTo,
  popGraphicsState,
  pushGraphicsState,
  setFillingCmykColor,
  setLineCap,
  setLineWidth,
  setStrokingCmykColor,
  stroke,
} = pdfLib;
