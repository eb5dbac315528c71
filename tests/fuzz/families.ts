import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import iconv from "iconv-lite";
import sharp from "sharp";
import { loadIssue } from "../../src/content/index.js";
import { KaihoError, Warnings } from "../../src/diagnostics.js";
import { loadFonts } from "../../src/fonts/index.js";
import { woffToSfnt } from "../../src/fonts/woff.js";
import { realIo, writeAllAtomically } from "../../src/fsx/write.js";
import { prepareImages } from "../../src/images/index.js";
import {
  checkEmail,
  type MailTransport,
  parseMembers,
  readJournal,
  SendStoppedError,
  sendIssue,
} from "../../src/mail/index.js";
import { TestServer } from "../helpers/smtp-server.js";

/**
 * The fault families of the fuzz suite (issue 12, item 8). Each family is a fast-check property over one kind of
 * bad input or fault, run in-process so a case costs milliseconds. Every case asserts what a user relies on:
 * the outcome is success or a KaihoError (exit 1 or 2 in the CLI) — never another exception, a hang or a
 * message with a stack trace or "internal error" —, sources are untouched, the last good outputs are
 * byte-identical after a failure, no temporary file is left, and in sending every member got the issue exactly
 * once or is listed as unknown.
 */

const REPO = path.resolve(import.meta.dirname, "../..");
const WORK = mkdtempSync(path.join(tmpdir(), "kaiho-fuzz-"));
let serial = 0;
const fresh = (name: string) => {
  const dir = path.join(WORK, `${name}-${++serial}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

export class Violation extends Error {}
function must(cond: boolean, what: string): void {
  if (!cond) throw new Violation(what);
}

/** A KaihoError whose messages read as messages: no stack trace, no "internal error". */
function expectClean(err: unknown): void {
  if (!(err instanceof KaihoError)) {
    throw new Violation(`not a KaihoError: ${(err as Error)?.stack ?? String(err)}`);
  }
  for (const d of err.diagnostics) {
    const text = `${d.ja}\n${d.en}\n${d.hintJa ?? ""}\n${d.hintEn ?? ""}`;
    must(
      !/\n\s+at \S+ \(|internal error|内部エラー|\[object Object\]|undefined \(reading/.test(text),
      `unclean message: ${text}`,
    );
    must(d.file.length > 0, "message names no file");
  }
}

async function outcome<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    expectClean(err);
    return undefined;
  }
}

function sha(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

function snapshot(dir: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const name of readdirSync(dir).sort()) {
    const f = path.join(dir, name);
    try {
      m.set(name, sha(f));
    } catch {
      m.set(name, "(not a file)");
    }
  }
  return m;
}

function sameMap(a: Map<string, string>, b: Map<string, string>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

function noTemps(dir: string): void {
  const left = readdirSync(dir).filter((n) => /\.(tmp|bak)$|\.kaiho-writing\.lock$/.test(n));
  must(left.length === 0, `left behind: ${left.join(", ")}`);
}

// --- YAML mutations ---------------------------------------------------------------------------------------------

const BASE_YAML = `newsletter: 会報テスト
number: 第1号
date: 2024-02-01
paper: A4
blocks:
  - article:
      title: 見出し
      body: |
        本文です。改行も
        あります。
  - slogan: 一言
`;

const mutation = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant("cut" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("dropLine" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("dupLine" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: fc.string({ maxLength: 12 }) }),
  fc.record({
    kind: fc.constant("value" as const),
    at: fc.nat(),
    value: fc.constantFrom(
      "{w: 1}",
      "[1, 2]",
      "null",
      "~",
      "*a",
      "&a x",
      "!!binary AAAA",
      "12345678901234567890",
      "-1",
      '"unclosed',
      "|",
      ">-",
      "2024-13-45",
      "yes",
      "\t",
      "　",
      "：",
      "{{{{",
      "[[[[[[[[",
    ),
  }),
  fc.record({ kind: fc.constant("big" as const), at: fc.nat(), size: fc.integer({ min: 1, max: 300_000 }) }),
  fc.record({
    kind: fc.constant("deep" as const),
    depth: fc.integer({ min: 10, max: 3000 }),
    flow: fc.boolean(),
  }),
  fc.record({ kind: fc.constant("eol" as const), eol: fc.constantFrom("\r", "\r\n", "\n\n") }),
  fc.record({ kind: fc.constant("encode" as const), as: fc.constantFrom("cp932", "utf16le", "utf8bom") }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function applyMutation(text: string, m: Mutation): Buffer {
  const lines = text.split("\n");
  const li = (at: number) => at % lines.length;
  switch (m.kind) {
    case "flip": {
      const b = Buffer.from(text);
      const i = m.at % b.length;
      b[i] = (b[i] ?? 0) ^ (1 << m.bit);
      return b;
    }
    case "cut":
      return Buffer.from(text).subarray(0, m.at % Buffer.byteLength(text));
    case "dropLine":
      lines.splice(li(m.at), 1);
      return Buffer.from(lines.join("\n"));
    case "dupLine":
      lines.splice(li(m.at), 0, lines[li(m.at)] ?? "");
      return Buffer.from(lines.join("\n"));
    case "insert": {
      const i = m.at % (text.length + 1);
      return Buffer.from(text.slice(0, i) + m.text + text.slice(i));
    }
    case "value": {
      const i = li(m.at);
      const line = lines[i] ?? "";
      const colon = line.indexOf(": ");
      lines[i] = colon >= 0 ? `${line.slice(0, colon + 2)}${m.value}` : `${line}${m.value}`;
      return Buffer.from(lines.join("\n"));
    }
    case "big":
      return Buffer.from(text.replace("見出し", "長".repeat(m.size)));
    case "deep":
      return Buffer.from(
        m.flow
          ? `${text}extra: ${"[".repeat(m.depth)}${"]".repeat(m.depth)}\n`
          : `${text}extra:\n${Array.from({ length: m.depth }, (_, i) => `${" ".repeat(2 * i + 2)}k${i}:`).join("\n")} 1\n`,
      );
    case "eol":
      return Buffer.from(text.replace(/\n/g, m.eol));
    case "encode":
      return m.as === "cp932"
        ? iconv.encode(text, "cp932")
        : m.as === "utf16le"
          ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")])
          : Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
  }
}

export const yamlFamily = fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (ms) => {
  if (process.env.FUZZ_TRACE)
    appendFileSync(
      process.env.FUZZ_TRACE,
      `${process.memoryUsage().heapUsed >> 20} MB ${JSON.stringify(ms).slice(0, 300)}\n`,
    );
  let bytes: Buffer = Buffer.from(BASE_YAML);
  for (const m of ms) bytes = applyMutation(bytes.toString("utf8"), m);
  const root = fresh("yaml");
  const issue = path.join(root, "content", "fuzz");
  mkdirSync(issue, { recursive: true });
  const file = path.join(issue, "issue.yaml");
  writeFileSync(file, bytes);
  const before = sha(file);
  await outcome(loadIssue(issue, { root, warnings: new Warnings() }));
  must(sha(file) === before, "issue.yaml was modified");
  rmSync(root, { recursive: true, force: true });
});

// --- photo mutations -------------------------------------------------------------------------------------------

let photoBytes: Buffer<ArrayBufferLike> | undefined;
async function goodPhoto(): Promise<Buffer<ArrayBufferLike>> {
  photoBytes ??= await sharp({ create: { width: 64, height: 48, channels: 3, background: "#4a7" } })
    .jpeg()
    .toBuffer();
  return photoBytes;
}

const photoFault = fc.oneof(
  fc.record({ kind: fc.constant("cut" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({
    kind: fc.constant("type" as const),
    bytes: fc.constantFrom("%PDF-1.4\n", "GIF89a", "PK\x03\x04", ""),
  }),
  fc.record({
    kind: fc.constantFrom("fifo" as const, "zero" as const, "folder" as const, "outside" as const),
  }),
);

export const photoFamily = fc.asyncProperty(photoFault, async (f) => {
  const root = fresh("photo");
  const issue = path.join(root, "content", "fuzz");
  mkdirSync(issue, { recursive: true });
  writeFileSync(
    path.join(issue, "issue.yaml"),
    `${BASE_YAML}  - article:\n      title: 写真\n      body: 本文。\n      photos:\n        - src: p.jpg\n          caption: 写真\n`,
  );
  const photo = path.join(issue, "p.jpg");
  const good = await goodPhoto();
  switch (f.kind) {
    case "cut":
      writeFileSync(photo, good.subarray(0, f.at % good.length));
      break;
    case "flip": {
      const b = Buffer.from(good);
      const i = f.at % b.length;
      b[i] = (b[i] ?? 0) ^ (1 << f.bit);
      writeFileSync(photo, b);
      break;
    }
    case "type":
      writeFileSync(photo, f.bytes);
      break;
    case "fifo":
      spawnSync("mkfifo", [photo]);
      break;
    case "zero":
      symlinkSync("/dev/zero", photo);
      break;
    case "folder":
      mkdirSync(photo);
      break;
    case "outside": {
      const out = path.join(fresh("elsewhere"), "x.jpg");
      writeFileSync(out, good);
      symlinkSync(out, photo);
      break;
    }
  }
  const warnings = new Warnings();
  const loaded = await outcome(loadIssue(issue, { root, warnings }));
  if (loaded)
    await outcome(
      // Any placed size will do: the fuzzed photo, not its size, is what is tried.
      prepareImages(loaded, new Map(loaded.photos.map((p) => [p.path, { widthPt: 200 }])), {
        cacheDir: path.join(root, ".cache"),
        warnings,
        minDpi: 0,
      }),
    );
  rmSync(root, { recursive: true, force: true });
});

// --- fonts and profiles ----------------------------------------------------------------------------------------

const LATIN_TTF = woffToSfnt(
  readFileSync(
    path.join(REPO, "node_modules/@fontsource/noto-sans-jp/files/noto-sans-jp-latin-400-normal.woff"),
  ),
);
let iccBytes: Buffer | undefined;
async function goodIcc(): Promise<Buffer> {
  if (!iccBytes) {
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#888" } })
      .withIccProfile("cmyk", { attach: true })
      .toColourspace("cmyk")
      .jpeg()
      .toBuffer();
    iccBytes = (await sharp(jpeg).metadata()).icc as Buffer;
  }
  return iccBytes;
}

const binaryFault = fc.oneof(
  fc.record({ kind: fc.constant("cut" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("flip" as const),
    at: fc.nat(),
    bit: fc.integer({ min: 0, max: 7 }),
    n: fc.integer({ min: 1, max: 4 }),
  }),
  fc.record({ kind: fc.constant("noise" as const), keep: fc.nat(), seed: fc.nat() }),
  fc.record({ kind: fc.constantFrom("fifo" as const, "zero" as const, "none" as const) }),
);

function damage(
  good: Buffer,
  f: typeof binaryFault extends fc.Arbitrary<infer F> ? F : never,
  file: string,
): void {
  switch (f.kind) {
    case "cut":
      writeFileSync(file, good.subarray(0, f.at % good.length));
      return;
    case "flip": {
      const b = Buffer.from(good);
      for (let k = 0; k < f.n; k++) {
        const i = (f.at * (k + 1) * 7919) % b.length;
        b[i] = (b[i] ?? 0) ^ (1 << ((f.bit + k) % 8));
      }
      writeFileSync(file, b);
      return;
    }
    case "noise": {
      const keep = Math.min(f.keep % 256, good.length);
      const b = Buffer.from(good);
      let x = f.seed | 1;
      for (let i = keep; i < b.length; i++) {
        x = (x * 1103515245 + 12345) >>> 0;
        b[i] = x >>> 24;
      }
      writeFileSync(file, b);
      return;
    }
    case "fifo":
      spawnSync("mkfifo", [file]);
      return;
    case "zero":
      symlinkSync("/dev/zero", file);
      return;
    case "none":
      writeFileSync(file, good);
      return;
  }
}

export const fontFamily = fc.asyncProperty(binaryFault, async (f) => {
  const root = fresh("font");
  const issue = path.join(root, "content", "fuzz");
  mkdirSync(issue, { recursive: true });
  mkdirSync(path.join(root, "fonts"));
  writeFileSync(path.join(issue, "issue.yaml"), `${BASE_YAML}fonts:\n  body: Mine.ttf\n`);
  damage(LATIN_TTF, f, path.join(root, "fonts", "Mine.ttf"));
  const warnings = new Warnings();
  const loaded = await outcome(loadIssue(issue, { root, warnings }));
  if (loaded) {
    const book = await outcome(loadFonts(loaded, { cacheDir: path.join(root, ".cache"), warnings }));
    // A font that loads must also measure and draw-ready: what typesetting asks of it.
    if (book) book.faceFor(0x41, false)?.advance("Kaiho あ");
  }
  rmSync(root, { recursive: true, force: true });
});

export const profileFamily = fc.asyncProperty(binaryFault, async (f) => {
  const root = fresh("icc");
  const issue = path.join(root, "content", "fuzz");
  mkdirSync(issue, { recursive: true });
  writeFileSync(path.join(issue, "issue.yaml"), `${BASE_YAML}print:\n  profile: shop.icc\n`);
  damage(await goodIcc(), f, path.join(issue, "shop.icc"));
  const loaded = await outcome(loadIssue(issue, { root, warnings: new Warnings() }));
  must(f.kind === "none" ? loaded !== undefined : true, "a good profile was refused");
  rmSync(root, { recursive: true, force: true });
});

// --- members CSV -----------------------------------------------------------------------------------------------

const cell = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom(
    "山田 太郎",
    "髙橋",
    '"',
    '""',
    ",",
    "\n",
    "\r",
    "\t",
    "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ",
    "a@b",
    "x@example.jp",
    "X@Example.JP",
    "a b@example.jp",
    "@@",
    "taro..hanako.@docomo.ne.jp",
  ),
);
export const csvFamily = fc.asyncProperty(
  fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { maxLength: 8 }),
  fc.constantFrom("utf8", "cp932", "mixed", "bom", "utf16"),
  fc.boolean(),
  async (rows, encoding, quote) => {
    const line = (r: string[]) => r.map((c) => (quote ? `"${c.replace(/"/g, '""')}"` : c)).join(",");
    const text = ["name,email,group", ...rows.map(line)].join("\r\n");
    const bytes =
      encoding === "cp932"
        ? iconv.encode(text, "cp932")
        : encoding === "bom"
          ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])
          : encoding === "utf16"
            ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")])
            : encoding === "mixed"
              ? Buffer.concat(
                  text
                    .split("\r\n")
                    .map((l, i) => (i % 2 ? iconv.encode(`${l}\r\n`, "cp932") : Buffer.from(`${l}\r\n`))),
                )
              : Buffer.from(text);
    try {
      const { members, problems } = parseMembers(bytes, "members.csv");
      const seen = new Set<string>();
      for (const m of members) {
        must(checkEmail(m.email).ok, `an unusable address was kept: ${m.email}`);
        must(!seen.has(m.email.toLowerCase()), `a duplicate was kept: ${m.email}`);
        seen.add(m.email.toLowerCase());
      }
      for (const p of problems) must(p.line === undefined || p.line >= 1, "a problem without a usable line");
    } catch (err) {
      expectClean(err);
    }
  },
);

// --- SMTP faults ------------------------------------------------------------------------------------------------

let smtp: TestServer | undefined;
export async function closeServers(): Promise<void> {
  await smtp?.close();
}

const FAULTS = ["ok", "ok", "ok", "dropBefore", "dropAfter", "421", "421data"] as const;
export const smtpFamily = fc.asyncProperty(
  fc.array(fc.constantFrom(...FAULTS), { minLength: 3, maxLength: 6 }),
  fc.integer({ min: 2, max: 5 }),
  async (plan, size) => {
    smtp ??= await new TestServer().start();
    const s = smtp;
    s.received.length = 0;
    let step = 0;
    const next = () => plan[step++ % plan.length] ?? "ok";
    let pending: (typeof FAULTS)[number] = "ok";
    s.behaviour = {
      atConnect: () => "ok",
      atMailFrom: () => {
        pending = next();
        return pending === "dropBefore" ? "drop" : "ok";
      },
      rejectRcpt: () => false,
      afterData: () => (pending === "dropAfter" ? "drop" : pending === "421data" ? "421" : "ok"),
    };
    const members = Array.from({ length: size }, (_, i) => ({
      name: `会員${i}`,
      email: `m${serial}-${i}@example.jp`,
    }));
    const dir = fresh("smtp");
    const pdf = path.join(dir, "x-email.pdf");
    writeFileSync(pdf, "%PDF-1.4\n%%EOF\n");
    const journal = path.join(dir, "x-send.jsonl");
    let unknown: string[] = [];
    for (let run = 0; run < 6; run++) {
      try {
        const r = await sendIssue({
          issueId: "x",
          pdf,
          subject: "件名",
          text: "本文",
          members,
          journal,
          smtp: { url: s.url(), from: "news@example.jp" },
          ratePerMinute: 600_000,
          retryDelayMs: 1,
          retries: 1,
          socketTimeoutMs: 2_000,
          log: () => {},
        });
        unknown = r.unknown;
        break;
      } catch (err) {
        if (!(err instanceof SendStoppedError)) expectClean(err);
        unknown = err instanceof SendStoppedError ? err.summary.unknown : [];
      }
    }
    const state = await readJournal(journal);
    const counts = s.counts();
    for (const m of members) {
      const n = counts.get(m.email) ?? 0;
      must(n <= 1, `${m.email} received ${n} copies`);
      must(
        n === 1 || unknown.includes(m.email) || state.unknown.has(m.email) || !state.sent.has(m.email),
        `${m.email} recorded sent but not received`,
      );
      if (state.sent.has(m.email)) must(n === 1, `${m.email} recorded sent, received ${n}`);
    }
    must(!existsSync(`${journal}.lock`), "the send lock was left");
  },
);

// --- full disk under the journal (injected) -----------------------------------------------------------------

export const journalDiskFamily = fc.asyncProperty(
  fc.integer({ min: 0, max: 12 }),
  fc.constantFrom("ENOSPC", "EROFS", "EIO", "EDQUOT"),
  async (failAt, code) => {
    const dir = fresh("jdisk");
    const pdf = path.join(dir, "x-email.pdf");
    writeFileSync(pdf, "%PDF-1.4\n%%EOF\n");
    const journal = path.join(dir, "x-send.jsonl");
    const members = Array.from({ length: 5 }, (_, i) => ({ name: "", email: `j${i}@example.jp` }));
    const got = new Map<string, number>();
    const transport: MailTransport = {
      sendMail: async (mail) => {
        const to = String((mail.envelope as { to: string[] }).to[0]);
        got.set(to, (got.get(to) ?? 0) + 1);
        return { messageId: String(mail.messageId), response: "250 OK" };
      },
    };
    let writes = 0;
    const base = {
      issueId: "x",
      pdf,
      subject: "件名",
      text: "本文",
      members,
      journal,
      smtp: { url: "smtp://127.0.0.1:1", from: "news@example.jp" },
      ratePerMinute: 600_000,
      log: () => {},
      transport,
    };
    const first = await sendIssue({
      ...base,
      beforeRecord: () => {
        if (writes++ === failAt) throw Object.assign(new Error(`${code}: injected`), { code });
      },
    }).catch((e: unknown) => {
      expectClean(e);
      return undefined;
    });
    const second = first ?? (await sendIssue(base));
    for (const m of members) {
      const n = got.get(m.email) ?? 0;
      must(n <= 1, `${m.email} got ${n} copies`);
      must(n === 1 || second.unknown.includes(m.email), `${m.email} neither received nor listed unknown`);
    }
  },
);

// --- full disk and failed renames under the outputs (injected), two builds at once ------------------------------

const NAMES = ["x.pdf", "x-print.pdf", "x-email.pdf", "x-page1.png", "x-preflight.json"];
export const outputDiskFamily = fc.asyncProperty(
  fc.constantFrom("write", "rename"),
  fc.integer({ min: 1, max: 5 }),
  fc.constantFrom("ENOSPC", "EROFS", "EACCES", "ENAMETOOLONG", "EISDIR", "EIO", "EBUSY"),
  fc.boolean(),
  async (where, at, code, hadOld) => {
    const dir = fresh("out");
    if (hadOld) for (const n of NAMES) writeFileSync(path.join(dir, n), `old ${n}`);
    const before = snapshot(dir);
    let count = 0;
    const fault = () => {
      if (++count === at) throw Object.assign(new Error(`${code}: injected`), { code });
    };
    const files = NAMES.map((n) => [path.join(dir, n), Buffer.from(`new ${n}`)] as const);
    const ok = await writeAllAtomically(files, {
      writeFile: async (f, d) => {
        if (where === "write") fault();
        await realIo.writeFile(f, d);
      },
      rename: async (a, b) => {
        if (where === "rename") fault();
        await realIo.rename(a, b);
      },
    }).then(
      () => true,
      (err: unknown) => {
        expectClean(err);
        return false;
      },
    );
    must(!ok, "the injected fault was not reported");
    must(sameMap(snapshot(dir), before), "the last good outputs changed after a failed write");
    noTemps(dir);
  },
);

export const twoBuildsFamily = fc.asyncProperty(fc.integer({ min: 0, max: 5 }), async (stagger) => {
  const dir = fresh("two");
  const set = (tag: string) => NAMES.map((n) => [path.join(dir, n), Buffer.from(`${tag} ${n}`)] as const);
  await Promise.all([
    writeAllAtomically(set("A")),
    new Promise((r) => setTimeout(r, stagger)).then(() => writeAllAtomically(set("B"))),
  ]);
  const tags = new Set(NAMES.map((n) => readFileSync(path.join(dir, n), "utf8").split(" ")[0]));
  must(tags.size === 1, `the outputs are a mix of two builds: ${[...tags].join(", ")}`);
  noTemps(dir);
});

/** Families with their share of the cases: cheap ones get more. */
export const FAMILIES: Array<{ name: string; weight: number; property: fc.IAsyncProperty<never> }> = [
  { name: "YAML mutations", weight: 30, property: yamlFamily as never },
  { name: "photo mutations", weight: 8, property: photoFamily as never },
  { name: "editor fonts", weight: 10, property: fontFamily as never },
  { name: "ICC profiles", weight: 10, property: profileFamily as never },
  { name: "members CSV", weight: 20, property: csvFamily as never },
  { name: "SMTP faults", weight: 3, property: smtpFamily as never },
  { name: "full disk (journal)", weight: 8, property: journalDiskFamily as never },
  { name: "full disk / failed rename (outputs)", weight: 8, property: outputDiskFamily as never },
  { name: "two builds at once", weight: 3, property: twoBuildsFamily as never },
];
