import { createRequire } from "node:module";
import path from "node:path";

/**
 * Phrase-aware breaking of short display text (headlines, captions, the masthead, slogans, cells): a line breaks
 * where a reader pauses, at a phrase boundary (文節) found by Google's BudouX Japanese model, never inside a word
 * (「なか|よし」). BudouX is loaded the first time a text needs two lines, so an issue whose display text all fits
 * on one line does not pay for loading its model.
 */

interface PhraseParser {
  parse(text: string): string[];
}

let parser: PhraseParser | undefined;

function budoux(): PhraseParser {
  if (!parser) {
    // Loaded synchronously on first use: the typesetter is synchronous and most issues never need it. The
    // package's entry also loads its Thai and Chinese models and its HTML processor (about 0.3 s of CPU); only
    // the parser and the Japanese model are needed (about 15 ms), so those two files are loaded directly.
    const require = createRequire(import.meta.url);
    const dist = path.dirname(require.resolve("budoux"));
    try {
      const { Parser } = require(path.join(dist, "parser.js")) as {
        Parser: new (model: unknown) => PhraseParser;
      };
      const { model } = require(path.join(dist, "data", "models", "ja.js")) as { model: unknown };
      parser = new Parser(model);
    } catch {
      const mod = require("budoux") as { loadDefaultJapaneseParser(): PhraseParser };
      parser = mod.loadDefaultJapaneseParser();
    }
  }
  return parser;
}

/** The phrases of `text`, in order; joined they give `text` back. */
export function phrasesOf(text: string): string[] {
  return text ? budoux().parse(text) : [];
}

/** Offsets (UTF-16 units) at which one phrase ends and the next begins, the ends excluded. */
export function phraseBoundaries(text: string): Set<number> {
  const out = new Set<number>();
  let at = 0;
  for (const phrase of phrasesOf(text)) {
    if (at > 0) out.add(at);
    at += phrase.length;
  }
  return out;
}

interface HasText {
  text: string;
}

const SPACE = /\s$/u;

/** Whether a unit ends with a space: a break after it is where the editor paused. */
export function endsWithSpace<C extends HasText>(unit: C[]): boolean {
  return SPACE.test(unit[unit.length - 1]?.text ?? "");
}

/**
 * Joins the typesetter's breakable units so that a line may break only between phrases (or after a space).
 * A joined phrase wider than `fits` allows is left in its units, so a word longer than the line still breaks.
 */
export function joinPhrases<C extends HasText>(
  units: C[][],
  text: string,
  fits: (unit: C[]) => boolean,
): C[][] {
  const boundaries = phraseBoundaries(text);
  const out: C[][] = [];
  let pending: C[][] = [];
  let at = 0;
  const flush = () => {
    const joined = pending.flat();
    if (pending.length > 1 && !fits(joined)) out.push(...pending);
    else if (joined.length) out.push(joined);
    pending = [];
  };
  units.forEach((unit) => {
    pending.push(unit);
    const unitText = unit.map((c) => c.text).join("");
    at += unitText.length;
    if (boundaries.has(at) || SPACE.test(unitText)) flush();
  });
  flush();
  return out;
}

/**
 * The two-line break closest to balanced: of every break between `units` that leaves both lines within the
 * measure, the one whose longer line is shortest (a tie goes to the longer first line, as headlines read best).
 * Where the editor put a space (`preferred`, e.g. 三年二組 学級通信) and a break there fits, only such breaks
 * are weighed: the space is the pause the editor meant.
 */
export function balanceTwo<U>(
  units: U[],
  widthOf: (line: U[]) => number,
  measureFirst: number,
  measureRest: number,
  preferred: (before: U) => boolean = () => false,
): [U[], U[]] | undefined {
  const fits = (k: number) =>
    widthOf(units.slice(0, k)) <= measureFirst && widthOf(units.slice(k)) <= measureRest;
  const candidates = Array.from({ length: Math.max(units.length - 1, 0) }, (_, i) => i + 1).filter(fits);
  const spaced = candidates.filter((k) => preferred(units[k - 1] as U));
  let best: [U[], U[]] | undefined;
  let bestWidth = Number.POSITIVE_INFINITY;
  for (const k of spaced.length ? spaced : candidates) {
    const first = units.slice(0, k);
    const rest = units.slice(k);
    const w1 = widthOf(first);
    const w2 = widthOf(rest);
    const longer = Math.max(w1, w2);
    if (longer < bestWidth - 1e-6 || (Math.abs(longer - bestWidth) <= 1e-6 && w1 >= w2)) {
      best = [first, rest];
      bestWidth = longer;
    }
  }
  return best;
}
