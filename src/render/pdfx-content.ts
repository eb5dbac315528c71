/**
 * A small PDF content-stream scanner for the PDF/X preflight (pdfx.ts): it yields each operator with its
 * operands, and the dictionary of each inline image (`BI … ID … EI`, whose binary data it skips). Only what the
 * preflight needs is kept: numbers, names, strings (as their raw bytes), arrays, dictionaries and keywords.
 *
 * Bytes are handled as a latin1 string (one char per byte).
 */

export type Operand =
  | number
  | boolean
  | null
  | { name: string }
  | { str: string }
  | Operand[]
  | { dict: Map<string, Operand> };

export interface Operation {
  op: string;
  operands: Operand[];
  /** For `BI`: the inline image's dictionary, keys without the slash. */
  inlineImage?: Map<string, Operand>;
}

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]); // ()<>[]{}/%

const isRegular = (c: number) => !WHITESPACE.has(c) && !DELIMITERS.has(c) && !Number.isNaN(c);

export function nameOf(o: Operand | undefined): string | undefined {
  return typeof o === "object" && o !== null && !Array.isArray(o) && "name" in o ? o.name : undefined;
}

type Token =
  | { k: "word"; v: string }
  | { k: "val"; v: Operand }
  | { k: "open"; v: "[" | "<<" }
  | { k: "close"; v: "]" | ">>" }
  | { k: "eof" };

class Lexer {
  pos = 0;
  constructor(readonly s: string) {}

  skipSpace(): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (WHITESPACE.has(c)) this.pos++;
      else if (c === 0x25) {
        while (this.pos < s.length && s[this.pos] !== "\n" && s[this.pos] !== "\r") this.pos++;
      } else break;
    }
  }

  next(): Token {
    this.skipSpace();
    const s = this.s;
    if (this.pos >= s.length) return { k: "eof" };
    const ch = s[this.pos] as string;
    switch (ch) {
      case "[":
        this.pos++;
        return { k: "open", v: "[" };
      case "]":
        this.pos++;
        return { k: "close", v: "]" };
      case "{":
      case "}":
        // PostScript calculator braces only occur inside functions, never in content: skip them.
        this.pos++;
        return this.next();
      case "<":
        if (s[this.pos + 1] === "<") {
          this.pos += 2;
          return { k: "open", v: "<<" };
        }
        return { k: "val", v: { str: this.hexString() } };
      case ">":
        this.pos += s[this.pos + 1] === ">" ? 2 : 1;
        return { k: "close", v: ">>" };
      case "(":
        return { k: "val", v: { str: this.literalString() } };
      case "/":
        return { k: "val", v: { name: this.name() } };
    }
    const start = this.pos;
    while (this.pos < s.length && isRegular(s.charCodeAt(this.pos))) this.pos++;
    if (this.pos === start) {
      this.pos++; // a stray delimiter such as ")": skip it
      return this.next();
    }
    const word = s.slice(start, this.pos);
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) return { k: "val", v: Number(word) };
    if (word === "true" || word === "false") return { k: "val", v: word === "true" };
    if (word === "null") return { k: "val", v: null };
    return { k: "word", v: word };
  }

  private name(): string {
    const s = this.s;
    this.pos++; // "/"
    let out = "";
    while (this.pos < s.length && isRegular(s.charCodeAt(this.pos))) {
      const c = s[this.pos] as string;
      if (c === "#" && /^[0-9a-fA-F]{2}$/.test(s.slice(this.pos + 1, this.pos + 3))) {
        out += String.fromCharCode(Number.parseInt(s.slice(this.pos + 1, this.pos + 3), 16));
        this.pos += 3;
      } else {
        out += c;
        this.pos++;
      }
    }
    return out;
  }

  private hexString(): string {
    const s = this.s;
    const end = s.indexOf(">", this.pos);
    const hex = s.slice(this.pos + 1, end < 0 ? s.length : end).replace(/[^0-9a-fA-F]/g, "");
    this.pos = end < 0 ? s.length : end + 1;
    let out = "";
    for (let i = 0; i < hex.length; i += 2)
      out += String.fromCharCode(Number.parseInt(hex.slice(i, i + 2).padEnd(2, "0"), 16));
    return out;
  }

  private literalString(): string {
    const s = this.s;
    this.pos++; // "("
    let depth = 1;
    let out = "";
    while (this.pos < s.length) {
      const c = s[this.pos++] as string;
      if (c === "\\") {
        const e = s[this.pos++] ?? "";
        const simple: Record<string, string> = { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f" };
        if (e in simple) out += simple[e];
        else if (/[0-7]/.test(e)) {
          let oct = e;
          while (oct.length < 3 && /[0-7]/.test(s[this.pos] ?? "")) oct += s[this.pos++];
          out += String.fromCharCode(Number.parseInt(oct, 8) & 0xff);
        } else if (e === "\r") {
          if (s[this.pos] === "\n") this.pos++;
        } else if (e !== "\n") out += e;
      } else if (c === "(") {
        depth++;
        out += c;
      } else if (c === ")") {
        if (--depth === 0) break;
        out += c;
      } else out += c;
    }
    return out;
  }
}

/** Reads one operand whose first token is `t` (arrays and dictionaries recursively). */
function operand(lx: Lexer, t: Token): Operand | undefined {
  if (t.k === "val") return t.v;
  if (t.k === "word") return { name: `(keyword ${t.v})` }; // a keyword inside an array/dict: not an operator
  if (t.k === "open" && t.v === "[") {
    const arr: Operand[] = [];
    for (let u = lx.next(); u.k !== "eof" && !(u.k === "close" && u.v === "]"); u = lx.next()) {
      const o = operand(lx, u);
      if (o !== undefined) arr.push(o);
    }
    return arr;
  }
  if (t.k === "open" && t.v === "<<") {
    const dict = new Map<string, Operand>();
    let key: string | undefined;
    for (let u = lx.next(); u.k !== "eof" && !(u.k === "close" && u.v === ">>"); u = lx.next()) {
      const o = operand(lx, u);
      if (key === undefined) key = nameOf(o);
      else {
        if (o !== undefined) dict.set(key, o);
        key = undefined;
      }
    }
    return { dict };
  }
  return undefined;
}

/** Every operation of a content stream, in order. */
export function scanContent(bytes: string): Operation[] {
  const lx = new Lexer(bytes);
  const ops: Operation[] = [];
  let operands: Operand[] = [];
  for (let t = lx.next(); t.k !== "eof"; t = lx.next()) {
    if (t.k !== "word") {
      const o = operand(lx, t);
      if (o !== undefined) operands.push(o);
      continue;
    }
    if (t.v === "BI") {
      const dict = new Map<string, Operand>();
      let key: string | undefined;
      for (let u = lx.next(); u.k !== "eof" && !(u.k === "word" && u.v === "ID"); u = lx.next()) {
        const o = operand(lx, u);
        if (key === undefined) key = nameOf(o);
        else {
          if (o !== undefined) dict.set(key, o);
          key = undefined;
        }
      }
      lx.pos++; // the single whitespace byte after ID
      const length = dict.get("L") ?? dict.get("Length");
      const s = lx.s;
      if (typeof length === "number" && length >= 0) {
        lx.pos += length;
        const m = /EI(?![^\0\t\n\f\r ()<>[\]{}/%])/.exec(s.slice(lx.pos, lx.pos + 64));
        lx.pos = m ? lx.pos + m.index + 2 : lx.pos;
      } else {
        const re = /[\0\t\n\f\r ]EI(?=[\0\t\n\f\r ]|$)/g;
        re.lastIndex = lx.pos;
        const m = re.exec(s);
        lx.pos = m ? m.index + 3 : s.length;
      }
      ops.push({ op: "BI", operands: [], inlineImage: dict });
      operands = [];
      continue;
    }
    ops.push({ op: t.v, operands });
    operands = [];
  }
  return ops;
}

/** The operators of PDF 1.3 (PDF Reference, 2nd edition, appendix A). */
export const PDF13_OPERATORS: ReadonlySet<string> = new Set(
  (
    "b B b* B* BDC BI BMC BT BX c cm CS cs d d0 d1 Do DP EI EMC ET EX f F f* G g gs h i ID j J K k l m M MP " +
    "n q Q re RG rg ri s S SC sc SCN scn sh T* Tc Td TD Tf Tj TJ TL Tm Tr Ts Tw Tz v w W W* y ' \""
  ).split(" "),
);
