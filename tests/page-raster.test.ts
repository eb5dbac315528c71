import { readFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { renderPagePng } from "../src/render/preview.js";
import { type Built, built, builtSample } from "./helpers/built.js";
import { REPO } from "./helpers/cli.js";

/**
 * The page-1 PNG is drawn from the layout (src/render/page-raster.ts), not from a PDF: it must show what a PDF
 * viewer shows for page 1 of the email edition. pdf.js's drawing of that page (src/render/preview.ts) is the
 * reference: the two may differ in anti-aliasing and in how each decodes a JPEG, not in where anything is.
 */

interface Pixels {
  data: Buffer;
  width: number;
  height: number;
}

async function pixels(png: Buffer): Promise<Pixels> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Mean of each pixel's largest channel difference, and the share of pixels that differ by more than 64. */
function difference(a: Pixels, b: Pixels): { mean: number; far: number } {
  let sum = 0;
  let far = 0;
  for (let i = 0; i < a.data.length; i += 3) {
    let d = 0;
    for (let c = 0; c < 3; c++) d = Math.max(d, Math.abs((a.data[i + c] ?? 0) - (b.data[i + c] ?? 0)));
    sum += d;
    if (d > 64) far++;
  }
  const n = a.data.length / 3;
  return { mean: sum / n, far: far / n };
}

async function compareWithPdfjs(build: Built) {
  expect(build.status, build.stderr).toBe(0);
  const png = readFileSync(build.out("-page1.png"));
  const reference = await renderPagePng(new Uint8Array(readFileSync(build.out("-email.pdf"))), {
    width: 1200,
  });
  const [ours, theirs] = await Promise.all([pixels(png), pixels(reference.png)]);
  expect([ours.width, ours.height]).toEqual([theirs.width, theirs.height]);
  return difference(ours, theirs);
}

describe("the page-1 PNG drawn from the layout", () => {
  it("shows the sample's page 1 as pdf.js draws the email edition's", async () => {
    const d = await compareWithPdfjs(builtSample());
    // Measured 2026-12-02: mean 1.0, 0.00% far apart (palette quantisation of slightly different photo decodes).
    // A line of text 1 pt off, or a photo missing, moves thousands of pixels by more than 64.
    expect(d.mean).toBeLessThan(2);
    expect(d.far).toBeLessThan(0.001);
  }, 240_000);

  it("shows vertical text, turned Latin words and ruby where pdf.js draws them", async () => {
    const build = built(path.join(REPO, "tests", "fixtures", "vertical", "a4-vertical"), [
      "--only",
      "email,preview",
    ]);
    const d = await compareWithPdfjs(build);
    // Measured 2026-12-02: mean 0.37, 0.00% far apart.
    expect(d.mean).toBeLessThan(1);
    expect(d.far).toBeLessThan(0.001);
  }, 240_000);
});
