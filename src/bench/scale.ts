import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { makePhotos, scaleIssueYaml, writeScaleIssue } from "./scale-issue.js";

/**
 * `npm run bench:scale`: a generated issue (src/bench/scale-issue.ts: two 3000×2000 photos per article, 200
 * photos in all) built at about 10, 25, 50 and 100 pages, cold (no processed photo cached) and warm, each as a
 * fresh `kaiho build` writing every edition; prints wall time, CPU time and peak memory, and what the preflight
 * found (overflow, photos away from their article), since a fast build of a wrong layout is no result.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const cli = path.join(root, "dist", "cli", "main.js");
const work = path.join(root, ".cache", "bench", "scale");
const project = path.join(work, "project");
const hook = `data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();process.stderr.write("\\nKAIHO_MAXRSS="+u.maxRSS+" KAIHO_CPU_US="+(u.userCPUTime+u.systemCPUTime)+"\\n")})`;
const PAGES = (process.env.KAIHO_SCALE_PAGES ?? "10,25,50,100").split(",").map(Number);
const PHOTOS = 200;

interface Run {
  ms: number;
  cpuMs: number;
  rssMb: number;
  pages: number;
  errors: number;
  warnings: number;
}

function build(dir: string): Run {
  const started = performance.now();
  const r = spawnSync(process.execPath, ["--import", hook, cli, "build", dir, "--root", project], {
    encoding: "utf8",
  });
  const ms = performance.now() - started;
  if (r.status !== 0 && r.status !== 1) {
    process.stderr.write(r.stderr);
    throw new Error(`kaiho build exited ${r.status}`);
  }
  const report = JSON.parse(
    readFileSync(path.join(project, "output", `${path.basename(dir)}-preflight.json`), "utf8"),
  ) as { errors: unknown[]; warnings: unknown[] };
  return {
    ms,
    cpuMs: Number(/KAIHO_CPU_US=(\d+)/.exec(r.stderr)?.[1] ?? 0) / 1000,
    rssMb: Number(/KAIHO_MAXRSS=(\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024,
    pages: Number(/\((\d+) ページ pages/.exec(r.stderr)?.[1] ?? 0),
    errors: report.errors.length,
    warnings: report.warnings.length,
  };
}

/** Articles that make about `pages` pages: measured on a first issue, then scaled. */
function articlesPerPage(photos: string[]): number {
  const dir = path.join(project, "content", "scale-probe");
  writeScaleIssue(dir, scaleIssueYaml(12, photos), path.join(work, "photos"), photos.slice(0, 24));
  const r = spawnSync(process.execPath, [cli, "check", dir, "--root", project], { encoding: "utf8" });
  const pages = Number(/(\d+) ページ pages/.exec(r.stderr)?.[1] ?? 0);
  if (!pages) throw new Error(`could not lay out the probe issue:\n${r.stderr}`);
  return 12 / pages;
}

async function main(): Promise<void> {
  const photos = await makePhotos(path.join(work, "photos"), PHOTOS);
  const perPage = articlesPerPage(photos);
  const rows: Array<{ target: number; cold: Run; warm: Run }> = [];
  for (const target of PAGES) {
    const articles = Math.max(1, Math.round(target * perPage));
    const dir = path.join(project, "content", `scale-${target}`);
    const used = photos.slice(0, Math.min(photos.length, 2 * articles));
    writeScaleIssue(dir, scaleIssueYaml(articles, used), path.join(work, "photos"), used);
    rmSync(path.join(project, ".cache", "kaiho", "images"), { recursive: true, force: true });
    rmSync(path.join(project, ".cache", "kaiho", "originals"), { recursive: true, force: true });
    const cold = build(dir);
    const warm = build(dir);
    rows.push({ target, cold, warm });
    process.stderr.write(`  scale ${target}: ${JSON.stringify({ cold, warm })}\n`);
  }
  console.log(`\nscale bench: ${PHOTOS} photos of 3000×2000 available, 2 per article, every edition written`);
  console.log(
    "| pages | photos | cold wall | cold CPU | cold peak RSS | warm wall | warm CPU | warm peak RSS | preflight errors / warnings |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const { target, cold, warm } of rows) {
    const articles = Math.max(1, Math.round(target * perPage));
    console.log(
      `| ${warm.pages} | ${Math.min(PHOTOS, 2 * articles)} | ${(cold.ms / 1000).toFixed(1)} s | ${(cold.cpuMs / 1000).toFixed(1)} s | ${cold.rssMb.toFixed(0)} MB | ${(warm.ms / 1000).toFixed(1)} s | ${(warm.cpuMs / 1000).toFixed(1)} s | ${warm.rssMb.toFixed(0)} MB | ${warm.errors} / ${warm.warnings} |`,
    );
  }
  const at = (t: number) => rows.find((r) => r.target === t);
  const [r25, r100] = [at(25), at(100)];
  if (r25 && r100) {
    const ratio = Math.max(r100.cold.rssMb, r100.warm.rssMb) / Math.max(r25.cold.rssMb, r25.warm.rssMb);
    console.log(`peak RSS at 100 pages / at 25 pages: ${ratio.toFixed(2)}× (goal ≤ 1.3×)`);
  }
  console.log("goals: cold ≤ 15 s, warm ≤ 3 s, peak RSS ≤ 600 MB at 100 pages");
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
