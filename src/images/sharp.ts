import { createRequire } from "node:module";
import type Sharp from "sharp";

/**
 * sharp, loaded with require(). Imported as an ES module, Node (20) reads its CommonJS files through its ES module
 * loader, scanning each for its export names: about 0.3 s of CPU instead of 0.1 s, in each thread that loads it
 * (the images stage on a cold build, the page preview in the worker on every build).
 */
export const sharp = createRequire(import.meta.url)("sharp") as typeof Sharp;
