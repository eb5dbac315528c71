import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp, { type Sharp } from "sharp";
import { afterAll, describe, expect, it, vi } from "vitest";
import { resolveGeometry } from "../src/content/geometry.js";
import type { Issue } from "../src/content/issue.js";
import { sniff, uprightSize } from "../src/content/photo-header.js";
import type { IssueDoc } from "../src/content/schema.js";
import { KaihoError, Warnings } from "../src/diagnostics.js";
import { decodeHeic } from "../src/images/heic.js";
import { prepareImages } from "../src/images/index.js";
import { resolveTheme } from "../src/theme/index.js";

const REPO = path.join(import.meta.dirname, "..");
const CLI = path.join(REPO, "dist", "cli", "main.js");
const PHOTOS = path.join(REPO, "tests", "fixtures", "photos");
const HEIC = path.join(PHOTOS, "heic", "example.heic");
const BROKEN = path.join(PHOTOS, "bad", "truncated.heic");

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});
function temp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "kaiho-heic-"));
  temps.push(dir);
  return dir;
}

/** An ISO-BMFF box: size, type, content. */
function box(type: string, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length + 8);
  head.write(type, 4, "latin1");
  return Buffer.concat([head, body]);
}
const u8 = (...v: number[]) => Buffer.from(v);
const u16 = (v: number) => Buffer.from([v >> 8, v & 255]);
const u32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v);
  return b;
};

/**
 * The header of a HEIF whose primary item (2) is `width`×`height` and turned by `irot` (quarter turns); item 1 is
 * a thumbnail with its own, smaller `ispe`, listed first, as in iPhone files.
 */
function heifHeader(width: number, height: number, irot: number): Buffer {
  const ispe = (w: number, h: number) => box("ispe", u32(0), u32(w), u32(h));
  const ipco = box("ipco", ispe(320, 240), ispe(width, height), box("irot", u8(irot)));
  // version 0, flags 0: item id u16, count u8, each index a byte (high bit = essential)
  const ipma = box("ipma", u32(0), u32(2), u16(1), u8(1, 1), u16(2), u8(2, 2, 0x83));
  const meta = box("meta", u32(0), box("pitm", u32(0), u16(2)), box("iprp", ipco, ipma));
  const ftyp = box("ftyp", Buffer.from("heic\0\0\0\0mif1heic", "latin1"));
  return Buffer.concat([ftyp, meta]);
}

/** Boxes directly inside [start, end): type, start, size. */
function boxesIn(buf: Buffer, start: number, end: number): Array<{ type: string; at: number; size: number }> {
  const out: Array<{ type: string; at: number; size: number }> = [];
  for (let at = start; at + 8 <= end; ) {
    const size = buf.readUInt32BE(at);
    out.push({ type: buf.toString("latin1", at + 4, at + 8), at, size });
    at += size;
  }
  return out;
}

/** example.heic turned by `irot` (quarter turns anticlockwise), as an iPhone held upright writes it. */
function withIrot(original: Buffer, quarterTurns: number): Buffer {
  return withProperty(original, Buffer.from([0, 0, 0, 9, ...Buffer.from("irot"), quarterTurns & 3]));
}

/** example.heic with its colours described by an ICC profile (`colr` of type `prof`), as an iPhone writes P3. */
function withProfile(original: Buffer, icc: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(12 + icc.length);
  head.write("colr", 4, "latin1");
  return withProperty(original, Buffer.concat([head, Buffer.from("prof", "latin1"), icc]));
}

/**
 * example.heic with one more property box given to its primary item: the box is added to `ipco`, associated in
 * `ipma`, the sizes of the boxes around them grown and `iloc`'s offsets into `mdat` (which follows `meta`) moved by
 * as much. Only what this file uses is handled (ipma version 0 with byte indices, iloc version 0 with 4-byte base
 * offsets).
 */
function withProperty(original: Buffer, property: Buffer): Buffer {
  const top = boxesIn(original, 0, original.length);
  const meta = top.find((b) => b.type === "meta") as { at: number; size: number };
  const inMeta = boxesIn(original, meta.at + 12, meta.at + meta.size);
  const find = (list: typeof inMeta, type: string) => list.find((b) => b.type === type) as (typeof inMeta)[0];
  const pitm = find(inMeta, "pitm");
  const primary = original.readUInt16BE(pitm.at + 12);
  const iprp = find(inMeta, "iprp");
  const inIprp = boxesIn(original, iprp.at + 8, iprp.at + iprp.size);
  const ipco = find(inIprp, "ipco");
  const ipma = find(inIprp, "ipma");
  const index = boxesIn(original, ipco.at + 8, ipco.at + ipco.size).length + 1;
  // ipma: entry_count, then per item: id (u16), count (u8), indices (u8, high bit = essential)
  const entries: Buffer[] = [];
  let at = ipma.at + 16;
  for (let n = original.readUInt32BE(ipma.at + 12); n > 0; n--) {
    const id = original.readUInt16BE(at);
    const count = original[at + 2] ?? 0;
    const indices = original.subarray(at + 3, at + 3 + count);
    at += 3 + count;
    const head = Buffer.from([id >> 8, id & 255, count + (id === primary ? 1 : 0)]);
    entries.push(head, indices, id === primary ? Buffer.from([0x80 | index]) : Buffer.alloc(0));
  }
  const newIpma = Buffer.concat([original.subarray(ipma.at, ipma.at + 16), ...entries]);
  newIpma.writeUInt32BE(newIpma.length);
  const newIpco = Buffer.concat([original.subarray(ipco.at, ipco.at + ipco.size), property]);
  newIpco.writeUInt32BE(newIpco.length);
  const grown = newIpco.length + newIpma.length - ipco.size - ipma.size;
  const parts: Buffer[] = [];
  for (const b of inIprp) {
    if (b.type === "ipco") parts.push(newIpco);
    else if (b.type === "ipma") parts.push(newIpma);
    else parts.push(original.subarray(b.at, b.at + b.size));
  }
  const newIprp = Buffer.concat([original.subarray(iprp.at, iprp.at + 8), ...parts]);
  newIprp.writeUInt32BE(newIprp.length);
  const metaParts = inMeta.map((b) => {
    if (b.type === "iprp") return newIprp;
    const copy = Buffer.from(original.subarray(b.at, b.at + b.size));
    if (b.type === "iloc") {
      // version 0, offset/length/base-offset sizes 4: id, data ref, base offset, extent count, extents
      let p = 16;
      for (let n = copy.readUInt16BE(14); n > 0; n--) {
        copy.writeUInt32BE(copy.readUInt32BE(p + 4) + grown, p + 4);
        p += 10 + copy.readUInt16BE(p + 8) * 8;
      }
    }
    return copy;
  });
  const newMeta = Buffer.concat([original.subarray(meta.at, meta.at + 12), ...metaParts]);
  newMeta.writeUInt32BE(newMeta.length);
  return Buffer.concat([original.subarray(0, meta.at), newMeta, original.subarray(meta.at + meta.size)]);
}

describe("HEIC headers", () => {
  it("gives the photo's size from the primary image's ispe, without decoding", () => {
    const bytes = readFileSync(HEIC);
    expect(sniff(bytes)).toEqual({ kind: "heic", brand: "mif1", width: 1280, height: 854 });
    expect(uprightSize(bytes)).toEqual({ width: 1280, height: 854 });
  });

  it("swaps width and height when irot turns the photo a quarter, not for a half turn", () => {
    expect(uprightSize(heifHeader(4032, 3024, 1))).toEqual({ width: 3024, height: 4032 });
    expect(uprightSize(heifHeader(4032, 3024, 3))).toEqual({ width: 3024, height: 4032 });
    expect(uprightSize(heifHeader(4032, 3024, 2))).toEqual({ width: 4032, height: 3024 });
    expect(uprightSize(heifHeader(4032, 3024, 0))).toEqual({ width: 4032, height: 3024 });
  });

  it("reads the turn of a real file's primary image", () => {
    expect(uprightSize(withIrot(readFileSync(HEIC), 1))).toEqual({ width: 854, height: 1280 });
    expect(uprightSize(withIrot(readFileSync(HEIC), 2))).toEqual({ width: 1280, height: 854 });
  });

  it("says nothing of the size when the header is cut short", () => {
    const whole = heifHeader(4032, 3024, 0);
    for (const cut of [20, 40, whole.length - 5]) {
      expect(sniff(whole.subarray(0, cut)).kind).toBe("heic");
      expect(uprightSize(whole.subarray(0, cut))).toBeUndefined();
    }
  });
});

function issueWith(file: string): Issue {
  const doc = { newsletter: "テスト", date: "2024-06-01", blocks: [] } as unknown as IssueDoc;
  return {
    id: "heic",
    dir: path.dirname(file),
    file: path.join(path.dirname(file), "issue.yaml"),
    root: path.dirname(file),
    doc,
    geometry: resolveGeometry(doc),
    theme: resolveTheme(undefined),
    photos: [
      {
        path: "blocks[0].article.photos[0]",
        src: path.basename(file),
        file,
        position: { line: 4, column: 16 },
      },
    ],
    sourceLines: ["newsletter: テスト", "date: 2024-06-01", "photos:", `  - { src: ${path.basename(file)} }`],
    locate: () => undefined,
  };
}

describe("HEIC photos are prepared like JPEGs", () => {
  it("decodes, resizes and caches the photo as an sRGB JPEG that looks like the original", async () => {
    const issue = issueWith(HEIC);
    const cacheDir = temp();
    const placed = new Map([["blocks[0].article.photos[0]", { widthPt: (640 / 350) * 72 }]]);
    const started = performance.now();
    const result = await prepareImages(issue, placed, { cacheDir, warnings: new Warnings() });
    const photo = result.photos.get("blocks[0].article.photos[0]");
    if (!photo) throw new Error("no photo");
    console.info(`example.heic: decoded and resized in ${(performance.now() - started).toFixed(0)} ms`);
    expect(photo.pixelWidth).toBe(640);
    expect(photo.pixelHeight).toBe(Math.round((640 * 854) / 1280));
    const meta = await sharp(photo.file).metadata();
    expect(meta).toMatchObject({ format: "jpeg", space: "srgb", width: 640 });
    expect(meta.exif).toBeUndefined();
    // The same picture: the JPEG against libheif's own pixels, as 32×32 grey thumbnails.
    const decoded = await decodeHeic(readFileSync(HEIC));
    const thumb = (s: Sharp) => s.resize(32, 32, { fit: "fill" }).greyscale().raw().toBuffer();
    const [a, b] = await Promise.all([thumb(sharp(photo.file)), thumb(sharp(decoded.png))]);
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
    expect(diff / a.length).toBeLessThan(4);
    // Not a flat or empty picture: the fixture is a street of coloured houses under a blue sky.
    const stats = await sharp(photo.file).stats();
    expect(stats.channels[2]?.stdev).toBeGreaterThan(30);
  });

  it("turns the photo upright by its irot, as the phone recorded it", async () => {
    const original = await decodeHeic(readFileSync(HEIC));
    const turned = await decodeHeic(withIrot(readFileSync(HEIC), 1));
    expect([turned.width, turned.height]).toEqual([854, 1280]);
    // irot counts quarter turns anticlockwise; sharp's rotate() turns clockwise.
    const raw = (d: typeof original) => sharp(d.png);
    const expected = await sharp(await raw(original).rotate(270).png().toBuffer());
    const wrongWay = await sharp(await raw(original).rotate(90).png().toBuffer());
    const thumb = (s: Sharp) => s.resize(24, 36, { fit: "fill" }).greyscale().raw().toBuffer();
    const [got, want, wrong] = await Promise.all([thumb(raw(turned)), thumb(expected), thumb(wrongWay)]);
    const diff = (a: Buffer, b: Buffer) =>
      a.reduce((sum, v, i) => sum + Math.abs(v - (b[i] ?? 0)), 0) / a.length;
    expect(diff(got, want)).toBeLessThan(2);
    expect(diff(got, wrong)).toBeGreaterThan(20);
  });

  it("keeps the photo's ICC profile (an iPhone's Display P3), so its colours are converted, not taken as sRGB", async () => {
    const p3 = (
      await sharp(
        await sharp({ create: { width: 1, height: 1, channels: 3, background: "#fff" } })
          .withIccProfile("p3")
          .png()
          .toBuffer(),
      ).metadata()
    ).icc as Buffer;
    expect(p3.length).toBeGreaterThan(100);
    const dir = temp();
    const plainFile = path.join(dir, "plain.heic");
    const p3File = path.join(dir, "p3.heic");
    writeFileSync(plainFile, readFileSync(HEIC));
    writeFileSync(p3File, withProfile(readFileSync(HEIC), p3));
    expect((await sharp((await decodeHeic(readFileSync(p3File))).png).metadata()).icc?.equals(p3)).toBe(true);
    const chroma = async (file: string) => {
      const issue = issueWith(file);
      const placed = new Map([["blocks[0].article.photos[0]", { widthPt: (320 / 350) * 72 }]]);
      const result = await prepareImages(issue, placed, { cacheDir: temp(), warnings: new Warnings() });
      const { data } = await sharp(result.photos.get("blocks[0].article.photos[0]")?.file)
        .raw()
        .toBuffer({ resolveWithObject: true });
      let sum = 0;
      for (let i = 0; i < data.length; i += 3) {
        const [r, g, b] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0];
        sum += Math.max(r, g, b) - Math.min(r, g, b);
      }
      return sum / (data.length / 3);
    };
    const [plain, wide] = [await chroma(plainFile), await chroma(p3File)];
    // The same numbers mean more saturated colours in P3 than in sRGB: converted, the sRGB photo is more vivid.
    expect(wide).toBeGreaterThan(plain * 1.05);
  });

  it("refuses a HEIC that cannot be decoded, at its line, with how to make a JPEG, and prints nothing else", async () => {
    const dir = temp();
    const file = path.join(dir, "IMG_0002.HEIC");
    copyFileSync(BROKEN, file);
    const issue = issueWith(file);
    const log = vi.spyOn(console, "log");
    const placed = new Map([["blocks[0].article.photos[0]", { widthPt: 100 }]]);
    const err = await prepareImages(issue, placed, { cacheDir: temp(), warnings: new Warnings() }).catch(
      (e: unknown) => e,
    );
    expect(log).not.toHaveBeenCalled();
    log.mockRestore();
    expect(err).toBeInstanceOf(KaihoError);
    const [d] = (err as KaihoError).diagnostics;
    expect(d).toMatchObject({ severity: "error", line: 4, column: 16 });
    expect(d?.ja).toContain(
      "写真「IMG_0002.HEIC」（issue.yaml 4行目）は iPhone の HEIC 形式ですが、読み込めませんでした",
    );
    expect(d?.en).toContain(
      'Photo "IMG_0002.HEIC" (issue.yaml line 4) is an iPhone HEIC photo that could not be decoded',
    );
    expect(d?.hintJa).toContain("互換性優先");
    expect(d?.hintEn).toContain("Most Compatible");
  });
});

describe("kaiho build with an iPhone photo", () => {
  it("builds the issue: the photo is in every edition, upright, at the layout's size", () => {
    const root = temp();
    const dir = path.join(root, "content", "iphone");
    mkdirSync(dir, { recursive: true });
    copyFileSync(HEIC, path.join(dir, "IMG_0001.HEIC"));
    writeFileSync(
      path.join(dir, "issue.yaml"),
      [
        "newsletter: 町内会だより",
        "date: 2024-06-01",
        "blocks:",
        "  - article:",
        "      title: 春のまち歩き",
        "      body: |",
        "        iPhone で撮った写真をそのまま使いました。",
        "      photos:",
        "        - src: IMG_0001.HEIC",
        "          caption: 川沿いの家並み",
        "",
      ].join("\n"),
    );
    const r = spawnSync(process.execPath, [CLI, "build", dir, "--root", root], { encoding: "utf8" });
    expect(r.stderr).not.toContain(": エラー error:");
    expect(r.stderr).toContain("✓ iphone");
    expect(r.status).toBe(0);
    for (const suffix of [".pdf", "-print.pdf", "-email.pdf"]) {
      const list = spawnSync("pdfimages", ["-list", path.join(root, "output", `iphone${suffix}`)], {
        encoding: "utf8",
      }).stdout;
      const rows = list.split("\n").filter((l) => /^\s+1\s+\d+\s+image/.test(l));
      expect(rows, suffix).toHaveLength(1);
      const [, , , width, height] = (rows[0] ?? "").trim().split(/\s+/).map(Number);
      // 1280×854 landscape: the stored shape, as the file has no turn.
      expect((width ?? 0) / (height ?? 1), suffix).toBeCloseTo(1280 / 854, 1);
    }
  });
});
