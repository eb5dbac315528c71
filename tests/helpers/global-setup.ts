import { pruneBuilt } from "./built.js";
import { ensureCompiled } from "./compile.js";
import { pruneOrphans, startRunTemp } from "./temp.js";

/**
 * Before any test file: dist/ compiled from the sources under test (the CLI tests run it), the run's own temp
 * folder made the temp dir of every fork, and the shared builds of other code or unused for a day removed
 * (tests/helpers/temp.ts, tests/helpers/built.ts). After the last: the run's temp folder removed.
 */
export default function setup(): () => void {
  const { compiled } = ensureCompiled();
  if (compiled) console.log("global setup: compiled src/ into dist/ (it was stale)");
  const endRunTemp = startRunTemp();
  pruneBuilt();
  pruneOrphans("corpus");
  return endRunTemp;
}
