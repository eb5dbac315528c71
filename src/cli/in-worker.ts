import { Worker } from "node:worker_threads";
import { type Diagnostic, KaihoError } from "../diagnostics.js";

export interface StageWorker {
  /** Calls `fn` exported by `module` (one the worker was started with) with structured-clonable arguments. */
  call<T>(module: URL, fn: string, ...args: unknown[]): Promise<T>;
  /** Ends the worker (after the build, or when it fails before the worker is needed). */
  close(): void;
}

interface WorkerReply {
  id: number;
  ok: boolean;
  value?: unknown;
  message?: string;
  stack?: string;
  /** Set when the call threw a KaihoError (src/cli/worker.ts). */
  diagnostics?: Diagnostic[];
  exitCode?: number;
}

/** The error a failed call threw in the worker: a KaihoError again if it was one, so the CLI reports it as such. */
function failure(msg: WorkerReply): Error {
  if (msg.diagnostics) return new KaihoError(msg.diagnostics, msg.exitCode);
  return Object.assign(new Error(msg.message), { stack: msg.stack });
}

/**
 * Starts a worker thread that loads `modules` right away; calls run in it one after another. Starting it early
 * lets the modules' loading overlap the main thread's work.
 */
export function startWorker(modules: URL[]): StageWorker {
  const worker = new Worker(new URL("./worker.js", import.meta.url), {
    workerData: modules.map((m) => m.href),
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 0;
  worker.on("message", (msg: WorkerReply) => {
    const call = pending.get(msg.id);
    pending.delete(msg.id);
    if (msg.ok) call?.resolve(msg.value);
    else call?.reject(failure(msg));
  });
  worker.on("error", (err) => {
    for (const call of pending.values()) call.reject(err);
    pending.clear();
  });
  return {
    call<T>(module: URL, fn: string, ...args: unknown[]): Promise<T> {
      const id = next++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        worker.postMessage({ id, module: module.href, fn, args });
      });
    },
    close: () => void worker.terminate(),
  };
}
