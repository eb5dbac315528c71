import { spawnSync } from "node:child_process";
import { rmSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compareWithTypst } from "./versus-typst.js";

/**
 * `npm run bench`: builds the sample issue cold (empty cache) and warm, RUNS times each, as an editor runs it
 * (a fresh `kaiho build` process), and prints the median wall time, peak memory and the PDF size.
 */

const RUNS = Number(process.env.KAIHO_BENCH_RUNS ?? 5);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const cli = path.join(root, "dist", "cli", "main.js");
const cache = path.join(root, ".cache", "kaiho");
// Reports the child's peak resident memory when it exits, without any bench code in the CLI itself.
const rssHook = `data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();process.stderr.write("\\nKAIHO_MAXRSS="+u.maxRSS+" KAIHO_CPU_US="+(u.userCPUTime+u.systemCPUTime)+"\\n")})`;

interface Run {
  ms: number;
  rssMb: number;
}

function once(): Run {
  const started = performance.now();
  const r = spawnSync(process.execPath, ["--import", rssHook, cli, "build"], { cwd: root, encoding: "utf8" });
  const ms = performance.now() - started;
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    throw new Error(`kaiho build exited ${r.status}`);
  }
  const kb = Number(/KAIHO_MAXRSS=(\d+)/.exec(r.stderr)?.[1] ?? 0);
  return { ms, rssMb: kb / 1024 };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

function series(name: string, before: () => void): void {
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    before();
    runs.push(once());
  }
  const ms = runs.map((r) => r.ms);
  console.log(
    `${name.padEnd(5)} median ${median(ms).toFixed(0)} ms (min ${Math.min(...ms).toFixed(0)}, max ${Math.max(...ms).toFixed(0)}), peak memory ${Math.max(...runs.map((r) => r.rssMb)).toFixed(0)} MB, ${RUNS} runs`,
  );
}

series("cold", () => rmSync(cache, { recursive: true, force: true }));
series("warm", () => {});
const pdf = path.join(root, "output", "shishokuro-485.pdf");
console.log(`sample PDF ${(statSync(pdf).size / 1024).toFixed(0)} KB (${path.relative(root, pdf)})`);
if (process.env.KAIHO_BENCH_TYPST !== "0") compareWithTypst({ root, cli, runs: RUNS, hook: rssHook });
