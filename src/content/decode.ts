import iconv from "iconv-lite";
import { errorAt, type Warnings } from "../diagnostics.js";

/**
 * Bytes of issue.yaml → text. Editors save from Notepad, VS Code or Excel-era tools, so besides UTF-8 we accept
 * UTF-16 with a BOM and, with a warning, Shift_JIS (CP932). The file on disk is never rewritten.
 * A UTF-8 BOM is stripped silently: it is harmless and Notepad adds it.
 */
export function decodeSource(bytes: Uint8Array, file: string, warnings: Warnings): string {
  // Old Mac editors end lines with CR alone: YAML must see them as line ends too, not as one long line.
  return decode(bytes, file, warnings).replace(/\r(?!\n)/g, "\n");
}

function decode(bytes: Uint8Array, file: string, warnings: Warnings): string {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return utf8(bytes.subarray(3), file, 3);
  if (startsWith(bytes, [0xff, 0xfe])) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (startsWith(bytes, [0xfe, 0xff])) return iconv.decode(Buffer.from(bytes.subarray(2)), "utf16-be");

  const asUtf8 = tryUtf8(bytes);
  if (asUtf8 !== undefined) {
    if (asUtf8.includes("\0")) throw undecodable(file, bytes, bytes.indexOf(0));
    return asUtf8;
  }

  const asSjis = iconv.decode(Buffer.from(bytes), "cp932");
  if (!asSjis.includes("\uFFFD") && !hasControlCharacters(asSjis)) {
    warnings.add(
      file,
      "このファイルは Shift_JIS として読みました。文字化けを防ぐため UTF-8 で保存し直してください。",
      "This file was read as Shift_JIS. Please save it as UTF-8 to avoid garbled characters.",
      {
        hintJa:
          "メモ帳なら「名前を付けて保存」→ 文字コード「UTF-8」、VS Code なら右下の「Shift JIS」→「エンコード付きで保存」→「UTF-8」。",
        hintEn:
          'Notepad: "Save as" → Encoding "UTF-8". VS Code: click "Shift JIS" in the status bar → "Save with Encoding" → "UTF-8".',
      },
    );
    return asSjis;
  }
  throw undecodable(file, bytes, firstInvalidUtf8(bytes));
}

function utf8(bytes: Uint8Array, file: string, offset: number): string {
  const text = tryUtf8(bytes);
  if (text === undefined) throw undecodable(file, bytes, firstInvalidUtf8(bytes) + offset);
  return text;
}

function tryUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/** Control characters other than tab, newline and carriage return mean the bytes are not a text file. */
function hasControlCharacters(text: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for exactly these
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text);
}

/** Byte offset of the first byte that breaks UTF-8 (lead byte of the bad sequence). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const need =
      b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return 0;
}

function undecodable(file: string, bytes: Uint8Array, offset: number) {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return errorAt(
    file,
    `${line} 行目付近に、文字として読めないデータがあります（UTF-8 でも Shift_JIS でもありません）。`,
    `Line ${line} contains bytes that are not text (neither UTF-8 nor Shift_JIS).`,
    {
      line,
      hintJa:
        "issue.yaml は文字コード UTF-8 のテキストとして保存してください。ワープロや Excel の形式では読めません。",
      hintEn: "Save issue.yaml as plain UTF-8 text; word-processor or spreadsheet formats cannot be read.",
    },
  );
}
