import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFString } from "pdf-lib";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { sampleCacheInto } from "./helpers/built.js";
import { kaiho, SAMPLE, tempProject } from "./helpers/cli.js";
import { inspectPdf } from "./helpers/pdf.js";

/** A real CMYK output profile to stand in for a print shop's (libvips' built-in one, public domain). */
async function cmykProfile(): Promise<Buffer> {
  const jpeg = await sharp({ create: { width: 1, height: 1, channels: 3, background: "#fff" } })
    .withIccProfile("cmyk", { attach: true })
    .jpeg()
    .toBuffer();
  return (await sharp(jpeg).metadata()).icc as Buffer;
}

async function srgbProfile(): Promise<Buffer> {
  const jpeg = await sharp({ create: { width: 1, height: 1, channels: 3, background: "#fff" } })
    .withIccProfile("srgb", { attach: true })
    .jpeg()
    .toBuffer();
  return (await sharp(jpeg).metadata()).icc as Buffer;
}

describe("a print shop's own CMYK profile (print.profile)", () => {
  let project: { root: string; issue: string };
  let yaml: string;

  beforeAll(async () => {
    project = tempProject();
    sampleCacheInto(project.root);
    writeFileSync(path.join(project.root, "images", "shop.icc"), await cmykProfile());
    writeFileSync(path.join(project.root, "images", "screen.icc"), await srgbProfile());
    yaml = readFileSync(path.join(project.issue, "issue.yaml"), "utf8");
  });

  const withPrint = (print: string) =>
    writeFileSync(
      path.join(project.issue, "issue.yaml"),
      yaml.replace(/^paper: A4/m, `paper: A4\nprint:\n${print}`),
    );

  it("is the output intent of the print edition, with the condition the YAML names", async () => {
    withPrint('  profile: shop.icc\n  intent: JC200103\n  condition: "Japan Color 2001 Coated"');
    const r = kaiho(["build", project.issue, "--root", project.root]);
    expect(r.status, r.stderr).toBe(0);
    const file = path.join(project.root, "output", `${SAMPLE}-print.pdf`);
    const doc = await PDFDocument.load(readFileSync(file), { updateMetadata: false });
    const intents = doc.catalog.lookup(PDFName.of("OutputIntents"), PDFArray);
    const intent = intents.lookup(0, PDFDict);
    expect(intent.lookup(PDFName.of("OutputConditionIdentifier"), PDFString).decodeText()).toBe("JC200103");
    expect(intent.lookup(PDFName.of("OutputCondition"), PDFString).decodeText()).toBe(
      "Japan Color 2001 Coated",
    );
    const profile = doc.context.lookup(intent.get(PDFName.of("DestOutputProfile")));
    expect(profile).toBeInstanceOf(PDFRawStream);
    expect((profile as PDFRawStream).dict.get(PDFName.of("N"))?.toString()).toBe("4");
    const report = await inspectPdf(file);
    expect(report.images.every((i) => i.colorSpace === "DeviceCMYK")).toBe(true);
  });

  it("must be a CMYK output profile: an RGB monitor profile is refused at its line", () => {
    withPrint("  profile: screen.icc");
    const r = kaiho(["build", project.issue, "--root", project.root]);
    expect(r.status).toBe(1);
    // The line of `profile:` under `print:` (just after `paper: A4`).
    const line =
      readFileSync(path.join(project.issue, "issue.yaml"), "utf8")
        .split("\n")
        .findIndex((l) => l.includes("profile: screen.icc")) + 1;
    expect(r.stderr).toMatch(
      new RegExp(`issue\\.yaml:${line}:\\d+: エラー error: 「screen\\.icc」は CMYK の出力用`),
    );
    expect(r.stderr).toContain("not a CMYK output (printer) profile");
  });

  it("must exist", () => {
    withPrint("  profile: nothere.icc");
    const r = kaiho(["build", project.issue, "--root", project.root]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Print profile "nothere.icc" not found');
  });
});
