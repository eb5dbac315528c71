import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import path from "node:path";
import { loadIssue } from "../content/index.js";
import type { Issue } from "../content/issue.js";
import { type Diagnostic, KaihoError, Warnings } from "../diagnostics.js";
import { type FontBook, loadFonts } from "../fonts/index.js";
import { checkPhotoFiles, type PreparedImages, prepareImages } from "../images/index.js";
import { type LaidOutIssue, layout } from "../layout/index.js";
import { preflight } from "../preflight/index.js";
import { addTypesetterWarnings } from "../preflight/typesetter-warnings.js";
import { render, renderFonts } from "../render/index.js";
import { createTypesetter } from "../typeset/index.js";
import { findMarks } from "./marks.js";
import { rasterPages } from "./raster.js";
import type { Mark, PageImage, Snapshot } from "./types.js";

/**
 * The in-process rebuild behind `kaiho preview`: the stage entry functions chained as `kaiho build` chains them
 * (src/cli/pipeline.ts), for the screen edition only, with what does not change between saves kept in memory:
 * the loaded modules, the font book (until a font file or `fonts:` changes), the prepared photos (until a photo
 * file or its placed size changes) and the PNG of every page whose laid-out content is unchanged. Only the pages
 * that changed are drawn (pdfmake) and rasterised (pdfjs) again.
 *
 * The typesetter is made anew for each rebuild: its lists of missing characters and loose lines are records of
 * one run (each entry is noted once), and a reused one would not report them again.
 */

export interface SessionOptions {
  /** The issue folder. */
  dir: string;
  /** Project root (fonts/, images/, .cache/). */
  root: string;
  /** Width of the page PNGs in pixels (default 1000: an A4 page at about 120 dpi). */
  pageWidth?: number;
}

/** Photos for the screen are drawn at this resolution: twice what a 1000 px page shows, a fifth of print's. */
const SCREEN_DPI = 150;
const SCREEN_QUALITY = 80;

interface Memo<T> {
  key: string;
  value: T;
  /** Warnings the stage gave when it ran (given again when the memo is used). */
  warnings: Diagnostic[];
}

export class PreviewSession {
  private readonly dir: string;
  private readonly root: string;
  private readonly cacheDir: string;
  private readonly pageWidth: number;
  private builds = 0;
  private fontGeneration = 0;
  private fonts?: Memo<FontBook>;
  private readonly photos = new Map<string, Memo<PreparedImages>>();
  /** PNGs of the pages last shown, by page key. */
  private pngs = new Map<string, PageImage>();
  private lastGood: { pages: PageImage[]; marks: Mark[] } = { pages: [], marks: [] };

  constructor(opts: SessionOptions) {
    this.dir = path.resolve(opts.dir);
    this.root = path.resolve(opts.root);
    this.cacheDir = path.join(this.root, ".cache", "kaiho");
    this.pageWidth = opts.pageWidth ?? 1000;
  }

  /** A font file changed: the next rebuild loads the fonts again. */
  fontsChanged(): void {
    this.fontGeneration++;
  }

  /** Builds the pages again. A content error does not throw: the snapshot keeps the last good pages. */
  async rebuild(changedAt?: number): Promise<Snapshot> {
    const build = ++this.builds;
    const startedAt = Date.now();
    const cpu = process.cpuUsage();
    const cpuMs = () => {
      const used = process.cpuUsage(cpu);
      return Math.round((used.user + used.system) / 1000);
    };
    const stages: Record<string, number> = {};
    let t = performance.now();
    const lap = (name: string) => {
      const now = performance.now();
      stages[name] = Math.round(now - t);
      t = now;
    };
    const warnings = new Warnings();
    try {
      const made = await this.make(warnings, lap);
      this.lastGood = { pages: made.pages, marks: made.marks };
      this.pngs = new Map(made.pages.map((p) => [p.key, p]));
      return {
        build,
        pages: made.pages,
        marks: made.marks,
        failure: [],
        problems: [...made.errors, ...made.warnings],
        timings: {
          changedAt,
          startedAt,
          finishedAt: Date.now(),
          cpuMs: cpuMs(),
          stages,
          pagesDrawn: made.drawn,
        },
      };
    } catch (err) {
      // A fault of kaiho's own is shown too (the preview goes on: the next save may not meet it).
      const failure = err instanceof KaihoError ? err.diagnostics : [internalError(this.dir, err)];
      return {
        build,
        ...this.lastGood,
        failure,
        problems: warnings.list,
        timings: { changedAt, startedAt, finishedAt: Date.now(), cpuMs: cpuMs(), stages, pagesDrawn: 0 },
        ...(err instanceof KaihoError ? {} : { internal: err }),
      };
    }
  }

  private async make(warnings: Warnings, lap: (stage: string) => void) {
    const issue = await loadIssue(this.dir, { root: this.root, warnings });
    lap("content");
    const [fonts] = await Promise.all([this.fontBook(issue, warnings), checkPhotoFiles(issue)]);
    lap("fonts");
    const ts = createTypesetter(fonts, { rubySize: issue.geometry.rubySize });
    const laid = layout(issue, ts);
    lap("layout");
    // Resolution is judged at print size, as the build judges it; the screen is drawn with smaller files.
    const print = await this.prepared(issue, laid, warnings, {});
    const screen = await this.prepared(issue, laid, new Warnings(), {
      dpi: SCREEN_DPI,
      quality: SCREEN_QUALITY,
    });
    lap("images");
    addTypesetterWarnings(issue, ts, warnings);
    const report = preflight({
      issue,
      images: print,
      pages: laid.pages.length,
      missing: ts.missing,
      clusters: ts.clusters,
      problems: laid.problems,
      choices: laid.choices,
    });
    const marks = findMarks({ issue, laid, report, missing: ts.missing, problems: laid.problems });

    const files = new Map([...screen.photos].map(([key, photo]) => [key, photo.file]));
    const keys = laid.pages.map((page) => this.pageKey(laid, page.items, files));
    const todo = keys.flatMap((key, i) => (this.pngs.has(key) ? [] : [i]));
    const drawn = new Map<number, PageImage>();
    if (todo.length) {
      const [y, m, d] = issue.doc.date.split("-").map(Number) as [number, number, number];
      const pdf = await render(
        { ...laid, pages: todo.map((i) => laid.pages[i] as LaidOutIssue["pages"][number]) },
        renderFonts(fonts),
        {
          date: new Date(Date.UTC(y, m - 1, d)),
          allowedRoots: [this.root, this.cacheDir],
          photoFiles: files,
        },
      );
      lap("render");
      const rasters = await rasterPages(pdf, this.pageWidth);
      todo.forEach((i, n) => {
        const r = rasters[n];
        if (r) drawn.set(i, { key: keys[i] as string, ...r });
      });
      lap("raster");
    }
    const pages = keys.map((key, i) => drawn.get(i) ?? (this.pngs.get(key) as PageImage));
    return {
      pages,
      marks,
      errors: report.errors,
      warnings: [...warnings.list, ...report.warnings],
      drawn: todo.length,
    };
  }

  /** The font book, loaded again only when `fonts:` or a font file changed. */
  private async fontBook(issue: Issue, warnings: Warnings): Promise<FontBook> {
    const key = JSON.stringify([issue.doc.fonts ?? null, this.fontGeneration]);
    if (this.fonts?.key !== key) {
      const own = new Warnings();
      const value = await loadFonts(issue, { cacheDir: this.cacheDir, warnings: own });
      // The book adds warnings to `own` later too, when a fallback font is first needed.
      this.fonts = { key, value, warnings: own.list };
    }
    warnings.list.push(...this.fonts.warnings);
    return this.fonts.value;
  }

  /** Photos prepared for the layout's sizes, again only when a photo file or its placed size changed. */
  private async prepared(
    issue: Issue,
    laid: LaidOutIssue,
    warnings: Warnings,
    opts: { dpi?: number; quality?: number },
  ): Promise<PreparedImages> {
    const files = await Promise.all(
      issue.photos.map(async (ref) => {
        const s = await stat(ref.file).catch(() => undefined);
        return [ref.path, ref.src, ref.file, s?.size, s?.mtimeMs, laid.photos.get(ref.path)];
      }),
    );
    const key = JSON.stringify([files, issue.theme.photos]);
    const name = JSON.stringify(opts);
    let memo = this.photos.get(name);
    if (memo?.key !== key) {
      const own = new Warnings();
      const value = await prepareImages(issue, laid.photos, {
        cacheDir: this.cacheDir,
        warnings: own,
        minDpi: 0,
        ...opts,
      });
      memo = { key, value, warnings: own.list };
      this.photos.set(name, memo);
    }
    warnings.list.push(...memo.warnings);
    return memo.value;
  }

  /** What a page shows, as a hash: its items, the colours, the photo files drawn on it and the fonts. */
  private pageKey(
    laid: LaidOutIssue,
    items: LaidOutIssue["pages"][number]["items"],
    files: Map<string, string>,
  ) {
    const photos = items.flatMap((item) => (item.kind === "image" ? [files.get(item.path)] : []));
    return createHash("sha256")
      .update(
        JSON.stringify(
          [laid.width, laid.height, laid.palette, items, photos, this.fontGeneration, this.pageWidth],
          withoutDefaultFeatures,
        ),
      )
      .digest("hex")
      .slice(0, 24);
  }
}

function internalError(dir: string, err: unknown): Diagnostic {
  return {
    severity: "error",
    file: path.join(dir, "issue.yaml"),
    ja: "内部エラーが起きました（kaiho の不具合です）。",
    en: `Internal error: ${(err as Error)?.message ?? String(err)}`,
    hintJa: "ターミナルに表示された内容を添えて、開発者に知らせてください。",
    hintEn: "Please report it with what the terminal shows.",
  };
}

/**
 * The features fontkit's shaper plans for every run (its COMMON, HORIZONTAL, DIRECTIONAL, VARIATION and
 * FRACTIONAL lists). Drawing a run writes them into the run's `features` object, which the typesetter shares
 * between runs (src/typeset/justify.ts SOLID), so the same page reads differently before and after its first
 * render; a feature switched on that is on anyway changes nothing drawn, and is left out of a page's key.
 */
const FONTKIT_PLANNED = new Set(
  "rvrn ltra ltrm rtla rtlm frac numr dnom ccmp locl rlig mark mkmk calt clig liga rclt curs kern".split(" "),
);

function withoutDefaultFeatures(key: string, value: unknown): unknown {
  if (key !== "features" || !value || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([name, on]) => !(on === true && FONTKIT_PLANNED.has(name)))
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}
