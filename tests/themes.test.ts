import { readFileSync } from "node:fs";
import path from "node:path";
import { inflateSync } from "node:zlib";
import { PDFArray, PDFDocument, PDFName, PDFRawStream } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { BUILT_IN_THEMES } from "../src/theme/index.js";
import { kaiho } from "./helpers/cli.js";
import { inspectPdf } from "./helpers/pdf.js";
import { type CsOperand, parseContentStream } from "./helpers/pdf-content.js";
import { demoProject, demoYaml } from "./helpers/theme-demo.js";

interface Painted {
  /** The colour space the operands are in: DeviceCMYK, DeviceRGB, DeviceGray or a named one. */
  space: string;
  values: number[];
}

/** Every colour set in every content stream of the PDF (pages and forms), and every image's colour space. */
async function coloursOf(file: string): Promise<{ colours: Painted[]; images: string[] }> {
  const doc = await PDFDocument.load(readFileSync(file), { updateMetadata: false });
  const colours: Painted[] = [];
  const images: string[] = [];
  const nums = (ops: CsOperand[]) => ops.filter((o): o is number => typeof o === "number");
  const pageContents = new Set(
    doc.getPages().flatMap((page) => {
      const c = page.node.get(PDFName.of("Contents"));
      return (c instanceof PDFArray ? c.asArray() : [c]).map(String);
    }),
  );
  for (const [ref, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFRawStream)) continue;
    const subtype = obj.dict.get(PDFName.of("Subtype"));
    if (subtype === PDFName.of("Image")) {
      images.push(String(obj.dict.get(PDFName.of("ColorSpace"))));
      continue;
    }
    if (subtype !== PDFName.of("Form") && !pageContents.has(String(ref))) continue;
    const raw =
      obj.dict.get(PDFName.of("Filter")) === PDFName.of("FlateDecode")
        ? inflateSync(obj.contents)
        : obj.contents;
    const space = { fill: "DeviceGray", stroke: "DeviceGray" };
    for (const { op, operands } of parseContentStream(Buffer.from(raw).toString("latin1"))) {
      const name = operands[0];
      if (op === "cs" || op === "CS") {
        const s = typeof name === "object" && name && "v" in name ? String(name.v) : "?";
        space[op === "cs" ? "fill" : "stroke"] = s;
      } else if (op === "sc" || op === "scn") colours.push({ space: space.fill, values: nums(operands) });
      else if (op === "SC" || op === "SCN") colours.push({ space: space.stroke, values: nums(operands) });
      else if (op === "k" || op === "K") colours.push({ space: "DeviceCMYK", values: nums(operands) });
      else if (op === "rg" || op === "RG") colours.push({ space: "DeviceRGB", values: nums(operands) });
      else if (op === "g" || op === "G") colours.push({ space: "DeviceGray", values: nums(operands) });
    }
  }
  return { colours, images };
}

const key = (values: readonly number[]) => values.map((v) => Number(v.toFixed(4))).join(" ");

describe("theme: mono (office copiers and risograph)", () => {
  let project: { root: string; issue: string };
  let status: number;

  beforeAll(() => {
    project = demoProject("mono");
    const r = kaiho(["build", "--root", project.root, project.issue, "--only", "screen,print"]);
    status = r.status;
    if (r.status !== 0) throw new Error(r.stderr);
  });

  it("prints every colour as 100% K: no C, M or Y, no tint, in every colour operator", async () => {
    expect(status).toBe(0);
    const { colours } = await coloursOf(path.join(project.root, "output", "test-issue-print.pdf"));
    const cmyk = colours.filter((c) => c.space === "DeviceCMYK");
    expect(cmyk.length).toBeGreaterThan(50);
    expect(colours.filter((c) => c.space === "DeviceRGB")).toEqual([]);
    // Crop marks are in registration colour (1 1 1 1), which prints on the one plate there is: allowed, outside the trim.
    const inks = new Set(cmyk.map((c) => key(c.values)).filter((k) => k !== "1 1 1 1"));
    expect([...inks]).toEqual(["0 0 0 1"]);
  });

  it("has grey photos in the print and screen editions (DeviceGray: K only in print)", async () => {
    const print = await coloursOf(path.join(project.root, "output", "test-issue-print.pdf"));
    expect(print.images.length).toBeGreaterThanOrEqual(2);
    expect(new Set(print.images)).toEqual(new Set(["/DeviceGray"]));
    const screen = await inspectPdf(path.join(project.root, "output", "test-issue.pdf"));
    expect(screen.images.length).toBeGreaterThanOrEqual(2);
    for (const image of screen.images) expect(image.colorSpace).toBe("DeviceGray");
  });

  it("leaves the print edition PDF/X-1a clean", () => {
    const report = JSON.parse(
      readFileSync(path.join(project.root, "output", "test-issue-preflight.json"), "utf8"),
    ) as { errors: unknown[]; printPdf: unknown[] };
    expect(report.printPdf).toEqual([]);
    expect(report.errors).toEqual([]);
  });
});

describe("theme: school with an accent override", () => {
  let project: { root: string; issue: string };

  beforeAll(() => {
    project = demoProject(
      undefined,
      demoYaml('{ base: school, accent: { rgb: "#2a7", cmyk: [80, 0, 60, 10] } }'),
    );
    const r = kaiho(["build", "--root", project.root, project.issue, "--only", "screen,print"]);
    if (r.status !== 0) throw new Error(r.stderr);
  });

  it("paints the override in the screen edition as RGB and in print as the given CMYK", async () => {
    const screen = await coloursOf(path.join(project.root, "output", "test-issue.pdf"));
    const rgb = new Set(screen.colours.filter((c) => c.space === "DeviceRGB").map((c) => key(c.values)));
    expect(rgb).toContain(key([0x22 / 255, 0xaa / 255, 0x77 / 255]));
    const print = await coloursOf(path.join(project.root, "output", "test-issue-print.pdf"));
    const cmyk = new Set(print.colours.filter((c) => c.space === "DeviceCMYK").map((c) => key(c.values)));
    expect(cmyk).toContain(key([0.8, 0, 0.6, 0.1]));
    // School's own main colour is there, union's is not: the look really changed.
    expect(cmyk).toContain(key(BUILT_IN_THEMES.school.palette.primary.cmyk.map((v) => v / 100)));
    expect(cmyk).not.toContain(key(BUILT_IN_THEMES.union.palette.primary.cmyk.map((v) => v / 100)));
    // School's built-in accent was replaced everywhere.
    expect(cmyk).not.toContain(key(BUILT_IN_THEMES.school.palette.accent.cmyk.map((v) => v / 100)));
  });

  it("gives school a palette of its own, different from union in primary and accent", () => {
    const { union, school } = BUILT_IN_THEMES;
    expect(school.palette.primary.rgb).not.toBe(union.palette.primary.rgb);
    expect(school.palette.accent.rgb).not.toBe(union.palette.accent.rgb);
  });
});

describe("theme: mistakes an editor makes", () => {
  const check = (theme: string) => {
    const project = demoProject(undefined, demoYaml(theme));
    return kaiho(["check", "--root", project.root, project.issue]);
  };

  it("suggests the built-in a mistyped name meant", () => {
    const r = check("shcool");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("もしかして「school」");
    expect(r.stderr).toContain('Did you mean "school"');
    expect(r.stderr).toContain("union / school / mono");
  });

  it("suggests the colour name a mistyped override key meant", () => {
    const r = check('{ base: union, acent: { rgb: "#2a7", cmyk: [80, 0, 60, 10] } }');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Did you mean "accent"');
  });

  it("explains a bad RGB colour in Japanese and English, naming the line", () => {
    const r = check('{ base: school, accent: { rgb: "#2a7g", cmyk: [80, 0, 60, 10] } }');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/issue\.yaml:3:\d+: /);
    expect(r.stderr).toContain("#rrggbb か #rgb");
    expect(r.stderr).toContain("must be written #rrggbb or #rgb");
  });

  it("wants exactly four CMYK percentages from 0 to 100", () => {
    const three = check('{ base: school, accent: { rgb: "#2a7", cmyk: [80, 0, 60] } }');
    expect(three.status).toBe(1);
    expect(three.stderr).toContain("exactly 4");
    const over = check('{ base: school, accent: { rgb: "#2a7", cmyk: [80, 0, 160, 0] } }');
    expect(over.status).toBe(1);
    expect(over.stderr).toContain("0〜100");
  });

  it("refuses a coloured ink on the mono theme", () => {
    const r = check('{ base: mono, accent: { rgb: "#2a7", cmyk: [80, 0, 60, 10] } }');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("black (K) alone");
    const k = check('{ base: mono, accent: { rgb: "#333", cmyk: [0, 0, 0, 100] } }');
    expect(k.status).toBe(0);
  });
});
