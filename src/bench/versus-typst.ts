import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";

/**
 * The side-by-side figure: the same two-page newsletter (`src/bench/anchor/`: Typst source, kaiho issue.yaml, the
 * photo generator) built by kaiho and by the Typst node compiler, one fresh process each, interleaved so both see
 * the same machine load. The compiler is installed on first use into `.cache/bench/typst/`, never into kaiho's
 * own dependencies.
 */

const TYPST_PACKAGE = "@myriaddreamin/typst-ts-node-compiler@0.7.0";

interface Options {
  root: string;
  cli: string;
  runs: number;
  /** `--import` hook that prints the child's peak memory and CPU time on exit. */
  hook: string;
}

interface Sample {
  ms: number;
  cpuMs: number;
  rssMb: number;
}

export function compareWithTypst(opts: Options): void {
  const bench = path.join(opts.root, ".cache", "bench");
  const anchor = path.join(opts.root, "src", "bench", "anchor");
  const typstPrefix = ensureTypst(path.join(bench, "typst"));
  if (!typstPrefix) return;
  const project = path.join(bench, "anchor-project");
  const issueDir = path.join(project, "content", "anchor");
  const typstDir = path.join(bench, "anchor-typst");
  preparePhotos(anchor, path.join(bench, "anchor-photos"));
  mkdirSync(issueDir, { recursive: true });
  mkdirSync(path.join(typstDir, "photos"), { recursive: true });
  copyFileSync(path.join(anchor, "issue.yaml"), path.join(issueDir, "issue.yaml"));
  for (let n = 1; n <= 4; n++) {
    const photo = path.join(bench, "anchor-photos", "photos", `photo${n}.jpg`);
    copyFileSync(photo, path.join(issueDir, `photo${n}.jpg`));
    copyFileSync(photo, path.join(typstDir, "photos", `photo${n}.jpg`));
  }
  // Typst gets the very Noto Sans JP that kaiho sets with: the TTFs kaiho converted from @fontsource into its cache.
  const fontDir = path.join(project, ".cache", "kaiho", "fonts");
  const typ = readFileSync(path.join(anchor, "newsletter.typ"), "utf8").replaceAll(
    '"Noto Sans CJK JP"',
    '"Noto Sans JP"',
  );
  writeFileSync(path.join(typstDir, "newsletter.typ"), typ);

  const kaiho = (extra: string[]) =>
    run(opts, [opts.cli, "build", issueDir, "--root", project, ...extra], opts.root);
  const typst = () =>
    run(
      opts,
      [
        path.join(path.dirname(opts.cli), "..", "bench", "typst-run.js"),
        typstPrefix,
        typstDir,
        fontDir,
        path.join(typstDir, "out.pdf"),
      ],
      typstDir,
    );

  kaiho([]); // fills kaiho's cache (and the font folder Typst reads)
  if (!existsSync(fontDir) || readdirSync(fontDir).length === 0) {
    console.log("versus Typst: kaiho's font cache is empty; skipped");
    return;
  }
  typst(); // first Typst run pays its own one-off costs, as kaiho's cache fill does
  const screenOnly = supportsOnly(opts) ? ["--only", "screen"] : undefined;
  const rows: Record<string, { kaiho: Sample[]; typst: Sample[] }> = {
    "warm, every edition": { kaiho: [], typst: [] },
    cold: { kaiho: [], typst: [] },
  };
  if (screenOnly) rows["warm, screen PDF only"] = { kaiho: [], typst: [] };
  for (let i = 0; i < opts.runs; i++) {
    rows["warm, every edition"]?.kaiho.push(kaiho([]));
    rows["warm, every edition"]?.typst.push(typst());
    if (screenOnly) {
      rows["warm, screen PDF only"]?.kaiho.push(kaiho(screenOnly));
      rows["warm, screen PDF only"]?.typst.push(typst());
    }
    rmSync(path.join(project, ".cache", "kaiho", "images"), { recursive: true, force: true });
    rows.cold?.kaiho.push(kaiho([]));
    rows.cold?.typst.push(typst());
  }
  console.log(
    `\nversus Typst (${TYPST_PACKAGE}), the same newsletter, ${opts.runs} interleaved runs, medians:`,
  );
  console.log("| build | kaiho wall | Typst wall | ratio | kaiho CPU | Typst CPU | ratio |");
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const [name, { kaiho: k, typst: t }] of Object.entries(rows)) {
    const kw = median(k.map((s) => s.ms));
    const tw = median(t.map((s) => s.ms));
    const kc = median(k.map((s) => s.cpuMs));
    const tc = median(t.map((s) => s.cpuMs));
    console.log(
      `| ${name} | ${kw.toFixed(0)} ms | ${tw.toFixed(0)} ms | ${(kw / tw).toFixed(2)}× | ${kc.toFixed(0)} ms | ${tc.toFixed(0)} ms | ${(kc / tc).toFixed(2)}× |`,
    );
  }
  if (!screenOnly) console.log("(screen PDF only: this kaiho has no `--only`; not measured)");
  console.log(
    "cold: kaiho's photo cache emptied (fonts stay converted); Typst decodes its photos on every run.",
  );
}

function run(opts: Options, args: string[], cwd: string): Sample {
  const started = performance.now();
  const r = spawnSync(process.execPath, ["--import", opts.hook, ...args], { cwd, encoding: "utf8" });
  const ms = performance.now() - started;
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    throw new Error(`${path.basename(args[0] ?? "")} exited ${r.status}`);
  }
  const kb = Number(/KAIHO_MAXRSS=(\d+)/.exec(r.stderr)?.[1] ?? 0);
  const us = Number(/KAIHO_CPU_US=(\d+)/.exec(r.stderr)?.[1] ?? 0);
  return { ms, cpuMs: us / 1000, rssMb: kb / 1024 };
}

function ensureTypst(prefix: string): string | undefined {
  if (existsSync(path.join(prefix, "node_modules", "@myriaddreamin", "typst-ts-node-compiler")))
    return prefix;
  mkdirSync(prefix, { recursive: true });
  writeFileSync(path.join(prefix, "package.json"), '{"private":true}\n');
  console.log(`installing ${TYPST_PACKAGE} into ${prefix} (once) …`);
  const r = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--prefix", prefix, TYPST_PACKAGE], {
    encoding: "utf8",
  });
  if (r.status !== 0) {
    console.log(`versus Typst: could not install ${TYPST_PACKAGE}; skipped\n${r.stderr}`);
    return undefined;
  }
  return prefix;
}

function preparePhotos(anchor: string, dir: string): void {
  if (existsSync(path.join(dir, "photos", "photo4.jpg"))) return;
  mkdirSync(dir, { recursive: true });
  const r = spawnSync(process.execPath, [path.join(anchor, "make-photos.mjs")], {
    cwd: dir,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`make-photos.mjs failed: ${r.stderr}`);
}

function supportsOnly(opts: Options): boolean {
  const r = spawnSync(process.execPath, [opts.cli, "--help"], { encoding: "utf8" });
  return /--only\b/.test(`${r.stdout}${r.stderr}`);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};
