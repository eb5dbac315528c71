import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { CLI, tempProject } from "./helpers/cli.js";

/**
 * What a `kaiho build` process loads is most of its fixed cost, so the screen edition alone must not load the
 * other editions' engines (pdf-lib, pdfjs, Skia), nor the schema compiler and schema builder that validation no
 * longer needs (src/content/issue-validator.ts is ajv's code generated ahead of time).
 */

/** A preload that lists every module the process loads: ES modules by a loader hook, CommonJS from its cache. */
function moduleRecorder(): { preload: string; list: () => string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), "kaiho-modules-"));
  const out = path.join(dir, "loaded.txt");
  const hooks = path.join(dir, "hooks.mjs");
  writeFileSync(
    hooks,
    `import { appendFileSync } from "node:fs";
export async function load(url, context, next) {
  appendFileSync(${JSON.stringify(out)}, url + "\\n");
  return next(url, context);
}
`,
  );
  const preload = path.join(dir, "preload.mjs");
  writeFileSync(
    preload,
    `import { appendFileSync } from "node:fs";
import Module, { register } from "node:module";
import { pathToFileURL } from "node:url";
register(${JSON.stringify(pathToFileURL(hooks).href)});
process.on("exit", () => {
  const files = Object.keys(Module._cache).map((f) => pathToFileURL(f).href);
  appendFileSync(${JSON.stringify(out)}, files.join("\\n") + "\\n");
});
`,
  );
  return { preload, list: () => readFileSync(out, "utf8").split("\n").filter(Boolean) };
}

/** The npm package a module URL belongs to, or undefined for kaiho's own and Node's modules. */
function packageOf(url: string): string | undefined {
  return /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
}

describe("what a build loads", () => {
  it("--only screen loads no print, email or preview engine, and no schema compiler", () => {
    const { root, issue } = tempProject();
    const recorder = moduleRecorder();
    const r = spawnSync(
      process.execPath,
      ["--import", recorder.preload, CLI, "build", issue, "--root", root, "--only", "screen"],
      { encoding: "utf8" },
    );
    expect(r.status, r.stderr).toBe(0);
    const loaded = recorder.list();
    const packages = new Set(loaded.map(packageOf).filter((p) => p !== undefined));
    // The recorder sees both kinds of module: pdfmake is CommonJS, kaiho's stages are ES modules.
    expect(packages).toContain("pdfmake");
    expect(packages).toContain("fontkit");
    expect(loaded.some((u) => u.endsWith("/dist/content/issue-validator.js"))).toBe(true);
    for (const engine of [
      "pdf-lib",
      "pdfjs-dist",
      "@napi-rs/canvas",
      "ajv",
      "@sinclair/typebox",
      "nodemailer",
      "chokidar",
    ]) {
      expect(packages, engine).not.toContain(engine);
    }
    const own = loaded.filter((u) => u.includes("/dist/render/")).map((u) => path.basename(u));
    for (const module of ["print-from-screen.js", "email-edition.js", "preview.js", "pdfx.js"])
      expect(own, module).not.toContain(module);
  });
});
