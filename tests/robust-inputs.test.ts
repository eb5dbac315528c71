import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { loadIssue } from "../src/content/index.js";
import { KaihoError, Warnings } from "../src/diagnostics.js";
import { loadFonts } from "../src/fonts/index.js";
import { woffToSfnt } from "../src/fonts/woff.js";
import { cacheError } from "../src/fsx/write.js";
import { readJournal, readMembers, smtpFromEnvironment } from "../src/mail/index.js";
import { projectWith, REPO } from "./helpers/cli.js";

/**
 * Inputs that used to hang or crash: FIFOs and links to /dev/zero in every place kaiho reads, damaged fonts and
 * colour profiles, CR-only line ends, runaway sizes and depths. Each is a KaihoError naming the file (and the
 * issue.yaml line that named it), never a hang or a stack trace.
 */

const YAML =
  "newsletter: 会報\ndate: 2024-02-01\nblocks:\n  - article:\n      title: 見出し\n      body: 本文です。\n";

function fifo(file: string): void {
  const r = spawnSync("mkfifo", [file]);
  if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr}`);
}

type Plant = (file: string) => void;
const SPECIALS: Array<[string, Plant]> = [
  ["a FIFO", fifo],
  ["a link to /dev/zero", (file) => symlinkSync("/dev/zero", file)],
];

async function kaihoError(p: Promise<unknown>): Promise<KaihoError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KaihoError);
  return err as KaihoError;
}

describe.each(SPECIALS)("%s where kaiho reads a file", (what, plant) => {
  it("issue.yaml", async () => {
    const { root, issue } = projectWith(YAML);
    const file = path.join(issue, "issue.yaml");
    spawnSync("rm", [file]);
    plant(file);
    const err = await kaihoError(loadIssue(issue, { root, warnings: new Warnings() }));
    expect(err.diagnostics[0]?.en).toContain("issue.yaml");
    expect(err.diagnostics[0]?.en).toMatch(/not a regular file/);
  });

  it("an editor font named in fonts:", async () => {
    const { root, issue } = projectWith(`${YAML}fonts:\n  body: Bad.ttf\n`);
    mkdirSync(path.join(root, "fonts"), { recursive: true });
    plant(path.join(root, "fonts", "Bad.ttf"));
    const loaded = await loadIssue(issue, { root, warnings: new Warnings() });
    const err = await kaihoError(
      loadFonts(loaded, { cacheDir: path.join(root, ".cache"), warnings: new Warnings() }),
    );
    expect(err.diagnostics[0]?.line).toBe(8);
    expect(err.diagnostics[0]?.en).toContain("Bad.ttf");
  });

  it("the print profile", async () => {
    const { root, issue } = projectWith(`${YAML}print:\n  profile: shop.icc\n`);
    plant(path.join(issue, "shop.icc"));
    const err = await kaihoError(loadIssue(issue, { root, warnings: new Warnings() }));
    expect(err.diagnostics[0]?.line).toBe(8);
    expect(err.diagnostics[0]?.en).toContain("shop.icc");
  });

  it("the members CSV", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kaiho-inputs-"));
    const file = path.join(dir, "members.csv");
    plant(file);
    const err = await kaihoError(readMembers(file));
    expect(err.diagnostics[0]?.en).toContain("members.csv");
  });

  it("the send journal", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kaiho-inputs-"));
    const file = path.join(dir, "x-send.jsonl");
    plant(file);
    const err = await kaihoError(readJournal(file));
    expect(err.diagnostics[0]?.en).toContain("x-send.jsonl");
  });

  it("the SMTP settings file", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kaiho-inputs-"));
    const file = path.join(dir, "mail.env");
    plant(file);
    expect(() => smtpFromEnvironment({}, file)).toThrow(KaihoError);
    expect(what).toBeTruthy();
  });
});

// --- fonts ------------------------------------------------------------------------------------------------------

const LATIN_TTF = woffToSfnt(
  readFileSync(
    path.join(REPO, "node_modules/@fontsource/noto-sans-jp/files/noto-sans-jp-latin-400-normal.woff"),
  ),
);

async function withFont(bytes: Buffer): Promise<{ err?: KaihoError; warnings: Warnings }> {
  const { root, issue } = projectWith(`${YAML}fonts:\n  body: Mine.ttf\n`);
  mkdirSync(path.join(root, "fonts"), { recursive: true });
  writeFileSync(path.join(root, "fonts", "Mine.ttf"), bytes);
  const warnings = new Warnings();
  const loaded = await loadIssue(issue, { root, warnings });
  try {
    await loadFonts(loaded, { cacheDir: path.join(root, ".cache"), warnings });
    return { warnings };
  } catch (e) {
    if (!(e instanceof KaihoError)) throw e;
    return { err: e, warnings };
  }
}

describe("editor fonts are validated on load", () => {
  it("a good Latin-only font loads, with a warning that it has no Japanese characters", async () => {
    const { err, warnings } = await withFont(LATIN_TTF);
    expect(err).toBeUndefined();
    expect(warnings.list.some((w) => w.en.includes("has no Japanese characters") && w.line === 8)).toBe(true);
  });

  it("a truncated font: an error naming the file and the fonts: line, saying to download it again", async () => {
    for (const cut of [40, 1000, Math.floor(LATIN_TTF.length / 2), LATIN_TTF.length - 10]) {
      const { err } = await withFont(LATIN_TTF.subarray(0, cut));
      expect(err, `cut at ${cut}`).toBeDefined();
      const d = err?.diagnostics[0];
      expect(d?.line).toBe(8);
      expect(d?.en).toContain("Mine.ttf");
      expect(d?.hintEn).toContain("download the font again");
    }
  });

  it("bit flips anywhere in the font's tables: an error naming it, never a crash", async () => {
    let errors = 0;
    for (let i = 0; i < 12; i++) {
      const bytes = Buffer.from(LATIN_TTF);
      const at = 12 + Math.floor(((i + 0.5) / 12) * (bytes.length - 12));
      bytes[at] = (bytes[at] ?? 0) ^ (1 << (i % 8));
      const { err } = await withFont(bytes);
      if (err) {
        errors++;
        expect(err.diagnostics[0]?.line).toBe(8);
      }
    }
    // Every flip lands in a table, and every table is checksummed.
    expect(errors).toBe(12);
  });
});

// --- ICC profiles ----------------------------------------------------------------------------------------------

async function cmykProfile(): Promise<Buffer> {
  const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#808080" } })
    .withIccProfile("cmyk", { attach: true })
    .toColourspace("cmyk")
    .jpeg()
    .toBuffer();
  return (await sharp(jpeg).metadata()).icc as Buffer;
}

describe("ICC profiles are parsed and checked", () => {
  it("a good CMYK profile loads; truncated, padded or header-plus-noise ones are errors naming the .icc file", async () => {
    const good = await cmykProfile();
    const load = async (bytes: Buffer) => {
      const { root, issue } = projectWith(`${YAML}print:\n  profile: shop.icc\n`, { "shop.icc": bytes });
      return loadIssue(issue, { root, warnings: new Warnings() }).then(
        () => undefined,
        (e: unknown) => e as KaihoError,
      );
    };
    expect(await load(good)).toBeUndefined();
    const noise = Buffer.concat([good.subarray(0, 128), Buffer.alloc(good.length - 128, 0xa5)]);
    noise.writeUInt32BE(good.length, 0);
    for (const bad of [good.subarray(0, good.length - 100), Buffer.concat([good, Buffer.alloc(64)]), noise]) {
      const err = await load(bad);
      expect(err).toBeInstanceOf(KaihoError);
      const d = err?.diagnostics[0];
      expect(d?.line).toBe(8);
      expect(d?.en).toMatch(/shop\.icc is damaged/);
      expect(d?.en).not.toMatch(/DestOutputProfile|XObject/);
    }
  });
});

// --- issue.yaml ---------------------------------------------------------------------------------------------

describe("issue.yaml of any shape", () => {
  it("CR-only line ends are read as line ends", async () => {
    const { root, issue } = projectWith(YAML.replace(/\n/g, "\r"));
    const loaded = await loadIssue(issue, { root, warnings: new Warnings() });
    expect(loaded.doc.newsletter).toBe("会報");
  });

  it("a 10 MB title is refused with its size; a 200 KB one with its path, size and line", async () => {
    const big = projectWith(`${YAML}`.replace("見出し", "あ".repeat(3_500_000)));
    const err = await kaihoError(loadIssue(big.issue, { root: big.root, warnings: new Warnings() }));
    expect(err.diagnostics[0]?.en).toMatch(/too large \(10\.0 MB; the limit is 4\.0 MB\)/);

    const long = projectWith(`${YAML}`.replace("見出し", "あ".repeat(70_000)));
    const e2 = await kaihoError(loadIssue(long.issue, { root: long.root, warnings: new Warnings() }));
    expect(e2.diagnostics[0]?.en).toMatch(/blocks\[0\]\.article\.title is too long \(205 KB/);
    expect(e2.diagnostics[0]?.line).toBe(5);
  });

  it("YAML nested 1,000 deep is a clean error about the nesting, not a stack overflow", async () => {
    const deep = `${YAML}extra: ${"[".repeat(1000)}${"]".repeat(1000)}\n`;
    const { root, issue } = projectWith(deep);
    const err = await kaihoError(loadIssue(issue, { root, warnings: new Warnings() }));
    expect(err.diagnostics[0]?.en).toContain("too deep");
    expect(err.diagnostics[0]?.en).not.toContain("Maximum call stack");
  });
});

// --- members CSV --------------------------------------------------------------------------------------------

describe("members CSV", () => {
  const csv = (bytes: Buffer) => {
    const dir = mkdtempSync(path.join(tmpdir(), "kaiho-csv-"));
    const file = path.join(dir, "members.csv");
    writeFileSync(file, bytes);
    return file;
  };

  it("a UTF-8 file with one Shift_JIS row: a warning naming that row, every member read with the right name", async () => {
    const iconv = (await import("iconv-lite")).default;
    const file = csv(
      Buffer.concat([
        Buffer.from("氏名,メールアドレス\n山田 太郎,taro@example.jp\n"),
        iconv.encode("佐藤 花子,hanako@example.jp\n", "cp932"),
        Buffer.from("鈴木 一郎,ichiro@example.jp\n"),
      ]),
    );
    const { members, problems } = await readMembers(file);
    expect(members.map((m) => m.name)).toEqual(["山田 太郎", "佐藤 花子", "鈴木 一郎"]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 3, severity: "warning" });
    expect(problems[0]?.en).toContain("Shift_JIS");
  });

  it("an unclosed quote that a later row's quote would close is reported at its row", async () => {
    const file = csv(
      Buffer.from(
        'name,email\n"山田 太郎,taro@example.jp\n"佐藤",hanako@example.jp\n鈴木,ichiro@example.jp\n',
      ),
    );
    const err = await kaihoError(readMembers(file));
    expect(err.diagnostics[0]).toMatchObject({ line: 2, column: 1 });
    expect(err.diagnostics[0]?.en).toContain("never closed");
  });
});

describe("messages an editor can act on", () => {
  it("paper: {w: 1} says what was written and which words paper takes", async () => {
    const { root, issue } = projectWith(`${YAML}paper: {w: 1}\n`);
    const err = await kaihoError(loadIssue(issue, { root, warnings: new Warnings() }));
    const d = err.diagnostics[0];
    expect(d?.line).toBe(7);
    expect(d?.en).toContain("{w: 1}");
    expect(d?.en).toContain("A4");
    expect(d?.en).not.toContain("[object Object]");
  });
});

describe("one bad issue does not poison the next", () => {
  it("after YAML nested 3,000 deep, the next issue in the same process loads (the parser is never driven into a stack overflow)", async () => {
    const deep = projectWith(`${YAML}extra: ${"[".repeat(3000)}${"]".repeat(3000)}\n`);
    const err = await kaihoError(loadIssue(deep.issue, { root: deep.root, warnings: new Warnings() }));
    expect(err.diagnostics[0]?.line).toBe(7);
    const next = projectWith(
      `${YAML}extra:\n${Array.from({ length: 20 }, (_, i) => `${" ".repeat(2 * i + 2)}k${i}:`).join("\n")} 1\n`,
    );
    const e2 = await kaihoError(loadIssue(next.issue, { root: next.root, warnings: new Warnings() }));
    expect(e2.diagnostics[0]?.en).not.toContain("too deep");
  });
});

describe("the working cache", () => {
  it("a cache that cannot be written is named as such, not as a missing font package", async () => {
    const { root, issue } = projectWith(YAML);
    const cacheDir = path.join(root, ".cache", "kaiho");
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(path.join(cacheDir, "fonts"), "a file where the font cache folder goes");
    const loaded = await loadIssue(issue, { root, warnings: new Warnings() });
    const err = await kaihoError(loadFonts(loaded, { cacheDir, warnings: new Warnings() }));
    expect(err.diagnostics[0]?.en).toContain("Cannot write the working cache");
    expect(err.diagnostics[0]?.en).not.toContain("noto-sans-jp");
  });

  it("a full disk under the cache says the disk is full and that .cache may be deleted", () => {
    const err = cacheError("/p/.cache/kaiho/fonts", Object.assign(new Error("ENOSPC"), { code: "ENOSPC" }));
    expect(err.diagnostics[0]?.ja).toContain("ディスクがいっぱい");
    expect(err.diagnostics[0]?.hintEn).toContain("Free some disk space");
    expect(err.diagnostics[0]?.hintEn).toContain(".cache");
  });
});
