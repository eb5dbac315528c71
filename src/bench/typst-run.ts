import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * One Typst build in a fresh process, as the bench runs kaiho: `node typst-run.js <compiler-prefix> <work-dir>
 * <font-dir> <out.pdf>`. The compiler is `@myriaddreamin/typst-ts-node-compiler` (Typst in-process through napi),
 * installed by the bench into a folder of its own so it never becomes a dependency of kaiho.
 */

interface TypstCompileResult {
  hasError(): boolean;
  result: unknown;
}
interface TypstCompiler {
  compile(opts: { mainFilePath: string }): TypstCompileResult;
  pdf(doc: unknown): Uint8Array;
}
interface TypstModule {
  NodeCompiler: {
    create(opts: { workspace: string; fontArgs: Array<{ fontPaths: string[] }> }): TypstCompiler;
  };
}

const [prefix, workDir, fontDir, out] = process.argv.slice(2);
if (!prefix || !workDir || !fontDir || !out) {
  console.error("usage: typst-run <compiler-prefix> <work-dir> <font-dir> <out.pdf>");
  process.exit(2);
}
const require = createRequire(path.join(prefix, "package.json"));
const typst = require("@myriaddreamin/typst-ts-node-compiler") as TypstModule;
const compiler = typst.NodeCompiler.create({ workspace: workDir, fontArgs: [{ fontPaths: [fontDir] }] });
const compiled = compiler.compile({ mainFilePath: path.join(workDir, "newsletter.typ") });
if (compiled.hasError() || !compiled.result) {
  console.error("typst: compile failed");
  process.exit(1);
}
writeFileSync(out, compiler.pdf(compiled.result));
