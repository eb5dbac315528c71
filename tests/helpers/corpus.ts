import { spawn } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { CLI, REPO } from "./cli.js";
import { cachedPhoto, photoShape } from "./fixture-photos.js";
import { checkoutFolder } from "./temp.js";

/**
 * The corpus of fixture issues (`tests/fixtures/issues/<name>/issue.yaml`), built as an editor would with the
 * CLI into one project folder in the temp dir. The folder is kept between runs so kaiho's own `.cache/` (fonts
 * converted, photos resized) stays warm; each run copies the YAML afresh and deletes the old PDF first, so a
 * failed build never leaves a stale PDF to be measured.
 */

export const CORPUS_DIR = path.join(REPO, "tests", "fixtures", "issues");
/**
 * One folder per checkout: two worktrees measuring at once must not build into (and delete) each other's files.
 * Kept between runs (tests/helpers/temp.ts); removed by the global setup once its checkout is gone.
 */
export const CORPUS_ROOT = checkoutFolder("corpus");

/** Fixtures with tests of their own (typesetting positions, glyphs, ruby) that bring their own photos. */
const OWN_TESTS = new Set(["typesetting", "glyphs", "ruby"]);

export function corpusNames(): string[] {
  return readdirSync(CORPUS_DIR)
    .filter((n) => !OWN_TESTS.has(n) && existsSync(path.join(CORPUS_DIR, n, "issue.yaml")))
    .sort();
}

export interface PhotoRef {
  src: string;
  width: number;
  height: number;
}

/** An article or corner: the blocks that own photos. */
export interface StoryRef {
  title: string;
  /** Body text with the markup (`###`, `>`, `**`) taken out. */
  body: string;
  photos: PhotoRef[];
}

export interface FixtureDoc {
  name: string;
  yaml: string;
  stories: StoryRef[];
  photos: PhotoRef[];
}

type Json = Record<string, unknown>;

function storiesOf(blocks: unknown): StoryRef[] {
  const out: StoryRef[] = [];
  if (!Array.isArray(blocks)) return out;
  for (const block of blocks as Json[]) {
    if (!block || typeof block !== "object") continue;
    if (Array.isArray(block.row)) out.push(...storiesOf(block.row));
    const story = (block.article ?? block.corner) as Json | undefined;
    if (!story || typeof story !== "object") continue;
    const photos: PhotoRef[] = [];
    for (const p of (story.photos as Json[] | undefined) ?? []) {
      const src = String(p.src);
      const shape = photoShape(src);
      if (shape) photos.push({ src, ...shape });
    }
    const body = String(story.body ?? "")
      .replace(/^\s*###\s*/gm, "")
      .replace(/^\s*>\s*/gm, "")
      .replace(/\*\*/g, "");
    out.push({ title: String(story.title ?? ""), body, photos });
  }
  return out;
}

/** A fixture of the corpus, or of another folder of fixture issues (`from`) built the same way. */
export function readFixture(name: string, from = CORPUS_DIR): FixtureDoc {
  const yaml = readFileSync(path.join(from, name, "issue.yaml"), "utf8");
  const doc = parse(yaml) as Json;
  const stories = storiesOf(doc.blocks);
  return { name, yaml, stories, photos: stories.flatMap((s) => s.photos) };
}

/** Writes the fixture's issue folder (YAML and drawn photos) into the corpus project. */
export async function stageFixture(fixture: FixtureDoc): Promise<string> {
  const dir = path.join(CORPUS_ROOT, "content", fixture.name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "issue.yaml"), fixture.yaml);
  for (const photo of fixture.photos) {
    const file = path.join(dir, photo.src);
    // Always rewritten: kaiho caches photos by content, so a redrawn photo is noticed and an unchanged one is not resized again.
    writeFileSync(file, await cachedPhoto(photo.src, fixture.name));
  }
  return dir;
}

function prepareRoot(): void {
  mkdirSync(path.join(CORPUS_ROOT, "output"), { recursive: true });
  // Converting the WOFF2 fonts takes tens of seconds; the repo's cache already holds them.
  const fonts = path.join(REPO, ".cache", "kaiho", "fonts");
  const target = path.join(CORPUS_ROOT, ".cache", "kaiho", "fonts");
  if (existsSync(fonts) && !existsSync(target)) cpSync(fonts, target, { recursive: true });
}

export interface BuildResult {
  name: string;
  status: number;
  stderr: string;
  stdout: string;
  /** The screen edition, when the build wrote it. */
  pdf?: string;
}

function run(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: CORPUS_ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("close", (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

export async function buildFixture(fixture: FixtureDoc): Promise<BuildResult> {
  prepareRoot();
  const dir = await stageFixture(fixture);
  const pdf = path.join(CORPUS_ROOT, "output", `${fixture.name}.pdf`);
  rmSync(pdf, { force: true });
  // The quality is measured on the screen edition alone; the other editions are tested elsewhere (editions, print).
  const r = await run(["build", "--only", "screen", "--root", CORPUS_ROOT, dir]);
  const written = existsSync(pdf) && statSync(pdf).size > 0;
  return { name: fixture.name, ...r, ...(written ? { pdf } : {}) };
}

/** Builds the fixtures `parallel` at a time (the machine is shared: 2 by default). */
export async function buildCorpus(fixtures: FixtureDoc[], parallel = 2): Promise<Map<string, BuildResult>> {
  const results = new Map<string, BuildResult>();
  const queue = [...fixtures];
  const worker = async () => {
    for (let f = queue.shift(); f; f = queue.shift()) results.set(f.name, await buildFixture(f));
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return results;
}

/** Copies a built fixture PDF somewhere (e.g. to look at its pages). */
export function copyBuilt(name: string, to: string): void {
  copyFileSync(path.join(CORPUS_ROOT, "output", `${name}.pdf`), to);
}
