import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { formatDiagnostic, KaihoError } from "../src/diagnostics.js";
import {
  checkEmail,
  maskUrl,
  parseMembers,
  parseSmtpUrl,
  readMembers,
  smtpFromEnvironment,
} from "../src/mail/index.js";

/** The members CSV as Excel in a Japanese office writes it, the address check, and the SMTP settings. */

const dir = mkdtempSync(path.join(tmpdir(), "kaiho-members-"));
function file(name: string, data: string | Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, data);
  return p;
}

async function rejects(promise: Promise<unknown> | (() => unknown)): Promise<KaihoError> {
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (err) {
    expect(err).toBeInstanceOf(KaihoError);
    return err as KaihoError;
  }
  throw new Error("expected a KaihoError");
}

describe("readMembers", () => {
  it("reads a Shift_JIS (CP932) CSV from Excel: Japanese names intact, a bad address and a duplicate named by line", async () => {
    const csv = [
      "氏名,メールアドレス,グループ", // 1
      "山田 太郎,taro@example.jp,第一支部", // 2
      '"髙橋, 﨑子",Sakiko@Example.JP,第二支部', // 3: CP932-only characters (髙 﨑), a comma in a quoted field
      "佐藤 花子,ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ,", // 4: full-width
      "鈴木 一郎,ichiro@example,第一支部", // 5: no dot in the domain
      '"田中 ""ケン"" 健",ken@example.jp,"複数行の', // 6: doubled quotes, a line break in a field…
      'グループ名"', // 7: …which ends here
      ",,", // 8: an empty row from Excel
      "髙橋 﨑子（重複）,sakiko@example.jp,第二支部", // 9: duplicate of line 3, other case
      "伊藤 さくら,sakura..ito.@docomo.ne.jp,", // 10: an old docomo address: accepted
      "",
    ].join("\r\n");
    const bytes = iconv.encode(csv, "cp932");
    expect(bytes.includes(Buffer.from("髙橋", "utf8"))).toBe(false); // really not UTF-8
    const { members, problems, encoding } = await readMembers(file("members-sjis.csv", bytes));

    expect(encoding).toBe("cp932");
    expect(members).toEqual([
      { name: "山田 太郎", email: "taro@example.jp", group: "第一支部", line: 2 },
      { name: "髙橋, 﨑子", email: "Sakiko@example.jp", group: "第二支部", line: 3 },
      { name: '田中 "ケン" 健', email: "ken@example.jp", group: "複数行の\nグループ名", line: 6 },
      { name: "伊藤 さくら", email: "sakura..ito.@docomo.ne.jp", line: 10 },
    ]);
    expect(problems.map((p) => [p.line, p.severity])).toEqual([
      [4, "warning"],
      [5, "warning"],
      [9, "warning"],
    ]);
    const [fullWidth, noDot, duplicate] = problems;
    expect(fullWidth?.ja).toContain("佐藤 花子");
    expect(fullWidth?.ja).toContain("全角");
    expect(fullWidth?.hintJa).toContain("hanako@example.jp");
    expect(fullWidth?.en).toContain("full-width");
    expect(noDot?.ja).toContain("ichiro@example");
    expect(noDot?.ja).toContain("「.」がありません");
    expect(noDot?.column).toBe(7);
    expect(duplicate?.ja).toContain("3 行目");
    expect(duplicate?.en).toContain("line 3");
    if (!noDot) throw new Error("no diagnostic for line 5");
    const shown = formatDiagnostic(noDot);
    expect(shown).toContain("members-sjis.csv:5:7: 警告 warning:");
    expect(shown).toContain("5 | 鈴木 一郎,ichiro@example,第一支部");
  });

  it("reads UTF-8 with a BOM and English headers (any order, extra columns), CRLF or LF", async () => {
    const text =
      "\uFEFFemail,Name,memo\r\nhanako@example.com,佐藤 花子,会計\nichiro@example.org,鈴木 一郎,\r\n";
    const { members, problems, encoding } = await readMembers(file("members-bom.csv", text));
    expect(encoding).toBe("utf-8-bom");
    expect(problems).toEqual([]);
    expect(members).toEqual([
      { name: "佐藤 花子", email: "hanako@example.com", line: 2 },
      { name: "鈴木 一郎", email: "ichiro@example.org", line: 3 },
    ]);
    const plain = await readMembers(file("members-utf8.csv", "名前,メール\n山田,taro@example.jp"));
    expect(plain.encoding).toBe("utf-8");
    expect(plain.members).toEqual([{ name: "山田", email: "taro@example.jp", line: 2 }]);
  });

  it("reads a tab-separated UTF-16 file (Excel's 'Unicode text')", () => {
    const text = "氏名\tメールアドレス\r\n山田 太郎\ttaro@example.jp\r\n";
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const { members } = parseMembers(bytes, "members.txt");
    expect(members).toEqual([{ name: "山田 太郎", email: "taro@example.jp", line: 2 }]);
  });

  it("a file without the header row is an error naming the file", async () => {
    const noHeader = file("no-header.csv", "山田 太郎,taro@example.jp\n佐藤 花子,hanako@example.com\n");
    const e1 = await rejects(readMembers(noHeader));
    expect(e1.diagnostics[0]).toMatchObject({ file: noHeader, line: 1 });
    expect(e1.diagnostics[0]?.ja).toContain("見出し");
    expect(e1.diagnostics[0]?.hintJa).toContain("氏名,メールアドレス");

    const wrongHeader = file("wrong-header.csv", "氏名,電話\n山田 太郎,090-0000-0000\n");
    const e2 = await rejects(readMembers(wrongHeader));
    expect(e2.diagnostics[0]?.ja).toContain("email（メールアドレス）の列がありません");
    expect(e2.diagnostics[0]?.en).toContain("no email column");

    const e3 = await rejects(readMembers(file("empty.csv", "\r\n")));
    expect(e3.diagnostics[0]?.ja).toContain("空です");

    const e4 = await rejects(readMembers(path.join(dir, "missing.csv")));
    expect(e4.diagnostics[0]?.ja).toContain("見つかりません");
  });

  it("an unclosed quote is an error at its line, not a silently shortened list", async () => {
    const f = file(
      "unclosed.csv",
      'name,email\n山田,taro@example.jp\n"佐藤,hanako@example.com\n鈴木,ichiro@example.org\n',
    );
    const e = await rejects(readMembers(f));
    expect(e.diagnostics[0]).toMatchObject({ file: f, line: 3, column: 1 });
    expect(e.diagnostics[0]?.ja).toContain("閉じられていません");
  });

  it("an Excel workbook instead of a CSV says how to save it as CSV", async () => {
    const f = file("members.xlsx", Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]));
    const e = await rejects(readMembers(f));
    expect(e.diagnostics[0]?.hintJa).toContain("CSV UTF-8");
  });
});

describe("checkEmail", () => {
  it.each([
    ["taro@example.jp", "taro@example.jp"],
    ["  Taro.Yamada@Example.CO.JP ", "Taro.Yamada@example.co.jp"],
    ["a.b+news@sub.example-mail.com", "a.b+news@sub.example-mail.com"],
    ["taro.@docomo.ne.jp", "taro.@docomo.ne.jp"],
    ["x@xn--eckwd4c7c.xn--zckzah", "x@xn--eckwd4c7c.xn--zckzah"],
  ])("accepts %s", (raw, email) => {
    expect(checkEmail(raw)).toEqual({ ok: true, email });
  });

  it.each([
    ["", "空欄"],
    ["taro@example", "「.」がありません"],
    ["ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "全角"],
    ["taro@example。jp", "全角"],
    ["taro　@example.jp", "全角スペース"],
    ["taro example@example.jp", "空白"],
    ["taro.example.jp", "「@」がありません"],
    ["taro@@example.jp", "2 つ以上あります"],
    ["taro@example.jp, hanako@example.jp", "2 つ以上のアドレス"],
    ["@example.jp", "前が空"],
    ["taro@", "後ろが空"],
    ["taro@example..jp", "形が正しくありません"],
    ["taro@example.jp.", "形が正しくありません"],
    ["taro@exa_mple.jp", "形が正しくありません"],
    ["<taro>@example.jp", "使えない文字"],
  ])("refuses %j (%s)", (raw, says) => {
    const r = checkEmail(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.ja).toContain(says);
      expect(r.en.length).toBeGreaterThan(5);
    }
  });

  it("suggests the half-width address for a full-width one", () => {
    const r = checkEmail("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ");
    expect(r.ok || r.hintJa).toContain("taro@example.jp");
  });
});

describe("SMTP settings", () => {
  const url = "smtp://news%40example.jp:p%40ss%3Aword@smtp.example.jp:587";

  it("come from KAIHO_SMTP_URL and KAIHO_MAIL_FROM", () => {
    const s = smtpFromEnvironment({
      KAIHO_SMTP_URL: url,
      KAIHO_MAIL_FROM: "市職労ニュース <news@example.jp>",
    });
    expect(s).toEqual({ url, from: "市職労ニュース <news@example.jp>" });
    expect(parseSmtpUrl(url)).toEqual({
      secure: false,
      host: "smtp.example.jp",
      port: 587,
      user: "news@example.jp",
      pass: "p@ss:word",
      requireTLS: true, // a password never goes to another machine unencrypted
      rejectUnauthorized: true,
    });
    expect(parseSmtpUrl("smtps://u:p@smtp.example.jp")).toMatchObject({
      secure: true,
      port: 465,
      requireTLS: false,
    });
    expect(parseSmtpUrl("smtp://u:p@127.0.0.1:2525")).toMatchObject({ requireTLS: false });
    expect(parseSmtpUrl("smtp://relay.local:25")).toMatchObject({ requireTLS: false, port: 25 });
  });

  it("say exactly what to set when missing, in both languages", async () => {
    const e = await rejects(() => smtpFromEnvironment({}));
    expect(e.diagnostics).toHaveLength(2);
    expect(e.diagnostics[0]?.ja).toContain("KAIHO_SMTP_URL を設定してください");
    expect(e.diagnostics[0]?.hintJa).toContain("smtp://");
    expect(e.diagnostics[1]?.en).toContain("set KAIHO_MAIL_FROM");
    const onlyFrom = await rejects(() => smtpFromEnvironment({ KAIHO_SMTP_URL: url }));
    expect(onlyFrom.diagnostics.map((d) => d.file)).toEqual(["KAIHO_MAIL_FROM"]);

    const bad = await rejects(() =>
      smtpFromEnvironment({ KAIHO_SMTP_URL: "http://u:hunter22@smtp.example.jp", KAIHO_MAIL_FROM: "a@b.jp" }),
    );
    expect(bad.diagnostics[0]?.ja).toContain("smtp:// か smtps://");
    const badFrom = await rejects(() =>
      smtpFromEnvironment({ KAIHO_SMTP_URL: url, KAIHO_MAIL_FROM: "news@example" }),
    );
    expect(badFrom.diagnostics[0]?.ja).toContain("KAIHO_MAIL_FROM");
    const garbled = await rejects(() =>
      smtpFromEnvironment({ KAIHO_SMTP_URL: "smtp://u:hunter22@[bad", KAIHO_MAIL_FROM: "a@b.jp" }),
    );
    expect(JSON.stringify(garbled.diagnostics)).not.toContain("hunter22");
  });

  it("can come from a settings file outside content/, the environment winning", () => {
    const f = file(
      "kaiho-mail.env",
      `# 送信設定\nKAIHO_SMTP_URL="${url}"\nexport KAIHO_MAIL_FROM='news@example.jp'\n`,
    );
    expect(smtpFromEnvironment({}, f)).toEqual({ url, from: "news@example.jp" });
    expect(smtpFromEnvironment({ KAIHO_MAIL_FROM: "other@example.jp" }, f).from).toBe("other@example.jp");
    mkdirSync(path.join(dir, "content"), { recursive: true });
    const inContent = file("content/kaiho-mail.env", `KAIHO_SMTP_URL=${url}\n`);
    expect(() => smtpFromEnvironment({}, inContent)).toThrow(KaihoError);
  });

  it("maskUrl hides the password", () => {
    expect(maskUrl(url)).toBe("smtp://news%40example.jp:***@smtp.example.jp:587");
    expect(maskUrl("smtps://u@smtp.example.jp")).toBe("smtps://u@smtp.example.jp");
    expect(maskUrl("smtp://u:hunter22@[bad")).not.toContain("hunter22");
  });
});
