import { parentPort, workerData } from "node:worker_threads";
import { KaihoError } from "../diagnostics.js";

/**
 * Runs exported functions of stage modules in a worker thread, so CPU-bound editions (the email edition and its
 * preview, the print edition's finishing) are made on the second core while the main thread draws. The modules
 * are imported as soon as the worker starts, so their loading overlaps the main thread's work; calls arrive
 * later and run one after another.
 */
type Module = Record<string, (...args: unknown[]) => Promise<unknown>>;

const modules = new Map<string, Promise<Module>>();
for (const url of workerData as string[]) {
  const loading = import(url) as Promise<Module>;
  // Keeps a failed load from counting as unhandled before a call asks for it; the call reports it.
  loading.catch(() => {});
  modules.set(url, loading);
}

let queue: Promise<void> = Promise.resolve();
parentPort?.on("message", (msg: { id: number; module: string; fn: string; args: unknown[] }) => {
  queue = queue.then(async () => {
    try {
      const mod = await (modules.get(msg.module) ?? (import(msg.module) as Promise<Module>));
      const fn = mod[msg.fn];
      if (typeof fn !== "function") throw new Error(`${msg.module} has no function ${msg.fn}`);
      parentPort?.postMessage({ id: msg.id, ok: true, value: await fn(...msg.args) });
    } catch (err) {
      parentPort?.postMessage({
        id: msg.id,
        ok: false,
        message: (err as Error).message,
        stack: (err as Error).stack,
        // A problem for the editor stays one: its diagnostics cross as data and become a KaihoError again.
        ...(err instanceof KaihoError ? { diagnostics: err.diagnostics, exitCode: err.exitCode } : {}),
      });
    }
  });
});
