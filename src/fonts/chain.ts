import { readFileSync, statSync } from "node:fs";
import { KaihoError, type Warnings } from "../diagnostics.js";
import { shortHash, type TtfCache } from "./cache.js";
import type { FontsourceFamily, FontsourceFile } from "./catalogue.js";
import type { EditorFont } from "./editor.js";
import { openFont } from "./editor.js";
import { KaihoFontFace } from "./face.js";
import type { FontBook, PdfmakeFontFamily } from "./font-book.js";
import { type Measures, readMeasures, writeMeasures } from "./measures.js";
import { inRanges, type UnicodeRanges } from "./unicode-range.js";
import { woffToSfnt } from "./woff.js";

/**
 * The fallback chain as a FontBook. Each weight has its own ordered list of candidates; a candidate's
 * unicode-range rules it out without opening anything, and a candidate in range is converted (on first use,
 * synchronously), opened, and asked whether it really has the glyph.
 *
 * `pdfmakeFonts` is filled on first use: a family is added (both its TTFs made) the first time `faceFor` or
 * `primary` hands out one of its faces, so once the typeset stage is done asking, the record holds every family
 * the document can name. The record object itself never changes identity; read it after typesetting.
 */

interface Candidate {
  family: string;
  ranges: UnicodeRanges | null;
  load(): KaihoFontFace | undefined;
}

/** Where the two files of a family come from: fontsource WOFF (converted lazily) or an editor font (ready). */
interface FamilySource {
  regular: () => string | undefined;
  bold: () => string | undefined;
}

export interface EditorFonts {
  body?: EditorFont;
  bold?: EditorFont;
}

export class ChainFontBook implements FontBook {
  readonly pdfmakeFonts: Record<string, PdfmakeFontFamily> = {};
  private readonly chains: Record<"regular" | "bold", Candidate[]> = { regular: [], bold: [] };
  private readonly primaries: Record<"regular" | "bold", KaihoFontFace>;
  private readonly families = new Map<string, FamilySource>();
  private readonly found = new Map<number, KaihoFontFace | null>();
  private readonly clusterFaces = new Map<string, KaihoFontFace | null>();
  private readonly ttfPaths = new Map<string, string | null>();
  private readonly faces = new Map<string, KaihoFontFace | null>();
  /** Measurements per font file, shared by the faces made of one file (src/fonts/measures.ts). */
  private readonly measures = new Map<string, Measures>();

  constructor(
    catalogue: FontsourceFamily[],
    editor: EditorFonts,
    private readonly cache: TtfCache,
    private readonly warnings: Warnings,
    private readonly warnFile: string,
  ) {
    // The editor's fonts: one family for the pair. Without an editor bold, bold text is set in Noto Sans JP
    // Bold (a real bold) and the editor's regular font comes last in the bold chain, for what only it has.
    const editorBody = editor.body ?? editor.bold;
    const editorBold = editor.bold ?? editor.body;
    let editorFamily: string | undefined;
    if (editorBody && editorBold) {
      editorFamily = `Editor-${stemOf(editorBody.name)}`;
      this.families.set(editorFamily, { regular: () => editorBody.file, bold: () => editorBold.file });
      const family = editorFamily;
      if (editor.body) {
        const face = new KaihoFontFace(
          family,
          false,
          editor.body.file,
          editor.body.font,
          this.measuresOf(editor.body.file),
        );
        this.chains.regular.push({ family, ranges: null, load: () => face });
      }
      if (editor.bold) {
        const face = new KaihoFontFace(
          family,
          true,
          editor.bold.file,
          editor.bold.font,
          this.measuresOf(editor.bold.file),
        );
        this.chains.bold.push({ family, ranges: null, load: () => face });
      }
    }

    for (const entry of catalogue) {
      this.families.set(entry.family, {
        regular: () => this.ttf(entry.regular),
        bold: () => this.ttf(entry.bold ?? entry.regular),
      });
      this.chains.regular.push({
        family: entry.family,
        ranges: entry.ranges,
        load: () => this.face(entry.family, false, entry.regular),
      });
      // A family without bold answers bold requests with its regular face (Noto Sans Symbols 2).
      this.chains.bold.push({
        family: entry.family,
        ranges: entry.ranges,
        load: () =>
          entry.bold
            ? this.face(entry.family, true, entry.bold)
            : this.face(entry.family, false, entry.regular),
      });
    }

    if (editor.body && !editor.bold && editorFamily) {
      const face = new KaihoFontFace(
        editorFamily,
        false,
        editor.body.file,
        editor.body.font,
        this.measuresOf(editor.body.file),
      );
      this.chains.bold.push({ family: editorFamily, ranges: null, load: () => face });
    }

    const first = (weight: "regular" | "bold"): KaihoFontFace => {
      const editorFace = weight === "regular" ? editor.body : editor.bold;
      const head = editorFace ? this.chains[weight][0] : this.chains[weight].find((c) => c.ranges === null);
      const face = head?.load();
      if (!face) throw new Error(`fonts: no primary ${weight} face (is @fontsource/noto-sans-jp installed?)`);
      return face;
    };
    this.primaries = { regular: first("regular"), bold: first("bold") };
  }

  primary(bold: boolean): KaihoFontFace {
    const face = this.primaries[bold ? "bold" : "regular"];
    this.register(face.family);
    return face;
  }

  faceFor(codePoint: number, bold: boolean): KaihoFontFace | undefined {
    const key = codePoint * 2 + (bold ? 1 : 0);
    const known = this.found.get(key);
    if (known !== undefined) return known ?? undefined;
    const face = this.lookup(codePoint, bold);
    this.found.set(key, face ?? null);
    if (face) this.register(face.family);
    return face;
  }

  faceForCluster(
    text: string,
    bold: boolean,
    whole: "one glyph" | "every glyph" = "one glyph",
  ): KaihoFontFace | undefined {
    const key = `${bold ? "b" : "r"}${whole === "one glyph" ? 1 : "*"}${text}`;
    const known = this.clusterFaces.get(key);
    if (known !== undefined) return known ?? undefined;
    const first = text.codePointAt(0) ?? 0;
    // fontkit folds a variation selector into the glyph before it whether or not the face knows the sequence, so
    // one glyph proves nothing for 1️⃣ or ❤️: the face must have every code point but the text/ideographic
    // selectors (the emoji faces map U+FE0F, the request for emoji presentation).
    const needed = [...text].map((ch) => ch.codePointAt(0) ?? 0).filter((cp) => !FOLDED_SELECTOR(cp));
    let face: KaihoFontFace | undefined;
    for (const c of this.chains[bold ? "bold" : "regular"]) {
      if (c.ranges && !inRanges(c.ranges, first)) continue;
      const candidate = c.load();
      if (!candidate || !needed.every((cp) => candidate.has(cp))) continue;
      const shaped = candidate.shape(text);
      const drawn = whole === "one glyph" ? shaped.glyphs.length === 1 : shaped.glyphs.length > 0;
      if (drawn && !shaped.glyphs.includes(0)) {
        face = candidate;
        break;
      }
    }
    this.clusterFaces.set(key, face ?? null);
    if (face) this.register(face.family);
    return face;
  }

  private lookup(cp: number, bold: boolean): KaihoFontFace | undefined {
    const primary = this.primaries[bold ? "bold" : "regular"];
    if (CONTROL.test(String.fromCodePoint(cp))) return primary;
    if (SPACE_OR_IGNORABLE.test(String.fromCodePoint(cp))) {
      // Spaces stay in the body face when it has them, so runs do not break at every space.
      return primary.has(cp) ? primary : (this.search(cp, bold) ?? primary);
    }
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
    return this.search(cp, bold);
  }

  private search(cp: number, bold: boolean): KaihoFontFace | undefined {
    for (const c of this.chains[bold ? "bold" : "regular"]) {
      if (c.ranges && !inRanges(c.ranges, cp)) continue;
      const face = c.load();
      if (face?.has(cp)) return face;
    }
    return undefined;
  }

  /** Writes what this build measured for the next one (src/fonts/measures.ts). */
  saveMeasures(): void {
    for (const m of this.measures.values()) writeMeasures(m);
  }

  /** `bytes`: the file's, when already read. */
  private measuresOf(file: string, bytes?: Uint8Array): Measures {
    let m = this.measures.get(file);
    if (!m) {
      m = readMeasures(this.cache.dir, bytes ?? readFileSync(file));
      this.measures.set(file, m);
    }
    return m;
  }

  /** Add a family to pdfmakeFonts, making both of its files (a family without bold maps bold to regular). */
  private register(family: string): void {
    if (this.pdfmakeFonts[family]) return;
    const source = this.families.get(family);
    const normal = source?.regular();
    if (!source || !normal) return;
    const bold = source.bold() ?? normal;
    this.pdfmakeFonts[family] = { normal, bold, italics: normal, bolditalics: bold };
  }

  private face(family: string, bold: boolean, file: FontsourceFile): KaihoFontFace | undefined {
    const id = `${family}\0${bold}`;
    const known = this.faces.get(id);
    if (known !== undefined) return known ?? undefined;
    let face: KaihoFontFace | undefined;
    const path = this.ttf(file);
    if (path) {
      try {
        const bytes = readFileSync(path);
        face = new KaihoFontFace(family, bold, path, openFont(bytes), this.measuresOf(path, bytes));
      } catch {
        // A damaged cache file (disk full, someone edited it): make it again from the WOFF, once.
        try {
          const again = this.cache.rewrite(cacheName(file, statSync(file.woff).size), () =>
            woffToSfnt(readFileSync(file.woff)),
          );
          face = new KaihoFontFace(
            family,
            bold,
            again,
            openFont(readFileSync(again)),
            this.measuresOf(again),
          );
        } catch (e) {
          this.broken(file, e);
        }
      }
    }
    this.faces.set(id, face ?? null);
    return face;
  }

  /** The cached TTF of a fontsource WOFF, converted now if this is its first use. */
  private ttf(file: FontsourceFile): string | undefined {
    const known = this.ttfPaths.get(file.woff);
    if (known !== undefined) return known ?? undefined;
    let path: string | undefined;
    try {
      const size = statSync(file.woff).size;
      path = this.cache.ensure(cacheName(file, size), () => woffToSfnt(readFileSync(file.woff)));
    } catch (e) {
      this.broken(file, e);
    }
    this.ttfPaths.set(file.woff, path ?? null);
    return path;
  }

  private broken(file: FontsourceFile, e: unknown): void {
    // A cache that cannot be written (a full disk) is its own message, not a broken install.
    if (e instanceof KaihoError) throw e;
    this.warnings.add(
      this.warnFile,
      `フォント ${file.stem} を使えません（インストールが壊れているかもしれません: npm ci）`,
      `font ${file.stem} is unusable, the install may be damaged (try npm ci): ${(e as Error).message}`,
    );
  }
}

const CONTROL = /^\p{Cc}$/u;
const FOLDED_SELECTOR = (cp: number) => (cp >= 0xfe00 && cp <= 0xfe0e) || (cp >= 0xe0100 && cp <= 0xe01ef);
const SPACE_OR_IGNORABLE = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}]$/u;

function cacheName(file: FontsourceFile, size: number): string {
  return `${file.stem}-${shortHash(file.key, String(size))}.ttf`;
}

function stemOf(name: string): string {
  const base = name.replace(/^.*[\\/]/, "");
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(0, dot) : base;
}
