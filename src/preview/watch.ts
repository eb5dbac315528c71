import path from "node:path";
import { watch } from "chokidar";

/**
 * Watches the files a preview depends on (the issue folder: issue.yaml and its photos; the project's fonts/ and
 * images/) and calls `onChange` once per burst of saves: an editor's save is often several events (write,
 * rename, attribute change), and a photo copied in arrives in pieces. Saves that come while a rebuild runs are
 * gathered into one more rebuild after it, never one each.
 */

export interface Change {
  /** Files that changed (absolute paths). */
  files: string[];
  /** When the first of them was seen (epoch ms); undefined for a run asked for without a save (the first). */
  firstAt?: number;
}

export interface WatchOptions {
  folders: string[];
  /** Quiet time after the last event before a rebuild starts, in ms. */
  debounceMs?: number;
  onChange: (change: Change) => Promise<void>;
  onError?: (err: unknown) => void;
}

export interface Watching {
  /** Runs `onChange` now (or right after the run under way), in turn with the runs saves cause. */
  runNow(): Promise<void>;
  close(): Promise<void>;
}

/** Editors' swap, backup and lock files (.issue.yaml.swp, issue.yaml~, vim's 4913, .~lock.*) are no saves. */
function ignoredName(name: string): boolean {
  return (
    name.startsWith(".") || name.endsWith("~") || name === "4913" || /\.(swp|swx|tmp|crdownload)$/i.test(name)
  );
}

export async function watchFolders(opts: WatchOptions): Promise<Watching> {
  const roots = opts.folders.map((f) => path.resolve(f));
  const batch = new Batcher(opts.onChange, opts.debounceMs ?? 100, opts.onError);
  const watcher = watch(roots, {
    ignoreInitial: true,
    depth: 2,
    ignored: (file: string) => !roots.includes(path.resolve(file)) && ignoredName(path.basename(file)),
  });
  watcher.on("all", (event, file) => {
    if (event === "addDir" || event === "unlinkDir") return;
    batch.add(path.resolve(file));
  });
  watcher.on("error", (err) => opts.onError?.(err));
  await new Promise<void>((resolve) => watcher.once("ready", () => resolve()));
  return {
    runNow: () => batch.runNow(),
    async close() {
      await watcher.close();
      await batch.close();
    },
  };
}

/** Gathers events until `ms` pass without one, then runs `run` with them; one run at a time. */
export class Batcher {
  private files = new Set<string>();
  private firstAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly run: (change: Change) => Promise<void>,
    private readonly ms: number,
    private readonly onError?: (err: unknown) => void,
  ) {}

  add(file: string): void {
    if (this.closed) return;
    if (!this.files.size) this.firstAt = Date.now();
    this.files.add(file);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fire(), this.ms);
  }

  /** A run without a save (the first build): now, or after the run under way. */
  async runNow(): Promise<void> {
    while (this.running) await this.running;
    if (this.closed) return;
    this.start({ files: [] });
    await this.running;
  }

  private fire(): void {
    this.timer = undefined;
    // A rebuild is running: these saves wait for it to end, then go together into the next one.
    if (this.running || !this.files.size || this.closed) return;
    const change = { files: [...this.files], firstAt: this.firstAt };
    this.files = new Set();
    this.start(change);
  }

  private start(change: Change): void {
    this.running = this.run(change)
      .catch((err: unknown) => this.onError?.(err))
      .finally(() => {
        this.running = undefined;
        if (!this.timer) this.fire();
      });
  }

  /** No more runs; waits for the one under way (it may be writing the photo cache). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    while (this.running) await this.running;
  }
}
