import { existsSync } from "node:fs";
import path from "node:path";
import { type Diagnostic, formatDiagnostic } from "../diagnostics.js";
import { PreviewServer } from "./server.js";
import type { PageState, ShownDiagnostic, Snapshot } from "./types.js";
import { type Change, type Watching, watchFolders } from "./watch.js";

export type { PageState, Snapshot, Timings } from "./types.js";

/**
 * `kaiho preview`: the issue's pages on a local web page, rebuilt on every save of issue.yaml, a photo or a
 * font, and pushed to the page. Only the screen edition is made; nothing is written but the photo and font
 * caches every build uses (never output/).
 */

export interface PreviewOptions {
  dir: string;
  root: string;
  /** 0 (default): a free port. */
  port?: number;
  /** How paths in messages are shown (the CLI shows them relative to where the editor runs it). */
  shownPath?: (file: string) => string;
  /** Told of each rebuild: for the terminal. */
  onBuild?: (snapshot: Snapshot) => void;
  onError?: (err: unknown) => void;
}

export interface Preview {
  url: string;
  port: number;
  /** Resolves after the first build is shown. */
  firstBuild: Promise<void>;
  /** Stops watching, waits for a rebuild under way, closes the server. */
  close(): Promise<void>;
}

export async function startPreview(opts: PreviewOptions): Promise<Preview> {
  const dir = path.resolve(opts.dir);
  const root = path.resolve(opts.root);
  const shown = opts.shownPath ?? ((f: string) => f);
  const server = await PreviewServer.start({ port: opts.port ?? 0 });
  // The stages (pdfmake, pdfjs, sharp, fontkit) take seconds to load on a busy machine: the address is given and
  // the page shows "building" meanwhile.
  const session = import("./session.js").then(({ PreviewSession }) => new PreviewSession({ dir, root }));
  const fontsDir = path.join(root, "fonts");

  const publish = async (changedAt?: number) => {
    server.building();
    const snap = await (await session).rebuild(changedAt);
    const state = pageState(snap, path.basename(dir), shown);
    state.timings.pushedAt = Date.now();
    snap.timings.pushedAt = state.timings.pushedAt;
    server.publish(state, snap.pages);
    if (snap.internal) opts.onError?.(snap.internal);
    opts.onBuild?.(snap);
  };

  const onChange = async (change: Change) => {
    if (change.files.some((f) => f === fontsDir || f.startsWith(fontsDir + path.sep)))
      (await session).fontsChanged();
    await publish(change.firstAt);
  };

  let watching: Watching;
  try {
    const folders = [dir, fontsDir, path.join(root, "images")].filter((f) => existsSync(f));
    watching = await watchFolders({ folders, onChange, onError: opts.onError });
  } catch (err) {
    await server.close();
    throw err;
  }
  // The first build takes its turn like any later one: a save during it is built right after, not beside it.
  const firstBuild = watching.runNow();

  return {
    url: server.url,
    port: server.port,
    firstBuild,
    async close() {
      await watching.close();
      await server.close();
    },
  };
}

function pageState(snap: Snapshot, issue: string, shown: (file: string) => string): PageState {
  const show = (d: Diagnostic): ShownDiagnostic => ({
    severity: d.severity,
    text: formatDiagnostic({ ...d, file: shown(d.file) }),
    line: d.line,
    column: d.column,
    sourceLine: d.sourceLine,
  });
  return {
    build: snap.build,
    issue,
    pages: snap.pages.map((p) => ({ url: `/pages/${p.key}.png`, width: p.width, height: p.height })),
    marks: snap.marks,
    failure: snap.failure.map(show),
    problems: snap.problems.map(show),
    timings: { ...snap.timings },
  };
}
