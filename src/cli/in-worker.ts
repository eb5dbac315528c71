import { Worker } from "node:worker_threads";

/** Calls `fn` exported by `moduleUrl` with structured-clonable `args` in a worker thread; resolves to its result. */
export function inWorker<T>(moduleUrl: URL, fn: string, args: unknown[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./worker.js", import.meta.url), {
      workerData: { module: moduleUrl.href, fn, args },
    });
    worker.once("message", (msg: { ok: boolean; value?: T; message?: string; stack?: string }) => {
      void worker.terminate();
      if (msg.ok) resolve(msg.value as T);
      else reject(Object.assign(new Error(msg.message), { stack: msg.stack }));
    });
    worker.once("error", reject);
  });
}
