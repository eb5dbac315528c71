import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { REPO } from "./helpers/cli.js";

/**
 * Problems travel through one channel: a KaihoError thrown by a stage function the worker thread runs
 * (src/cli/worker.ts) reaches the build as a KaihoError with its diagnostics (file, line, both languages), so
 * the CLI reports it to the editor instead of as an internal error. Runs the compiled worker (dist/, as the CLI).
 */
describe("the worker thread", () => {
  const dist = (file: string) => pathToFileURL(path.join(REPO, "dist", file)).href;

  it("hands a KaihoError back as a KaihoError, and any other error as an Error", async () => {
    const { startWorker } = (await import(
      dist("cli/in-worker.js")
    )) as typeof import("../src/cli/in-worker.js");
    const { KaihoError } = (await import(dist("diagnostics.js"))) as typeof import("../src/diagnostics.js");
    const dir = mkdtempSync(path.join(tmpdir(), "kaiho-worker-"));
    const stage = path.join(dir, "stage.mjs");
    writeFileSync(
      stage,
      `import { KaihoError } from ${JSON.stringify(dist("diagnostics.js"))};
export async function refuse() {
  throw new KaihoError({ severity: "error", file: "issue.yaml", line: 7, ja: "写真が壊れています", en: "The photo is damaged" });
}
export async function crash() { throw new TypeError("not a problem of the content"); }
`,
    );
    const url = pathToFileURL(stage);
    const worker = startWorker([url]);
    try {
      const refused = await worker.call(url, "refuse").catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(KaihoError);
      expect((refused as InstanceType<typeof KaihoError>).diagnostics).toEqual([
        {
          severity: "error",
          file: "issue.yaml",
          line: 7,
          ja: "写真が壊れています",
          en: "The photo is damaged",
        },
      ]);
      const crashed = await worker.call(url, "crash").catch((e: unknown) => e);
      expect(crashed).toBeInstanceOf(Error);
      expect(crashed).not.toBeInstanceOf(KaihoError);
      expect((crashed as Error).message).toBe("not a problem of the content");
    } finally {
      worker.close();
    }
  });
});
