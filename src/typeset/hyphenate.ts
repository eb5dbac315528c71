import enUs from "hyphen/en-us/index.js";

/**
 * Where a Latin run (a word, number, URL or e-mail address: no spaces inside) may still break when it does not
 * fit: a URL or address only after / . - _ ? & = # or before @, with nothing added; a word at the syllable breaks
 * of the en-us patterns (TeX's, via the `hyphen` package), with a hyphen drawn; after a hyphen it already has.
 * Numbers (1,234 · 3.5 · 027-231-0000 · 10:00) have no break at all.
 */
export interface InnerBreak {
  /** Break before the run's `offset`-th character (a UTF-16 offset into the run's text). */
  offset: number;
  /** A hyphen is drawn at the end of the line. */
  hyphen: boolean;
  /** TeX's demerit scale: how much the paragraph would rather not break here. */
  penalty: number;
}

/** TeX's \hyphenpenalty and \exhyphenpenalty. */
export const HYPHEN_PENALTY = 50;
/** A URL is broken only where it must be: as costly as a slightly loose line (linebreak.ts). */
export const URL_PENALTY = 10_000;

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const EMAIL = /^[\w.%+-]+@[\w-]+(\.[\w-]+)+$/;
const DOMAIN = /^(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}(\/\S*)?$/i;
const URL_BREAK_AFTER = "/.-_?&=#";

export function isUrlLike(run: string): boolean {
  return SCHEME.test(run) || EMAIL.test(run) || (DOMAIN.test(run) && /[a-z]/i.test(run));
}

const cache = new Map<string, InnerBreak[]>();

export function innerBreaks(run: string): InnerBreak[] {
  let breaks = cache.get(run);
  if (!breaks) {
    breaks = isUrlLike(run) ? urlBreaks(run) : wordBreaks(run);
    if (cache.size > 10_000) cache.clear();
    cache.set(run, breaks);
  }
  return breaks;
}

function urlBreaks(run: string): InnerBreak[] {
  const out: InnerBreak[] = [];
  // Never inside the scheme, nor right after it (https:// alone on a line reads as a broken link).
  const scheme = SCHEME.exec(run)?.[0].length;
  const start = scheme === undefined ? 1 : scheme + 1;
  // Trailing sentence punctuation stays with the address.
  let end = run.length;
  while (end > start && ".,;:".includes(run[end - 1] ?? "")) end--;
  for (let i = Math.max(start, 1); i < end; i++) {
    const before = run[i - 1] ?? "";
    const here = run[i] ?? "";
    const after = URL_BREAK_AFTER.includes(before) && !URL_BREAK_AFTER.includes(here);
    if (after || here === "@") out.push({ offset: i, hyphen: false, penalty: URL_PENALTY });
  }
  return out;
}

/** TeX's \lefthyphenmin and \righthyphenmin for English. */
const LEFT_MIN = 2;
const RIGHT_MIN = 3;
const SOFT = "\u00ad";

function wordBreaks(run: string): InnerBreak[] {
  const out: InnerBreak[] = [];
  for (const m of run.matchAll(/\p{L}+/gu)) {
    const word = m[0];
    const at = m.index ?? 0;
    // After a hyphen the word already has (state-of-the-art), when both sides are words, not a number or "j-".
    const next = at + word.length;
    if (run[next] === "-" && word.length >= LEFT_MIN && /^\p{L}{3}/u.test(run.slice(next + 1))) {
      out.push({ offset: next + 1, hyphen: false, penalty: HYPHEN_PENALTY });
    }
    if (word.length < LEFT_MIN + RIGHT_MIN + 1 || !/^[a-z]+$/i.test(word)) continue;
    const parts = enUs.hyphenateSync(word.toLowerCase(), { hyphenChar: SOFT, minWordLength: 5 }).split(SOFT);
    let offset = 0;
    for (const part of parts.slice(0, -1)) {
      offset += part.length;
      if (offset >= LEFT_MIN && word.length - offset >= RIGHT_MIN) {
        out.push({ offset: at + offset, hyphen: true, penalty: HYPHEN_PENALTY });
      }
    }
  }
  return out.sort((a, b) => a.offset - b.offset);
}
