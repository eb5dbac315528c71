import { readFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { kaiho, projectWith } from "./helpers/cli.js";

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

  beforeAll(async () => {
    // A4, three photos to a row: 171 pt wide, so 171 px across is 72 dpi.
    const tiny = await sharp({ create: { width: 171, height: 114, channels: 3, background: "#6a8caf" } })
      .jpeg()
      .toBuffer();
    const { root, issue } = projectWith(yaml, { "tiny.jpg": tiny });
    const r = kaiho(["build", issue, "--root", root]);
    status = r.status;
    stderr = r.stderr;
    report = JSON.parse(
      readFileSync(path.join(root, "output", "test-issue-preflight.json"), "utf8"),
    ) as Report;
  });

  it("names the 72-dpi photo as an error with its dpi and line, and the build exits 1", () => {
    expect(status).toBe(1);
    const photo = report.photos.find((p) => p.src === "tiny.jpg");
    expect(photo?.status).toBe("error");
    expect(photo?.dpi).toBeGreaterThanOrEqual(71);
    expect(photo?.dpi).toBeLessThanOrEqual(73);
    const error = report.errors.find((e) => e.ja.includes("tiny.jpg"));
    expect(error?.line).toBe(9);
    expect(stderr).toMatch(/tiny\.jpg.*7[123] dpi/);
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
