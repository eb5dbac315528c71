import { readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { builtSampleProject } from "./helpers/built.js";
import { kaiho } from "./helpers/cli.js";

/**
 * A warm build reads what earlier builds learnt of the fonts from `.cache/kaiho/fonts/` (the typesetter's
 * measurements, src/fonts/measures.ts; each run's shaping for pdfkit, src/render/pdfkit-layout-cache.ts; the
 * preview's shapes and outlines, src/render/glyph-shapes.ts) instead of asking fontkit again: it must write the
 * very same files as the build that learnt them.
 */
describe("a warm build of the sample", () => {
  it("writes every edition byte for byte as the first build did", () => {
    const { root, issue, build } = builtSampleProject();
    try {
      const fonts = readdirSync(path.join(root, ".cache", "kaiho", "fonts"));
      for (const kind of ["measures-", "runs-", "shapes-"])
        expect(fonts.filter((f) => f.startsWith(kind)).length, kind).toBeGreaterThan(0);
      const r = kaiho(["build", issue, "--root", root, "--impose", "booklet"]);
      expect(r.status, r.stderr).toBe(0);
      const outputs = readdirSync(build.output).filter((f) => !f.endsWith("-preflight.json"));
      expect(outputs.length).toBeGreaterThanOrEqual(5);
      for (const f of outputs) {
        const again = readFileSync(path.join(root, "output", f));
        expect(again.equals(readFileSync(path.join(build.output, f))), f).toBe(true);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 240_000);
});
