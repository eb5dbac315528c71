#!/usr/bin/env node
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { type Diagnostic, EXIT_CONTENT, EXIT_USAGE, formatDiagnostic, KaihoError } from "../diagnostics.js";
import { preflightSummary } from "../preflight/index.js";

const HELP = `kaiho — 会報（ニュースレター）PDF を YAML と写真から作ります
kaiho — builds a newsletter PDF from one YAML file and photos

使い方 / usage:
  kaiho build [issue-dir ...]   PDF を output/<issue-id>.pdf に書き出す（省略時は content/ の全号）
                                build output/<issue-id>.pdf (default: every issue under content/)
  kaiho check [issue-dir ...]   検査のみ。何も書き出さない / validate and lay out, write nothing
  kaiho send <issue-dir> --members FILE [--dry-run] [--rate N] [--config FILE] [--resend-unknown]
                                メール版を会員に1通ずつ送る（中断しても再実行で続きから）
                                mail the email edition to each member (rerun to resume)
                                --resend-unknown: 届いたか不明の人にも送り直す / also resend to members
                                an earlier run may or may not have reached
  kaiho preview [issue-dir] [--port N] [--open]
                                紙面をブラウザで表示し、保存するたびに更新する（Ctrl-C で終了）
                                show the pages in the browser, updated on every save (Ctrl-C stops)
                                （省略時は content/ で最後に編集した号 / default: the issue edited last）

オプション / options:
  --impose booklet  中綴じ用に A3 に2ページずつ面付けした PDF も作る（output/<id>-booklet.pdf）
                    also write pages imposed two-up for a saddle-stitched booklet
  --strict      警告もエラーとして扱う / treat warnings as errors
  --port N      preview のポート（既定: 空いているポート） / preview's port (default: a free one)
  --open        preview をブラウザで開く / open the preview in the browser
  --root DIR    プロジェクトのフォルダ（既定: 現在のフォルダ） / project folder (default: cwd)
  -h, --help    この説明 / this help
  -v, --version バージョン / version

終了コード / exit codes: 0 成功 success, 1 原稿の問題 content error, 2 使い方の誤り usage error`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

function usageError(ja: string, en: string): never {
  process.stderr.write(`エラー error: ${ja}\n  ${en}\n\n${HELP}\n`);
  process.exit(EXIT_USAGE);
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    usageError("コマンドの指定が正しくありません。", (err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const [command, ...dirs] = positionals;
  if (command !== "build" && command !== "check" && command !== "send" && command !== "preview") {
    usageError(
      command
        ? `不明なコマンド「${command}」です。build・check・send・preview のどれかを指定してください。`
        : "コマンドを指定してください（build・check・send・preview）。",
      command
        ? `Unknown command "${command}": use build, check, send or preview.`
        : "No command given: use build, check, send or preview.",
    );
  }
  if (values.impose !== undefined && values.impose !== "booklet") {
    usageError(
      `--impose に指定できるのは booklet だけです（「${values.impose}」）。`,
      `--impose takes only "booklet" (got "${values.impose}").`,
    );
  }
  const root = path.resolve(values.root ?? process.cwd());
  if (command === "send") return send(root, dirs, values);
  if (command === "preview") return preview(root, dirs, values);
  const issueDirs = dirs.length ? dirs.map((d) => path.resolve(d)) : findIssues(root);
  if (!issueDirs.length) {
    usageError(
      `${path.join(root, "content")} に号のフォルダ（issue.yaml を含むフォルダ）がありません。`,
      `No issue folder (a folder with issue.yaml) under ${path.join(root, "content")}.`,
    );
  }
  for (const dir of issueDirs) {
    if (!existsSync(dir)) usageError(`フォルダ ${dir} がありません。`, `Folder ${dir} does not exist.`);
  }

  // Loaded only now: sharp, pdfmake and fontkit take half a second, which --help and usage errors need not pay.
  const { buildIssue } = await import("./pipeline.js");
  const show = (d: Diagnostic) => formatDiagnostic({ ...d, file: shownPath(d.file) });
  const tty = process.stderr.isTTY;
  let failed = false;
  for (const dir of issueDirs) {
    const started = performance.now();
    try {
      const result = await buildIssue(dir, {
        root,
        strict: values.strict ?? false,
        write: command === "build",
        booklet: values.impose === "booklet",
        progress: (stage) => {
          if (tty) process.stderr.write(`  ${path.basename(dir)}: ${stage}…\n`);
        },
      });
      for (const w of [...result.warnings, ...result.preflight.warnings])
        process.stderr.write(`${show(w)}\n`);
      for (const e of result.preflight.errors) process.stderr.write(`${show(e)}\n`);
      process.stderr.write(`${preflightSummary(result.preflight)}\n`);
      const ms = (performance.now() - started).toFixed(0);
      const what = result.outputs.length
        ? `${result.outputs.map((o) => path.relative(process.cwd(), o)).join(", ")} (${result.pages} ページ pages, ${((result.bytes ?? 0) / 1024).toFixed(0)} KB, ${ms} ms)`
        : `${result.pages} ページ pages — 問題なし OK (${ms} ms)`;
      if (result.preflight.errors.length) {
        // The files are valid and written so the editor can look, but they are not ready for the print shop.
        failed = true;
        process.stderr.write(
          `✗ ${result.issue.id}: 印刷前に直すべき問題があります / not ready for print: ${what}\n`,
        );
      } else {
        process.stderr.write(`✓ ${result.issue.id}: ${what}\n`);
      }
    } catch (err) {
      failed = true;
      if (err instanceof KaihoError) {
        for (const d of err.diagnostics) process.stderr.write(`${show(d)}\n`);
        process.stderr.write(
          `✗ ${path.basename(dir)}: PDF は作成されませんでした（前回の PDF はそのままです） / no PDF written (the previous one is kept)\n`,
        );
      } else {
        throw err;
      }
    }
  }
  return failed ? EXIT_CONTENT : 0;
}

async function send(
  root: string,
  dirs: string[],
  values: ReturnType<typeof parse>["values"],
): Promise<number> {
  const [dir, ...extra] = dirs;
  if (!dir || extra.length)
    usageError("send には号のフォルダを1つ指定してください。", "send takes exactly one issue folder.");
  if (!values.members) {
    usageError(
      "--members で会員名簿（CSV）を指定してください。",
      "Name the members list with --members FILE.csv.",
    );
  }
  if (!existsSync(dir)) usageError(`フォルダ ${dir} がありません。`, `Folder ${dir} does not exist.`);
  const rate = values.rate === undefined ? undefined : Number(values.rate);
  if (rate !== undefined && !(rate > 0))
    usageError(
      "--rate には1分あたりの通数（正の数）を指定してください。",
      "--rate takes messages per minute (a positive number).",
    );
  const { sendCommand } = await import("./send.js");
  const show = (d: Diagnostic) => formatDiagnostic({ ...d, file: shownPath(d.file) });
  try {
    return await sendCommand({
      root,
      dir,
      members: values.members,
      dryRun: values["dry-run"] ?? false,
      resendUnknown: values["resend-unknown"] ?? false,
      rate,
      config: values.config,
      show,
    });
  } catch (err) {
    if (!(err instanceof KaihoError)) throw err;
    for (const d of err.diagnostics) process.stderr.write(`${show(d)}\n`);
    return err.exitCode;
  }
}

async function preview(
  root: string,
  dirs: string[],
  values: ReturnType<typeof parse>["values"],
): Promise<number> {
  if (dirs.length > 1)
    usageError("preview には号のフォルダを1つ指定してください。", "preview takes one issue folder.");
  const dir = dirs[0] ? path.resolve(dirs[0]) : lastEdited(findIssues(root));
  if (!dir) {
    usageError(
      `${path.join(root, "content")} に号のフォルダ（issue.yaml を含むフォルダ）がありません。`,
      `No issue folder (a folder with issue.yaml) under ${path.join(root, "content")}.`,
    );
  }
  if (!existsSync(dir)) usageError(`フォルダ ${dir} がありません。`, `Folder ${dir} does not exist.`);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    usageError(
      "--port にはポート番号（0〜65535）を指定してください。",
      "--port takes a port number (0-65535).",
    );
  const { runPreview } = await import("../preview/run.js");
  return runPreview({ root, dir, port, open: values.open ?? false, shownPath });
}

/** The issue whose issue.yaml was saved last: the one being written. */
function lastEdited(dirs: string[]): string | undefined {
  const mtime = (d: string) => statSync(path.join(d, "issue.yaml")).mtimeMs;
  return dirs.reduce<string | undefined>(
    (best, d) => (best && mtime(best) >= mtime(d) ? best : d),
    undefined,
  );
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      strict: { type: "boolean" },
      impose: { type: "string" },
      members: { type: "string" },
      "dry-run": { type: "boolean" },
      "resend-unknown": { type: "boolean" },
      rate: { type: "string" },
      config: { type: "string" },
      port: { type: "string" },
      open: { type: "boolean" },
      root: { type: "string" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
    },
  });
}

/** Paths in messages are shown relative to where the editor runs the command, as they would type them. */
function shownPath(file: string): string {
  return path.isAbsolute(file) ? path.relative(process.cwd(), file) || file : file;
}

function findIssues(root: string): string[] {
  const content = path.join(root, "content");
  if (!existsSync(content)) return [];
  return readdirSync(content, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(content, e.name, "issue.yaml")))
    .map((e) => path.join(content, e.name))
    .sort();
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`内部エラー internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(70);
  },
);
