import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { sharedTmp } from "./temp.js";

/**
 * Photos of the fixture corpus (`tests/fixtures/issues/`), drawn at test time instead of committed: a file name
 * ending in `-<width>x<height>.jpg` is the whole description, and the rest of the name seeds the scene. A scene
 * is sky, horizon, ground, a building or trees and a crowd of figures in gradients, so at 70 dpi the page reads
 * like a newsletter with photos rather than flat colour blocks, and every photo of an issue looks different.
 */

const PHOTO_NAME = /-(\d{2,5})x(\d{2,5})\.jpe?g$/i;

/** Bump when the drawing changes, so cached photos are redrawn. */
const GENERATOR_VERSION = 1;

export interface PhotoShape {
  width: number;
  height: number;
}

/** The pixel size a fixture photo's file name asks for, or undefined when the name does not follow the pattern. */
export function photoShape(name: string): PhotoShape | undefined {
  const m = PHOTO_NAME.exec(name);
  if (!m) return undefined;
  return { width: Number(m[1]), height: Number(m[2]) };
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedOf(text: string): number {
  return createHash("sha256").update(text).digest().readUInt32LE(0);
}

const hsl = (h: number, s: number, l: number) => `hsl(${h.toFixed(0)},${s.toFixed(0)}%,${l.toFixed(0)}%)`;

/** An SVG scene in a 1000-unit-wide viewBox with the photo's aspect ratio. */
export function sceneSvg(seedText: string, shape: PhotoShape): string {
  const r = mulberry32(seedOf(seedText));
  const W = 1000;
  const H = Math.round((1000 * shape.height) / shape.width);
  const indoor = r() < 0.3;
  const skyHue = indoor ? 30 + r() * 30 : 190 + r() * 30;
  const groundHue = indoor ? 25 + r() * 20 : r() < 0.5 ? 90 + r() * 40 : 25 + r() * 15;
  const horizon = H * (0.38 + r() * 0.25);
  const parts: string[] = [];
  parts.push(
    `<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${hsl(skyHue, 55, indoor ? 70 : 55)}"/><stop offset="1" stop-color="${hsl(skyHue + 10, 40, 88)}"/></linearGradient>`,
    `<linearGradient id="ground" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${hsl(groundHue, 35, 55)}"/><stop offset="1" stop-color="${hsl(groundHue, 40, 30)}"/></linearGradient>`,
    `<radialGradient id="sun"><stop offset="0" stop-color="#fffbe8"/><stop offset="1" stop-color="#fffbe8" stop-opacity="0"/></radialGradient></defs>`,
  );
  parts.push(`<rect width="${W}" height="${H}" fill="url(#sky)"/>`);
  parts.push(`<circle cx="${r() * W}" cy="${horizon * r() * 0.6}" r="${60 + r() * 120}" fill="url(#sun)"/>`);
  // Background: a building with windows, or a row of trees.
  if (r() < 0.5) {
    const bx = r() * W * 0.5;
    const bw = W * (0.3 + r() * 0.4);
    const bh = horizon * (0.4 + r() * 0.4);
    parts.push(
      `<rect x="${bx}" y="${horizon - bh}" width="${bw}" height="${bh}" fill="${hsl(r() * 360, 10, 80)}"/>`,
    );
    for (let wx = bx + 15; wx < bx + bw - 30; wx += 45)
      for (let wy = horizon - bh + 15; wy < horizon - 30; wy += 50)
        parts.push(
          `<rect x="${wx}" y="${wy}" width="26" height="30" fill="${hsl(205, 30, 45 + r() * 25)}"/>`,
        );
  } else {
    for (let tx = -20; tx < W; tx += 50 + r() * 60) {
      const th = 80 + r() * 140;
      parts.push(
        `<ellipse cx="${tx}" cy="${horizon - th * 0.6}" rx="${30 + r() * 30}" ry="${th * 0.5}" fill="${hsl(100 + r() * 40, 35, 25 + r() * 20)}"/>`,
      );
    }
  }
  parts.push(`<rect y="${horizon}" width="${W}" height="${H - horizon}" fill="url(#ground)"/>`);
  // Lane lines or floor boards give the ground some texture.
  for (let i = 1; i < 6; i++) {
    const y = horizon + ((H - horizon) * i * i) / 36;
    parts.push(
      `<line x1="0" y1="${y}" x2="${W}" y2="${y}" stroke="#ffffff" stroke-opacity="0.35" stroke-width="${i}"/>`,
    );
  }
  // A crowd: figures further down are nearer, so larger.
  const people = 4 + Math.floor(r() * 10);
  const figures: string[] = [];
  for (let i = 0; i < people; i++) {
    const depth = r();
    const y = horizon + (H - horizon) * (0.1 + depth * 0.75);
    const s = (0.5 + depth * 1.6) * (H / 700 + 0.4);
    const x = r() * W;
    const shirt = hsl(r() * 360, 60, 35 + r() * 30);
    figures.push(
      `<g transform="translate(${x.toFixed(1)},${y.toFixed(1)}) scale(${s.toFixed(3)})">` +
        `<rect x="-18" y="-95" width="36" height="60" rx="12" fill="${shirt}"/>` +
        `<rect x="-15" y="-38" width="12" height="40" fill="${hsl(220, 25, 25)}"/><rect x="3" y="-38" width="12" height="40" fill="${hsl(220, 25, 25)}"/>` +
        `<circle cx="0" cy="-112" r="16" fill="${hsl(25, 45, 70)}"/><path d="M-16 -116 a16 16 0 0 1 32 0 z" fill="#2a2320"/></g>`,
    );
  }
  parts.push(...figures);
  // A banner with a number, as on a tent or a stage.
  if (r() < 0.6) {
    const bw = 180 + r() * 220;
    const bx = r() * (W - bw);
    const by = horizon * (0.15 + r() * 0.3);
    parts.push(
      `<rect x="${bx}" y="${by}" width="${bw}" height="54" fill="${hsl(r() * 360, 70, 45)}"/>`,
      `<text x="${bx + bw / 2}" y="${by + 38}" font-family="sans-serif" font-size="34" font-weight="bold" fill="#ffffff" text-anchor="middle">No.${1 + Math.floor(r() * 60)} 2026</text>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${shape.width}" height="${shape.height}" viewBox="0 0 ${W} ${H}" preserveAspectRatio="none">${parts.join("")}</svg>`;
}

/** JPEG bytes of the photo `name` (which must end in `-<w>x<h>.jpg`), seeded by `seedText` and the name. */
export async function drawPhoto(name: string, seedText = ""): Promise<Buffer> {
  const shape = photoShape(name);
  if (!shape) throw new Error(`fixture photo name must end in -<width>x<height>.jpg: ${name}`);
  // Drawn at up to 800 px wide and enlarged: the scene has no fine detail, and this keeps the corpus fast.
  const draft = Math.min(1, 800 / shape.width);
  const svg = sceneSvg(`${seedText}/${name}`, {
    width: Math.max(1, Math.round(shape.width * draft)),
    height: Math.max(1, Math.round(shape.height * draft)),
  });
  return sharp(Buffer.from(svg))
    .resize(shape.width, shape.height, { fit: "fill", kernel: "cubic" })
    .jpeg({ quality: 82, mozjpeg: false })
    .toBuffer();
}

/** Kept between runs, shared by every checkout (the drawing depends only on the name and the version). */
const CACHE = path.join(sharedTmp(), `kaiho-fixture-photos-v${GENERATOR_VERSION}`);

/** The photo's bytes from the temp-folder cache, drawn on first use. */
export async function cachedPhoto(name: string, seedText = ""): Promise<Buffer> {
  const key = createHash("sha256").update(`${seedText}/${name}`).digest("hex").slice(0, 16);
  const file = path.join(CACHE, `${key}-${path.basename(name)}`);
  if (existsSync(file)) return readFileSync(file);
  const bytes = await drawPhoto(name, seedText);
  mkdirSync(CACHE, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, file);
  return bytes;
}
