import {
  PDFArray,
  PDFDict,
  type PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  type PDFObject,
  PDFRawStream,
  PDFRef,
  PDFStream,
  PDFString,
} from "./pdf-lib.js";
import { decodeStream } from "./pdf-lib-zlib.js";
import { nameOf, type Operand, PDF13_OPERATORS, scanContent } from "./pdfx-content.js";

/**
 * The PDF/X-1a:2001 (ISO 15930-1) preflight behind `checkPdfX` (pdfx.ts). Each problem is one line, starting
 * with what kind of problem it is (`RGB colour:`, `transparency:`, `font:`, `page 2:`, …) and saying where.
 *
 * What is checked:
 * - file: header version ≤ 1.3, a classic xref table (no xref or object streams), no encryption, a trailer /ID;
 * - Info: Title, GTS_PDFXVersion = PDF/X-1:2001, GTS_PDFXConformance = PDF/X-1a:2001, Trapped /True or /False,
 *   CreationDate and ModDate; no catalog /Version above 1.3;
 * - OutputIntents: exactly one /GTS_PDFX intent with an OutputConditionIdentifier, Info, and a CMYK ICC v2
 *   DestOutputProfile (N 4) — or, without a profile, a RegistryName;
 * - pages: a TrimBox or an ArtBox (not both), a BleedBox, each box inside the next (Trim/Art ⊆ Bleed ⊆ Media);
 *   no annotation other than a printer's mark inside the BleedBox; no separated pages;
 * - colour: only DeviceCMYK, DeviceGray, Separation/DeviceN with such an alternate, Indexed and Pattern on those —
 *   in resources, images, shadings, groups, and in content streams (`rg`/`RG`, `cs`/`CS`, inline images);
 * - transparency: ExtGState CA/ca < 1, SMask, blend modes other than Normal/Compatible, soft-masked images,
 *   transparency groups;
 * - fonts: every font embedded (FontFile/FontFile2/FontFile3; Type3 fonts are drawn in the file), no OpenType
 *   FontFile3 (PDF 1.6);
 * - later-than-1.3 or X-forbidden features: LZW, JBIG2, JPEG 2000 and Crypt filters, 16-bit images, optional
 *   content, reference XObjects, PostScript XObjects and the PS operator, operators PDF 1.3 does not know (outside
 *   BX/EX), transfer functions, halftones other than types 1 and 5 or with a HalftoneName, OPI, alternate images,
 *   external streams and file specifications, JavaScript and actions (other than GoTo), embedded files.
 */

/** ICC-registered characterisations (www.color.org) a DestOutputProfile only illustrates; see `checkProfile`. */
const REGISTERED_CONDITIONS = new Set([
  "CGATS TR 001",
  "CGATS TR 005",
  "CGATS TR 006",
  "JC200103",
  "JC200104",
  "JCN2002",
  "FOGRA27",
  "FOGRA39",
  "FOGRA51",
]);

const ACTION_TYPES = new Set([
  "JavaScript",
  "Launch",
  "SubmitForm",
  "ResetForm",
  "ImportData",
  "URI",
  "Sound",
  "Movie",
  "Hide",
  "Rendition",
  "GoToR",
  "GoToE",
  "Thread",
  "SetOCGState",
  "GoTo3DView",
  "Trans",
]);

const FORBIDDEN_FILTERS: Record<string, string> = {
  LZWDecode: "LZW compression (not allowed in PDF/X-1a)",
  LZW: "LZW compression (not allowed in PDF/X-1a)",
  JBIG2Decode: "JBIG2 compression (PDF 1.4)",
  JPXDecode: "JPEG 2000 compression (PDF 1.5)",
  Crypt: "Crypt filter (PDF 1.5)",
};

/** Keys whose dictionary value names resources; their entries are labelled with the key and name. */
const RESOURCE_KINDS = new Set([
  "XObject",
  "Font",
  "ExtGState",
  "ColorSpace",
  "Pattern",
  "Shading",
  "Properties",
]);

const EPS = 0.01;

type Box = [number, number, number, number];

/** Checks on the file's bytes: header, cross-reference table, object streams. */
export function checkBytes(pdf: Uint8Array): string[] {
  const problems: string[] = [];
  const head = Buffer.from(pdf.subarray(0, 16)).toString("latin1");
  const version = /^%PDF-(\d)\.(\d)/.exec(head);
  if (!version) problems.push("file: no %PDF- header at the start of the file");
  else if (Number(version[1]) !== 1 || Number(version[2]) > 3) {
    problems.push(`file: header %PDF-${version[1]}.${version[2]}; PDF/X-1a:2001 is PDF 1.3`);
  }
  // Read where it matters, not as one string: a print edition of photos is tens of MB (at 100 pages, copying it
  // and turning it into text held twice its size at the build's peak).
  const bytes = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const tail = bytes.toString("latin1", Math.max(0, bytes.length - 1024));
  const startxref = /startxref\s+(\d+)\s*%%EOF\s*$/.exec(tail);
  if (!startxref) problems.push("file: no startxref … %%EOF at the end of the file");
  else if (bytes.toString("latin1", Number(startxref[1]), Number(startxref[1]) + 4) !== "xref") {
    problems.push("file: cross-reference stream instead of an xref table (PDF 1.5)");
  }
  if (hasObjectStreams(bytes)) problems.push("file: object streams (PDF 1.5)");
  return problems;
}

/** Whether `/Type /ObjStm` is written anywhere: each `/ObjStm` found, with what comes before and after it. */
function hasObjectStreams(bytes: Buffer): boolean {
  for (let at = bytes.indexOf("/ObjStm"); at >= 0; at = bytes.indexOf("/ObjStm", at + 1)) {
    const before = bytes.toString("latin1", Math.max(0, at - 256), at);
    if (/\/Type\s*$/.test(before) && !/\w/.test(bytes.toString("latin1", at + 7, at + 8))) return true;
  }
  return false;
}

/** Checks on the document's objects. */
export function checkDocument(doc: PDFDocument): string[] {
  return new Preflight(doc).run();
}

class Preflight {
  private readonly problems = new Set<string>();
  private readonly visited = new Set<PDFObject>();
  private readonly checkedGs = new Set<PDFObject>();
  private readonly ctx;

  constructor(private readonly doc: PDFDocument) {
    this.ctx = doc.context;
  }

  run(): string[] {
    this.trailer();
    this.info();
    this.catalog();
    this.doc.getPages().forEach((page, i) => {
      const where = `page ${i + 1}`;
      const node = page.node;
      this.pageBoxes(node, where);
      const resources = this.dict(node.Resources());
      const contents = this.look(node.get(PDFName.of("Contents")));
      const parts = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : [];
      const text = parts.map((c) => this.streamText(this.look(c), `${where} content`) ?? "").join("\n");
      this.content(text, resources, `${where} content`);
      this.visited.add(node);
      this.sweep(node, where, resources);
    });
    this.sweep(this.doc.catalog, "catalog", undefined);
    const info = this.ctx.trailerInfo.Info;
    if (info) this.sweep(info, "Info", undefined);
    return [...this.problems];
  }

  // -------------------------------------------------------------------------------------------------------
  // helpers
  // -------------------------------------------------------------------------------------------------------

  private add(problem: string): void {
    this.problems.add(problem);
  }

  private look(o: PDFObject | undefined): PDFObject | undefined {
    return o instanceof PDFRef ? this.ctx.lookup(o) : o;
  }

  private dict(o: PDFObject | undefined): PDFDict | undefined {
    const v = this.look(o);
    return v instanceof PDFDict ? v : v instanceof PDFStream ? v.dict : undefined;
  }

  private name(o: PDFObject | undefined): string | undefined {
    const v = this.look(o);
    return v instanceof PDFName ? v.decodeText() : undefined;
  }

  private num(o: PDFObject | undefined): number | undefined {
    const v = this.look(o);
    return v instanceof PDFNumber ? v.asNumber() : undefined;
  }

  private text(o: PDFObject | undefined): string | undefined {
    const v = this.look(o);
    return v instanceof PDFString || v instanceof PDFHexString ? v.decodeText() : undefined;
  }

  private get(d: PDFDict | undefined, key: string): PDFObject | undefined {
    return d ? this.look(d.get(PDFName.of(key))) : undefined;
  }

  private box(o: PDFObject | undefined): Box | undefined {
    const v = this.look(o);
    if (!(v instanceof PDFArray) || v.size() !== 4) return undefined;
    const n = v.asArray().map((x) => this.num(x));
    if (n.some((x) => x === undefined)) return undefined;
    const [a, b, c, d] = n as number[] as Box;
    return [Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)];
  }

  private streamBytes(o: PDFObject | undefined): Uint8Array | undefined {
    if (o instanceof PDFRawStream) return decodeStream(o).decode();
    if (o instanceof PDFStream) {
      const s = o as PDFStream & { getUnencodedContents?: () => Uint8Array };
      return s.getUnencodedContents ? s.getUnencodedContents() : s.getContents();
    }
    return undefined;
  }

  private streamText(o: PDFObject | undefined, where: string): string | undefined {
    try {
      const bytes = this.streamBytes(o);
      return bytes ? Buffer.from(bytes).toString("latin1") : undefined;
    } catch (e) {
      this.add(`file: ${where} cannot be decoded (${e instanceof Error ? e.message : String(e)})`);
      return undefined;
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // document level
  // -------------------------------------------------------------------------------------------------------

  private trailer(): void {
    const t = this.ctx.trailerInfo;
    if (t.Encrypt) this.add("file: encrypted (PDF/X forbids encryption)");
    const id = this.look(t.ID);
    const ok =
      id instanceof PDFArray &&
      id.size() === 2 &&
      id.asArray().every((x) => {
        const v = this.look(x);
        return (v instanceof PDFHexString || v instanceof PDFString) && v.asBytes().length > 0;
      });
    if (!ok) this.add("file: no trailer /ID (two byte strings)");
  }

  private info(): void {
    const info = this.dict(this.ctx.trailerInfo.Info);
    if (!info) {
      this.add("Info: no document information dictionary");
      return;
    }
    const title = this.text(info.get(PDFName.of("Title")));
    if (!title?.trim()) this.add("Info: no Title");
    const version = this.text(info.get(PDFName.of("GTS_PDFXVersion")));
    if (version !== "PDF/X-1:2001") {
      this.add(
        `Info: GTS_PDFXVersion is ${version === undefined ? "missing" : `"${version}"`}, not "PDF/X-1:2001"`,
      );
    }
    const conformance = this.text(info.get(PDFName.of("GTS_PDFXConformance")));
    if (conformance !== "PDF/X-1a:2001") {
      this.add(
        `Info: GTS_PDFXConformance is ${conformance === undefined ? "missing" : `"${conformance}"`}, not "PDF/X-1a:2001"`,
      );
    }
    const trapped = this.name(info.get(PDFName.of("Trapped")));
    if (trapped !== "True" && trapped !== "False") {
      this.add("Info: Trapped must be the name /True or /False");
    }
    for (const key of ["CreationDate", "ModDate"]) {
      const v = this.look(info.get(PDFName.of(key)));
      let valid = false;
      if (v instanceof PDFString || v instanceof PDFHexString) {
        try {
          valid = !Number.isNaN(v.decodeDate().getTime());
        } catch {
          valid = false;
        }
      }
      if (!valid) this.add(`Info: no valid ${key}`);
    }
  }

  private catalog(): void {
    const cat = this.doc.catalog;
    const version = this.name(cat.get(PDFName.of("Version")));
    if (version && Number(version) > 1.3)
      this.add(`file: catalog /Version ${version}; PDF/X-1a:2001 is PDF 1.3`);
    if (cat.has(PDFName.of("OCProperties"))) this.add("PDF 1.5 feature: optional content (OCProperties)");
    const names = this.dict(cat.get(PDFName.of("Names")));
    if (names?.has(PDFName.of("JavaScript")))
      this.add("interactive: document JavaScript (Names /JavaScript)");
    if (names?.has(PDFName.of("EmbeddedFiles")))
      this.add("interactive: embedded files (Names /EmbeddedFiles)");
    this.outputIntents();
  }

  private outputIntents(): void {
    const arr = this.look(this.doc.catalog.get(PDFName.of("OutputIntents")));
    const intents = arr instanceof PDFArray ? arr.asArray().map((o) => this.dict(o)) : [];
    const pdfx = intents.filter((d) => d && this.name(d.get(PDFName.of("S"))) === "GTS_PDFX") as PDFDict[];
    if (pdfx.length === 0) {
      this.add("OutputIntent: no OutputIntents entry with /S /GTS_PDFX");
      return;
    }
    if (pdfx.length > 1)
      this.add(`OutputIntent: ${pdfx.length} /GTS_PDFX output intents; exactly one allowed`);
    const oi = pdfx[0] as PDFDict;
    const identifier = this.text(oi.get(PDFName.of("OutputConditionIdentifier")));
    if (!identifier) this.add("OutputIntent: no OutputConditionIdentifier");
    if (this.text(oi.get(PDFName.of("Info"))) === undefined) this.add("OutputIntent: no Info string");
    const registry = this.text(oi.get(PDFName.of("RegistryName")));
    const profile = this.look(oi.get(PDFName.of("DestOutputProfile")));
    if (!profile) {
      if (!registry) this.add("OutputIntent: neither a DestOutputProfile nor a RegistryName");
      return;
    }
    if (!(profile instanceof PDFStream)) {
      this.add("OutputIntent: DestOutputProfile is not a stream");
      return;
    }
    this.checkProfile(profile, identifier, registry);
  }

  /**
   * The destination profile: an ICC profile (version 2, which PDF 1.3 knows) for CMYK, /N 4. ISO 15930-1 wants
   * an output ('prtr') profile; a profile of another class is accepted only beside the reference name of a
   * characterisation registered at www.color.org (e.g. "CGATS TR 001"), which is then what defines the
   * condition — a strict preflight may still ask for an output profile there (see pdfx.ts).
   */
  private checkProfile(
    profile: PDFStream,
    identifier: string | undefined,
    registry: string | undefined,
  ): void {
    const n = this.num(profile.dict.get(PDFName.of("N")));
    if (n !== 4) this.add(`OutputIntent: DestOutputProfile has /N ${n ?? "missing"}, not 4 (CMYK)`);
    let bytes: Uint8Array | undefined;
    try {
      bytes = this.streamBytes(profile);
    } catch {
      bytes = undefined;
    }
    if (!bytes || bytes.length < 132) {
      this.add("OutputIntent: DestOutputProfile cannot be read as an ICC profile");
      return;
    }
    const b = Buffer.from(bytes);
    const tag = (o: number) => b.toString("latin1", o, o + 4);
    if (tag(36) !== "acsp") {
      this.add("OutputIntent: DestOutputProfile is not an ICC profile (no 'acsp' signature)");
      return;
    }
    if (b.readUInt32BE(0) !== b.length)
      this.add("OutputIntent: DestOutputProfile's size field does not match");
    if (tag(16) !== "CMYK") this.add(`OutputIntent: DestOutputProfile is for '${tag(16).trim()}', not CMYK`);
    const major = b[8] ?? 0;
    if (major !== 2)
      this.add(`OutputIntent: DestOutputProfile is ICC version ${major}; PDF 1.3 takes version 2`);
    const registered =
      registry?.replace(/\/$/, "") === "http://www.color.org" && REGISTERED_CONDITIONS.has(identifier ?? "");
    if (tag(12) !== "prtr" && !registered) {
      this.add(`OutputIntent: DestOutputProfile is an '${tag(12)}' profile, not an output ('prtr') profile`);
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // pages
  // -------------------------------------------------------------------------------------------------------

  private pageBoxes(node: PDFDict, where: string): void {
    const inherited = (key: string): PDFObject | undefined => {
      for (let d: PDFDict | undefined = node; d; d = this.dict(d.get(PDFName.of("Parent")))) {
        const v = d.get(PDFName.of(key));
        if (v) return v;
      }
      return undefined;
    };
    const media = this.box(inherited("MediaBox"));
    const trim = this.box(node.get(PDFName.of("TrimBox")));
    const art = this.box(node.get(PDFName.of("ArtBox")));
    const bleed = this.box(node.get(PDFName.of("BleedBox")));
    if (!media) this.add(`${where}: no valid MediaBox`);
    if (!trim && !art) this.add(`${where}: no TrimBox or ArtBox`);
    if (trim && art) this.add(`${where}: both TrimBox and ArtBox; PDF/X wants one of them`);
    if (!bleed) this.add(`${where}: no BleedBox (the print shop needs the bleed)`);
    const inside = (a: Box, b: Box) =>
      a[0] >= b[0] - EPS && a[1] >= b[1] - EPS && a[2] <= b[2] + EPS && a[3] <= b[3] + EPS;
    const show = (b: Box) => `[${b.map((x) => Math.round(x * 1000) / 1000).join(" ")}]`;
    for (const [label, b] of [
      ["TrimBox", trim],
      ["ArtBox", art],
    ] as const) {
      if (b && bleed && !inside(b, bleed))
        this.add(`${where}: ${label} ${show(b)} is not inside BleedBox ${show(bleed)}`);
      if (b && media && !inside(b, media))
        this.add(`${where}: ${label} ${show(b)} is not inside MediaBox ${show(media)}`);
    }
    if (bleed && media && !inside(bleed, media)) {
      this.add(`${where}: BleedBox ${show(bleed)} is not inside MediaBox ${show(media)}`);
    }
    if (node.has(PDFName.of("SeparationInfo"))) this.add(`${where}: a pre-separated page (SeparationInfo)`);

    // Annotations: only printer's marks (and trap networks) may lie inside the BleedBox (or TrimBox, or page).
    const region = bleed ?? trim ?? art ?? media;
    const annots = this.look(node.get(PDFName.of("Annots")));
    if (annots instanceof PDFArray) {
      for (const a of annots.asArray()) {
        const d = this.dict(a);
        if (!d) continue;
        const subtype = this.name(d.get(PDFName.of("Subtype"))) ?? "?";
        if (subtype === "PrinterMark" || subtype === "TrapNet") continue;
        const r = this.box(d.get(PDFName.of("Rect")));
        const overlaps =
          !r || !region || (r[0] < region[2] && r[2] > region[0] && r[1] < region[3] && r[3] > region[1]);
        if (overlaps) this.add(`interactive: ${where} has a /${subtype} annotation inside the BleedBox`);
      }
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // the object graph
  // -------------------------------------------------------------------------------------------------------

  /**
   * Visits every object reachable from `start` once (the first path names it), checking what each one is.
   * `role` marks a Resources dictionary, one of its named maps (XObject, Font, …) and the maps' entries.
   */
  private sweep(start: PDFObject, where: string, resources: PDFDict | undefined): void {
    type Frame = { obj: PDFObject; where: string; resources: PDFDict | undefined; role?: string };
    const stack: Frame[] = [{ obj: start, where, resources }];
    let first = true;
    while (stack.length) {
      const f = stack.pop() as Frame;
      const obj = this.look(f.obj);
      if (!obj || (!first && this.visited.has(obj))) continue;
      first = false;
      this.visited.add(obj);
      const children: Frame[] = [];
      if (obj instanceof PDFArray) {
        for (const c of obj.asArray()) children.push({ obj: c, where: f.where, resources: f.resources });
      } else if (obj instanceof PDFDict || obj instanceof PDFStream) {
        const d = obj instanceof PDFStream ? obj.dict : obj;
        const own = this.dict(d.get(PDFName.of("Resources")));
        this.inspect(obj, d, f.where, f.resources);
        if (f.role === "entry:ExtGState") this.checkGs(d, f.where);
        const kind = f.role?.startsWith("map:") ? f.role.slice(4) : undefined;
        for (const [k, v] of d.entries()) {
          const key = k.decodeText();
          if (key === "Parent" || key === "P") continue;
          if (kind) {
            children.push({
              obj: v,
              where: `${f.where} › ${kind} /${key}`,
              resources: f.resources,
              role: `entry:${kind}`,
            });
          } else if (key === "Resources") {
            children.push({ obj: v, where: f.where, resources: own, role: "resources" });
          } else if (f.role === "resources" && RESOURCE_KINDS.has(key)) {
            children.push({ obj: v, where: f.where, resources: f.resources, role: `map:${key}` });
          } else {
            children.push({ obj: v, where: f.where, resources: own ?? f.resources });
          }
        }
      }
      stack.push(...children.reverse());
    }
  }

  /** What one dictionary (or stream) is, and whether PDF/X-1a allows it. */
  private inspect(obj: PDFDict | PDFStream, d: PDFDict, where: string, resources: PDFDict | undefined): void {
    const type = this.name(d.get(PDFName.of("Type")));
    const subtype = this.name(d.get(PDFName.of("Subtype")));

    if (obj instanceof PDFStream) {
      const filter = this.look(d.get(PDFName.of("Filter")));
      const filters =
        filter instanceof PDFArray ? filter.asArray().map((x) => this.name(x)) : [this.name(filter)];
      for (const f of filters) {
        const why = f ? FORBIDDEN_FILTERS[f] : undefined;
        if (why) this.add(`PDF/X-1a: ${why} in ${where}`);
      }
      if (d.has(PDFName.of("F")))
        this.add(`PDF/X-1a: external stream data (/F file specification) in ${where}`);
    }

    if (subtype === "Image") this.checkImage(d, where);
    if (subtype === "Form" && obj instanceof PDFStream) {
      if (d.has(PDFName.of("Ref"))) this.add(`PDF 1.4 feature: reference XObject in ${where}`);
      const own = this.dict(d.get(PDFName.of("Resources"))) ?? resources;
      this.content(this.streamText(obj, `${where} content`) ?? "", own, `${where} content`);
    }
    if (subtype === "PS" && type !== "Annot") this.add(`PDF/X-1a: PostScript XObject in ${where}`);
    if (this.num(d.get(PDFName.of("PatternType"))) === 1 && obj instanceof PDFStream) {
      const own = this.dict(d.get(PDFName.of("Resources"))) ?? resources;
      this.content(this.streamText(obj, `${where} pattern`) ?? "", own, `${where} pattern`);
    }
    if (type === "Font" && subtype !== "CIDFontType0" && subtype !== "CIDFontType2") this.checkFont(d, where);
    const charProcs = this.dict(d.get(PDFName.of("CharProcs")));
    if (charProcs && subtype === "Type3") {
      const own = this.dict(d.get(PDFName.of("Resources"))) ?? resources;
      for (const [k, v] of charProcs.entries()) {
        const glyph = `${where} glyph /${k.decodeText()}`;
        this.content(this.streamText(this.look(v), glyph) ?? "", own, glyph);
      }
    }
    if (type === "ExtGState") this.checkGs(d, where);

    // Colour spaces: a resource dictionary of them, or one (images, shadings, groups' /CS).
    const cs = d.get(PDFName.of("ColorSpace"));
    if (cs) {
      const v = this.look(cs);
      if (v instanceof PDFDict) {
        for (const [k, c] of v.entries()) this.checkCs(c, `${where} › ColorSpace /${k.decodeText()}`);
      } else this.checkCs(cs, where);
    }
    const group = this.dict(d.get(PDFName.of("Group")));
    if (group && this.name(group.get(PDFName.of("S"))) === "Transparency") {
      this.add(`transparency: transparency group in ${where}`);
      const gcs = group.get(PDFName.of("CS"));
      if (gcs) this.checkCs(gcs, `${where} (group colour space)`);
    }

    if (d.has(PDFName.of("JS")) || this.name(d.get(PDFName.of("S"))) === "JavaScript") {
      this.add(`interactive: JavaScript in ${where}`);
    } else {
      const s = this.name(d.get(PDFName.of("S")));
      if (s && ACTION_TYPES.has(s) && (type === "Action" || type === undefined)) {
        this.add(`interactive: /${s} action in ${where}`);
      }
    }
    if (d.has(PDFName.of("AA"))) this.add(`interactive: additional actions (AA) in ${where}`);
    if (type === "Filespec") this.add(`PDF/X-1a: file specification in ${where}`);
    if (d.has(PDFName.of("OPI"))) this.add(`PDF/X-1a: OPI comments in ${where}`);
    if (d.has(PDFName.of("Alternates"))) this.add(`PDF/X-1a: alternate images in ${where}`);
  }

  private checkImage(d: PDFDict, where: string): void {
    const smask = this.look(d.get(PDFName.of("SMask")));
    if (smask && !(smask instanceof PDFName && smask.decodeText() === "None")) {
      this.add(`transparency: soft-masked image (SMask) in ${where}`);
    }
    if ((this.num(d.get(PDFName.of("SMaskInData"))) ?? 0) > 0) {
      this.add(`transparency: image with an alpha channel (SMaskInData) in ${where}`);
    }
    if (this.num(d.get(PDFName.of("BitsPerComponent"))) === 16)
      this.add(`PDF 1.5 feature: 16-bit image in ${where}`);
  }

  private checkGs(d: PDFDict, where: string): void {
    if (this.checkedGs.has(d)) return;
    this.checkedGs.add(d);
    for (const key of ["CA", "ca"]) {
      const v = this.num(d.get(PDFName.of(key)));
      if (v !== undefined && v < 1) this.add(`transparency: ExtGState /${key} ${v} (opacity) in ${where}`);
    }
    const smask = this.look(d.get(PDFName.of("SMask")));
    if (smask && !(smask instanceof PDFName && smask.decodeText() === "None")) {
      this.add(`transparency: ExtGState soft mask (SMask) in ${where}`);
    }
    const bm = this.look(d.get(PDFName.of("BM")));
    const modes = bm instanceof PDFArray ? bm.asArray().map((x) => this.name(x)) : bm ? [this.name(bm)] : [];
    for (const m of modes) {
      if (m !== "Normal" && m !== "Compatible") this.add(`transparency: blend mode /${m ?? "?"} in ${where}`);
    }
    if (d.has(PDFName.of("TR"))) this.add(`PDF/X-1a: transfer function (TR) in ${where}`);
    const tr2 = d.get(PDFName.of("TR2"));
    if (tr2 && this.name(tr2) !== "Default") this.add(`PDF/X-1a: transfer function (TR2) in ${where}`);
    const ht = this.dict(d.get(PDFName.of("HT")));
    if (ht) {
      const t = this.num(ht.get(PDFName.of("HalftoneType")));
      if (t !== 1 && t !== 5) this.add(`PDF/X-1a: halftone of type ${t ?? "?"} in ${where} (only 1 and 5)`);
      if (ht.has(PDFName.of("HalftoneName"))) this.add(`PDF/X-1a: halftone with a HalftoneName in ${where}`);
    }
    const font = this.look(d.get(PDFName.of("Font")));
    if (font instanceof PDFArray) {
      const fd = this.dict(font.get(0));
      if (fd) this.checkFont(fd, `${where} (ExtGState font)`);
    }
  }

  private checkFont(d: PDFDict, where: string): void {
    const subtype = this.name(d.get(PDFName.of("Subtype")));
    if (subtype === "Type3") return; // glyphs are content streams in the file
    const baseFont = this.name(d.get(PDFName.of("BaseFont"))) ?? "(unnamed)";
    let descriptorOwner: PDFDict | undefined = d;
    if (subtype === "Type0") {
      const desc = this.look(d.get(PDFName.of("DescendantFonts")));
      descriptorOwner = desc instanceof PDFArray ? this.dict(desc.get(0)) : undefined;
    }
    const fd = this.dict(descriptorOwner?.get(PDFName.of("FontDescriptor")));
    const file = ["FontFile", "FontFile2", "FontFile3"].map((k) => this.get(fd, k)).find((f) => f);
    if (!(file instanceof PDFStream)) {
      this.add(`font: ${baseFont} is not embedded (${where})`);
      return;
    }
    const ff3 = this.get(fd, "FontFile3");
    if (ff3 instanceof PDFStream && this.name(ff3.dict.get(PDFName.of("Subtype"))) === "OpenType") {
      this.add(`PDF 1.6 feature: font ${baseFont} embedded as OpenType (FontFile3 /OpenType) (${where})`);
    }
  }

  /** One colour space (a name or an array). */
  private checkCs(o: PDFObject | undefined, where: string): void {
    const v = this.look(o);
    if (v instanceof PDFName) {
      this.checkCsName(v.decodeText(), where);
      return;
    }
    if (!(v instanceof PDFArray)) return;
    const family = this.name(v.get(0));
    switch (family) {
      case "ICCBased": {
        const stream = this.look(v.get(1));
        const n = stream instanceof PDFStream ? this.num(stream.dict.get(PDFName.of("N"))) : undefined;
        if (n === 3) this.add(`RGB colour: ICCBased RGB (N 3) colour space in ${where}`);
        else this.add(`device-independent colour: ICCBased (N ${n ?? "?"}) colour space in ${where}`);
        return;
      }
      case "CalRGB":
        this.add(`RGB colour: CalRGB colour space in ${where}`);
        return;
      case "CalGray":
      case "Lab":
        this.add(`device-independent colour: ${family} colour space in ${where}`);
        return;
      case "Indexed":
      case "I":
        this.checkCs(v.get(1), `${where} (Indexed base)`);
        return;
      case "Pattern":
        if (v.size() > 1) this.checkCs(v.get(1), `${where} (Pattern base)`);
        return;
      case "Separation":
        this.checkCs(v.get(2), `${where} (Separation alternate)`);
        return;
      case "DeviceN": {
        const names = this.look(v.get(1));
        if (names instanceof PDFArray && names.size() > 8) {
          this.add(`PDF 1.3 limit: DeviceN with ${names.size()} colorants (at most 8) in ${where}`);
        }
        this.checkCs(v.get(2), `${where} (DeviceN alternate)`);
        const attrs = this.dict(v.get(4));
        const colorants = this.dict(attrs?.get(PDFName.of("Colorants")));
        if (colorants)
          for (const [, c] of colorants.entries()) this.checkCs(c, `${where} (DeviceN colorant)`);
        return;
      }
      default:
        if (family) this.checkCsName(family, where);
    }
  }

  private checkCsName(name: string, where: string): void {
    switch (name) {
      case "DeviceCMYK":
      case "CMYK":
      case "DeviceGray":
      case "G":
      case "Pattern":
        return;
      case "DeviceRGB":
      case "RGB":
        this.add(`RGB colour: DeviceRGB in ${where}`);
        return;
      case "CalRGB":
        this.add(`RGB colour: CalRGB in ${where}`);
        return;
      case "CalGray":
      case "Lab":
      case "ICCBased":
        this.add(`device-independent colour: ${name} in ${where}`);
        return;
      default:
        this.add(`colour: unknown colour space /${name} in ${where}`);
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // content streams
  // -------------------------------------------------------------------------------------------------------

  private content(text: string, resources: PDFDict | undefined, where: string): void {
    if (!text) return;
    const ops = scanContent(text);
    const csResources = this.dict(resources?.get(PDFName.of("ColorSpace")));
    const counts = new Map<string, number>();
    const count = (what: string) => counts.set(what, (counts.get(what) ?? 0) + 1);
    let compat = 0;
    const inlineCs = (o: Operand | undefined, label: string) => {
      const first = Array.isArray(o) ? o[0] : o;
      const n = nameOf(first);
      if (!n) return;
      if (Array.isArray(o) && (n === "I" || n === "Indexed")) {
        inlineCs(o[1], `${label} (Indexed base)`);
        return;
      }
      const abbreviations: Record<string, string> = { G: "DeviceGray", RGB: "DeviceRGB", CMYK: "DeviceCMYK" };
      const full = abbreviations[n] ?? n;
      if (full.startsWith("Device") || full === "CalRGB" || full === "CalGray" || full === "Lab") {
        if (full === "DeviceRGB" || full === "CalRGB") count(`${label} in ${full}`);
        else if (full !== "DeviceCMYK" && full !== "DeviceGray")
          this.checkCsName(full, `${where} (${label})`);
      } else if (!csResources?.has(PDFName.of(n))) {
        this.add(`colour: ${label} uses colour space /${n}, which ${where}'s resources do not define`);
      }
    };
    for (const { op, operands, inlineImage } of ops) {
      switch (op) {
        case "rg":
          count("rg (DeviceRGB fill colour)");
          break;
        case "RG":
          count("RG (DeviceRGB stroke colour)");
          break;
        case "cs":
        case "CS": {
          const n = nameOf(operands[operands.length - 1]);
          if (!n) break;
          if (n === "DeviceRGB") count(`/DeviceRGB ${op}`);
          else if (n === "DeviceCMYK" || n === "DeviceGray" || n === "Pattern") break;
          else if (!csResources?.has(PDFName.of(n))) {
            this.add(`colour: ${op} selects colour space /${n}, which ${where}'s resources do not define`);
          }
          break;
        }
        case "BI": {
          const d = inlineImage ?? new Map<string, Operand>();
          inlineCs(d.get("CS") ?? d.get("ColorSpace"), "inline image");
          const f = d.get("F") ?? d.get("Filter");
          for (const x of Array.isArray(f) ? f : [f]) {
            const n = nameOf(x);
            const why = n ? FORBIDDEN_FILTERS[n] : undefined;
            if (why) this.add(`PDF/X-1a: ${why} in an inline image in ${where}`);
          }
          break;
        }
        case "BX":
          compat++;
          break;
        case "EX":
          compat = Math.max(0, compat - 1);
          break;
        case "PS":
          this.add(`PDF/X-1a: PostScript (PS operator) in ${where}`);
          break;
        default:
          if (compat === 0 && !PDF13_OPERATORS.has(op))
            this.add(`PDF 1.3: unknown operator ${op} in ${where}`);
      }
    }
    for (const [what, n] of counts) {
      this.add(`RGB colour: ${where} sets RGB colour: ${n} × ${what}`);
    }
  }
}
