/**
 * `kaiho preview` as an editor uses it, in a real browser: the CLI is started on a copy of the sample issue, a
 * headless Chromium (from the npm registry: @sparticuz/chromium + puppeteer-core) opens the printed address, and
 * the test edits issue.yaml and the photos as an editor would, reading what the page shows: the page images, the
 * marks over them, the error panel. Ctrl-C (SIGINT) ends it with exit 0, nothing written to output/.
 *
 * Timings (save → pages shown) are measured and printed, never asserted: the machine may be loaded.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import chromium from "@sparticuz/chromium";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Batcher, type Change } from "../src/preview/watch.js";
import { CLI, REPO, tempProject } from "./helpers/cli.js";

const temps: string[] = [];
let child: ChildProcess;
let exited: Promise<number | null>;
let stderr = "";
let browser: Browser;
let page: Page;
let url: string;
let root: string;
let yamlFile: string;
let original: string;

/** A screenshot for the README, in 128 colours (the UI and pages are mostly flat). */
async function readmeImage(name: string, clip?: { x: number; y: number; width: number; height: number }) {
  const shot = await page.screenshot(clip ? { clip } : {});
  const png = await sharp(Buffer.from(shot)).png({ palette: true, colours: 128, effort: 10 }).toBuffer();
  writeFileSync(path.join(REPO, "images", "readme", name), png);
}

/** What the page shows now. */
function shown(): Promise<{ build: number; srcs: string[]; failure: string; stale: boolean }> {
  return page.evaluate(() => ({
    build: Number(document.body.dataset.build ?? 0),
    srcs: [...document.querySelectorAll<HTMLImageElement>(".page img")].map(
      (i) => i.getAttribute("src") ?? "",
    ),
    failure: (document.getElementById("failure") as HTMLElement).hidden
      ? ""
      : (document.getElementById("failure")?.textContent ?? ""),
    stale: document.getElementById("pages")?.classList.contains("stale") ?? false,
  }));
}

/** Waits until the page has shown a build after `build` (its images swapped in). */
async function nextBuild(build: number, timeout = 60_000): Promise<void> {
  await page.waitForFunction((b: number) => Number(document.body.dataset.build ?? 0) > b, { timeout }, build);
}

interface ServerTimings {
  changedAt?: number;
  pushedAt?: number;
  pagesDrawn: number;
  cpuMs: number;
  stages: Record<string, number>;
}

async function serverTimings(): Promise<ServerTimings> {
  const state = (await (await fetch(`${url}state.json`)).json()) as { timings: ServerTimings };
  return state.timings;
}

/** Saves issue.yaml and waits for the page to show the rebuild; returns save → shown as the browser saw it. */
async function save(text: string): Promise<{ ms: number; server: ServerTimings }> {
  const before = (await shown()).build;
  const savedAt = Date.now();
  writeFileSync(yamlFile, text);
  await nextBuild(before);
  const shownAt = Number(await page.evaluate(() => document.body.dataset.shownAt));
  return { ms: shownAt - savedAt, server: await serverTimings() };
}

/** The sample's first block: the line the broken-YAML case misspells. */
const BROKEN_LINE =
  readFileSync(path.join(REPO, "content", "shishokuro-485", "issue.yaml"), "utf8")
    .split("\n")
    .indexOf("  - article:") + 1;

describe("kaiho preview in a browser", () => {
  beforeAll(async () => {
    const p = tempProject();
    temps.push(p.root);
    root = p.root;
    yamlFile = path.join(p.issue, "issue.yaml");
    original = readFileSync(yamlFile, "utf8");
    child = spawn(process.execPath, [CLI, "preview", p.issue, "--root", p.root], {
      cwd: p.root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    child.stderr?.on("data", (b: Buffer) => {
      stderr += b.toString();
    });
    const [launched, address] = await Promise.all([
      puppeteer.launch({
        executablePath: await chromium.executablePath(),
        args: chromium.args,
        headless: true,
        defaultViewport: { width: 1280, height: 640 },
      }),
      new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout?.on("data", (b: Buffer) => {
          out += b.toString();
          const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
          if (m) resolve(m[0]);
        });
        child.once("exit", (code) =>
          reject(new Error(`preview exited (${code}) before printing its address:\n${stderr}`)),
        );
      }),
    ]);
    browser = launched;
    url = address;
    page = await browser.newPage();
    await page.goto(url);
  });

  afterAll(async () => {
    await browser?.close();
    if (child && child.exitCode === null) child.kill("SIGKILL");
    for (const t of temps) rmSync(t, { recursive: true, force: true });
  });

  let good: string[] = [];

  it("shows the sample's 2 pages as PNGs at screen resolution", async () => {
    await page.waitForFunction(
      () =>
        Number(document.body.dataset.build ?? 0) > 0 &&
        [...document.querySelectorAll<HTMLImageElement>(".page img")].every(
          (i) => i.complete && i.naturalWidth > 0,
        ),
      { timeout: 90_000 },
    );
    const s = await shown();
    expect(s.srcs).toHaveLength(2);
    expect(s.failure).toBe("");
    const png = Buffer.from(await (await fetch(new URL(s.srcs[0] as string, url))).arrayBuffer());
    const meta = await sharp(png).metadata();
    expect(meta.format).toBe("png");
    expect(meta.width).toBe(1000);
    // A4: 297/210 of the width.
    expect(Math.abs((meta.height ?? 0) - 1414)).toBeLessThanOrEqual(1);
    good = s.srcs;
  });

  it("a paragraph edited in issue.yaml changes the page without a reload, keeping the scroll position", async () => {
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 1;
      window.scrollTo(0, 200);
    });
    const edited = original.replace("9時より", "9時より（プレビューで書き足した一文です。）");
    expect(edited).not.toBe(original);
    const first = await save(edited);
    const s = await shown();
    expect(s.srcs).toHaveLength(2);
    expect(s.srcs[0]).not.toBe(good[0]);
    const still = await page.evaluate(() => ({
      marker: (window as unknown as { marker?: number }).marker,
      y: window.scrollY,
    }));
    expect(still).toEqual({ marker: 1, y: 200 });
    // A second edit of the same paragraph, with everything warm: what an editor sees while writing.
    const second = await save(original.replace("9時より", "9時より（もう一度書き直しました。）"));
    console.log(
      `preview timings (save → shown in the browser; server: first event → pushed, pages redrawn, stages ms): ${[
        first,
        second,
      ]
        .map(
          (t) =>
            `${t.ms} ms (server ${(t.server.pushedAt ?? 0) - (t.server.changedAt ?? 0)} ms, CPU ${t.server.cpuMs} ms, ${t.server.pagesDrawn} redrawn, ${JSON.stringify(t.server.stages)})`,
        )
        .join("; ")}`,
    );
    await save(original);
    expect((await shown()).srcs).toEqual(good);
  });

  it("a broken issue.yaml shows the message with its line over the last good pages", async () => {
    expect(BROKEN_LINE).toBeGreaterThan(0);
    const lines = original.split("\n");
    lines[BROKEN_LINE - 1] = "  - artcle:";
    await save(lines.join("\n"));
    const s = await shown();
    expect(s.failure).toContain(`issue.yaml:${BROKEN_LINE}:5`);
    expect(s.failure).toContain("「artcle」はブロックの種類として使えません");
    expect(s.failure).toContain('"artcle" is not a kind of block');
    expect(s.failure).toContain(`${BROKEN_LINE} |   - artcle:`);
    expect(s.stale).toBe(true);
    expect(s.srcs).toEqual(good);
    // The column is marked on the source line itself (the terminal's caret line counts cells, not characters).
    const marked = await page.evaluate(() => document.querySelector("#failure pre mark")?.textContent);
    expect(marked).toBe("a");
    // The README's picture of an error over the pages: KAIHO_README_IMAGES=1 npx vitest run tests/preview-live.test.ts
    if (process.env.KAIHO_README_IMAGES) {
      await page.evaluate(() => window.scrollTo(0, 0));
      await readmeImage("preview-error.png");
    }
  });

  it("fixing it brings the pages back", async () => {
    await save(original);
    const s = await shown();
    expect(s.failure).toBe("");
    expect(s.stale).toBe(false);
    expect(s.srcs).toEqual(good);
  });

  it("marks a low-resolution photo, a character without a glyph and a block that does not fit where they are", async () => {
    // A photo replaced by a small one (an editor dropped in a thumbnail) and a character no font has; one more
    // corner far longer than a page. Two files saved: the saves are gathered into one rebuild or two.
    const photo = path.join(path.dirname(yamlFile), "gakushukai-1.jpg");
    const small = await sharp(readFileSync(photo)).resize(160).jpeg().toBuffer();
    writeFileSync(photo, small);
    const long = `${original.trimEnd()}\n  - corner:\n      title: とても長いコーナー\n      body: |\n        ${"長い本文です。".repeat(900)}\n`;
    await save(long.replace("9時より", "9時より\u{E000}"));
    await page.waitForFunction(
      () => ["low-dpi", "glyph", "overflow"].every((k) => document.querySelector(`.mark.${k}`)),
      { timeout: 60_000 },
    );
    const marks = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>(".mark")].map((m) => {
        const pageEl = m.parentElement as HTMLElement;
        const r = m.getBoundingClientRect();
        const p = pageEl.getBoundingClientRect();
        return {
          kind: [...m.classList].find((c) => c !== "mark" && c !== "warning" && c !== "error"),
          page: [...(pageEl.parentElement?.children ?? [])].indexOf(pageEl),
          label: m.textContent ?? "",
          title: m.title,
          inside:
            r.left >= p.left - 1 && r.right <= p.right + 1 && r.top >= p.top - 1 && r.bottom <= p.bottom + 1,
          width: r.width,
          height: r.height,
        };
      }),
    );
    const lowDpi = marks.filter((m) => m.kind === "low-dpi");
    expect(lowDpi).toHaveLength(1);
    expect(lowDpi[0]?.page).toBe(0);
    expect(lowDpi[0]?.label).toMatch(/^\d+ dpi$/);
    expect(lowDpi[0]?.title).toContain("gakushukai-1.jpg");
    const glyph = marks.filter((m) => m.kind === "glyph");
    expect(glyph).toHaveLength(1);
    expect(glyph[0]?.label).toContain("U+E000");
    expect(glyph[0]?.page).toBe(0);
    const overflow = marks.filter((m) => m.kind === "overflow");
    expect(overflow).toHaveLength(1);
    expect(overflow[0]?.title).toContain("とても長いコーナー");
    for (const m of marks) {
      expect(m.inside).toBe(true);
      expect(m.width).toBeGreaterThan(2);
      expect(m.height).toBeGreaterThan(2);
    }
    // The glyph's box is about one character: far smaller than the photo's.
    expect((glyph[0]?.width ?? 0) * 4).toBeLessThan(lowDpi[0]?.width ?? 0);
    if (process.env.KAIHO_README_IMAGES) {
      await page.evaluate(() => window.scrollTo(0, 0));
      await readmeImage("preview-marks.png", { x: 0, y: 0, width: 660, height: 640 });
    }
    // The problems are listed under the pages too, as the terminal prints them.
    const listed = await page.evaluate(() => document.getElementById("problemList")?.textContent ?? "");
    expect(listed).toContain("U+E000");
    expect(listed).toContain("gakushukai-1.jpg");
  });

  it("a file saved in fonts/ rebuilds with the fonts loaded again: every page drawn anew", async () => {
    const before = (await shown()).build;
    writeFileSync(path.join(root, "fonts", "README.txt"), "fonts for the newsletter\n");
    await nextBuild(before);
    const t = await serverTimings();
    const state = await (await fetch(`${url}state.json`)).json();
    expect(t.pagesDrawn, JSON.stringify(state).slice(0, 2000)).toBe((await shown()).srcs.length);
  });

  it("Ctrl-C stops it: exit 0, nothing written to output/, no file left in the project", async () => {
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(stderr).not.toContain("internal error");
    expect(readdirSync(path.join(root, "output"))).toEqual([]);
    expect(readdirSync(root).sort()).toEqual([".cache", "content", "fonts", "images", "output"]);
    const issueFiles = readdirSync(path.dirname(yamlFile)).sort();
    expect(issueFiles).toEqual(readdirSync(path.join(REPO, "content", "shishokuro-485")).sort());
    await expect(fetch(url)).rejects.toThrow();
  });
});

describe("saves gathered into rebuilds (src/preview/watch.ts)", () => {
  it("a burst of saves is one rebuild; saves during a rebuild are one more after it, never one each", async () => {
    vi.useFakeTimers();
    try {
      const runs: string[][] = [];
      let finish: () => void = () => {};
      const batch = new Batcher((change: Change) => {
        runs.push(change.files);
        return new Promise<void>((resolve) => {
          finish = resolve;
        });
      }, 100);
      batch.add("issue.yaml");
      vi.advanceTimersByTime(50);
      batch.add("photo.jpg");
      vi.advanceTimersByTime(99);
      expect(runs).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(runs).toEqual([["issue.yaml", "photo.jpg"]]);
      // Three saves while that rebuild runs: none starts beside it.
      for (const f of ["issue.yaml", "issue.yaml", "font.otf"]) {
        batch.add(f);
        vi.advanceTimersByTime(150);
      }
      expect(runs).toHaveLength(1);
      finish();
      await vi.waitFor(() => expect(runs).toHaveLength(2));
      expect(runs[1]).toEqual(["issue.yaml", "font.otf"]);
      finish();
      const closed = batch.close();
      await closed;
      vi.advanceTimersByTime(1000);
      expect(runs).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
