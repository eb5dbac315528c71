import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { simpleParser } from "mailparser";
import { beforeAll, describe, expect, it } from "vitest";
import { KaihoError } from "../src/diagnostics.js";
import {
  messageIdFor,
  readJournal,
  type SendOptions,
  SendStoppedError,
  sendIssue,
} from "../src/mail/index.js";
import { smtpServers, type TestServer } from "./helpers/smtp-server.js";

/**
 * Exactly once, as far as SMTP allows: faults after the message was transmitted, a full disk at each journal
 * write, resumed runs, and stale locks — against a real SMTP server on 127.0.0.1.
 */

const PDF = Buffer.from("%PDF-1.4\n%%EOF\n");
const MEMBERS = ["a@example.jp", "b@example.jp", "c@example.jp", "d@example.jp", "e@example.jp"].map(
  (email, i) => ({ name: `会員${i + 1}`, email }),
);

let work: string;
let pdf: string;
const server = smtpServers();

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), "kaiho-robust-send-"));
  pdf = path.join(work, "issue-email.pdf");
  writeFileSync(pdf, PDF);
});

let runs = 0;
function options(s: TestServer, extra: Partial<SendOptions> = {}): SendOptions & { lines: string[] } {
  const lines: string[] = [];
  return {
    issueId: "issue-1",
    pdf,
    subject: "会報 第1号",
    text: "お届けします。",
    members: MEMBERS,
    journal: path.join(work, `run-${++runs}`, "issue-1-send.jsonl"),
    smtp: { url: s.url(), from: "news@example.jp" },
    ratePerMinute: 60_000,
    retryDelayMs: 10,
    log: (line) => lines.push(line),
    lines,
    ...extra,
  };
}

async function messageIdOf(raw: Buffer): Promise<string | undefined> {
  return (await simpleParser(raw)).messageId;
}

function once(fire: (n: number) => boolean) {
  let fired = false;
  return (n: number) => {
    if (!fired && fire(n)) {
      fired = true;
      return true;
    }
    return false;
  };
}

describe("a connection lost after DATA", () => {
  it("is not retried: the member is recorded unknown, listed, not resent by a rerun; --resend-unknown repeats the same Message-ID", async () => {
    const third = once((n) => n === 2);
    const s = await server({ afterData: (n) => (third(n) ? "drop" : "ok") });
    const opts = options(s);
    const result = await sendIssue(opts);
    const c = "c@example.jp";
    expect(result).toEqual({ sent: 4, skipped: 0, failed: [], unknown: [c] });
    // The server took it once; the sender did not send it again within the run.
    expect(s.counts().get(c)).toBe(1);
    for (const m of MEMBERS) expect(s.counts().get(m.email), m.email).toBe(1);
    const state = await readJournal(opts.journal);
    expect(state.unknown.get(c)?.status).toBe("unknown");
    expect(opts.lines.join("\n")).toContain("--resend-unknown");

    const rerun = options(s, { journal: opts.journal });
    expect(await sendIssue(rerun)).toEqual({ sent: 0, skipped: 4, failed: [], unknown: [c] });
    expect(rerun.lines.join("\n")).toMatch(/may have received it[\s\S]*c@example\.jp/);
    expect(s.counts().get(c)).toBe(1);

    const resend = options(s, { journal: opts.journal, resendUnknown: true });
    expect(await sendIssue(resend)).toEqual({ sent: 1, skipped: 4, failed: [], unknown: [] });
    const copies = s.received.filter((r) => r.rcptTo[0] === c);
    expect(copies).toHaveLength(2);
    const ids = await Promise.all(copies.map((r) => messageIdOf(r.raw)));
    expect(ids[0]).toBe(ids[1]);
    expect(ids[0]).toBe(messageIdFor("issue-1", c, sha256(PDF), "news@example.jp"));
  });

  it("a server that hangs after the message (slow server) times out into unknown; the others are sent once", async () => {
    const second = once((n) => n === 1);
    const s = await server({ afterData: (n) => (second(n) ? "hold" : "ok") });
    const opts = options(s, { socketTimeoutMs: 400 });
    const result = await sendIssue(opts);
    expect(result).toEqual({ sent: 4, skipped: 0, failed: [], unknown: ["b@example.jp"] });
    for (const m of MEMBERS) expect(s.counts().get(m.email), m.email).toBe(1);
  });

  it("421 after the message means the server did not take it: retried in the run, delivered once", async () => {
    const fourth = once((n) => n === 3);
    const s = await server({ afterData: (n) => (fourth(n) ? "421" : "ok") });
    const opts = options(s);
    expect(await sendIssue(opts)).toEqual({ sent: 5, skipped: 0, failed: [], unknown: [] });
    for (const m of MEMBERS) expect(s.counts().get(m.email), m.email).toBe(1);
    expect(opts.lines.some((l) => l.includes("再試行"))).toBe(true);
  });

  it("a connection dropped before DATA is retried in the run and delivered once", async () => {
    const second = once((n) => n === 1);
    const s = await server({ atMailFrom: (n) => (second(n) ? "drop" : "ok") });
    expect(await sendIssue(options(s))).toEqual({ sent: 5, skipped: 0, failed: [], unknown: [] });
    for (const m of MEMBERS) expect(s.counts().get(m.email), m.email).toBe(1);
  });
});

describe("a full disk under the journal", () => {
  const enospc = () => Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });

  it("the attempt record cannot be written: that member is not sent to and the run stops; the rerun sends the rest once", async () => {
    const s = await server();
    const opts = options(s, {
      beforeRecord: (r) => {
        if (r.status === "attempt" && r.email === "c@example.jp") throw enospc();
      },
    });
    const err = await sendIssue(opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SendStoppedError);
    const d = (err as SendStoppedError).diagnostics[0];
    expect(d?.ja).toContain("ディスクがいっぱい");
    expect(d?.en).toContain("c@example.jp was not sent to");
    expect(s.counts().get("c@example.jp")).toBeUndefined();
    expect(s.received).toHaveLength(2);

    const rerun = options(s, { journal: opts.journal });
    expect(await sendIssue(rerun)).toEqual({ sent: 3, skipped: 2, failed: [], unknown: [] });
    for (const m of MEMBERS) expect(s.counts().get(m.email), m.email).toBe(1);
  });

  it("the sent record cannot be written: the run stops, and the rerun lists that member as unknown instead of mailing a second copy", async () => {
    const s = await server();
    const opts = options(s, {
      beforeRecord: (r) => {
        if (r.status === "sent" && r.email === "b@example.jp") throw enospc();
      },
    });
    const err = await sendIssue(opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SendStoppedError);
    expect((err as SendStoppedError).diagnostics[0]?.en).toContain("b@example.jp has been sent to");
    expect(s.counts().get("b@example.jp")).toBe(1);

    const rerun = options(s, { journal: opts.journal });
    expect(await sendIssue(rerun)).toEqual({ sent: 3, skipped: 1, failed: [], unknown: ["b@example.jp"] });
    for (const m of MEMBERS) expect(s.counts().get(m.email), m.email).toBe(1);
  });

  it("the journal's path being a folder is a clean error before anything is sent", async () => {
    const s = await server();
    const opts = options(s);
    mkdirSync(opts.journal, { recursive: true });
    const err = await sendIssue(opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KaihoError);
    expect((err as KaihoError).diagnostics[0]?.ja).toContain("フォルダ");
    expect(s.connections).toBe(0);
  });
});

describe("Message-ID", () => {
  it("is the same for the same issue, member (any capitals) and PDF, and differs when any of them changes", () => {
    const id = messageIdFor("issue-1", "a@example.jp", "ab".repeat(32), "news@example.jp");
    expect(id).toMatch(/^<kaiho\.issue-1\.[0-9a-f]{32}@example\.jp>$/);
    expect(messageIdFor("issue-1", "A@Example.JP", "ab".repeat(32), "news@example.jp")).toBe(id);
    expect(messageIdFor("issue-2", "a@example.jp", "ab".repeat(32), "news@example.jp")).not.toBe(id);
    expect(messageIdFor("issue-1", "b@example.jp", "ab".repeat(32), "news@example.jp")).not.toBe(id);
    expect(messageIdFor("issue-1", "a@example.jp", "cd".repeat(32), "news@example.jp")).not.toBe(id);
  });
});

describe("the send lock", () => {
  it("a lock naming a live process that started after it (a reused PID) is stale and taken over", async () => {
    const s = await server();
    const opts = options(s, { members: MEMBERS.slice(0, 1) });
    mkdirSync(path.dirname(opts.journal), { recursive: true });
    const other = spawn(process.execPath, ["-e", "setTimeout(() => {}, 20000)"]);
    try {
      const started = new Date(Date.now() - 3_600_000).toISOString();
      writeFileSync(`${opts.journal}.lock`, JSON.stringify({ pid: other.pid, host: hostname(), started }));
      expect((await sendIssue(opts)).sent).toBe(1);
    } finally {
      other.kill();
    }
  });

  it("a lock not touched for over 10 minutes is stale, even from another machine", async () => {
    const s = await server();
    const opts = options(s, { members: MEMBERS.slice(0, 1) });
    mkdirSync(path.dirname(opts.journal), { recursive: true });
    const lock = `${opts.journal}.lock`;
    writeFileSync(lock, JSON.stringify({ pid: 1, host: "other-pc", started: "2024-01-01T00:00:00Z" }));
    const old = new Date(Date.now() - 11 * 60_000);
    utimesSync(lock, old, old);
    expect((await sendIssue(opts)).sent).toBe(1);
  });

  it("a fresh lock from another machine is refused, with the command that clears it", async () => {
    const s = await server();
    const opts = options(s, { members: MEMBERS.slice(0, 1) });
    mkdirSync(path.dirname(opts.journal), { recursive: true });
    const lock = `${opts.journal}.lock`;
    writeFileSync(lock, JSON.stringify({ pid: 1, host: "other-pc", started: new Date().toISOString() }));
    const err = await sendIssue(opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KaihoError);
    const d = (err as KaihoError).diagnostics[0];
    expect(d?.ja).toContain("other-pc");
    expect(d?.hintEn).toContain(`rm "${lock}"`);
    expect(s.connections).toBe(0);
  });
});

describe("dry run file names", () => {
  it("a 300-character address gets a short, safe file name with its row number; nothing half-written", async () => {
    const s = await server();
    const long = `${"x".repeat(290)}@example.jp`;
    const dir = path.join(work, "dry");
    const opts = options(s, {
      members: [
        { name: "長い", email: long, line: 7 },
        { name: "普通", email: "a@example.jp", line: 8 },
      ] as SendOptions["members"],
      dryRun: { dir },
    });
    expect((await sendIssue(opts)).sent).toBe(2);
    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/^007-x{60}~[0-9a-f]{8}\.eml$/);
    expect(files[1]).toBe("008-a@example.jp.eml");
    expect(Buffer.byteLength(files[0] ?? "")).toBeLessThan(100);
    expect(readFileSync(path.join(dir, files[0] ?? "")).toString("latin1")).toContain("x".repeat(50));
    expect(existsSync(opts.journal)).toBe(false);
  });
});

describe("dry run on a path that cannot be written", () => {
  it("the dry-run folder being a file is a clean message naming it, nothing written", async () => {
    const s = await server();
    const dir = path.join(work, "dry-blocked");
    writeFileSync(dir, "a file where the folder goes");
    const err = await sendIssue(options(s, { dryRun: { dir } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KaihoError);
    const d = (err as KaihoError).diagnostics[0];
    expect(d?.en).toContain("Cannot write the dry-run messages");
    expect(d?.hintEn).toContain(dir);
    expect(readFileSync(dir, "utf8")).toBe("a file where the folder goes");
  });
});

function sha256(b: Buffer): string {
  return createHash("sha256").update(b).digest("hex");
}
