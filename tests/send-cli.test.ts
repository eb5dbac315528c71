import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import iconv from "iconv-lite";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtSampleProject } from "./helpers/built.js";
import { CLI, kaiho, SAMPLE, tempProject } from "./helpers/cli.js";

/** `kaiho send` as an editor runs it: the email edition of a built issue, to a real SMTP server on loopback. */

interface Received {
  to: string[];
  subject: string;
  attachments: string[];
  inline: number;
}

function kaihoAsync(
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("close", (status) => resolve({ status: status ?? -1, stderr }));
  });
}

describe("kaiho send", () => {
  const received: Received[] = [];
  let server: SMTPServer;
  let port = 0;
  let project: { root: string; issue: string };
  let members: string;

  beforeAll(async () => {
    server = new SMTPServer({
      secure: false,
      authOptional: true,
      hideSTARTTLS: true,
      disableReverseLookup: true,
      logger: false,
      onData(stream, _session, cb) {
        simpleParser(stream).then((mail) => {
          received.push({
            to: [mail.to]
              .flat()
              .flatMap((a) => a?.value ?? [])
              .map((v) => v.address ?? ""),
            subject: mail.subject ?? "",
            attachments: mail.attachments
              .filter((a) => a.contentDisposition === "attachment")
              .map((a) => a.filename ?? ""),
            inline: mail.attachments.filter((a) => a.contentDisposition === "inline").length,
          });
          cb();
        }, cb);
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.server.address() as { port: number }).port;
    // Built: the sample's shared build copied in (tests/helpers/built.ts).
    project = builtSampleProject();
    // As Excel in a Japanese office saves it: Shift_JIS, Japanese headers, one bad address, one duplicate.
    members = path.join(project.root, "members.csv");
    const csv =
      "氏名,メールアドレス\r\n山田 太郎,taro@example.jp\r\n佐藤 花子,hanako@example\r\n鈴木 一郎,ichiro@example.jp\r\n山田 太郎,TARO@example.jp\r\n髙橋 﨑子,sakiko@example.jp\r\n";
    writeFileSync(members, iconv.encode(csv, "cp932"));
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("sends each member one message with the email edition attached, names the bad rows, and resumes", async () => {
    const env = {
      KAIHO_SMTP_URL: `smtp://127.0.0.1:${port}`,
      KAIHO_MAIL_FROM: "市職労ニュース <news@example.jp>",
    };
    const args = ["send", project.issue, "--members", members, "--root", project.root, "--rate", "6000"];
    const first = await kaihoAsync(args, env);
    expect(first.status, first.stderr).toBe(0);
    expect(received.map((r) => r.to).sort()).toEqual([
      ["ichiro@example.jp"],
      ["sakiko@example.jp"],
      ["taro@example.jp"],
    ]);
    for (const r of received) {
      expect(r.attachments).toEqual([`${SAMPLE}.pdf`]);
      // The message is made from the issue: its seven photos inline (tests/mail-body.test.ts reads them).
      expect(r.inline).toBe(7);
      expect(r.subject).toContain("市職労ニュース");
    }
    // The problems are named by line, in Japanese and English.
    expect(first.stderr).toMatch(/members\.csv:3:\d+: 警告 warning: .*hanako@example/);
    expect(first.stderr).toMatch(/members\.csv:5:\d+: 警告 warning: .*TARO@example\.jp/);
    const journal = readFileSync(path.join(project.root, "output", `${SAMPLE}-send.jsonl`), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { status: string });
    // One attempt record (written before each message) and one sent record per member.
    expect(journal.filter((r) => r.status === "sent")).toHaveLength(3);
    expect(journal.filter((r) => r.status === "attempt")).toHaveLength(3);
    // Run again: everyone already has it, nobody gets a second copy.
    const again = await kaihoAsync(args, env);
    expect(again.status, again.stderr).toBe(0);
    expect(received).toHaveLength(3);
  });

  it("refuses to send an issue that was not built, saying to build it first", async () => {
    const other = tempProject();
    const r = kaiho(["send", other.issue, "--members", members, "--root", other.root, "--dry-run"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("kaiho build");
  });
});
