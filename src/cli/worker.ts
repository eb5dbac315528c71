import { parentPort, workerData } from "node:worker_threads";

/**
 * Runs one exported function of a stage module in a worker thread, so CPU-bound editions (the print edition,
 * the page preview) are made on the second core while the main thread makes the others. The module is imported
 * as soon as the worker starts, so its loading overlaps the main thread's work; the arguments come later.
 */
interface Job {
  module: string;
  fn: string;
}

const job = workerData as Job;
const loaded = import(job.module) as Promise<Record<string, (...args: unknown[]) => Promise<unknown>>>;
// Keeps the load from counting as unhandled before the arguments arrive; the error is reported with the job.
loaded.catch(() => {});

parentPort?.once("message", async (args: unknown[]) => {
  try {
    const fn = (await loaded)[job.fn];
    if (typeof fn !== "function") throw new Error(`${job.module} has no function ${job.fn}`);
    parentPort?.postMessage({ ok: true, value: await fn(...args) });
  } catch (err) {
    parentPort?.postMessage({ ok: false, message: (err as Error).message, stack: (err as Error).stack });
  }
});
