/**
 * The CLI as an editor meets it: every mistake an editor can make in an issue folder ends with a non-zero exit and
 * a message in Japanese and English that names issue.yaml and the line, and never costs the last good PDF (same
 * bytes, same file, same mtime) or touches the editor's own files. Inputs that are odd but usable (Shift_JIS, a
 * UTF-8 BOM, a character no font has) still build, with a warning where the editor should know.
 *
 * Each describe works in one temporary project (a copy of the sample issue): built once, then broken and restored
 * test by test.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import iconv from "iconv-lite";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { sampleBuiltInto } from "./helpers/built.js";
import { CLI, type CliResult, kaiho, REPO, SAMPLE, tempProject } from "./helpers/cli.js";
import { inspectPdf, normalizeText } from "./helpers/pdf.js";

const SAMPLE_DIR = path.join(REPO, "content", SAMPLE);
const ORIGINAL_YAML = readFileSync(path.join(SAMPLE_DIR, "issue.yaml"), "utf8");
const BAD = path.join(REPO, "tests", "fixtures", "photos", "bad");
const VERSION = (JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as { version: string })
  .version;
/** The photo the photo cases break: the third one of the first article. */
const PHOTO = "gakushukai-3.jpg";

const JAPANESE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const ENGLISH = /[A-Za-z]{4,}/;

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

function project(): { root: string; issue: string; yaml: string; output: string; pdf: string } {
  const p = tempProject();
  temps.push(p.root);
  const output = path.join(p.root, "output");
  return { ...p, yaml: path.join(p.issue, "issue.yaml"), output, pdf: path.join(output, `${SAMPLE}.pdf`) };
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the CLI's messages (src/diagnostics.ts formatDiagnostic):
//   <file>:<line>:<col>: エラー error: <ja>
//     <en>
//     <line> | <source line>
//            ^
//     → <hint ja>
//     → <hint en>

interface Printed {
  file: string;
  line?: number;
  column?: number;
  severity: "error" | "warning";
  ja: string;
  en: string;
  hints: string[];
}

function diagnostics(stderr: string): Printed[] {
  const out: Printed[] = [];
  const lines = stderr.split("\n");
  lines.forEach((text, i) => {
    const m = /^(.+?issue\.yaml)(?::(\d+))?(?::(\d+))?: (エラー error|警告 warning): (.*)$/.exec(text);
    if (!m) return;
    const hints: string[] = [];
    for (let k = i + 2; k < lines.length && lines[k]?.startsWith("  "); k++) {
      const h = /^ {2}→ (.*)$/.exec(lines[k] ?? "");
      if (h?.[1]) hints.push(h[1]);
    }
    out.push({
      file: (m[1] ?? "").replace(/\\/g, "/"),
      ...(m[2] ? { line: Number(m[2]) } : {}),
      ...(m[3] ? { column: Number(m[3]) } : {}),
      severity: m[4] === "エラー error" ? "error" : "warning",
      ja: m[5] ?? "",
      en: (lines[i + 1] ?? "").trim(),
      hints,
    });
  });
  return out;
}

/** The one diagnostic of the run at `line` (exactly one must be there), checked to be bilingual and to name the file. */
function diagnosticAt(r: CliResult, line: number, severity: "error" | "warning" = "error"): Printed {
  const all = diagnostics(r.stderr);
  const here = all.filter((d) => d.line === line && d.severity === severity);
  expect(here, `no ${severity} at line ${line} in:\n${r.stderr}`).toHaveLength(1);
  const d = here[0] as Printed;
  expect(d.file.endsWith(`content/${SAMPLE}/issue.yaml`)).toBe(true);
  expect(d.ja).toMatch(JAPANESE);
  expect(d.en).toMatch(ENGLISH);
  expect(d.en).not.toBe(d.ja);
  return d;
}

// ---------------------------------------------------------------------------------------------------------------
// Editing issue.yaml the way a test needs, failing loudly if the sample no longer has the text a case relies on.

function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0) throw new Error(`the sample issue.yaml no longer contains ${JSON.stringify(from)}`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** 1-based line and column (UTF-16 units, as the yaml library counts) of the first `needle` in `text`. */
function positionOf(text: string, needle: string): { line: number; column: number } {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`${JSON.stringify(needle)} not in the text`);
  const before = text.slice(0, at).split("\n");
  return { line: before.length, column: (before.at(-1) ?? "").length + 1 };
}

function sha256(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Every file of a folder tree, path → sha256. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const file = path.join(e.parentPath, e.name);
    out[path.relative(dir, file)] = sha256(readFileSync(file));
  }
  return out;
}

/** Every file in output/ with what identifies its version: content, inode (an atomic rename makes a new one), mtime. */
function outputState(output: string): Record<string, { sha: string; ino: number; mtimeMs: number }> {
  const out: Record<string, { sha: string; ino: number; mtimeMs: number }> = {};
  for (const name of readdirSync(output).sort()) {
    const file = path.join(output, name);
    const st = statSync(file);
    out[name] = {
      sha: st.isFile() ? sha256(readFileSync(file)) : "(folder)",
      ino: st.ino,
      mtimeMs: st.mtimeMs,
    };
  }
  return out;
}

function tmpFiles(output: string): string[] {
  return readdirSync(output).filter((n) => n.endsWith(".tmp"));
}

/** Runs the CLI and checks, besides what the caller asserts, that the editor's files were not touched. */
function run(p: { root: string; issue: string }, args: string[], cwd = p.root): CliResult {
  const before = snapshot(p.issue);
  const r = kaiho(args, cwd);
  expect(snapshot(p.issue)).toEqual(before);
  return r;
}

// ---------------------------------------------------------------------------------------------------------------

/** The first describe's project; its warm photo cache is lent to the second describe to save a cold run. */
let warmCache: string | undefined;

describe("a bad input fails the build and keeps the last good PDF", () => {
  const p = project();
  const secret = path.join(p.root, "secret.jpg");
  let good: ReturnType<typeof outputState>;

  beforeAll(() => {
    // The good build: the sample's shared one (tests/helpers/built.ts), copied in with its cache.
    const first = sampleBuiltInto(p.root);
    expect(first.status, first.stderr).toBe(0);
    expect(diagnostics(first.stderr)).toEqual([]);
    good = outputState(p.output);
    expect(Object.keys(good)).toContain(`${SAMPLE}.pdf`);
    warmCache = path.join(p.root, ".cache");
    expect(statSync(p.pdf).size).toBeGreaterThan(10_000);
  });

  afterEach(() => {
    rmSync(p.issue, { recursive: true, force: true });
    cpSync(SAMPLE_DIR, p.issue, { recursive: true });
    rmSync(secret, { force: true });
  });

  /** output/ exactly as the good build left it: same files (inode), mtimes and bytes; no `*.tmp` left behind. */
  function expectPdfKept(): void {
    expect(tmpFiles(p.output)).toEqual([]);
    expect(outputState(p.output)).toEqual(good);
  }

  function writeYaml(text: string): void {
    writeFileSync(p.yaml, text);
  }

  /** A failed build: exit 1, the ✗ line that says the previous PDF is kept, and that PDF untouched. */
  function buildFails(args: string[] = ["build"]): CliResult {
    const r = run(p, args);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`✗ ${SAMPLE}: PDF は作成されませんでした`);
    expect(r.stderr).toContain("no PDF written (the previous one is kept)");
    expect(r.stderr).not.toContain("内部エラー");
    expectPdfKept();
    return r;
  }

  function usageFails(args: string[]): CliResult {
    const r = run(p, args);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^エラー error: /);
    expect(r.stderr).toContain("使い方 / usage:");
    expectPdfKept();
    return r;
  }

  it("1. YAML syntax: a tab used as indentation is named at issue.yaml:<line>:1", () => {
    const text = replaceOnce(
      ORIGINAL_YAML,
      "      columns: 2 # 本文の段数",
      "\t      columns: 2 # 本文の段数",
    );
    writeYaml(text);
    const r = buildFails();
    const { line } = positionOf(text, "\t");
    expect(r.stderr).toContain(`content/${SAMPLE}/issue.yaml:${line}:1: エラー error:`);
    const d = diagnosticAt(r, line);
    expect(d.column).toBe(1);
    expect(d.ja).toContain("タブ");
    expect(d.en).toMatch(/tab/i);
  });

  it("1. YAML syntax: an unclosed quote is named at issue.yaml:<line>:<col> of the quote", () => {
    const text = replaceOnce(
      ORIGINAL_YAML,
      "title: 2024高崎市職労役員合同学習会開催",
      'title: "2024高崎市職労役員合同学習会開催',
    );
    writeYaml(text);
    const r = buildFails();
    const at = positionOf(text, '"2024');
    expect(r.stderr).toContain(`content/${SAMPLE}/issue.yaml:${at.line}:${at.column}: エラー error:`);
    const d = diagnosticAt(r, at.line);
    expect(d.column).toBe(at.column);
    expect(d.ja).toContain('"');
    expect(d.en).toMatch(/quote/i);
  });

  it("2. schema: `columns: 5` is named by its path blocks[0].article.columns and its line", () => {
    const text = replaceOnce(ORIGINAL_YAML, "columns: 2 #", "columns: 5 #");
    writeYaml(text);
    const r = buildFails();
    const at = positionOf(text, "5 #");
    const d = diagnosticAt(r, at.line);
    expect(d.column).toBe(at.column);
    expect(d.ja).toContain("blocks[0].article.columns");
    expect(d.en).toContain("blocks[0].article.columns");
    expect(d.en).toContain("5");
  });

  it("3. an unknown key `captoin:` gets a did-you-mean `caption`", () => {
    const text = replaceOnce(ORIGINAL_YAML, "caption: 講師:小林薫氏", "captoin: 講師:小林薫氏");
    writeYaml(text);
    const r = buildFails();
    const at = positionOf(text, "captoin");
    const d = diagnosticAt(r, at.line);
    expect(d.column).toBe(at.column);
    expect(d.ja).toContain("captoin");
    expect(d.ja).toContain("もしかして「caption」");
    expect(d.en).toContain('Did you mean "caption"?');
    expect(d.en).toContain("blocks[0].article.photos[0]");
  });

  it("4. a missing photo file is named with the line of its src", () => {
    rmSync(path.join(p.issue, PHOTO));
    const r = buildFails();
    const at = positionOf(ORIGINAL_YAML, PHOTO);
    const d = diagnosticAt(r, at.line);
    expect(d.column).toBe(at.column);
    expect(d.ja).toContain(`「${PHOTO}」`);
    expect(d.en).toContain(`"${PHOTO}" not found`);
  });

  it("5. a photo with a corrupt header is named with its line", () => {
    copyFileSync(path.join(BAD, "corrupt-header.jpg"), path.join(p.issue, PHOTO));
    const r = buildFails();
    const at = positionOf(ORIGINAL_YAML, PHOTO);
    const d = diagnosticAt(r, at.line);
    expect(d.column).toBe(at.column);
    expect(d.ja).toContain(`写真「${PHOTO}」（issue.yaml ${at.line}行目）`);
    expect(d.en).toContain(`Photo "${PHOTO}" (issue.yaml line ${at.line})`);
    expect(d.en).toMatch(/damaged|corrupt/i);
    expect(diagnostics(r.stderr)).toHaveLength(1); // the six good photos are not blamed
  });

  it("6. a truncated photo is an error (never printed half grey), named with its line", () => {
    copyFileSync(path.join(BAD, "truncated.jpg"), path.join(p.issue, PHOTO));
    const r = buildFails();
    const at = positionOf(ORIGINAL_YAML, PHOTO);
    const d = diagnosticAt(r, at.line);
    expect(d.ja).toContain(`写真「${PHOTO}」`);
    expect(d.ja).toContain("途中で切れています");
    expect(d.en).toContain(`Photo "${PHOTO}" (issue.yaml line ${at.line}) is cut off`);
    expect(diagnostics(r.stderr)).toHaveLength(1);
  });

  it("7. an iPhone HEIC photo that cannot be decoded (cut off) is refused with how to get a JPEG", () => {
    copyFileSync(path.join(BAD, "truncated.heic"), path.join(p.issue, "x.heic"));
    const text = replaceOnce(ORIGINAL_YAML, `src: ${PHOTO}`, "src: x.heic");
    writeYaml(text);
    const r = buildFails();
    const at = positionOf(text, "x.heic");
    const d = diagnosticAt(r, at.line);
    expect(d.ja).toContain("写真「x.heic」");
    expect(d.ja).toContain("HEIC");
    expect(d.en).toContain('Photo "x.heic"');
    expect(d.en).toContain("HEIC");
    expect(d.hints).toHaveLength(2);
    expect(d.hints[0]).toContain("JPEG");
    expect(d.hints[0]).toMatch(JAPANESE);
    expect(d.hints[1]).toContain("JPEG");
    expect(d.hints[1]).toMatch(/export/i);
  });

  it("8. a pixel bomb (20000×14000) is refused quickly, without decoding it", () => {
    copyFileSync(path.join(BAD, "giant-image.jpg"), path.join(p.issue, PHOTO));
    // Reports the CLI process's peak memory on exit: decoding the bomb would need 280 MB for its pixels alone.
    const preload = path.join(p.root, "maxrss.mjs");
    writeFileSync(
      preload,
      'process.on("exit", () => process.stderr.write("MAXRSS_KB=" + process.resourceUsage().maxRSS + "\\n"));\n',
    );
    const sources = snapshot(p.issue);
    const child = spawnSync(process.execPath, ["--import", pathToFileURL(preload).href, CLI, "build"], {
      cwd: p.root,
      encoding: "utf8",
    });
    rmSync(preload);
    expect(snapshot(p.issue)).toEqual(sources);
    const r: CliResult = { status: child.status ?? -1, stdout: child.stdout, stderr: child.stderr };
    expect(r.status, r.stderr).toBe(1);
    expectPdfKept();
    // Refused from its header: the peak memory shows its pixels were never decoded (speed is the bench's job).
    const rss = Number(/MAXRSS_KB=(\d+)/.exec(r.stderr)?.[1]);
    expect(rss).toBeGreaterThan(0);
    expect(rss).toBeLessThan(250 * 1024);
    const at = positionOf(ORIGINAL_YAML, PHOTO);
    const d = diagnosticAt(r, at.line);
    expect(d.ja).toContain(`写真「${PHOTO}」`);
    expect(d.ja).toContain("20000×14000");
    expect(d.en).toContain(`Photo "${PHOTO}"`);
    expect(d.en).toContain("too many pixels (20000×14000");
  });

  it("9. a photo path leading out of the issue folder is refused, even when the file is there", () => {
    copyFileSync(path.join(SAMPLE_DIR, PHOTO), secret);
    const text = replaceOnce(ORIGINAL_YAML, `src: ${PHOTO}`, "src: ../../secret.jpg");
    writeYaml(text);
    const r = buildFails();
    const at = positionOf(text, "../../secret.jpg");
    const d = diagnosticAt(r, at.line);
    expect(d.column).toBe(at.column);
    expect(d.ja).toContain("「../../secret.jpg」");
    expect(d.ja).toContain("外");
    expect(d.en).toContain('"../../secret.jpg" points outside the issue folder');
  });

  it("11. usage: an unknown command exits 2", () => {
    const r = usageFails(["frob"]);
    expect(r.stderr).toContain("不明なコマンド「frob」");
    expect(r.stderr).toContain('Unknown command "frob"');
    const none = usageFails([]);
    expect(none.stderr).toContain("No command given");
  });

  it("11. usage: an unknown flag exits 2 and names it", () => {
    const r = usageFails(["build", "--bogus"]);
    expect(r.stderr).toContain("コマンドの指定が正しくありません");
    expect(r.stderr).toContain("'--bogus'");
  });

  it("11. usage: an issue folder that does not exist exits 2 and names it", () => {
    const r = usageFails(["build", path.join("content", "no-such-issue")]);
    const abs = path.join(p.root, "content", "no-such-issue");
    expect(r.stderr).toContain(`フォルダ ${abs} がありません`);
    expect(r.stderr).toContain(`Folder ${abs} does not exist`);
  });

  it("11. usage: --root pointing at a folder without content/ exits 2", () => {
    const empty = path.join(p.root, "empty-root");
    mkdirSync(empty, { recursive: true });
    try {
      const r = usageFails(["build", "--root", empty]);
      expect(r.stderr).toContain(
        `No issue folder (a folder with issue.yaml) under ${path.join(empty, "content")}`,
      );
    } finally {
      rmSync(empty, { recursive: true });
    }
  });

  it("12. check on a broken issue exits 1 and writes nothing", () => {
    const text = replaceOnce(ORIGINAL_YAML, "columns: 2 #", "columns: 5 #");
    writeYaml(text);
    const r = buildFails(["check"]);
    diagnosticAt(r, positionOf(text, "5 #").line);
  });

  it("13. --strict refuses a character no font has and names U+E000", () => {
    const text = replaceOnce(ORIGINAL_YAML, "、9時より", "、\uE0009時より");
    writeYaml(text);
    const r = buildFails(["build", "--strict"]);
    const found = diagnostics(r.stderr).filter((d) => d.en.includes("U+E000"));
    expect(found, r.stderr).toHaveLength(1);
    const d = found[0] as Printed;
    expect(d.severity).toBe("error");
    expect(d.file.endsWith(`content/${SAMPLE}/issue.yaml`)).toBe(true);
    expect(d.ja).toContain("(U+E000)");
    expect(d.ja).toContain("blocks[0].article.body");
    // The body's `body: |` line or the character's own line.
    expect([positionOf(text, "body: |").line, positionOf(text, "\uE000").line]).toContain(d.line);
  });

  it("14. a failed build leaves no *.tmp in output/ (checked after every case above) and no cache debris", () => {
    copyFileSync(path.join(BAD, "truncated.jpg"), path.join(p.issue, PHOTO));
    buildFails();
    const cache = path.join(p.root, ".cache");
    const leftovers = readdirSync(cache, { recursive: true }).filter((f) => String(f).endsWith(".tmp"));
    expect(leftovers).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("inputs that still build", () => {
  const p = project();
  let freshCheck: CliResult;
  let outputAfterFreshCheck: string[];
  let good: Buffer;

  beforeAll(() => {
    if (warmCache && existsSync(warmCache))
      cpSync(warmCache, path.join(p.root, ".cache"), { recursive: true });
    // `check` in a project that never built: everything is validated, nothing lands in output/.
    freshCheck = kaiho(["check"], p.root);
    outputAfterFreshCheck = readdirSync(p.output);
    const first = kaiho(["build"], p.root);
    expect(first.status, first.stderr).toBe(0);
    good = readFileSync(p.pdf);
  });

  afterEach(() => {
    writeFileSync(p.yaml, ORIGINAL_YAML);
  });

  function buildOk(args: string[] = ["build"]): CliResult {
    const before = statSync(p.pdf);
    const r = run(p, args);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`✓ ${SAMPLE}: output/${SAMPLE}\\.pdf.*\\(2 ページ pages, `));
    expect(statSync(p.pdf).mtimeMs).toBeGreaterThanOrEqual(before.mtimeMs);
    expect(statSync(p.pdf).ino).not.toBe(before.ino); // written anew, by rename
    expect(tmpFiles(p.output)).toEqual([]);
    return r;
  }

  it("12. check on the sample exits 0 and writes no PDF", () => {
    expect(freshCheck.status, freshCheck.stderr).toBe(0);
    expect(freshCheck.stderr).toContain(`✓ ${SAMPLE}: 2 ページ pages — 問題なし OK`);
    expect(outputAfterFreshCheck).toEqual([]);

    const before = outputState(p.output);
    // From another folder, with --root, and --strict (the sample has no warnings to refuse).
    const r = run(p, ["check", "--strict", "--root", p.root], path.dirname(p.root));
    expect(r.status, r.stderr).toBe(0);
    expect(diagnostics(r.stderr)).toEqual([]);
    expect(r.stderr).toContain("問題なし OK");
    expect(outputState(p.output)).toEqual(before);
    expect(readFileSync(p.pdf).equals(good)).toBe(true);
  });

  it("11. --help prints the usage in Japanese and English; --version prints package.json's", () => {
    const help = kaiho(["--help"], p.root);
    expect(help.status).toBe(0);
    expect(help.stderr).toBe("");
    expect(help.stdout).toContain("使い方 / usage:");
    expect(help.stdout).toContain("kaiho build [issue-dir ...]");
    expect(help.stdout).toContain("kaiho check [issue-dir ...]");
    expect(help.stdout).toContain("警告もエラーとして扱う / treat warnings as errors");
    expect(help.stdout).toContain("終了コード / exit codes");
    const version = kaiho(["--version"], p.root);
    expect(version.status).toBe(0);
    expect(version.stdout).toBe(`${VERSION}\n`);
  });

  it("10. a UTF-8 BOM builds silently, to the very same PDF", () => {
    writeFileSync(
      p.yaml,
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(ORIGINAL_YAML, "utf8")]),
    );
    const r = buildOk();
    expect(diagnostics(r.stderr)).toEqual([]);
    expect(readFileSync(p.pdf).equals(good)).toBe(true);
  });

  it("10. issue.yaml saved as Shift_JIS builds with a warning, to the same PDF as its UTF-8 text", () => {
    const sjis = iconv.encode(ORIGINAL_YAML, "cp932");
    // What Shift_JIS can hold (〜, ✧ and 污 are not in CP932) is what the editor's file would say.
    const sameText = iconv.decode(sjis, "cp932");
    writeFileSync(p.yaml, sameText);
    const plain = buildOk();
    expect(diagnostics(plain.stderr)).toEqual([]);
    const fromUtf8 = readFileSync(p.pdf);

    writeFileSync(p.yaml, sjis);
    const r = buildOk();
    const warned = diagnostics(r.stderr);
    expect(warned).toHaveLength(1);
    const d = warned[0] as Printed;
    expect(d.severity).toBe("warning");
    expect(d.file).toBe(`content/${SAMPLE}/issue.yaml`);
    expect(d.ja).toContain("Shift_JIS");
    expect(d.en).toContain("Shift_JIS");
    expect(d.en).toContain("UTF-8");
    expect(readFileSync(p.pdf).equals(fromUtf8)).toBe(true);
  });

  it("13. without --strict a character no font has builds, warns with U+E000 and prints 〓", async () => {
    const text = replaceOnce(ORIGINAL_YAML, "、9時より", "、\uE0009時より");
    writeFileSync(p.yaml, text);
    const r = buildOk();
    const warned = diagnostics(r.stderr);
    expect(warned, r.stderr).toHaveLength(1);
    const d = warned[0] as Printed;
    expect(d.severity).toBe("warning");
    expect(d.file.endsWith(`content/${SAMPLE}/issue.yaml`)).toBe(true);
    expect(d.ja).toContain("(U+E000)");
    expect(d.en).toContain("(U+E000)");
    expect(d.en).toContain("blocks[0].article.body");
    expect([positionOf(text, "body: |").line, positionOf(text, "\uE000").line]).toContain(d.line);

    const report = await inspectPdf(p.pdf);
    const all = report.pages.map((page) => page.text).join("\n");
    expect(all).not.toContain("\uE000");
    expect([...all].filter((ch) => ch === "〓")).toHaveLength(1);
    expect(normalizeText(all)).toContain("、〓9時より2024高崎市役所");
    expect(report.notdefCount).toBe(0);
  });

  it("14. when the PDF cannot be written, no *.tmp is left and what was there stays", () => {
    // Something in the way of the PDF (here a folder of that name; on Windows, the PDF open in a viewer).
    rmSync(p.pdf);
    mkdirSync(p.pdf);
    writeFileSync(path.join(p.pdf, "keep.txt"), "x");
    const r = run(p, ["build"]);
    expect(r.status).toBe(1);
    // The folder in the way is named before anything is written, with what to do (src/fsx/write.ts).
    expect(r.stderr).toContain(p.pdf);
    expect(r.stderr).toContain("同じ名前のフォルダがあるため、書き出せません");
    expect(r.stderr).toContain("Rename or move that folder");
    expect(r.stderr).not.toContain("internal error");
    expect(tmpFiles(p.output)).toEqual([]);
    expect(statSync(p.pdf).isDirectory()).toBe(true);
    expect(readdirSync(p.pdf)).toEqual(["keep.txt"]);
  });
});
