#!/usr/bin/env node
// npm run fuzz -- --cases N --seed S: runs the fuzz suite (tests/fuzz/fuzz.test.ts) with N cases and seed S.
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    cases: { type: "string", default: "1000" },
    seed: { type: "string", default: String(Date.now() % 100000) },
  },
});
process.stdout.write(`kaiho fuzz: ${values.cases} cases, seed ${values.seed}\n`);
const r = spawnSync("npx", ["vitest", "run", "tests/fuzz/fuzz.test.ts", "--reporter=verbose"], {
  stdio: "inherit",
  env: { ...process.env, FUZZ_CASES: values.cases, FUZZ_SEED: values.seed },
});
process.exit(r.status ?? 1);
