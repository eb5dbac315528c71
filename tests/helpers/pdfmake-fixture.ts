import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import pdfmake from "pdfmake";
import { woffToSfnt } from "../../src/fonts/woff.js";

/** pdfmake 0.3 as the render stage uses it; its shipped types describe 0.2. */
export interface Pdfmake {
  setUrlAccessPolicy(cb: (url: string) => boolean): void;
  setLocalAccessPolicy(cb: (file: string) => boolean): void;
  setFonts(fonts: unknown): void;
  createPdf(doc: unknown): { getBuffer(): Promise<Uint8Array> };
}

/**
 * pdfmake set up for a fixture: no network, local files allowed, and one family `JP`, Noto Sans JP's `japanese`
 * subset (400) converted to TTF into `dir` (WOFF straight into pdfkit is slow to subset).
 */
export function pdfmakeWithJapanese(dir: string): Pdfmake {
  const require = createRequire(import.meta.url);
  const fontDir = join(dirname(require.resolve("@fontsource/noto-sans-jp/package.json")), "files");
  const ttf = join(dir, "NotoSansJP-japanese-400.ttf");
  writeFileSync(ttf, woffToSfnt(readFileSync(join(fontDir, "noto-sans-jp-japanese-400-normal.woff"))));
  const pm = pdfmake as unknown as Pdfmake;
  pm.setUrlAccessPolicy(() => false);
  pm.setLocalAccessPolicy(() => true);
  pm.setFonts({ JP: { normal: ttf, bold: ttf, italics: ttf, bolditalics: ttf } });
  return pm;
}
