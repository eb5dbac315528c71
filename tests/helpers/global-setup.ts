import { pruneBuilt } from "./built.js";
import { ensureCompiled } from "./compile.js";

/**
 * Before any test file: dist/ compiled from the sources under test (the CLI tests run it), and shared builds
 * nobody used for a day removed (tests/helpers/built.ts).
 */
export default function setup(): void {
  const { compiled } = ensureCompiled();
  if (compiled) console.log("global setup: compiled src/ into dist/ (it was stale)");
  pruneBuilt();
}
