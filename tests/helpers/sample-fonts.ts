import path from "node:path";
import { loadIssue } from "../../src/content/index.js";
import { Warnings } from "../../src/diagnostics.js";
import type { FontBook } from "../../src/fonts/index.js";
import { loadFonts } from "../../src/fonts/index.js";
import { createTypesetter, type Typesetter } from "../../src/typeset/index.js";
import { REPO, SAMPLE } from "./cli.js";

/**
 * The sample issue's fonts (content/shishokuro-485: the bundled Noto Sans JP and its fallbacks), for tests of the
 * line engine on small inputs. Converted fonts are read from the repository's `.cache/kaiho` as a build would;
 * loaded once per fork (test files in a fork share modules, vitest.config.ts).
 */
let book: Promise<FontBook> | undefined;

export function sampleFonts(): Promise<FontBook> {
  book ??= (async () => {
    const warnings = new Warnings();
    const issue = await loadIssue(path.join(REPO, "content", SAMPLE), { root: REPO, warnings });
    return loadFonts(issue, { cacheDir: path.join(REPO, ".cache", "kaiho"), warnings });
  })();
  return book;
}

/** A typesetter of its own (it collects loose lines and missing characters) over the sample's fonts. */
export async function sampleTypesetter(): Promise<Typesetter> {
  return createTypesetter(await sampleFonts());
}
