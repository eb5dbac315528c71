import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { closeServers, FAMILIES } from "./families.js";

/**
 * The fuzz and fault suite. `npm test` runs a few hundred cases (FUZZ_CASES, default 300) with a fixed seed;
 * `npm run fuzz -- --cases N --seed S` runs N cases with seed S (tests/fuzz/run.mjs). Cases are shared among
 * the families by weight, at least one each. A failure prints fast-check's seed and path to replay it.
 */

const total = Number(process.env.FUZZ_CASES ?? 300);
const seed = Number(process.env.FUZZ_SEED ?? 12);
const weights = FAMILIES.reduce((s, f) => s + f.weight, 0);

afterAll(async () => {
  await closeServers();
});

describe(`fuzz (${total} cases, seed ${seed})`, () => {
  const only = process.env.FUZZ_ONLY;
  for (const family of FAMILIES.filter((f) => !only || f.name.includes(only))) {
    const runs = Math.max(1, Math.round((total * family.weight) / weights));
    it(`${family.name}: ${runs} cases`, async () => {
      await fc.assert(family.property, { numRuns: runs, seed, endOnFailure: true });
      expect(runs).toBeGreaterThan(0);
    }, 600_000);
  }
});
