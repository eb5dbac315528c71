import "./pdf-lib-bytes.js";
import "./pdf-lib-zlib.js";
import { createHash, type Hash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  type PDFObject,
  PDFRawStream,
  PDFRef,
  PDFStream,
  PDFString,
} from "./pdf-lib.js";
import { pruneUnreachable } from "./pdf-prune.js";
import { checkBytes, checkDocument } from "./pdfx-check.js";

/**
 * PDF/X-1a:2001 (ISO 15930-1) for the print edition (DESIGN.md, "Print"): the print shop's preflight should take
 * the file without a phone call. PDF/X-1a:2001 is PDF 1.3 with CMYK/grey/spot colour only, no transparency, every
 * font embedded, TrimBox (or ArtBox) on every page, an output intent, and identification in the Info dictionary.
 *
 * `toPdfX1a` does not convert anything: the pipeline already paints in DeviceCMYK with CMYK photos and embedded
 * fonts. It declares the standard, removes the no-op PDF 1.4 entries pdfmake writes (ExtGState /CA 1 and /ca 1),
 * drops link annotations, and refuses — with an Error listing what and where — anything it cannot make conform
 * (RGB or device-independent colour, transparency, unembedded fonts, …). `checkPdfX` is the preflight it runs on
 * its own output; see pdfx-check.ts for what it covers.
 *
 * The default output intent is CGATS TR 001 (SWOP), the characterisation the freely licensed profile pdfjs-dist
 * ships was made for. A Japanese shop printing on coated paper works to Japan Color 2001 Coated (registered as
 * "JC200103"); pass its profile through `opts.profile` when the shop supplies one.
 */

export interface OutputProfile {
  /** The ICC profile, CMYK (4 components), ICC version 2. */
  bytes: Uint8Array;
  /** OutputConditionIdentifier: a reference name in the ICC registry, e.g. "CGATS TR 001" or "JC200103". */
  identifier: string;
  /** OutputCondition: the printing condition in words. */
  condition: string;
  /** RegistryName, e.g. "http://www.color.org". */
  registry: string;
  /** Info: the profile, for a human reader. */
  info: string;
}

export interface PdfX1aOptions {
  /** Info /Title (PDF/X requires one): the issue's title. */
  title: string;
  /** CreationDate and ModDate. Never the clock: the same input gives the same bytes. */
  date: Date;
  /** Output intent; default `defaultOutputProfile()`. */
  profile?: OutputProfile;
}

const PROFILE_FILE = "CGATS001Compat-v2-micro.icc";
let profileBytes: Uint8Array | undefined;

/**
 * pdfjs-dist's CGATS001Compat-v2-micro.icc (CC0 1.0): an 8 KB CMYK profile, ICC version 2.1, compatible with
 * CGATS TR 001 (SWOP). It is an input-class ('scnr') profile with a CMYK → Lab table only; "CGATS TR 001" is a
 * characterisation registered at www.color.org, which is what the output intent names.
 */
export function defaultOutputProfile(): OutputProfile {
  if (!profileBytes) {
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve("pdfjs-dist/package.json"));
    profileBytes = new Uint8Array(readFileSync(join(dir, "iccs", PROFILE_FILE)));
  }
  return {
    bytes: profileBytes.slice(),
    identifier: "CGATS TR 001",
    condition: "SWOP (Publication) Grade 1 Paper",
    registry: "http://www.color.org",
    info: `${PROFILE_FILE} (pdfjs-dist, CC0 1.0 Universal), CMYK profile compatible with CGATS TR 001 (SWOP)`,
  };
}

/** Every PDF/X-1a:2001 problem found in `pdf` (empty: conforming, by these checks). */
export async function checkPdfX(pdf: Uint8Array): Promise<string[]> {
  const problems = checkBytes(pdf);
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(pdf, { updateMetadata: false, ignoreEncryption: true });
  } catch (e) {
    return [...problems, `file: cannot be read (${e instanceof Error ? e.message : String(e)})`];
  }
  return [...problems, ...checkDocument(doc)];
}

/** The print edition as PDF/X-1a:2001; throws an Error listing what stands in the way. */
export async function toPdfX1a(pdf: Uint8Array, opts: PdfX1aOptions): Promise<Uint8Array> {
  checkOptions(opts);
  const doc = await PDFDocument.load(pdf, { updateMetadata: false, ignoreEncryption: true });
  makePdfX1a(doc, opts, () => createHash("md5").update(pdf));
  const out = await savePdfX1a(doc);
  const left = await checkPdfX(out);
  if (left.length > 0) throw new PdfXRefusal(left);
  return out;
}

/**
 * toPdfX1a in one pass, for a document in memory (src/editions/print.ts): declared and checked before it is
 * saved, the saved bytes checked by themselves (the header, the file structure) without parsing them again.
 */
export async function savedAsPdfX1a(doc: PDFDocument, opts: PdfX1aOptions): Promise<Uint8Array> {
  checkOptions(opts);
  makePdfX1a(doc, opts, () => {
    throw new Error("savedAsPdfX1a: the document has no ID (addPrintMarks gives it one)");
  });
  const out = await savePdfX1a(doc);
  const left = checkBytes(out);
  if (left.length > 0) throw new PdfXRefusal(left);
  return out;
}

function checkOptions(opts: PdfX1aOptions): void {
  if (!opts.title.trim()) throw new Error("toPdfX1a: PDF/X needs a document title, and the title is empty");
  if (Number.isNaN(opts.date.getTime())) throw new Error("toPdfX1a: the date is not a valid date");
}

async function savePdfX1a(doc: PDFDocument): Promise<Uint8Array> {
  const out = await doc.save({
    useObjectStreams: false,
    addDefaultPage: false,
    updateFieldAppearances: false,
  });
  setHeaderVersion(out, 3);
  return out;
}

/**
 * Declares `doc` PDF/X-1a:2001 in place and checks it: throws a PdfXRefusal listing what stands in the way.
 * `idHash` gives the document ID's hash when the file has none (the title, date and profile are added to it).
 */
function makePdfX1a(doc: PDFDocument, opts: PdfX1aOptions, idHash: () => Hash): void {
  const title = opts.title.trim();
  const profile = opts.profile ?? defaultOutputProfile();
  if (doc.isEncrypted || doc.context.trailerInfo.Encrypt) {
    throw new Error("toPdfX1a: the PDF is encrypted, and PDF/X forbids encryption");
  }
  const ctx = doc.context;

  // 1. PDF 1.3 (the header is set after saving: pdf-lib's writer always writes 1.7), and no catalog /Version.
  doc.catalog.delete(PDFName.of("Version"));

  // 2. Identification.
  let info = ctx.lookup(ctx.trailerInfo.Info);
  if (!(info instanceof PDFDict)) {
    info = ctx.obj({});
    ctx.trailerInfo.Info = ctx.register(info);
  }
  const infoDict = info as PDFDict;
  const set = (key: string, value: PDFObject) => infoDict.set(PDFName.of(key), value);
  set("Title", textString(title));
  set("GTS_PDFXVersion", PDFString.of("PDF/X-1:2001"));
  set("GTS_PDFXConformance", PDFString.of("PDF/X-1a:2001"));
  set("Trapped", PDFName.of("False"));
  set("CreationDate", PDFString.fromDate(opts.date));
  set("ModDate", PDFString.fromDate(opts.date));

  // 3. The output intent, replacing any earlier ones (PDF/X allows one GTS_PDFX intent, and PDF 1.3 knows no
  //    others) — unless the file already carries this very one: then it stays, and a second run changes nothing.
  const existing = sameIntent(doc, profile);
  if (existing) {
    doc.catalog.set(PDFName.of("OutputIntents"), ctx.obj([existing]));
  } else {
    const iccStream = ctx.flateStream(profile.bytes, { N: 4, Alternate: "DeviceCMYK" });
    const intent = ctx.obj({
      Type: "OutputIntent",
      S: "GTS_PDFX",
      OutputConditionIdentifier: textString(profile.identifier),
      OutputCondition: textString(profile.condition),
      ...(profile.registry ? { RegistryName: textString(profile.registry) } : {}),
      Info: textString(profile.info),
      DestOutputProfile: ctx.register(iccStream),
    });
    doc.catalog.set(PDFName.of("OutputIntents"), ctx.obj([ctx.register(intent)]));
  }

  // 4. A document ID: the one the file has (addPrintMarks writes one), else one from the content.
  const oldId = ctx.lookup(ctx.trailerInfo.ID);
  const first = oldId instanceof PDFArray ? ctx.lookup(oldId.get(0)) : undefined;
  const keep = first instanceof PDFHexString || first instanceof PDFString ? first.asBytes() : undefined;
  const id =
    keep && keep.length > 0
      ? Buffer.from(keep).toString("hex")
      : idHash()
          .update(JSON.stringify({ title, date: opts.date.toISOString(), profile: profile.identifier }))
          .digest("hex");
  ctx.trailerInfo.ID = ctx.obj([PDFHexString.of(id), PDFHexString.of(id)]);

  // 5. What PDF 1.3 does not know and X-1a does not need.
  cleanUp(doc);
  pruneUnreachable(doc);

  const problems = checkDocument(doc);
  if (problems.length > 0) throw new PdfXRefusal(problems);
}

/** Rewrites `%PDF-1.x` at the start in place: same length, so no offset moves. */
function setHeaderVersion(pdf: Uint8Array, minor: number): void {
  const head = Buffer.from(pdf.subarray(0, 8)).toString("latin1");
  if (!/^%PDF-1\.\d$/.test(head)) throw new Error(`toPdfX1a: unexpected header ${JSON.stringify(head)}`);
  pdf[7] = 0x30 + minor;
}

/** What toPdfX1a throws when the check finds anything: the problems one by one, and a message listing them. */
export class PdfXRefusal extends Error {
  constructor(readonly problems: string[]) {
    super(refusal(problems));
    this.name = "PdfXRefusal";
  }
}

function refusal(problems: string[]): string {
  const kinds = new Set(problems.map((p) => p.slice(0, p.indexOf(":"))));
  const banned = ["RGB colour", "transparency"].filter((k) => kinds.has(k));
  const why = banned.length ? ` (${banned.join(" and ")} not allowed in PDF/X-1a)` : "";
  return `toPdfX1a: cannot make a PDF/X-1a:2001 file${why}:\n${problems.map((p) => `- ${p}`).join("\n")}`;
}

/** The file's GTS_PDFX output intent (as a reference) if it is exactly the one `profile` describes. */
function sameIntent(doc: PDFDocument, profile: OutputProfile): PDFRef | undefined {
  const ctx = doc.context;
  const intents = ctx.lookup(doc.catalog.get(PDFName.of("OutputIntents")));
  if (!(intents instanceof PDFArray)) return undefined;
  const text = (d: PDFDict, key: string) => {
    const v = ctx.lookup(d.get(PDFName.of(key)));
    return v instanceof PDFString || v instanceof PDFHexString ? v.decodeText() : undefined;
  };
  for (const ref of intents.asArray()) {
    const d = ctx.lookup(ref);
    if (!(ref instanceof PDFRef) || !(d instanceof PDFDict)) continue;
    const s = ctx.lookup(d.get(PDFName.of("S")));
    if (!(s instanceof PDFName) || s.decodeText() !== "GTS_PDFX") continue;
    if (
      text(d, "OutputConditionIdentifier") !== profile.identifier ||
      text(d, "OutputCondition") !== profile.condition ||
      (text(d, "RegistryName") ?? "") !== profile.registry ||
      text(d, "Info") !== profile.info
    ) {
      continue;
    }
    const icc = ctx.lookup(d.get(PDFName.of("DestOutputProfile")));
    if (!(icc instanceof PDFRawStream)) continue;
    const n = ctx.lookup(icc.dict.get(PDFName.of("N")));
    let bytes: Uint8Array;
    try {
      bytes = decodePDFRawStream(icc).decode();
    } catch {
      continue;
    }
    if (
      n instanceof PDFNumber &&
      n.asNumber() === 4 &&
      Buffer.from(bytes).equals(Buffer.from(profile.bytes))
    ) {
      return ref;
    }
  }
  return undefined;
}

/** A text string: PDFDocEncoding-safe ASCII as a literal, anything else UTF-16BE. */
function textString(s: string): PDFString | PDFHexString {
  return /^[\x20-\x7e]*$/.test(s)
    ? PDFString.of(s.replace(/[\\()]/g, (c) => `\\${c}`))
    : PDFHexString.fromText(s);
}

/**
 * Removes no-op entries from ExtGStates (/CA 1, /ca 1, /SMask /None, /BM /Normal or /Compatible), transparency
 * groups (a no-op once nothing is transparent; anything transparent is refused by the check that follows) and
 * link annotations (with their actions), throughout the document.
 */
function cleanUp(doc: PDFDocument): void {
  const ctx = doc.context;
  const look = (o: PDFObject | undefined) => (o instanceof PDFRef ? ctx.lookup(o) : o);
  const dictOf = (o: PDFObject | undefined) => {
    const v = look(o);
    return v instanceof PDFDict ? v : v instanceof PDFStream ? v.dict : undefined;
  };
  const isName = (o: PDFObject | undefined, ...names: string[]) => {
    const v = look(o);
    return v instanceof PDFName && names.includes(v.decodeText());
  };
  const cleanGs = (gs: PDFDict) => {
    for (const key of ["CA", "ca"]) {
      const v = look(gs.get(PDFName.of(key)));
      if (v instanceof PDFNumber && v.asNumber() === 1) gs.delete(PDFName.of(key));
    }
    if (isName(gs.get(PDFName.of("SMask")), "None")) gs.delete(PDFName.of("SMask"));
    const bm = look(gs.get(PDFName.of("BM")));
    const modes = bm instanceof PDFArray ? bm.asArray() : bm ? [bm] : [];
    if (modes.length > 0 && modes.every((m) => isName(m, "Normal", "Compatible")))
      gs.delete(PDFName.of("BM"));
  };

  const seen = new Set<PDFObject>();
  const stack: PDFObject[] = [doc.catalog];
  while (stack.length) {
    const obj = look(stack.pop());
    if (!obj || seen.has(obj)) continue;
    seen.add(obj);
    if (obj instanceof PDFArray) {
      stack.push(...obj.asArray());
      continue;
    }
    const d = obj instanceof PDFStream ? obj.dict : obj instanceof PDFDict ? obj : undefined;
    if (!d) continue;
    if (isName(d.get(PDFName.of("Type")), "ExtGState")) cleanGs(d);
    const gsMap = dictOf(d.get(PDFName.of("ExtGState")));
    if (gsMap && !isName(d.get(PDFName.of("Type")), "ExtGState")) {
      for (const [, v] of gsMap.entries()) {
        const gs = dictOf(v);
        if (gs) cleanGs(gs);
      }
    }
    const group = dictOf(d.get(PDFName.of("Group")));
    if (group && isName(group.get(PDFName.of("S")), "Transparency")) d.delete(PDFName.of("Group"));
    const annots = look(d.get(PDFName.of("Annots")));
    if (annots instanceof PDFArray) {
      const keep = annots.asArray().filter((a) => !isName(dictOf(a)?.get(PDFName.of("Subtype")), "Link"));
      if (keep.length === 0) d.delete(PDFName.of("Annots"));
      else if (keep.length !== annots.size()) d.set(PDFName.of("Annots"), ctx.obj(keep));
    }
    for (const [k, v] of d.entries()) if (k.decodeText() !== "Parent") stack.push(v);
  }
}
