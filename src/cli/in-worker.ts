import { Worker } from "node:worker_threads";

export interface WorkerCall<A extends unknown[], T> {
  /** Sends the arguments (structured-clonable) and resolves to the function's result. */
  run(...args: A): Promise<T>;
  /** Ends the worker without running it (when the build fails before it is needed). */
  cancel(): void;
}

/**
 * Starts a worker thread that loads `moduleUrl` right away and calls its export `fn` once `run` is called.
 * Starting it early lets the module's loading overlap the main thread's work.
 */
export function startWorker<A extends unknown[], T>(moduleUrl: URL, fn: string): WorkerCall<A, T> {
  const worker = new Worker(new URL("./worker.js", import.meta.url), {
    workerData: { module: moduleUrl.href, fn },
  });
  const result = new Promise<T>((resolve, reject) => {
    worker.once("message", (msg: { ok: boolean; value?: T; message?: string; stack?: string }) => {
      void worker.terminate();
      if (msg.ok) resolve(msg.value as T);
      else reject(Object.assign(new Error(msg.message), { stack: msg.stack }));
    });
    worker.once("error", reject);
  });
  // Until `run`, a failure is not yet anybody's concern.
  result.catch(() => {});
  return {
    run: (...args: A) => {
      worker.postMessage(args);
      return result;
    },
    cancel: () => void worker.terminate(),
  };
}
