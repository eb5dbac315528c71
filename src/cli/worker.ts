import { parentPort, workerData } from "node:worker_threads";

/**
 * Runs one exported function of a stage module in a worker thread, so CPU-bound editions (the print edition,
 * the page preview) are made on the second core while the main thread makes the others.
 */
interface Job {
  module: string;
  fn: string;
  args: unknown[];
}

const job = workerData as Job;
try {
  const mod = (await import(job.module)) as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const fn = mod[job.fn];
  if (typeof fn !== "function") throw new Error(`${job.module} has no function ${job.fn}`);
  parentPort?.postMessage({ ok: true, value: await fn(...job.args) });
} catch (err) {
  parentPort?.postMessage({ ok: false, message: (err as Error).message, stack: (err as Error).stack });
}
