import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import path from "node:path";
import { EXIT_USAGE, formatDiagnostic } from "../diagnostics.js";
import { startPreview } from "./index.js";
import type { Snapshot } from "./types.js";

/**
 * `kaiho preview` in the terminal: prints the address, opens the browser when asked, says what each rebuild
 * gave, and stops cleanly on Ctrl-C (SIGINT) or SIGTERM: the watcher and the server closed, a rebuild under way
 * finished first (it may be writing the photo cache), exit 0.
 */

export interface RunOptions {
  root: string;
  dir: string;
  port: number;
  open: boolean;
  shownPath: (file: string) => string;
}

export async function runPreview(opts: RunOptions): Promise<number> {
  const err = (line: string) => process.stderr.write(`${line}\n`);
  let preview: Awaited<ReturnType<typeof startPreview>>;
  try {
    preview = await startPreview({
      dir: opts.dir,
      root: opts.root,
      port: opts.port,
      shownPath: opts.shownPath,
      onBuild: (snap) => err(describe(snap, path.basename(opts.dir), opts.shownPath)),
      onError: (e) => err(`内部エラー internal error: ${(e as Error)?.stack ?? String(e)}`),
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EADDRINUSE") {
      err(
        `エラー error: ポート ${opts.port} は使用中です。--port で別の番号を指定するか、--port を省いてください。\n  Port ${opts.port} is in use: choose another with --port, or leave --port out.`,
      );
      return EXIT_USAGE;
    }
    throw e;
  }
  process.stdout.write(
    `プレビュー preview: ${preview.url}  (${opts.shownPath(opts.dir)})\n  Ctrl-C で終了 / Ctrl-C to stop\n`,
  );
  if (opts.open) openBrowser(preview.url, err);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = () => {
      if (stopping) process.exit(130);
      stopping = true;
      err("終了します… stopping…");
      preview.close().then(
        () => resolve(0),
        (e: unknown) => {
          err(`内部エラー internal error: ${(e as Error)?.stack ?? String(e)}`);
          resolve(70);
        },
      );
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

function describe(snap: Snapshot, id: string, shown: (file: string) => string): string {
  const t = snap.timings;
  const took = t.changedAt
    ? `保存から表示まで save → shown ${(t.pushedAt ?? t.finishedAt) - t.changedAt} ms`
    : `${t.finishedAt - t.startedAt} ms`;
  if (snap.failure.length) {
    const messages = snap.failure.map((d) => formatDiagnostic({ ...d, file: shown(d.file) }));
    return `${messages.join("\n")}\n✗ ${id}: 前回の紙面を表示しています / showing the last good pages (${took})`;
  }
  const errors = snap.problems.filter((d) => d.severity === "error").length;
  const counts = `エラー errors: ${errors}, 警告 warnings: ${snap.problems.length - errors}`;
  return `✓ ${id}: ${snap.pages.length} ページ pages, ${counts} — ${took} (CPU ${t.cpuMs} ms, 描き直し redrawn ${t.pagesDrawn})`;
}

/** The system's way to open a URL: `open` on macOS, `start` on Windows, xdg-open elsewhere, if it is there. */
function openBrowser(url: string, err: (line: string) => void): void {
  const [command, args] =
    process.platform === "darwin"
      ? ["open", [url]]
      : process.platform === "win32"
        ? ["cmd", ["/c", "start", '""', url]]
        : ["xdg-open", [url]];
  const notFound = () =>
    err(
      `ブラウザを開けませんでした（${command} がありません）。上の URL をブラウザで開いてください。\n  No way to open a browser was found (${command}); open the URL above yourself.`,
    );
  if (process.platform !== "win32" && !onPath(command)) {
    notFound();
    return;
  }
  const child = spawn(command, args, { detached: true, stdio: "ignore" });
  child.on("error", notFound);
  child.unref();
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? "").split(path.delimiter).some((dir) => {
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
