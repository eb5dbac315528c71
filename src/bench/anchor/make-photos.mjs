// Generates 4 deterministic 3000x2000 "photo-like" JPEGs (gradient + blobs + grain)
// so every tool embeds the same, realistically heavy images.

import { mkdirSync, statSync } from "node:fs";
import sharp from "sharp";

const W = 3000,
  H = 2000;
mkdirSync("photos", { recursive: true });

function rng(seed) {
  // mulberry32
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const palettes = [
  [
    [30, 80, 160],
    [240, 200, 120],
  ], // sky -> sand
  [
    [20, 110, 60],
    [210, 230, 150],
  ], // forest
  [
    [140, 30, 50],
    [250, 190, 90],
  ], // sunset
  [
    [60, 60, 70],
    [200, 210, 230],
  ], // city
];

for (let n = 0; n < 4; n++) {
  const r = rng(1234 + n);
  const [a, b] = palettes[n];
  const blobs = Array.from({ length: 14 }, () => ({
    x: r() * W,
    y: r() * H,
    rad: 150 + r() * 500,
    c: [r() * 255, r() * 255, r() * 255],
    k: 0.25 + r() * 0.4,
  }));
  const buf = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const t = (x / W) * 0.4 + (y / H) * 0.6;
      let px = [0, 1, 2].map((i) => a[i] + (b[i] - a[i]) * t);
      for (const bl of blobs) {
        const dx = x - bl.x,
          dy = y - bl.y;
        const d2 = (dx * dx + dy * dy) / (bl.rad * bl.rad);
        if (d2 < 1) {
          const w = bl.k * (1 - d2);
          px = px.map((v, i) => v * (1 - w) + bl.c[i] * w);
        }
      }
      const g = (r() - 0.5) * 28; // film grain
      const o = (y * W + x) * 3;
      buf[o] = Math.max(0, Math.min(255, px[0] + g));
      buf[o + 1] = Math.max(0, Math.min(255, px[1] + g));
      buf[o + 2] = Math.max(0, Math.min(255, px[2] + g));
    }
  }
  const f = `photos/photo${n + 1}.jpg`;
  await sharp(buf, { raw: { width: W, height: H, channels: 3 } })
    .jpeg({ quality: 85, mozjpeg: false })
    .toFile(f);
  console.log(f, (statSync(f).size / 1024).toFixed(0), "KB");
}
