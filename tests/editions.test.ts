import { statSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { builtSample, sampleCacheInto } from "./helpers/built.js";
import { kaiho, SAMPLE } from "./helpers/cli.js";
import { inspectPdf, normalizeText, type PdfReport } from "./helpers/pdf.js";

const out = (suffix: string) => builtSample().out(suffix);

describe("the email edition and preview of the sample", () => {
  let email: PdfReport;

  beforeAll(async () => {
    const r = builtSample();
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

describe("the email edition's size budget", () => {
  it("lowers photo resolution and quality step by step to meet email.maxBytes, and says when it cannot", async () => {
    const { readFileSync: read, writeFileSync: write } = await import("node:fs");
    const { tempProject } = await import("./helpers/cli.js");
    const p = tempProject();
    sampleCacheInto(p.root);
    const yamlFile = path.join(p.issue, "issue.yaml");
    const original = read(yamlFile, "utf8");
    const build = (maxBytes: number) => {
      write(yamlFile, original.replace(/^paper: A4/m, `paper: A4\nemail:\n  maxBytes: ${maxBytes}`));
      const r = kaiho(["build", p.issue, "--root", p.root]);
      expect(r.status, r.stderr).toBe(0);
      return r;
    };
    const email = path.join(p.root, "output", `${SAMPLE}-email.pdf`);
    // 150 KB: under the first step's size (about 175 KB), within reach of a later one.
    const fits = build(150_000);
    expect(statSync(email).size).toBeLessThanOrEqual(150_000);
    expect(fits.stderr).not.toContain("maxBytes");
    const lowered = await inspectPdf(email);
    expect(Math.max(...lowered.images.map((i) => i.ppi))).toBeLessThan(149);
    // 100 KB cannot be met with these photos: the smallest step is written and the editor is told.
    const over = build(100_000);
    expect(statSync(email).size).toBeGreaterThan(100_000);
    expect(over.stderr).toMatch(/メール版 PDF が .* MB になり/);
    expect(over.stderr).toContain("email edition is");
  });
});

describe("photo rows across pages", () => {
  it("takes an article's photos to the next page row by row, not all at once (A4 landscape sample)", async () => {
    const { readFileSync: read, writeFileSync: write } = await import("node:fs");
    const { tempProject } = await import("./helpers/cli.js");
    const p = tempProject();
    sampleCacheInto(p.root);
    const yamlFile = path.join(p.issue, "issue.yaml");
    write(yamlFile, read(yamlFile, "utf8").replace(/^paper: A4/m, "paper: A4\norientation: landscape"));
    const r = kaiho(["build", p.issue, "--root", p.root]);
    expect(r.status, r.stderr).toBe(0);
    const report = await inspectPdf(path.join(p.root, "output", `${SAMPLE}.pdf`));
    expect(report.pages[0]?.width).toBeGreaterThan(report.pages[0]?.height ?? 0);
    // The first article's photos stay on page 1 with its text instead of all going on to page 2.
    expect(report.images.filter((i) => i.page === 1).length).toBeGreaterThanOrEqual(3);
    expect(report.images).toHaveLength(7);
  });
});
