import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "./helpers/cli.js";

/**
 * Data flows forward: a stage imports only from the stages before it (README "How it works"), and from the
 * folders every stage shares (theme, fsx, the diagnostics). The CLI, the preview and the bench wire stages and
 * may import any of them. A stage reaching forward (the content stage calling into images, say) would be two
 * stages computing one thing, which is how photo sizes once drifted between content and layout.
 */
const ORDER = [
  "content",
  "fonts",
  "typeset",
  "layout",
  "proofread",
  "images",
  "render",
  "editions",
  "preflight",
  "mail",
];
const SHARED = new Set(["theme", "fsx", "diagnostics.ts"]);
const WIRING = new Set(["cli", "preview", "scaffold", "bench"]);
const SRC = path.join(REPO, "src");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(path.join(dir, e.name))
      : e.name.endsWith(".ts")
        ? [path.join(dir, e.name)]
        : [],
  );
}

/** The stage folder (or shared file) a path under src/ is in. */
const top = (file: string) => path.relative(SRC, file).split(path.sep)[0] as string;

describe("stages import forward only", () => {
  it("every top-level folder of src/ is a stage, a shared folder or wiring", () => {
    const tops = readdirSync(SRC).filter((n) => !n.endsWith(".md"));
    expect(tops.filter((n) => !ORDER.includes(n) && !SHARED.has(n) && !WIRING.has(n))).toEqual([]);
  });

  it("no stage imports from a stage after it, or from the wiring", () => {
    const backward: string[] = [];
    for (const file of sources(SRC)) {
      const from = top(file);
      if (!ORDER.includes(from)) continue;
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/(?:from|import\()\s*"(\.{1,2}\/[^"]+)"/g)) {
        const to = top(path.resolve(path.dirname(file), m[1] as string));
        if (to === from || SHARED.has(to)) continue;
        if (WIRING.has(to) || ORDER.indexOf(to) > ORDER.indexOf(from))
          backward.push(`${path.relative(REPO, file)} → ${m[1]}`);
      }
    }
    expect(backward).toEqual([]);
  });
});
