#!/usr/bin/env node
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  type Diagnostic,
  EXIT_CONTENT,
  EXIT_USAGE,
  formatDiagnostic,
  formatDiagnostics,
  KaihoError,
} from "../diagnostics.js";
import { closestEdition, EDITION_NAMES, type EditionName, isEditionName } from "../editions/names.js";
import { workerModules } from "../editions/worker-modules.js";
import { preflightSummary } from "../preflight/index.js";
import { type StageWorker, startWorker } from "./in-worker.js";

const HELP = `kaiho — 会報（ニュースレター）PDF を YAML と写真から作ります
kaiho — builds a newsletter PDF from one YAML file and photos

使い方 / usage:
  kaiho build [issue-dir ...]   PDF を output/<issue-id>.pdf に書き出す（省略時は content/ の全号）
                                build output/<issue-id>.pdf (default: every issue under content/)
  kaiho check [issue-dir ...]   検査のみ。何も書き出さない / validate and lay out, write nothing
  kaiho new [--from issue-dir]  次の号のフォルダを最新の号から作る（号数+1、日付+1か月、記事はひな形）
                                make the next issue's folder from the latest one (number + 1, date + 1 month)
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
  --only LIST   指定した版だけを書き出す（カンマ区切り: screen,print,email,preview。preflight は常に）
                write only these editions (comma-separated; the preflight report always)
  --edition LIST  --only と同じ / the same as --only
  --impose booklet  中綴じ用に A3 に2ページずつ面付けした PDF も作る（output/<id>-booklet.pdf）
                    also write pages imposed two-up for a saddle-stitched booklet
  --from DIR    new: 元にする号のフォルダ（既定: content/ の最新の号） / the issue to start from
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
  if (
    command !== "build" &&
    command !== "check" &&
    command !== "send" &&
    command !== "new" &&
    command !== "preview"
  ) {
    usageError(
      command
        ? `不明なコマンド「${command}」です。build・check・new・send・preview のどれかを指定してください。`
        : "コマンドを指定してください（build・check・new・send・preview）。",
      command
        ? `Unknown command "${command}": use build, check, new, send or preview.`
        : "No command given: use build, check, new, send or preview.",
    );
  }
  if (values.impose !== undefined && values.impose !== "booklet") {
    usageError(
      `--impose に指定できるのは booklet だけです（「${values.impose}」）。`,
      `--impose takes only "booklet" (got "${values.impose}").`,
    );
  }
  const editions = editionsOf(values.only, values.edition);
  const root = path.resolve(values.root ?? process.cwd());
  if (command === "send") return send(root, dirs, values);
  if (command === "new") return newCommand(root, dirs, values.from);
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

  // The worker first: its modules (pdf-lib, pdfjs, Skia) load on the second core while this thread loads its own.
  const modules = command === "build" ? workerModules(editions) : [];
  const worker = modules.length ? startWorker(modules) : undefined;
  try {
    return await buildAll(issueDirs, root, command, values, editions, worker);
  } finally {
    worker?.close();
  }
}

async function buildAll(
  issueDirs: string[],
  root: string,
  command: "build" | "check",
  values: ReturnType<typeof parse>["values"],
  editions: Set<EditionName>,
  worker: StageWorker | undefined,
): Promise<number> {
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
        editions,
        worker,
        progress: (stage) => {
          if (tty) process.stderr.write(`  ${path.basename(dir)}: ${stage}…\n`);
        },
      });
      for (const w of [...result.warnings, ...result.preflight.warnings])
        process.stderr.write(`${show(w)}\n`);
      for (const e of result.preflight.errors) process.stderr.write(`${show(e)}\n`);
      process.stderr.write(`${preflightSummary(result.preflight, result.warnings)}\n`);
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
        for (const line of formatDiagnostics(err.diagnostics, show)) process.stderr.write(`${line}\n`);
        for (const w of err.warnings) process.stderr.write(`${show(w)}\n`);
        process.stderr.write(
          `  エラー errors: ${err.diagnostics.length}, 警告 warnings: ${err.warnings.length}\n`,
        );
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

async function newCommand(root: string, extra: string[], from: string | undefined): Promise<number> {
  if (extra.length)
    usageError(
      "new には号のフォルダを --from で指定してください。",
      "new takes the issue folder to start from as --from DIR.",
    );
  if (from !== undefined && !existsSync(from))
    usageError(`フォルダ ${from} がありません。`, `Folder ${from} does not exist.`);
  const { newIssue } = await import("../scaffold/index.js");
  const show = (d: Diagnostic) => formatDiagnostic({ ...d, file: shownPath(d.file) });
  try {
    const made = await newIssue({ root, ...(from !== undefined ? { from } : {}) });
    for (const w of made.warnings) process.stderr.write(`${show(w)}\n`);
    const dir = shownPath(made.dir);
    const file = shownPath(made.file);
    const number = made.number?.to ? `${made.number.from} → ${made.number.to}, ` : "";
    const copied = made.copied.length ? `\n  コピーしたファイル copied: ${made.copied.join(", ")}` : "";
    process.stdout.write(
      `✓ ${dir} を作りました / created (${number}${made.date.from} → ${made.date.to}; ${shownPath(made.from)} から from)${copied}
  引き継いだ設定 kept: ${made.kept.join(", ") || "なし none"}; 毎号のブロック recurring blocks: ${made.recurring}

次にすること / next:
  1. ${file} の記事のひな形を今月の記事に書き換え、写真を ${dir}/ に置く
     replace the template articles in ${file} and put this month's photos in ${dir}/
  2. npx kaiho check ${dir}    確かめる / check it
  3. npx kaiho build ${dir}    PDF を作る / build the PDFs
`,
    );
    return 0;
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
      only: { type: "string" },
      edition: { type: "string" },
      impose: { type: "string" },
      members: { type: "string" },
      "dry-run": { type: "boolean" },
      "resend-unknown": { type: "boolean" },
      rate: { type: "string" },
      config: { type: "string" },
      from: { type: "string" },
      port: { type: "string" },
      open: { type: "boolean" },
      root: { type: "string" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
    },
  });
}

/** The editions `--only` / `--edition` name (both may be given; all when neither is). */
function editionsOf(...lists: Array<string | undefined>): Set<EditionName> {
  const given = lists.filter((l): l is string => l !== undefined);
  if (!given.length) return new Set(EDITION_NAMES);
  const names = given.flatMap((l) => l.split(",")).map((n) => n.trim());
  const editions = new Set<EditionName>();
  for (const name of names) {
    if (isEditionName(name)) {
      editions.add(name);
      continue;
    }
    const near = closestEdition(name);
    const known = EDITION_NAMES.join(", ");
    usageError(
      `不明な版「${name}」です。${near ? `「${near}」のことですか？ ` : ""}指定できるのは ${known} です。`,
      `Unknown edition "${name}".${near ? ` Did you mean "${near}"?` : ""} Editions: ${known}.`,
    );
  }
  return editions;
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
