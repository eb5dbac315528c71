import { readFileSync, writeFileSync } from "node:fs";
import { PreviewSession } from "./dist/preview/session.js";
import * as L from "./dist/layout/index.js";
import * as R from "./dist/render/index.js";
import * as Ra from "./dist/preview/raster.js";
const root = "/tmp/preview-scratch/p3"; const dir = root + "/content/shishokuro-485";
const s = new PreviewSession({ dir, root });
const yaml = readFileSync(dir + "/issue.yaml", "utf8");
await s.rebuild();
for (let i = 0; i < 10; i++) {
  writeFileSync(dir + "/issue.yaml", yaml.replace("9時より", "9時より（テスト" + i + "）"));
  const r = await s.rebuild();
  console.log(r.timings.cpuMs, JSON.stringify(r.timings.stages), r.timings.pagesDrawn);
}
