import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp, { type Sharp } from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resolveGeometry } from "../src/content/geometry.js";
import type { Issue, PhotoRef } from "../src/content/issue.js";
import { sniff, uprightSize } from "../src/content/photo-header.js";
import type { IssueDoc } from "../src/content/schema.js";
import { KaihoError, Warnings } from "../src/diagnostics.js";
import { type PlacedSize, prepareImages } from "../src/images/index.js";
import { resolveTheme } from "../src/theme/index.js";

/** Counts calls to sharp(), so a warm run can prove it decoded nothing. */
const sharpCalls = vi.hoisted(() => ({ n: 0 }));
vi.mock("../src/images/sharp.js", async (importOriginal) => {
  const mod = await importOriginal<typeof import("../src/images/sharp.js")>();
  const counted = new Proxy(mod.sharp, {
    apply(target, thisArg, args: unknown[]) {
      sharpCalls.n++;
      return Reflect.apply(target as unknown as (...a: unknown[]) => unknown, thisArg, args);
    },
  });
  return { ...mod, sharp: counted };
});

const FIX = join(import.meta.dirname, "fixtures", "photos");
const ISSUE_DIR = FIX;
const ISSUE_FILE = join(ISSUE_DIR, "issue.yaml");
/** Placed width (pt) that gives `px` pixels at the default 350 dpi. */
const ptFor = (px: number) => (px / 350) * 72;

interface PhotoSpec {
  src: string;
  widthPt: number;
  /** Absolute file; default: the src inside the fixtures. */
  file?: string;
}

/** The size the layout placed each photo at (here: the spec's width, the height left to the photo's own shape). */
const PLACED = new WeakMap<Issue, Map<string, PlacedSize>>();
function placed(issue: Issue): Map<string, PlacedSize> {
  return PLACED.get(issue) ?? new Map();
}

/** An Issue as the content stage would hand it on, with each photo's src on its own line of issue.yaml. */
function makeIssue(specs: PhotoSpec[]): Issue {
  const doc = { newsletter: "テスト会報", date: "2024-01-01", blocks: [] } as unknown as IssueDoc;
  const sourceLines = [
    "newsletter: テスト会報",
    "date: 2024-01-01",
    "blocks:",
    "  - article:",
    "      photos:",
  ];
  const photos: PhotoRef[] = specs.map((s, i) => {
    const prefix = "        - { src: ";
    sourceLines.push(`${prefix}${s.src} }`);
    return {
      path: `blocks[0].article.photos[${i}]`,
      src: s.src,
      file: s.file ?? join(FIX, s.src),
      position: { line: sourceLines.length, column: prefix.length + 1 },
    };
  });
  const issue: Issue = {
    id: "test",
    dir: ISSUE_DIR,
    file: ISSUE_FILE,
    root: FIX,
    doc,
    geometry: resolveGeometry(doc),
    theme: resolveTheme(undefined),
    photos,
    sourceLines,
    locate: () => undefined,
  };
  PLACED.set(
    issue,
    new Map(specs.map((spec, i) => [`blocks[0].article.photos[${i}]`, { widthPt: spec.widthPt }])),
  );
  return issue;
}

const tempDirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "kaiho-images-"));
  tempDirs.push(dir);
  return dir;
}

async function only(issue: Issue, dpi?: number) {
  const warnings = new Warnings();
  const cacheDir = await tempDir();
  const result = await prepareImages(issue, placed(issue), { cacheDir, warnings, dpi });
  const [photo] = [...result.photos.values()];
  if (!photo) throw new Error("no photo");
  return { photo, warnings, cacheDir, result };
}

/** Mean absolute difference of two images, compared as 48x48 greyscale thumbnails (0-255). */
async function difference(a: string | Buffer, b: Sharp): Promise<number> {
  const thumb = (s: Sharp) => s.resize(48, 48, { fit: "fill" }).greyscale().raw().toBuffer();
  const [x, y] = await Promise.all([thumb(sharp(a)), thumb(b)]);
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs((x[i] ?? 0) - (y[i] ?? 0));
  return sum / x.length;
}

/** Mean of R, G and B over the pipeline's output (sharp's stats() would describe its input instead). */
async function meanRgb(input: string | Buffer | Sharp): Promise<number[]> {
  const s = typeof input === "string" || Buffer.isBuffer(input) ? sharp(input) : input;
  const { data, info } = await s
    .toColourspace("srgb")
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const sums = [0, 0, 0];
  for (let i = 0; i < data.length; i++) {
    const c = i % info.channels;
    sums[c] = (sums[c] ?? 0) + (data[i] ?? 0);
  }
  return sums.map((v) => v / (data.length / info.channels));
}

/** Every fixture's hash and mtime, taken before the suite, compared after it. */
let originals: Map<string, { sha: string; mtimeMs: number }>;
async function snapshotFixtures() {
  const map = new Map<string, { sha: string; mtimeMs: number }>();
  for (const sub of ["exif", "real", "bad", "heic"]) {
    for (const name of await readdir(join(FIX, sub))) {
      const file = join(FIX, sub, name);
      const [data, s] = await Promise.all([readFile(file), stat(file)]);
      map.set(file, { sha: createHash("sha256").update(data).digest("hex"), mtimeMs: s.mtimeMs });
    }
  }
  return map;
}

beforeAll(async () => {
  originals = await snapshotFixtures();
});

afterAll(async () => {
  await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe("orientation and size", () => {
  const landscapes = [
    "exif/Landscape_1.jpg",
    "exif/Landscape_3.jpg",
    "exif/Landscape_6.jpg",
    "exif/Landscape_8.jpg",
  ];
  const portraits = ["exif/Portrait_5.jpg", "exif/Portrait_8.jpg"];
  const widthPt = ptFor(150);
  let prepared: Map<
    string,
    { file: string; pixelWidth: number; pixelHeight: number; heightPt: number; dpi: number }
  >;

  beforeAll(async () => {
    const issue = makeIssue([...landscapes, ...portraits].map((src) => ({ src, widthPt })));
    const result = await prepareImages(issue, placed(issue), {
      cacheDir: await tempDir(),
      warnings: new Warnings(),
    });
    prepared = new Map([...result.photos.values()].map((p) => [p.ref.src, p]));
  });

  it.each(landscapes)("%s comes out upright, 3:2, 150 px wide at 350 dpi", async (src) => {
    const p = prepared.get(src);
    expect(p).toBeDefined();
    if (!p) return;
    expect([p.pixelWidth, p.pixelHeight]).toEqual([150, 100]);
    expect(p.heightPt).toBeCloseTo((widthPt * 2) / 3, 6);
    expect(p.dpi).toBeCloseTo(350, 6);
    const meta = await sharp(p.file).metadata();
    expect([meta.width, meta.height, meta.orientation]).toEqual([150, 100, undefined]);
    // Same picture as orientation 1 (only the digit in the middle differs), unlike the picture turned over.
    const reference = prepared.get("exif/Landscape_1.jpg")?.file ?? "";
    expect(await difference(p.file, sharp(reference))).toBeLessThan(12);
    expect(await difference(p.file, sharp(reference).rotate(180))).toBeGreaterThan(25);
  });

  it.each(portraits)("%s comes out upright, 2:3", async (src) => {
    const p = prepared.get(src);
    if (!p) throw new Error("missing");
    expect([p.pixelWidth, p.pixelHeight]).toEqual([150, 225]);
    expect(p.heightPt).toBeCloseTo(widthPt * 1.5, 6);
    const other = prepared.get(portraits.find((x) => x !== src) ?? "")?.file ?? "";
    // Orientation 5 (transpose) and 8 (rotate 270) are different transforms: agreeing means both are upright.
    expect(await difference(p.file, sharp(other))).toBeLessThan(12);
    expect(await difference(p.file, sharp(other).rotate(180))).toBeGreaterThan(25);
  });
});

describe("colour and pixel format", () => {
  it("converts a CMYK JPEG to sRGB through its profile, not inverted", async () => {
    const src = "real/Channel_digital_image_CMYK_color.jpg";
    const { photo } = await only(makeIssue([{ src, widthPt: ptFor(250) }]));
    const meta = await sharp(photo.file).metadata();
    expect(meta).toMatchObject({ format: "jpeg", space: "srgb", channels: 3, depth: "uchar", width: 250 });
    expect(meta.icc).toBeUndefined();

    // sharp's own explicit conversion of the original, for the averages.
    const expected = await meanRgb(sharp(join(FIX, src)).resize({ width: 250 }).toColourspace("srgb"));
    const got = await meanRgb(photo.file);
    for (let c = 0; c < 3; c++) expect(Math.abs((got[c] ?? 0) - (expected[c] ?? 0))).toBeLessThan(3);

    // An independent look: the lawn in the lower left of this park scene is green, not magenta.
    const { width = 0, height = 0 } = meta;
    const lawn = await meanRgb(
      sharp(photo.file).extract({
        left: 0,
        top: Math.round(height * 0.65),
        width: Math.round(width * 0.3),
        height: Math.round(height * 0.25),
      }),
    );
    const [r = 0, g = 0, b = 0] = lawn;
    expect(g).toBeGreaterThan(r + 10);
    expect(g).toBeGreaterThan(b + 10);
  });

  it("turns a 16-bit grey PNG with alpha into an opaque 8-bit JPEG, white where it was transparent", async () => {
    const src = "real/16-bit-grey-alpha.png";
    const { photo } = await only(makeIssue([{ src, widthPt: 109 }]), 72);
    expect([photo.pixelWidth, photo.pixelHeight]).toEqual([109, 96]);
    const meta = await sharp(photo.file).metadata();
    expect(meta).toMatchObject({
      format: "jpeg",
      channels: 3,
      depth: "uchar",
      hasAlpha: false,
      space: "srgb",
    });

    // This PNG is a faint black shadow: grey 0 everywhere, alpha 0 to about 6 %. Over white each pixel must come
    // out as 255 × (1 − alpha); a plain JPEG save would drop the alpha and give solid black.
    const rgba = await sharp(join(FIX, src)).ensureAlpha().toColourspace("srgb").raw().toBuffer();
    const out = await sharp(photo.file).raw().toBuffer();
    let clear = 0;
    let clearMin = 255;
    let error = 0;
    let shaded = 0;
    for (let i = 0; i < out.length / 3; i++) {
      const a = (rgba[i * 4 + 3] ?? 0) / 255;
      const lum = ((out[i * 3] ?? 0) + (out[i * 3 + 1] ?? 0) + (out[i * 3 + 2] ?? 0)) / 3;
      error += Math.abs(lum - 255 * (1 - a));
      if (a === 0) {
        clear++;
        clearMin = Math.min(clearMin, lum);
      } else if (a > 0.04) {
        shaded++;
      }
    }
    expect(clear).toBeGreaterThan(1000);
    expect(clearMin).toBeGreaterThan(245);
    expect(shaded).toBeGreaterThan(1000);
    expect(error / (out.length / 3)).toBeLessThan(3);
  });
});

describe("resolution", () => {
  it("never enlarges a small photo and warns with the file, its line and its dpi", async () => {
    const src = "real/gamma_dalai_lama_gray.jpg"; // 258 px wide
    const issue = makeIssue([
      { src: "exif/Landscape_1.jpg", widthPt: ptFor(120) },
      { src, widthPt: 144 }, // 2 inches: would need 700 px
    ]);
    const warnings = new Warnings();
    const result = await prepareImages(issue, placed(issue), { cacheDir: await tempDir(), warnings });
    const p = result.photos.get("blocks[0].article.photos[1]");
    if (!p) throw new Error("missing");
    expect([p.pixelWidth, p.pixelHeight]).toEqual([258, 222]);
    expect(p.dpi).toBeCloseTo(129, 6);
    expect(p.heightPt).toBeCloseTo((144 * 222) / 258, 6);

    expect(warnings.list).toHaveLength(1);
    const [w] = warnings.list;
    expect(w).toMatchObject({ severity: "warning", file: ISSUE_FILE, line: 7, column: 18 });
    expect(w?.ja).toContain(`写真「${src}」`);
    expect(w?.ja).toContain("7行目");
    expect(w?.ja).toContain("解像度が低く（約129 dpi）");
    expect(w?.en).toContain("about 129 dpi");
    expect(w?.hintJa).toContain("横 400 ピクセル以上、できれば 700 ピクセル");
    expect(w?.sourceLine).toContain(src);
  });

  it("scales the warning threshold with a lower dpi (an email edition does not warn about every photo)", async () => {
    const { photo, warnings } = await only(
      makeIssue([{ src: "real/gamma_dalai_lama_gray.jpg", widthPt: 144 }]),
      150,
    );
    expect(photo.pixelWidth).toBe(258);
    expect(warnings.list).toHaveLength(0);
  });
});

describe("metadata", () => {
  it("strips EXIF, GPS, XMP and ICC from what reaches the PDF", async () => {
    const dir = await tempDir();
    const gpsFile = join(dir, "gps.jpg");
    await sharp({ create: { width: 64, height: 48, channels: 3, background: "#3a7" } })
      .jpeg()
      .withExif({
        IFD0: { Copyright: "kaiho-secret-owner", Make: "TestPhone" },
        IFD3: { GPSLatitudeRef: "N", GPSLatitude: "35/1 41/1 2200/100", GPSLongitudeRef: "E" },
      })
      .toFile(gpsFile);
    const input = await sharp(gpsFile).metadata();
    expect(input.exif?.includes("kaiho-secret-owner")).toBe(true);

    const issue = makeIssue([
      { src: "gps.jpg", file: gpsFile, widthPt: 48 },
      { src: "real/Channel_digital_image_CMYK_color.jpg", widthPt: ptFor(100) }, // camera EXIF, XMP, ICC
      { src: "exif/Landscape_6.jpg", widthPt: ptFor(60) }, // orientation tag
    ]);
    const result = await prepareImages(issue, placed(issue), {
      cacheDir: await tempDir(),
      warnings: new Warnings(),
      dpi: 72,
    });
    for (const p of result.photos.values()) {
      const meta = await sharp(p.file).metadata();
      expect(meta.exif, p.ref.src).toBeUndefined();
      expect(meta.xmp, p.ref.src).toBeUndefined();
      expect(meta.icc, p.ref.src).toBeUndefined();
      expect(meta.iptc, p.ref.src).toBeUndefined();
      const bytes = await readFile(p.file);
      expect(bytes.includes("Exif\0\0"), p.ref.src).toBe(false);
      expect(bytes.includes("kaiho-secret-owner")).toBe(false);
      expect(bytes.includes("Canon")).toBe(false);
      expect(bytes.includes("http://ns.adobe.com/xap/1.0/")).toBe(false);
    }
  });
});

describe("cache", () => {
  const srcs = [
    "exif/Landscape_1.jpg",
    "exif/Landscape_3.jpg",
    "exif/Landscape_6.jpg",
    "exif/Portrait_8.jpg",
    "real/Channel_digital_image_CMYK_color.jpg",
  ];

  it("a warm run decodes nothing, rewrites nothing and gives the same result", async () => {
    const issue = makeIssue(srcs.map((src) => ({ src, widthPt: ptFor(300) })));
    const cacheDir = await tempDir();

    let t = performance.now();
    const cold = await prepareImages(issue, placed(issue), { cacheDir, warnings: new Warnings() });
    const coldMs = performance.now() - t;

    const files = await readdir(join(cacheDir, "images"));
    expect(files.filter((f) => f.endsWith(".jpg"))).toHaveLength(srcs.length);
    expect(files.filter((f) => f.endsWith(".json"))).toHaveLength(srcs.length);
    expect(files.filter((f) => f.endsWith(".tmp"))).toHaveLength(0);
    const mtimes = await Promise.all(
      files.map(async (f) => (await stat(join(cacheDir, "images", f))).mtimeMs),
    );

    sharpCalls.n = 0;
    t = performance.now();
    const warm = await prepareImages(issue, placed(issue), { cacheDir, warnings: new Warnings() });
    const warmMs = performance.now() - t;
    expect(sharpCalls.n).toBe(0);
    expect(warm.photos).toEqual(cold.photos);
    const after = await Promise.all(
      files.map(async (f) => (await stat(join(cacheDir, "images", f))).mtimeMs),
    );
    expect(after).toEqual(mtimes);
    expect(warmMs).toBeLessThan(coldMs);
    console.info(`images: ${srcs.length} photos, cold ${coldMs.toFixed(0)} ms, warm ${warmMs.toFixed(0)} ms`);
  });

  it("keys on the processing parameters: another dpi is a miss, the same photo twice is processed once", async () => {
    const cacheDir = await tempDir();
    const issue = makeIssue([
      { src: "exif/Landscape_1.jpg", widthPt: ptFor(80) },
      { src: "exif/Landscape_1.jpg", widthPt: ptFor(80) },
    ]);
    const a = await prepareImages(issue, placed(issue), { cacheDir, warnings: new Warnings() });
    const [p0, p1] = [...a.photos.values()];
    expect(a.photos.size).toBe(2);
    expect(p0?.file).toBe(p1?.file);
    expect((await readdir(join(cacheDir, "images"))).filter((f) => f.endsWith(".jpg"))).toHaveLength(1);

    sharpCalls.n = 0;
    const b = await prepareImages(issue, placed(issue), { cacheDir, warnings: new Warnings(), dpi: 300 });
    expect(sharpCalls.n).toBeGreaterThan(0);
    const q = [...b.photos.values()][0];
    expect(q?.file).not.toBe(p0?.file);
    expect(q?.pixelWidth).toBe(Math.round((ptFor(80) / 72) * 300));
  });

  it("makes the editions' versions from the screen version's decode: the editions then find them ready", async () => {
    const issue = makeIssue(srcs.map((src) => ({ src, widthPt: ptFor(300) })));
    const cacheDir = await tempDir();
    const email = { dpi: 150, quality: 80 };
    const cmyk = { colour: "cmyk" as const };
    const screen = await prepareImages(issue, placed(issue), {
      cacheDir,
      warnings: new Warnings(),
      alsoMake: [email, cmyk],
    });
    const files = await readdir(join(cacheDir, "images"));
    expect(files.filter((f) => f.endsWith(".jpg"))).toHaveLength(3 * srcs.length);

    sharpCalls.n = 0;
    const small = await prepareImages(issue, placed(issue), { cacheDir, warnings: new Warnings(), ...email });
    const print = await prepareImages(issue, placed(issue), { cacheDir, warnings: new Warnings(), ...cmyk });
    expect(sharpCalls.n).toBe(0);

    // The screen and print versions are what each gives made alone; the email one is the same photo, smaller.
    const alone = async (opts: { dpi?: number; quality?: number; colour?: "cmyk" }) => {
      const dir = await tempDir();
      return prepareImages(issue, placed(issue), { cacheDir: dir, warnings: new Warnings(), ...opts });
    };
    for (const [made, by] of [
      [screen, await alone({})],
      [print, await alone(cmyk)],
    ] as const) {
      for (const [key, photo] of made.photos) {
        expect(await readFile(photo.file)).toEqual(await readFile(by.photos.get(key)?.file ?? ""));
        expect(photo.maxInk).toBe(by.photos.get(key)?.maxInk);
      }
    }
    for (const [key, photo] of small.photos) {
      expect(photo.pixelWidth).toBe(Math.round((ptFor(300) / 72) * 150));
      expect((await sharp(photo.file).metadata()).width).toBe(photo.pixelWidth);
      const big = screen.photos.get(key)?.file ?? "";
      expect(await difference(photo.file, sharp(big))).toBeLessThan(5);
    }
    for (const photo of print.photos.values()) {
      expect((await sharp(photo.file).metadata()).space).toBe("cmyk");
      expect(photo.maxInk).toBeGreaterThan(0);
    }
  });

  it("rebuilds an entry whose image has gone missing", async () => {
    const issue = makeIssue([{ src: "exif/Landscape_8.jpg", widthPt: ptFor(50) }]);
    const { photo, cacheDir } = await only(issue);
    await rm(photo.file);
    const again = await prepareImages(issue, placed(issue), { cacheDir, warnings: new Warnings() });
    const p = [...again.photos.values()][0];
    expect(p?.file).toBe(photo.file);
    expect((await sharp(photo.file).metadata()).width).toBe(50);
  });
});

describe("photos an editor must fix", () => {
  async function failure(specs: PhotoSpec[]): Promise<KaihoError> {
    const issue = makeIssue(specs);
    const err = await prepareImages(issue, placed(issue), {
      cacheDir: await tempDir(),
      warnings: new Warnings(),
    }).catch((e) => e);
    expect(err).toBeInstanceOf(KaihoError);
    return err as KaihoError;
  }

  it("lists every bad photo of the issue in one error, each at its line with the file named", async () => {
    const bad = ["bad/corrupt-header.jpg", "bad/truncated.jpg", "bad/giant-image.jpg", "bad/truncated.heic"];
    const before = process.memoryUsage().rss;
    const err = await failure([
      { src: "exif/Landscape_1.jpg", widthPt: ptFor(60) },
      ...bad.map((src) => ({ src, widthPt: ptFor(200) })),
    ]);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
    expect(err.diagnostics).toHaveLength(4);
    bad.forEach((src, i) => {
      const d = err.diagnostics[i];
      const line = 7 + i; // the good photo is on line 6
      expect(d).toMatchObject({ severity: "error", file: ISSUE_FILE, line, column: 18 });
      expect(d?.sourceLine).toContain(src);
      expect(d?.ja).toContain(`写真「${src}」（issue.yaml ${line}行目）`);
      expect(d?.en).toContain(`Photo "${src}" (issue.yaml line ${line})`);
      expect(d?.hintJa).toBeTruthy();
      expect(d?.hintEn).toBeTruthy();
      expect(err.message).toContain(src);
      expect(err.message).toContain(`line ${line}`);
    });
    const [corrupt, truncated, giant, heic] = err.diagnostics;
    expect(corrupt?.ja).toContain("壊れていて読み込めません");
    expect(truncated?.ja).toContain("途中で切れています");
    expect(giant?.ja).toContain("画素数が大きすぎます");
    expect(giant?.ja).toContain("20000×14000");
    expect(giant?.en).toContain("20000×14000");
    expect(heic?.ja).toContain("HEIC");
    expect(heic?.ja).toContain("読み込めませんでした");
    expect(heic?.hintJa).toContain("互換性優先");
    expect(heic?.hintJa).toContain("issue.yaml の 10行目の src");
    expect(heic?.hintEn).toContain("Most Compatible");
  });

  it("names each bad photo rightly even when many fail at once (libvips shares one error buffer)", async () => {
    const specs = [20, 40, 60, 80].flatMap((px) => [
      { src: "bad/truncated.jpg", widthPt: ptFor(px) },
      { src: "bad/corrupt-header.jpg", widthPt: ptFor(px + 1) },
      { src: "exif/Landscape_3.jpg", widthPt: ptFor(px) },
    ]);
    const issue = makeIssue(specs);
    const err = await prepareImages(issue, placed(issue), {
      cacheDir: await tempDir(),
      warnings: new Warnings(),
      concurrency: 4,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(KaihoError);
    const got = (err as KaihoError).diagnostics.map((d) => [
      d.line,
      d.ja.includes("途中で切れています"),
      d.ja.includes("壊れて"),
    ]);
    const want = specs.flatMap((s, i) =>
      s.src.startsWith("bad/") ? [[6 + i, s.src.includes("truncated"), s.src.includes("corrupt")]] : [],
    );
    expect(got).toEqual(want);
  });

  it("prints a photo the decoder complains about but can finish, and asks the editor to look at it", async () => {
    // Cut mid-scan with an end marker put back: complete on the surface, damaged inside.
    const good = await readFile(join(FIX, "exif/Landscape_1.jpg"));
    const dir = await tempDir();
    const file = join(dir, "damaged.jpg");
    await writeFile(file, Buffer.concat([good.subarray(0, 200_000), Buffer.from([0xff, 0xd9])]));
    const strict = await sharp(file)
      .toBuffer()
      .then(() => "ok")
      .catch((e: Error) => e.message);
    expect(strict).toContain("Corrupt JPEG data"); // sharp's default (failOn 'warning') refuses it

    const issue = makeIssue([{ src: "damaged.jpg", file, widthPt: ptFor(90) }]);
    const cacheDir = await tempDir();
    for (const run of ["cold", "warm"]) {
      const warnings = new Warnings();
      const result = await prepareImages(issue, placed(issue), { cacheDir, warnings });
      expect(result.photos.size, run).toBe(1);
      expect(warnings.list, run).toHaveLength(1);
      expect(warnings.list[0]?.ja).toContain(
        "写真「damaged.jpg」（issue.yaml 6行目）はデータの一部が乱れています",
      );
    }
  });

  it("knows a HEIC by its content even when it is named .jpg, and refuses videos, PDFs, empty and missing files", async () => {
    const dir = await tempDir();
    const heicAsJpg = join(dir, "IMG_0001.jpg");
    await writeFile(heicAsJpg, await readFile(join(FIX, "bad/truncated.heic")));
    const mov = join(dir, "IMG_0002.MOV");
    await writeFile(
      mov,
      Buffer.concat([Buffer.from([0, 0, 0, 0x14]), Buffer.from("ftypqt  \0\0\0\0qt  "), Buffer.alloc(64)]),
    );
    const pdf = join(dir, "chirashi.pdf");
    await writeFile(pdf, "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");
    const empty = join(dir, "empty.jpg");
    await writeFile(empty, "");
    const err = await failure([
      { src: "IMG_0001.jpg", file: heicAsJpg, widthPt: 100 },
      { src: "IMG_0002.MOV", file: mov, widthPt: 100 },
      { src: "chirashi.pdf", file: pdf, widthPt: 100 },
      { src: "empty.jpg", file: empty, widthPt: 100 },
      { src: "nai.jpg", file: join(dir, "nai.jpg"), widthPt: 100 },
    ]);
    const ja = err.diagnostics.map((d) => d.ja);
    expect(ja[0]).toContain("HEIC");
    expect(ja[1]).toContain("動画ファイル");
    expect(ja[2]).toContain("写真として使えない形式です（PDF）");
    expect(ja[3]).toContain("空のファイル");
    expect(ja[4]).toContain("見つかりません");
    expect(err.diagnostics.map((d) => d.line)).toEqual([6, 7, 8, 9, 10]);
  });
});

describe("sniff", () => {
  const ftyp = (major: string, ...compat: string[]) => {
    const body = Buffer.from(`ftyp${major}\0\0\0\0${compat.join("")}`, "latin1");
    const size = Buffer.alloc(4);
    size.writeUInt32BE(body.length + 4);
    return Buffer.concat([size, body]);
  };

  it("tells HEIC, AVIF and video apart by their ftyp brands", async () => {
    expect(sniff(await readFile(join(FIX, "heic/example.heic")))).toMatchObject({
      kind: "heic",
      brand: "mif1",
    });
    expect(sniff(ftyp("heic", "mif1", "heic")).kind).toBe("heic");
    expect(sniff(ftyp("avif", "mif1", "avif")).kind).toBe("avif");
    expect(sniff(ftyp("mif1", "mif1", "avif", "miaf")).kind).toBe("avif");
    expect(sniff(ftyp("mif1", "mif1", "heic")).kind).toBe("heic");
    expect(sniff(ftyp("qt  ", "qt  ")).kind).toBe("video");
  });

  it("reads the stored size from JPEG and PNG headers, and whether the file runs to its end", async () => {
    const read = async (f: string) => sniff(await readFile(join(FIX, f)));
    expect(await read("bad/giant-image.jpg")).toMatchObject({ kind: "jpeg", width: 20000, height: 14000 });
    expect(await read("exif/Landscape_6.jpg")).toEqual({
      kind: "jpeg",
      width: 1200,
      height: 1800,
      complete: true,
    });
    expect(await read("bad/truncated.jpg")).toEqual({
      kind: "jpeg",
      width: 2725,
      height: 2225,
      complete: false,
    });
    expect(await read("real/16-bit-grey-alpha.png")).toEqual({
      kind: "png",
      width: 109,
      height: 96,
      complete: true,
    });
    expect(await read("bad/corrupt-header.jpg")).toEqual({ kind: "jpeg" });
  });
});

describe("originals", () => {
  it("are never modified (bytes and mtime)", async () => {
    // Runs last: every test above processed these files in place.
    const now = await snapshotFixtures();
    expect(now).toEqual(originals);
  });
});

describe("uprightSize: a photo's shape from its header, for the layout", () => {
  it("turns the pixel size by the EXIF orientation, without decoding", async () => {
    const upright = async (name: string) => uprightSize(await readFile(join(FIX, "exif", name)));
    // Stored on their side (1200×1800 or 1800×1200) with orientation 5-8: the size a reader sees.
    expect(await upright("Landscape_1.jpg")).toEqual({ width: 1800, height: 1200 });
    expect(await upright("Landscape_3.jpg")).toEqual({ width: 1800, height: 1200 });
    expect(await upright("Landscape_6.jpg")).toEqual({ width: 1800, height: 1200 });
    expect(await upright("Landscape_8.jpg")).toEqual({ width: 1800, height: 1200 });
    expect(await upright("Portrait_5.jpg")).toEqual({ width: 1200, height: 1800 });
    expect(await upright("Portrait_8.jpg")).toEqual({ width: 1200, height: 1800 });
    expect(uprightSize(Buffer.from("not a photo"))).toBeUndefined();
  });
});
