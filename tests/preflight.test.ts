import { readFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { kaiho, projectWith } from "./helpers/cli.js";
import { inspectPdf } from "./helpers/pdf.js";

const LONG = "長い記事の本文です。".repeat(900);

const yaml = `newsletter: プリフライト
date: 2024-02-01
binding: saddle
blocks:
  - article:
      title: 小さな写真
      body: 解像度の低い写真を載せた記事です。
      photos:
        - src: tiny.jpg
          caption: 72 dpi の写真
      photosPerRow: 3
  - row:
      - article:
          title: 入りきらない記事
          body: ${LONG}
      - slogan: 横の囲み
`;

interface Report {
  pages: number;
  photos: Array<{ src: string; dpi: number; status: string }>;
  errors: Array<{ ja: string; en: string; line?: number }>;
  warnings: Array<{ ja: string; en: string; line?: number }>;
  printPdf: string[];
}

describe("preflight", () => {
  let status: number;
  let stderr: string;
  let report: Report;
  let outDir: string;

  beforeAll(async () => {
    // A4, three photos to a row: 171 pt wide, so 171 px across is 72 dpi.
    const tiny = await sharp({ create: { width: 171, height: 114, channels: 3, background: "#6a8caf" } })
      .jpeg()
      .toBuffer();
    const { root, issue } = projectWith(yaml, { "tiny.jpg": tiny });
    const r = kaiho(["build", issue, "--root", root]);
    status = r.status;
    stderr = r.stderr;
    outDir = path.join(root, "output");
    report = JSON.parse(readFileSync(path.join(outDir, "test-issue-preflight.json"), "utf8")) as Report;
  });

  it("names the 72-dpi photo as an error with its dpi and line, and the build exits 1", async () => {
    expect(status).toBe(1);
    const photo = report.photos.find((p) => p.src === "tiny.jpg");
    expect(photo?.status).toBe("error");
    // The layout may set a coarse photo a little smaller (never below a third of the width): 65-73 dpi here,
    // and the report's figure is the one the PDF shows at the placed size.
    expect(photo?.dpi).toBeGreaterThanOrEqual(65);
    expect(photo?.dpi).toBeLessThanOrEqual(73);
    const placed = (await inspectPdf(path.join(outDir, "test-issue.pdf"))).images.find(
      (i) => i.pixelWidth === 171,
    );
    expect(Math.abs((placed?.ppi ?? 0) - (photo?.dpi ?? 0))).toBeLessThanOrEqual(1);
    const error = report.errors.find((e) => e.ja.includes("tiny.jpg"));
    expect(error?.line).toBe(9);
    expect(stderr).toContain(`tiny.jpg`);
    expect(stderr).toContain(`${photo?.dpi} dpi`);
  });

  it("names the article that overflows its page", () => {
    const overflow = report.warnings.find((w) => w.ja.includes("入りきらない記事"));
    expect(overflow?.en).toContain("does not fit");
    expect(stderr).toContain("入りきらない記事");
  });

  it("warns that a saddle-stitched issue needs a multiple of 4 pages", () => {
    expect(report.pages % 4).not.toBe(0);
    expect(report.warnings.some((w) => w.en.includes("multiple of 4"))).toBe(true);
  });

  it("finds the print edition itself clean", () => {
    expect(report.printPdf).toEqual([]);
  });
});
