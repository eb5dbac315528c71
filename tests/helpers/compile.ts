import { compileIfStale } from "../../scripts/compile-if-stale.mjs";

/**
 * dist/ made from the sources being tested: the CLI tests run `dist/cli/main.js`, so a dist/ compiled from other
 * sources would test the wrong code. The decision is the npm scripts' own (scripts/compile-if-stale.mjs: a hash of
 * src/ and the compiler settings against dist/.sources-sha256), so `npm run build` and `npm test` never disagree
 * about whether dist/ is current. Throws with tsc's output when the compile fails.
 */
export function ensureCompiled(): { compiled: boolean; hash: string } {
  return compileIfStale();
}
