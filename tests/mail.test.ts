import { type ChildProcess, spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type AddressObject, type ParsedMail, simpleParser } from "mailparser";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { KaihoError } from "../src/diagnostics.js";
import {
  maskUrl,
  readJournal,
  type SendOptions,
  SendStoppedError,
  type SendSummary,
  sendIssue,
} from "../src/mail/index.js";
import { PASSWORD, smtpServers, type TestServer, USER } from "./helpers/smtp-server.js";

/**
 * The sender against a real SMTP server (smtp-server on 127.0.0.1, a random port, no TLS), with the messages it
 * receives parsed by mailparser: one message per member and no more, across drops, rejections and kills.
 */

const REPO = path.resolve(import.meta.dirname, "..");
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);
const PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
);
const MEMBERS = [
  { name: "山田 太郎", email: "taro.yamada@example.jp" },
  { name: "佐藤 花子", email: "hanako@example.com" },
  { name: "鈴木 一郎", email: "ichiro@example.org" },
  { name: "高橋 美咲", email: "misaki@example.net" },
  { name: "田中 健", email: "ken.tanaka@example.jp" },
  { name: "伊藤 さくら", email: "sakura@example.co.jp" },
];

// --- helpers ------------------------------------------------------------------------------------------------

let work: string;
let pdf: string;
let preview: string;
const server = smtpServers();

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), "kaiho-mail-"));
  pdf = path.join(work, "kaiho-485-email.pdf");
  preview = path.join(work, "kaiho-485-page1.png");
  writeFileSync(pdf, PDF);
  writeFileSync(preview, PNG);
});

let runs = 0;
function options(
  s: TestServer | undefined,
  extra: Partial<SendOptions> = {},
): SendOptions & { lines: string[] } {
  const lines: string[] = [];
  return {
    issueId: "kaiho-485",
    pdf,
    preview,
    subject: "市職労ニュース 第485号",
    text: "組合員の皆さま\n\n第485号をお届けします。\n詳しくは https://example.jp/news をご覧ください。",
    members: MEMBERS,
    journal: path.join(work, `run-${++runs}`, "kaiho-485-send.jsonl"),
    smtp: s ? { url: s.url(), from: "市職労ニュース <news@example.jp>" } : undefined,
    ratePerMinute: 60_000,
    retryDelayMs: 10,
    log: (line) => lines.push(line),
    lines,
    ...extra,
  };
}

function addresses(a: AddressObject | AddressObject[] | undefined): string[] {
  return (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.map((v) => v.address ?? ""));
}

async function parse(raw: Buffer): Promise<ParsedMail> {
  return simpleParser(raw, { keepCidLinks: true });
}

/** The message is to `email` alone and mentions no other member anywhere. */
async function expectOnlyTo(raw: Buffer, email: string): Promise<ParsedMail> {
  const mail = await parse(raw);
  expect(addresses(mail.to)).toEqual([email]);
  expect(mail.cc).toBeUndefined();
  expect(mail.bcc).toBeUndefined();
  const text = raw.toString("latin1").toLowerCase();
  for (const other of MEMBERS)
    if (other.email !== email) expect(text).not.toContain(other.email.toLowerCase());
  return mail;
}

function expectEachOnce(s: TestServer, emails = MEMBERS.map((m) => m.email)): void {
  const counts = s.counts();
  expect([...counts.keys()].sort()).toEqual([...emails].sort());
  for (const [address, n] of counts) expect(n, address).toBe(1);
}

// --- tests --------------------------------------------------------------------------------------------------

describe("sendIssue over SMTP", () => {
  it("sends every member exactly one message: To the member alone, PDF attached, preview inline", async () => {
    const s = await server();
    const opts = options(s);
    const result = await sendIssue(opts);

    expect(result).toEqual<SendSummary>({ sent: 6, skipped: 0, failed: [], unknown: [] });
    expectEachOnce(s);
    for (const r of s.received) expect(r.rcptTo).toHaveLength(1);
    expect(s.authUsers.length).toBeGreaterThan(0);
    expect(new Set(s.authUsers)).toEqual(new Set([USER]));

    for (const r of s.received) {
      const email = r.rcptTo[0] ?? "";
      const mail = await expectOnlyTo(r.raw, email);
      const member = MEMBERS.find((m) => m.email === email);
      expect((mail.to as AddressObject).value[0]?.name).toBe(member?.name);
      expect(mail.subject).toBe("市職労ニュース 第485号");
      expect((mail.from as AddressObject).value[0]).toMatchObject({
        name: "市職労ニュース",
        address: "news@example.jp",
      });
      expect(mail.text).toContain("第485号をお届けします。");
      expect(mail.html).toContain('src="cid:page1@kaiho"');
      expect(mail.html).toContain('<a href="https://example.jp/news">');
      const attached = mail.attachments.find((a) => a.contentType === "application/pdf");
      expect(attached?.filename).toBe("kaiho-485.pdf");
      expect(attached?.content.equals(PDF)).toBe(true);
      const inline = mail.attachments.find((a) => a.contentType === "image/png");
      expect(inline?.cid).toBe("page1@kaiho");
      expect(inline?.related).toBe(true);
      expect(inline?.content.equals(PNG)).toBe(true);
    }

    const journal = readFileSync(opts.journal, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    // Write-ahead: each member's attempt (with the Message-ID the message carries) is recorded before its result.
    expect(journal).toHaveLength(12);
    for (const [i, member] of MEMBERS.entries()) {
      const [attempt, sent] = [journal[2 * i], journal[2 * i + 1]];
      expect(attempt).toMatchObject({ email: member.email, status: "attempt" });
      expect(sent).toMatchObject({
        email: member.email,
        status: "sent",
        response: expect.stringMatching(/^250 /),
      });
      expect(sent.messageId).toMatch(/^<.+@example\.jp>$/);
      expect(attempt.messageId).toBe(sent.messageId);
      expect(Number.isNaN(Date.parse(sent.at))).toBe(false);
      const received = s.received.find((r) => r.rcptTo[0] === member.email);
      expect((await parse(received?.raw ?? Buffer.alloc(0))).messageId).toBe(sent.messageId);
    }
    expect(existsSync(`${opts.journal}.lock`)).toBe(false);
    expect(opts.lines.at(-1)).toContain("summary");
  });

  it("a rerun after everything was sent sends nothing", async () => {
    const s = await server();
    const opts = options(s);
    await sendIssue(opts);
    const again = await sendIssue({ ...opts, log: () => {} });
    expect(again).toEqual({ sent: 0, skipped: 6, failed: [], unknown: [] });
    expectEachOnce(s);
  });

  it("a server that drops the connection and stays down stops the run; the rerun delivers the rest exactly once", async () => {
    let down = false;
    let dropped = false;
    const s = await server({
      atConnect: () => (down ? "421" : "ok"),
      atMailFrom: (accepted) => {
        if (accepted >= 2 && !dropped) {
          dropped = down = true;
          return "drop";
        }
        return "ok";
      },
    });
    const opts = options(s);
    const err = await sendIssue(opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SendStoppedError);
    const stopped = err as SendStoppedError;
    expect(stopped.summary).toMatchObject({ sent: 2, skipped: 0, remaining: 4 });
    const d = stopped.diagnostics[0];
    expect(d?.file).toBe(opts.journal);
    expect(d?.hintJa).toContain("もう一度同じ kaiho send を実行すると");
    expect(d?.hintEn).toContain("Run the same kaiho send again to resume");
    expect(opts.lines.filter((l) => l.includes("再試行"))).toHaveLength(2); // two retries, then it stopped
    expect(s.received).toHaveLength(2);

    down = false;
    const resumed = await sendIssue({ ...opts, log: () => {} });
    expect(resumed).toEqual({ sent: 4, skipped: 2, failed: [], unknown: [] });
    expectEachOnce(s);
    expect((await readJournal(opts.journal)).sent.size).toBe(6);
  });

  it("a dropped connection that comes back is retried within the run: nobody twice, nobody missed", async () => {
    let dropped = false;
    const s = await server({
      atMailFrom: (accepted) => {
        if (accepted === 3 && !dropped) {
          dropped = true;
          return "drop";
        }
        return "ok";
      },
    });
    const opts = options(s);
    expect(await sendIssue(opts)).toEqual({ sent: 6, skipped: 0, failed: [], unknown: [] });
    expect(dropped).toBe(true);
    expectEachOnce(s);
  });

  it("a recipient the server rejects (550) is recorded and reported; the others are delivered", async () => {
    const bad = "hanako@example.com";
    const s = await server({ rejectRcpt: (a) => a === bad });
    const opts = options(s);
    const result = await sendIssue(opts);
    expect(result.sent).toBe(5);
    expect(result.failed).toEqual([{ email: bad, response: expect.stringContaining("550") }]);
    expectEachOnce(
      s,
      MEMBERS.map((m) => m.email).filter((e) => e !== bad),
    );
    const state = await readJournal(opts.journal);
    expect(state.records.filter((r) => r.email === bad).at(-1)).toMatchObject({ status: "rejected" });
    expect(opts.lines.some((l) => l.includes("失敗 failed") && l.includes(bad))).toBe(true);

    // A rerun tries the rejected address again, and only it.
    const again = await sendIssue({ ...opts, log: () => {} });
    expect(again).toMatchObject({ sent: 0, skipped: 5, failed: [{ email: bad }] });
    expect(s.received).toHaveLength(5);
  });

  it("keeps to the rate: at most ratePerMinute messages a minute", async () => {
    const s = await server();
    const started = Date.now();
    await sendIssue(options(s, { members: MEMBERS.slice(0, 4), ratePerMinute: 600 })); // one per 100 ms
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(s.received).toHaveLength(4);
  });

  it("a run killed while a message is in flight: the resumed run lists that member as unknown, --resend-unknown sends it", async () => {
    const runner = buildRunner();
    let hold = true;
    const s = await server({ atMailFrom: (accepted) => (hold && accepted >= 1 ? "hold" : "ok") });
    const opts = options(s);
    const { lines: _lines, log: _log, ...childOpts } = opts;
    const child = spawn(process.execPath, [runner, JSON.stringify(childOpts)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (c) => {
      output += c;
    });
    child.stderr?.on("data", (c) => {
      output += c;
    });
    // attempt + sent for the first member, the attempt for the second one (held by the server)
    await waitFor(
      () => s.held > 0 && readJournalLines(opts.journal) === 3,
      child,
      () => output,
    );
    expect(existsSync(`${opts.journal}.lock`)).toBe(true);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    expect(s.received).toHaveLength(1);

    hold = false;
    const second = MEMBERS[1]?.email ?? "";
    const resumed = await sendIssue(opts);
    expect(resumed).toEqual({ sent: 4, skipped: 1, failed: [], unknown: [second] });
    expect(opts.lines.join("\n")).toContain("--resend-unknown");
    expect(s.counts().get(second)).toBeUndefined();
    expect(existsSync(`${opts.journal}.lock`)).toBe(false);

    const again = await sendIssue({ ...opts, resendUnknown: true });
    expect(again).toEqual({ sent: 1, skipped: 5, failed: [], unknown: [] });
    expectEachOnce(s);
  });

  it("a second send of the same issue while one runs is refused", async () => {
    const s = await server();
    const opts = options(s);
    mkdirSync(path.dirname(opts.journal), { recursive: true });
    const sleeper = spawn(process.execPath, ["-e", "setTimeout(() => {}, 20000)"]);
    try {
      writeFileSync(`${opts.journal}.lock`, `${sleeper.pid}\n`);
      const err = await sendIssue(opts).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KaihoError);
      expect((err as KaihoError).diagnostics[0]?.ja).toContain("実行中");
      expect(s.connections).toBe(0);
    } finally {
      sleeper.kill();
    }
  });

  it("dry run writes one valid .eml per member and opens no connection", async () => {
    const s = await server();
    const dir = path.join(work, "mail", "kaiho-485");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "999-stale@example.jp.eml"), "old");
    const opts = options(s, { dryRun: { dir } });
    expect(await sendIssue(opts)).toEqual({ sent: 6, skipped: 0, failed: [], unknown: [] });
    expect(s.connections).toBe(0);
    expect(existsSync(opts.journal)).toBe(false);

    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(6);
    expect(files[0]).toBe("001-taro.yamada@example.jp.eml");
    for (const [i, file] of files.entries()) {
      const raw = readFileSync(path.join(dir, file));
      expect(raw.toString("latin1")).toContain("\r\n");
      const member = MEMBERS[i];
      const mail = await expectOnlyTo(raw, member?.email ?? "");
      expect(mail.subject).toBe("市職労ニュース 第485号");
      expect(mail.attachments.map((a) => a.contentType).sort()).toEqual(["application/pdf", "image/png"]);
    }

    // Without SMTP settings at all, a dry run still works (a placeholder sender), a real run says what to set.
    const noSmtp = options(undefined, { dryRun: { dir } });
    expect((await sendIssue(noSmtp)).sent).toBe(6);
    const err = await sendIssue(options(undefined)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KaihoError);
    expect((err as KaihoError).diagnostics.map((d) => d.en).join("\n")).toMatch(
      /KAIHO_SMTP_URL[\s\S]*KAIHO_MAIL_FROM/,
    );
  });

  it("never shows the password: not in the log, the journal, or the error when the login fails", async () => {
    const s = await server({ rejectRcpt: (a) => a === "ichiro@example.org" });
    const encoded = encodeURIComponent(PASSWORD);
    const ok = options(s);
    await sendIssue(ok);
    const wrong = options(s, { smtp: { url: s.url("not-the-password"), from: "news@example.jp" } });
    const err = await sendIssue(wrong).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SendStoppedError);
    expect((err as KaihoError).diagnostics[0]?.ja).toContain("ログインできませんでした");

    const everything = [
      ...ok.lines,
      ...wrong.lines,
      readFileSync(ok.journal, "utf8"),
      (err as Error).message,
      JSON.stringify((err as KaihoError).diagnostics),
    ].join("\n");
    expect(ok.lines.some((l) => l.includes(`smtp://${USER}:***@127.0.0.1:${s.port}`))).toBe(true);
    for (const secret of [PASSWORD, encoded, "not-the-password"]) expect(everything).not.toContain(secret);
    expect(maskUrl(s.url())).not.toContain(encoded);
  });
});

// --- the child process for the kill test ---------------------------------------------------------------------

/**
 * The sender as a separate Node process, so it can be killed for real: src/mail and src/diagnostics.ts are
 * transpiled (no type check) into a temp folder that sees the repository's node_modules.
 */
function buildRunner(): string {
  const out = mkdtempSync(path.join(tmpdir(), "kaiho-mail-runner-"));
  const files = [
    "diagnostics.ts",
    "fsx/read.ts",
    ...readdirSync(path.join(REPO, "src/mail"))
      .filter((f) => f.endsWith(".ts"))
      .map((f) => `mail/${f}`),
  ];
  for (const file of files) {
    const source = readFileSync(path.join(REPO, "src", file), "utf8");
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
    writeFileSync(path.join(out, file.replace(/\.ts$/, ".js")), outputText);
  }
  writeFileSync(path.join(out, "package.json"), '{"type":"module"}');
  symlinkSync(path.join(REPO, "node_modules"), path.join(out, "node_modules"), "dir");
  const runner = path.join(out, "runner.js");
  writeFileSync(
    runner,
    `import { sendIssue } from "./mail/index.js";
const opts = JSON.parse(process.argv[2]);
await sendIssue({ ...opts, log: (line) => process.stdout.write(line + "\\n") });
`,
  );
  return runner;
}

function readJournalLines(file: string): number {
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean).length : 0;
}

async function waitFor(cond: () => boolean, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!cond()) {
    if (child.exitCode !== null) throw new Error(`the sender exited early (${child.exitCode}):\n${output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for the sender:\n${output()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("sendIssue decisions (a stand-in transport)", () => {
  const smtpError = (response: string, command: string) =>
    Object.assign(new Error(`Recipient command failed: ${response}`), {
      code: "EENVELOPE",
      response,
      responseCode: Number(response.slice(0, 3)),
      command,
    });

  it("a relay refusal or a refused message stops at once instead of marking everyone rejected", async () => {
    for (const [response, command, says] of [
      ["554 5.7.1 <taro.yamada@example.jp>: Relay access denied", "RCPT TO", "中継を断りました"],
      ["552 5.3.4 Message size exceeds fixed limit", "DATA", "受け付けませんでした"],
    ] as const) {
      let calls = 0;
      const opts = options(undefined, {
        smtp: { url: "smtp://u:hunter22@127.0.0.1:1", from: "news@example.jp" },
        transport: {
          sendMail: async () => {
            calls++;
            throw smtpError(response, command);
          },
        },
      });
      const err = await sendIssue(opts).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SendStoppedError);
      expect((err as KaihoError).diagnostics[0]?.ja).toContain(says);
      expect(calls).toBe(1);
      const records = (await readJournal(opts.journal)).records;
      expect(records.filter((r) => r.status === "sent" || r.status === "rejected")).toEqual([]);
      expect(records.at(-1)?.status).toBe("not-sent");
    }
  });

  it("an abort (Ctrl-C) stops between two messages, after recording the one in flight", async () => {
    const controller = new AbortController();
    let n = 0;
    const opts = options(undefined, {
      smtp: { url: "smtp://127.0.0.1:1", from: "news@example.jp" },
      signal: controller.signal,
      transport: {
        sendMail: async () => {
          if (++n === 2) controller.abort();
          return { messageId: `<m${n}@example.jp>`, response: "250 OK" };
        },
      },
    });
    const err = await sendIssue(opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SendStoppedError);
    expect((err as SendStoppedError).summary).toMatchObject({ sent: 2, remaining: 4 });
    expect((await readJournal(opts.journal)).sent.size).toBe(2);
  });
});

describe("the send journal", () => {
  it("a torn last line (the machine died mid-write) is ignored and the next record starts on a new line", async () => {
    const opts = options(undefined, {
      smtp: { url: "smtp://127.0.0.1:1", from: "news@example.jp" },
      transport: { sendMail: async () => ({ messageId: "<m@example.jp>", response: "250 OK" }) },
    });
    mkdirSync(path.dirname(opts.journal), { recursive: true });
    writeFileSync(
      opts.journal,
      `${JSON.stringify({ email: "TARO.YAMADA@example.jp", status: "sent", response: "250 OK", at: "2024-12-01T00:00:00Z" })}\n{"email":"hanako@exa`,
    );
    expect(await sendIssue(opts)).toEqual({ sent: 5, skipped: 1, failed: [], unknown: [] });
    const state = await readJournal(opts.journal);
    expect(state.badLines).toEqual([2]);
    expect(state.sent.size).toBe(6);
    expect(opts.lines.some((l) => l.includes("無視します"))).toBe(true);
  });
});
