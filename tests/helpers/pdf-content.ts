/**
 * A small PDF content-stream lexer and ToUnicode CMap reader, enough for tests to follow fonts, strings,
 * the graphics-state stack and XObject/inline-image painting. Bytes are handled as "binary strings"
 * (latin1: one char per byte) so regexes and indexing stay simple.
 */

export interface CsName {
  t: "name";
  v: string;
}
/** A string operand; `v` holds raw bytes as a latin1 string. */
export interface CsString {
  t: "str";
  v: string;
}
export interface CsDict {
  t: "dict";
  v: Map<string, CsOperand>;
}
export type CsOperand = number | boolean | null | CsName | CsString | CsDict | CsOperand[];

export interface CsOperation {
  op: string;
  operands: CsOperand[];
  /** For `BI … ID … EI`: the inline image's dictionary (keys without the slash). */
  inlineImage?: Map<string, CsOperand>;
}

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]); // ()<>[]{}/%

function isRegular(c: number): boolean {
  return !WHITESPACE.has(c) && !DELIMITERS.has(c);
}

export function isName(o: CsOperand | undefined): o is CsName {
  return typeof o === "object" && o !== null && !Array.isArray(o) && o.t === "name";
}
export function isStr(o: CsOperand | undefined): o is CsString {
  return typeof o === "object" && o !== null && !Array.isArray(o) && o.t === "str";
}

type Token =
  | { k: "op"; v: string }
  | { k: "val"; v: CsOperand }
  | { k: "open"; v: "[" | "<<" }
  | { k: "close"; v: "]" | ">>" }
  | { k: "eof" };

class Lexer {
  pos = 0;
  constructor(readonly s: string) {}

  private skipWhitespaceAndComments(): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (WHITESPACE.has(c)) {
        this.pos++;
      } else if (c === 0x25) {
        while (this.pos < s.length && s[this.pos] !== "\n" && s[this.pos] !== "\r") this.pos++;
      } else {
        break;
      }
    }
  }

  next(): Token {
    this.skipWhitespaceAndComments();
    const s = this.s;
    if (this.pos >= s.length) return { k: "eof" };
    const ch = s[this.pos] as string;
    if (ch === "[") {
      this.pos++;
      return { k: "open", v: "[" };
    }
    if (ch === "]") {
      this.pos++;
      return { k: "close", v: "]" };
    }
    if (ch === "<" && s[this.pos + 1] === "<") {
      this.pos += 2;
      return { k: "open", v: "<<" };
    }
    if (ch === ">" && s[this.pos + 1] === ">") {
      this.pos += 2;
      return { k: "close", v: ">>" };
    }
    if (ch === "<") return { k: "val", v: this.hexString() };
    if (ch === "(") return { k: "val", v: this.literalString() };
    if (ch === "/") return { k: "val", v: this.name() };
    if (ch === "{" || ch === "}" || ch === ")" || ch === ">") {
      this.pos++; // stray delimiter (PostScript calculator braces never occur in content streams)
      return this.next();
    }
    const start = this.pos;
    while (this.pos < s.length && isRegular(s.charCodeAt(this.pos))) this.pos++;
    const word = s.slice(start, this.pos);
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) return { k: "val", v: Number(word) };
    if (/^[+-]?\d*\.?\d*$/.test(word)) return { k: "val", v: 0 }; // "-" or "." alone: lenient
    if (word === "true") return { k: "val", v: true };
    if (word === "false") return { k: "val", v: false };
    if (word === "null") return { k: "val", v: null };
    return { k: "op", v: word };
  }

  private name(): CsName {
    const s = this.s;
    this.pos++; // '/'
    const start = this.pos;
    while (this.pos < s.length && isRegular(s.charCodeAt(this.pos))) this.pos++;
    const raw = s.slice(start, this.pos);
    const v = raw.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) =>
      String.fromCharCode(Number.parseInt(h, 16)),
    );
    return { t: "name", v };
  }

  private hexString(): CsString {
    const s = this.s;
    const end = s.indexOf(">", this.pos);
    const stop = end < 0 ? s.length : end;
    let hex = s.slice(this.pos + 1, stop).replace(/[^0-9a-fA-F]/g, "");
    this.pos = stop + 1;
    if (hex.length % 2) hex += "0";
    let v = "";
    for (let i = 0; i < hex.length; i += 2)
      v += String.fromCharCode(Number.parseInt(hex.slice(i, i + 2), 16));
    return { t: "str", v };
  }

  private literalString(): CsString {
    const s = this.s;
    this.pos++; // '('
    let depth = 1;
    let v = "";
    while (this.pos < s.length) {
      const ch = s[this.pos++] as string;
      if (ch === "\\") {
        const e = s[this.pos++];
        if (e === undefined) break;
        if (e === "n") v += "\n";
        else if (e === "r") v += "\r";
        else if (e === "t") v += "\t";
        else if (e === "b") v += "\b";
        else if (e === "f") v += "\f";
        else if (e === "\r") {
          if (s[this.pos] === "\n") this.pos++; // line continuation
        } else if (e === "\n") {
          // line continuation
        } else if (e >= "0" && e <= "7") {
          let oct = e;
          while (oct.length < 3 && (s[this.pos] ?? "") >= "0" && (s[this.pos] ?? "") <= "7")
            oct += s[this.pos++];
          v += String.fromCharCode(Number.parseInt(oct, 8) & 0xff);
        } else {
          v += e; // \( \) \\ and unknown escapes
        }
      } else if (ch === "(") {
        depth++;
        v += ch;
      } else if (ch === ")") {
        depth--;
        if (depth === 0) break;
        v += ch;
      } else {
        v += ch;
      }
    }
    return { t: "str", v };
  }

  /** Reads one complete operand (recursing into arrays and dictionaries); `undefined` at an operator. */
  readValue(first: Token): CsOperand | undefined {
    if (first.k === "val") return first.v;
    if (first.k === "open" && first.v === "[") {
      const arr: CsOperand[] = [];
      for (;;) {
        const t = this.next();
        if (t.k === "eof" || (t.k === "close" && t.v === "]")) return arr;
        const v = this.readValue(t);
        if (v !== undefined) arr.push(v);
      }
    }
    if (first.k === "open" && first.v === "<<") {
      const map = new Map<string, CsOperand>();
      for (;;) {
        const t = this.next();
        if (t.k === "eof" || (t.k === "close" && t.v === ">>")) return { t: "dict", v: map };
        const key = this.readValue(t);
        if (!isName(key)) continue;
        const value = this.readValue(this.next());
        if (value !== undefined) map.set(key.v, value);
      }
    }
    return undefined;
  }

  /** After `BI`: reads the key/value pairs up to `ID`, then skips the image data through `EI`. */
  inlineImage(): Map<string, CsOperand> {
    const dict = new Map<string, CsOperand>();
    for (;;) {
      const t = this.next();
      if (t.k === "eof") return dict;
      if (t.k === "op" && t.v === "ID") break;
      const key = this.readValue(t);
      if (!isName(key)) continue;
      const value = this.readValue(this.next());
      if (value !== undefined) dict.set(key.v, value);
    }
    this.pos++; // the single whitespace byte after ID
    const length = dict.get("L") ?? dict.get("Length");
    if (typeof length === "number" && length >= 0) {
      this.pos += length;
    }
    const re = /[\0\t\n\f\r ]EI(?=[\0\t\n\f\r ]|$)/g;
    re.lastIndex = Math.max(0, this.pos - 1);
    const m = re.exec(this.s);
    this.pos = m ? m.index + m[0].length : this.s.length;
    return dict;
  }
}

/** Splits a content stream into operations with their operands. */
export function parseContentStream(bytes: string): CsOperation[] {
  const lexer = new Lexer(bytes);
  const ops: CsOperation[] = [];
  let operands: CsOperand[] = [];
  for (;;) {
    const t = lexer.next();
    if (t.k === "eof") break;
    if (t.k === "op") {
      if (t.v === "BI") {
        ops.push({ op: "BI", operands: [], inlineImage: lexer.inlineImage() });
      } else {
        ops.push({ op: t.v, operands });
      }
      operands = [];
      continue;
    }
    const v = lexer.readValue(t);
    if (v !== undefined) operands.push(v);
  }
  return ops;
}

/**
 * Reads a ToUnicode CMap (bfchar and both bfrange forms) into code → text. Codes are the big-endian integer
 * of the source bytes; `codeBytes` is the width of the first codespace range (1 or 2 in practice).
 */
export function parseToUnicodeCMap(cmap: string): { map: Map<number, string>; codeBytes: number } {
  const map = new Map<number, string>();
  const hexToInt = (h: string) => Number.parseInt(h || "0", 16);
  const hexToText = (h: string) => {
    const codes: number[] = [];
    for (let i = 0; i + 4 <= h.length; i += 4) codes.push(Number.parseInt(h.slice(i, i + 4), 16));
    if (h.length % 4 === 2) codes.push(Number.parseInt(h.slice(-2), 16));
    return String.fromCharCode(...codes);
  };
  let codeBytes = 2;
  const cs = /begincodespacerange\s*<([0-9a-fA-F]+)>/.exec(cmap);
  if (cs?.[1]) codeBytes = Math.max(1, cs[1].length / 2);

  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of (block[1] ?? "").matchAll(/<([0-9a-fA-F]*)>\s*<([0-9a-fA-F]*)>/g)) {
      map.set(hexToInt(m[1] ?? ""), hexToText(m[2] ?? ""));
    }
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of (block[1] ?? "").matchAll(
      /<([0-9a-fA-F]*)>\s*<([0-9a-fA-F]*)>\s*(?:<([0-9a-fA-F]*)>|\[([^\]]*)\])/g,
    )) {
      const lo = hexToInt(m[1] ?? "");
      const hi = hexToInt(m[2] ?? "");
      if (hi < lo || hi - lo > 0xffff) continue;
      if (m[3] !== undefined) {
        const base = hexToText(m[3]);
        const last = base.charCodeAt(base.length - 1);
        for (let c = lo; c <= hi; c++) {
          map.set(c, base.slice(0, -1) + String.fromCharCode(last + (c - lo)));
        }
      } else {
        const dsts = [...(m[4] ?? "").matchAll(/<([0-9a-fA-F]*)>/g)].map((d) => hexToText(d[1] ?? ""));
        dsts.forEach((d, i) => {
          if (lo + i <= hi) map.set(lo + i, d);
        });
      }
    }
  }
  return { map, codeBytes };
}

export type Matrix = [number, number, number, number, number, number];
export const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** m × n in PDF's row-vector convention: applying the result = applying m, then n. */
export function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[1] * n[2],
    m[0] * n[1] + m[1] * n[3],
    m[2] * n[0] + m[3] * n[2],
    m[2] * n[1] + m[3] * n[3],
    m[4] * n[0] + m[5] * n[2] + n[4],
    m[4] * n[1] + m[5] * n[3] + n[5],
  ];
}

export function transformPoint(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}
