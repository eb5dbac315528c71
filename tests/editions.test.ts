import { statSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { kaiho, REPO, SAMPLE } from "./helpers/cli.js";
import { inspectPdf, normalizeText, type PdfReport } from "./helpers/pdf.js";

const out = (suffix: string) => path.join(REPO, "output", `${SAMPLE}${suffix}`);

describe("the email edition and preview of the sample", () => {
  let email: PdfReport;

  beforeAll(async () => {
    const r = kaiho(["build", path.join("content", SAMPLE), "--impose", "booklet"]);
    if (r.status !== 0) throw new Error(r.stderr);
    email = await inspectPdf(out("-email.pdf"));
  });

  it("is at most 1.5 MB", () => {
    expect(statSync(out("-email.pdf")).size).toBeLessThanOrEqual(1.5 * 1024 * 1024);
  });

  it("has the same pages and text as the screen edition, no bleed or marks", async () => {
    const screen = await inspectPdf(out(".pdf"));
    expect(email.pages).toHaveLength(screen.pages.length);
    expect(normalizeText(email.pages.map((p) => p.text).join(""))).toBe(
      normalizeText(screen.pages.map((p) => p.text).join("")),
    );
    for (const page of email.pages) {
      expect(page.width).toBeCloseTo(595.28, 1);
      expect(page.boxes.trim).toBeUndefined();
    }
  });

  it("has RGB photos at about 150 ppi, fonts embedded", () => {
    expect(email.images).toHaveLength(7);
    for (const image of email.images) {
      expect(image.colorSpace).toBe("DeviceRGB");
      expect(image.ppi).toBeGreaterThan(60);
      expect(image.ppi).toBeLessThanOrEqual(151);
    }
    expect(email.fonts.every((f) => f.embedded && f.subset)).toBe(true);
  });

  it("writes a page-1 preview about 1200 px wide", async () => {
    const meta = await sharp(out("-page1.png")).metadata();
    expect(meta.format).toBe("png");
    expect(meta.width).toBe(1200);
    expect(meta.height).toBeGreaterThan(1650);
    expect(meta.height).toBeLessThan(1720);
  });

  it("imposes the two pages as a booklet: blank|1 and 2|blank on A3 landscape", async () => {
    const booklet = await inspectPdf(out("-booklet.pdf"));
    expect(booklet.pages).toHaveLength(2);
    const screen = await inspectPdf(out(".pdf"));
    for (const [i, side] of booklet.pages.entries()) {
      expect(side.width).toBeCloseTo(1190.55, 1);
      expect(side.height).toBeCloseTo(841.89, 1);
      const left = normalizeText(
        side.items
          .filter((it) => it.x < 595.28)
          .map((it) => it.str)
          .join(""),
      );
      const right = normalizeText(
        side.items
          .filter((it) => it.x >= 595.28)
          .map((it) => it.str)
          .join(""),
      );
      const page = (n: number) =>
        normalizeText(screen.pages[n - 1]?.items.map((it) => it.str).join("") ?? "");
      if (i === 0) {
        expect(left).toBe("");
        expect(right).toBe(page(1));
      } else {
        expect(left).toBe(page(2));
        expect(right).toBe("");
      }
    }
  });
});
