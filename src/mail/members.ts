import iconv from "iconv-lite";
import { type Diagnostic, errorAt } from "../diagnostics.js";
import { readBounded } from "../fsx/read.js";

/**
 * The members list: a CSV as Excel in a Japanese office writes it — UTF-8 with or without a BOM ("CSV UTF-8"),
 * Shift_JIS/CP932 (plain "CSV"), or UTF-16 with a BOM; CRLF; fields quoted when they hold commas, quotes or
 * line breaks (RFC 4180). A header row names the columns: name/氏名, email/メールアドレス, optionally group/グループ.
 * Bad addresses and duplicates are reported with their line and left out, so they are never sent to.
 */

export interface Member {
  name: string;
  email: string;
  group?: string;
  /** 1-based line of the member's row in the CSV, for messages. */
  line: number;
}

export interface MembersResult {
  members: Member[];
  /** Rows left out (bad address, duplicate, empty address) and decoding notes: all warnings, never fatal. */
  problems: Diagnostic[];
  /** How the file was read: "utf-8", "utf-8-bom", "cp932", "utf-16le" or "utf-16be". */
  encoding: string;
}

const HEADER_ALIASES: Record<string, "name" | "email" | "group"> = {
  name: "name",
  氏名: "name",
  名前: "name",
  お名前: "name",
  email: "email",
  mail: "email",
  emailaddress: "email",
  mailaddress: "email",
  eメール: "email",
  eメールアドレス: "email",
  メール: "email",
  メールアドレス: "email",
  group: "group",
  グループ: "group",
  所属: "group",
};

const EXPECTED_HEADER_JA = "name,email,group（または 氏名,メールアドレス,グループ。group/グループ は省略可）";
const EXPECTED_HEADER_EN = "name,email,group (or 氏名,メールアドレス,グループ; group is optional)";

export async function readMembers(file: string): Promise<MembersResult> {
  const bytes = await readBounded(file, {
    kind: "members",
    missingOk: true,
    hint: {
      ja: "--members に CSV ファイルの場所を指定してください（例: --members members.csv）。",
      en: "Give the CSV file's path with --members (e.g. --members members.csv).",
    },
  });
  if (!bytes) {
    throw errorAt(file, "会員名簿のファイルが見つかりません。", "The members file does not exist.", {
      hintJa: "--members に CSV ファイルの場所を指定してください（例: --members members.csv）。",
      hintEn: "Give the CSV file's path with --members (e.g. --members members.csv).",
    });
  }
  return parseMembers(bytes, file);
}

/** The same as readMembers, from bytes already read (tests, or a CLI reading stdin). */
export function parseMembers(bytes: Uint8Array, file: string): MembersResult {
  const problems: Diagnostic[] = [];
  const { text, encoding } = decodeCsv(bytes, file, problems);
  const records = parseCsv(text, file);
  const lines = text.split(/\r\n|\n|\r/);
  const headerIndex = records.findIndex((r) => !isBlank(r));
  const header = records[headerIndex];
  if (!header) {
    throw errorAt(file, "会員名簿が空です。", "The members file is empty.", {
      hintJa: `1 行目に見出し ${EXPECTED_HEADER_JA} を書き、2 行目から 1 行に 1 人ずつ書いてください。`,
      hintEn: `Put the header ${EXPECTED_HEADER_EN} on line 1 and one member per line below it.`,
    });
  }
  const columns = headerColumns(header, file, lines);
  const members: Member[] = [];
  const seen = new Map<string, Member>();
  const warn = (
    line: number,
    column: number | undefined,
    d: Pick<Diagnostic, "ja" | "en"> & Partial<Diagnostic>,
  ) => problems.push({ severity: "warning", file, line, column, sourceLine: lines[line - 1], ...d });

  for (const record of records.slice(headerIndex + 1)) {
    if (isBlank(record)) continue;
    const name = (record.fields[columns.name] ?? "").trim();
    const rawEmail = record.fields[columns.email] ?? "";
    const group = columns.group === undefined ? undefined : (record.fields[columns.group] ?? "").trim();
    const line = record.line;
    const at = record.starts[columns.email];
    const column = at && at.line === line ? at.column : undefined;
    const who = name ? `${name} さん` : `${line} 行目`;
    const whoEn = name ? `${name}` : `line ${line}`;
    const check = checkEmail(rawEmail);
    if (!check.ok) {
      warn(line, column, {
        ja: `${who}のメールアドレス「${rawEmail.trim()}」は使えません: ${check.ja}この人には送りません。`,
        en: `The address "${rawEmail.trim()}" of ${whoEn} cannot be used: ${check.en} Nothing will be sent to it.`,
        hintJa: check.hintJa,
        hintEn: check.hintEn,
      });
      continue;
    }
    const key = check.email.toLowerCase();
    const first = seen.get(key);
    if (first) {
      warn(line, column, {
        ja: `メールアドレス「${check.email}」は ${first.line} 行目（${first.name || "名前なし"}）と重複しています。1 通だけ送ります。`,
        en: `The address "${check.email}" is already on line ${first.line} (${first.name || "no name"}): it gets one message only.`,
        hintJa: "同じ人が二重に登録されていないか確かめ、不要な行を削除してください。",
        hintEn: "Check whether the same person is listed twice and delete the extra row.",
      });
      continue;
    }
    const member: Member = { name, email: check.email, line };
    if (group) member.group = group;
    seen.set(key, member);
    members.push(member);
  }
  return { members, problems, encoding };
}

export type EmailCheck =
  | { ok: true; email: string }
  | { ok: false; ja: string; en: string; hintJa?: string; hintEn?: string };

/**
 * A pragmatic address check — not RFC 5322, but what catches the mistakes people make typing a list: full-width
 * characters, a missing or doubled @, a domain without a dot (taro@example), spaces, two addresses in one cell.
 * Local parts with consecutive dots or a dot before the @ (old docomo/au addresses) are accepted: they exist and
 * are delivered. The domain is lowercased; the local part is kept as written.
 */
export function checkEmail(raw: string): EmailCheck {
  const s = raw.trim();
  if (!s) return { ok: false, ja: "空欄です。", en: "it is empty." };

  const nonAscii = [...s].find((ch) => (ch.codePointAt(0) ?? 0) > 0x7e);
  if (nonAscii !== undefined) {
    const fixed = s.normalize("NFKC").replace(/[。｡]/g, ".").replace(/\s+/g, "");
    const suggestion = /^[\x21-\x7e]+$/.test(fixed) && fixed !== s ? checkEmail(fixed) : undefined;
    const shown = nonAscii === "\u3000" ? "全角スペース" : nonAscii;
    return {
      ok: false,
      ja: `全角文字や日本語（「${shown}」）が含まれています。メールアドレスは半角英数字で書きます。`,
      en: `it contains a full-width or non-ASCII character ("${nonAscii}"); addresses are written in half-width ASCII.`,
      ...(suggestion?.ok
        ? {
            hintJa: `半角に直すと: ${suggestion.email}`,
            hintEn: `In half-width characters: ${suggestion.email}`,
          }
        : {
            hintJa: "日本語入力をオフにして打ち直してください。",
            hintEn: "Retype it with Japanese input turned off.",
          }),
    };
  }
  const ats = s.split("@").length - 1;
  if (ats > 1 && /[\s,;]/.test(s)) {
    return {
      ok: false,
      ja: "1 つの欄に 2 つ以上のアドレスが書かれています。",
      en: "there is more than one address in the cell.",
      hintJa: "1 行に 1 つのアドレスにしてください（2 つ目は別の行に）。",
      hintEn: "Put one address per row (the second on a row of its own).",
    };
  }
  if (/\s/.test(s)) {
    return {
      ok: false,
      ja: "途中に空白が含まれています。",
      en: "it contains a space.",
      hintJa: "空白を削除してください。",
      hintEn: "Delete the space.",
    };
  }
  if (ats === 0) {
    return {
      ok: false,
      ja: "「@」がありません。",
      en: 'there is no "@".',
      hintJa: "taro@example.jp のような形で書いてください。",
      hintEn: "Write it like taro@example.jp.",
    };
  }
  if (ats > 1) return { ok: false, ja: "「@」が 2 つ以上あります。", en: 'it has more than one "@".' };
  const at = s.indexOf("@");
  const local = s.slice(0, at);
  const domain = s.slice(at + 1).toLowerCase();
  if (!local) return { ok: false, ja: "「@」の前が空です。", en: 'nothing before the "@".' };
  if (!domain) return { ok: false, ja: "「@」の後ろが空です。", en: 'nothing after the "@".' };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  const badLocal = /[<>()[\]\\,;:"\x00-\x1f\x7f]/.exec(local);
  if (badLocal) {
    return {
      ok: false,
      ja: `「@」の前に使えない文字「${badLocal[0]}」があります。`,
      en: `the part before the "@" contains "${badLocal[0]}", which addresses cannot contain.`,
    };
  }
  if (!domain.includes(".")) {
    return {
      ok: false,
      ja: `「@」の後ろ（${domain}）に「.」がありません。`,
      en: `the part after the "@" (${domain}) has no dot.`,
      hintJa: `example.jp や gmail.com のように最後まで書かれているか確かめてください（例: ${local}@${domain}.jp ？）。`,
      hintEn: `Check that the domain is complete, like example.jp or gmail.com (e.g. ${local}@${domain}.jp?).`,
    };
  }
  const labels = domain.split(".");
  const tld = labels[labels.length - 1] ?? "";
  const labelOk = (l: string) => /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(l);
  if (!labels.every(labelOk) || !/^(?:[a-z]{2,}|xn--[a-z0-9-]+)$/.test(tld)) {
    return {
      ok: false,
      ja: `「@」の後ろ（${domain}）の形が正しくありません。`,
      en: `the part after the "@" (${domain}) is not a valid domain.`,
      hintJa: "「..」や末尾の「.」、使えない記号がないか確かめてください。",
      hintEn: 'Look for "..", a trailing dot or a stray symbol.',
    };
  }
  return { ok: true, email: `${local}@${domain}` };
}

// --- decoding -----------------------------------------------------------------------------------------------

function decodeCsv(
  bytes: Uint8Array,
  file: string,
  problems: Diagnostic[],
): { text: string; encoding: string } {
  const starts = (...prefix: number[]) => prefix.every((b, i) => bytes[i] === b);
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0xd0, 0xcf, 0x11, 0xe0)) {
    throw errorAt(
      file,
      "これは Excel のブック（.xlsx/.xls）で、CSV ではありません。",
      "This is an Excel workbook (.xlsx/.xls), not a CSV file.",
      {
        hintJa:
          "Excel で「名前を付けて保存」→ ファイルの種類「CSV UTF-8（コンマ区切り）」で保存してください。",
        hintEn: 'In Excel: "Save As" → file type "CSV UTF-8 (Comma delimited)".',
      },
    );
  }
  if (starts(0xef, 0xbb, 0xbf)) {
    const text = tryUtf8(bytes.subarray(3));
    if (text !== undefined) return { text, encoding: "utf-8-bom" };
  }
  if (starts(0xff, 0xfe))
    return { text: iconv.decode(Buffer.from(bytes.subarray(2)), "utf16-le"), encoding: "utf-16le" };
  if (starts(0xfe, 0xff))
    return { text: iconv.decode(Buffer.from(bytes.subarray(2)), "utf16-be"), encoding: "utf-16be" };
  const utf8 = tryUtf8(bytes);
  if (utf8 !== undefined) return { text: utf8, encoding: "utf-8" };
  const mixed = decodeByLine(bytes, file, problems);
  if (mixed) return mixed;
  const text = iconv.decode(Buffer.from(bytes), "cp932");
  const bad = text.indexOf("\uFFFD");
  if (bad >= 0) {
    const line = text.slice(0, bad).split(/\r\n|\n|\r/).length;
    problems.push({
      severity: "warning",
      file,
      line,
      ja: "UTF-8 でも Shift_JIS でも読めない文字があります（「�」と表示します）。",
      en: "Some characters are neither UTF-8 nor Shift_JIS (shown as �).",
      hintJa: "Excel で「CSV UTF-8（コンマ区切り）」として保存し直してください。",
      hintEn: 'Save the file again from Excel as "CSV UTF-8 (Comma delimited)".',
    });
  }
  return { text, encoding: "cp932" };
}

/**
 * A file that is UTF-8 except for some lines (a row pasted from an old Shift_JIS list): each line is decoded by
 * itself, the lines in Shift_JIS are named in a warning, and everyone else is read as written. Undefined when
 * most non-ASCII lines are not UTF-8 (a Shift_JIS file, read whole as before).
 */
function decodeByLine(
  bytes: Uint8Array,
  file: string,
  problems: Diagnostic[],
): { text: string; encoding: string } | undefined {
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      lines.push(bytes.subarray(start, Math.min(i + 1, bytes.length)));
      start = i + 1;
    }
  }
  let utf8Lines = 0;
  const sjisLines: number[] = [];
  const text = lines
    .map((line, index) => {
      const ascii = line.every((b) => b < 0x80);
      const asUtf8 = ascii ? undefined : tryUtf8(line);
      if (asUtf8 !== undefined) utf8Lines++;
      if (ascii || asUtf8 !== undefined) return asUtf8 ?? Buffer.from(line).toString("latin1");
      sjisLines.push(index + 1);
      return iconv.decode(Buffer.from(line), "cp932");
    })
    .join("");
  if (utf8Lines === 0 || sjisLines.length > utf8Lines) return undefined;
  for (const line of sjisLines) {
    problems.push({
      severity: "warning",
      file,
      line,
      sourceLine: text.split(/\r\n|\n|\r/)[line - 1],
      ja: "この行だけ文字コードが Shift_JIS です（ほかの行は UTF-8）。この行は Shift_JIS として読みました。",
      en: "This line is in Shift_JIS while the rest of the file is UTF-8; it was read as Shift_JIS.",
      hintJa:
        "名前が正しく表示されているか確かめ、ファイルを「CSV UTF-8（コンマ区切り）」で保存し直してください。",
      hintEn:
        'Check that the name shows correctly, and save the file again as "CSV UTF-8 (Comma delimited)".',
    });
  }
  return { text, encoding: "utf-8" };
}

function tryUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

// --- CSV ----------------------------------------------------------------------------------------------------

export interface CsvRecord {
  fields: string[];
  /** Line the record starts on (1-based). */
  line: number;
  /** Where each field starts: line and 1-based column (UTF-16 units, as formatDiagnostic counts). */
  starts: Array<{ line: number; column: number }>;
}

/**
 * RFC 4180 with Excel's habits: "," or, when the first line has tabs and no commas, tab as the separator;
 * CRLF, LF or CR line ends; doubled quotes inside quoted fields; line breaks inside quoted fields. Leniently, a
 * quote in the middle of an unquoted field is kept as text. An unclosed quote is an error: everything after it
 * would otherwise silently become one field, and the members below it would be lost.
 */
export function parseCsv(text: string, file: string): CsvRecord[] {
  const firstLine = text.slice(0, text.search(/\r|\n|$/));
  const sep = firstLine.includes("\t") && !firstLine.includes(",") ? "\t" : ",";
  const records: CsvRecord[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  const n = text.length;
  let record: CsvRecord = { fields: [], line, starts: [] };

  const newline = (at: number): number => {
    // Returns the length of the line break at `at` (0 if none).
    if (text[at] === "\r") return text[at + 1] === "\n" ? 2 : 1;
    return text[at] === "\n" ? 1 : 0;
  };

  while (i <= n) {
    // At the start of a field.
    record.starts.push({ line, column: i - lineStart + 1 });
    let value = "";
    if (text[i] === '"') {
      const openLine = line;
      const openColumn = i - lineStart + 1;
      i++;
      const unclosed = () =>
        errorAt(
          file,
          `${openLine} 行目の「"」が閉じられていません。`,
          `The quote (") on line ${openLine} is never closed.`,
          {
            line: openLine,
            column: openColumn,
            sourceLine: text.split(/\r\n|\n|\r/)[openLine - 1],
            hintJa: '「"」で始めた欄は「"」で閉じてください。欄の中の「"」は「""」と 2 つ重ねて書きます。',
            hintEn: 'A field that starts with " must end with ". A quote inside it is written twice ("").',
          },
        );
      for (;;) {
        if (i >= n) throw unclosed();
        const ch = text[i];
        if (ch === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          // A quote that "closes" on a later line in the middle of a field is the next row's opening quote: this
          // one was never closed, and reading on would join the rows and lose both members.
          if (line > openLine && i < n && text[i] !== sep && !newline(i)) throw unclosed();
          break;
        }
        const nl = newline(i);
        if (nl) {
          value += "\n";
          i += nl;
          line++;
          lineStart = i;
          continue;
        }
        value += ch;
        i++;
      }
    }
    // Unquoted field, or whatever follows a closing quote up to the separator (kept, leniently).
    while (i < n && text[i] !== sep && !newline(i)) value += text[i++];
    record.fields.push(value);
    if (i < n && text[i] === sep) {
      i++;
      continue;
    }
    // End of record: a line break or the end of the text.
    records.push(record);
    if (i >= n) break;
    i += newline(i);
    line++;
    lineStart = i;
    if (i >= n) break;
    record = { fields: [], line, starts: [] };
  }
  return records;
}

function isBlank(record: CsvRecord): boolean {
  return record.fields.every((f) => f.trim() === "");
}

function headerColumns(
  header: CsvRecord,
  file: string,
  lines: string[],
): { name: number; email: number; group?: number } {
  const found: Partial<Record<"name" | "email" | "group", number>> = {};
  header.fields.forEach((raw, index) => {
    const key = raw
      .normalize("NFKC")
      .toLowerCase()
      .replace(/[\s_\-・]/g, "");
    const role = HEADER_ALIASES[key];
    if (role && found[role] === undefined) found[role] = index;
  });
  if (found.email === undefined || found.name === undefined) {
    const looksLikeData = header.fields.some((f) => f.includes("@") || f.includes("＠"));
    const missing = [
      found.name === undefined ? "name（氏名）" : "",
      found.email === undefined ? "email（メールアドレス）" : "",
    ]
      .filter(Boolean)
      .join("、");
    throw errorAt(
      file,
      looksLikeData
        ? `${header.line} 行目が見出しではなく会員のデータになっています。先頭に見出しの行が必要です。`
        : `見出しの行に ${missing}の列がありません。`,
      looksLikeData
        ? `Line ${header.line} is a member, not the header row: the file must start with a header row.`
        : `The header row has no ${[found.name === undefined ? "name" : "", found.email === undefined ? "email" : ""].filter(Boolean).join(" or ")} column.`,
      {
        line: header.line,
        sourceLine: lines[header.line - 1],
        hintJa: `1 行目を ${EXPECTED_HEADER_JA} にしてください。`,
        hintEn: `Make line 1 read ${EXPECTED_HEADER_EN}.`,
      },
    );
  }
  return {
    name: found.name,
    email: found.email,
    ...(found.group === undefined ? {} : { group: found.group }),
  };
}
