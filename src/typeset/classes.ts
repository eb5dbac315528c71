/**
 * Character classes of JLReq (Requirements for Japanese Text Layout, 3.1.7 and appendix A) that decide where a
 * line may break. pdfmake's UAX#14 breaker gets most of these right but not all (small kana are CJ there), so the
 * typesetter owns the rules.
 */

const set = (chars: string): Set<number> => new Set([...chars].map((c) => c.codePointAt(0) ?? 0));

/** Closing brackets (cl-02) and Western closing punctuation. */
export const CLOSING_BRACKETS = set("」』）］｝〉》】〕〙〗〟’”｠»)]}");
/** Opening brackets (cl-01). */
export const OPENING_BRACKETS = set("「『（［｛〈《【〔〘〖〝‘“｟«([{");
/** Full stops and commas (cl-06, cl-07) in both widths. */
export const STOPS_AND_COMMAS = set("、。，．､｡,.");
/** Middle dots (cl-05) and colons/semicolons. */
export const MIDDLE_DOTS = set("・：；･:;");
/** Dividing punctuation (cl-04). */
export const DIVIDING = set("？！‼⁇⁈⁉?!");
/** Iteration marks (cl-09) and the prolonged sound mark (cl-10). */
export const ITERATION_AND_PROLONGED = set("ゝゞヽヾ々〻ーｰ");
/** Small kana (cl-11). */
export const SMALL_KANA = set(
  "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿｧｨｩｪｫｬｭｮｯ",
);
/** Inseparable characters (cl-08): a run of them never breaks inside. */
export const INSEPARABLE = set("—―…‥〳〴〵");

/** Hyphens and wave dashes (cl-03): 10:00～15:00 never puts ～ at a line's head. */
export const HYPHENS = set("‐〜゠–～");

/** Characters that may not begin a line (行頭禁則). */
export function isLineStartForbidden(cp: number): boolean {
  return (
    CLOSING_BRACKETS.has(cp) ||
    HYPHENS.has(cp) ||
    STOPS_AND_COMMAS.has(cp) ||
    MIDDLE_DOTS.has(cp) ||
    DIVIDING.has(cp) ||
    ITERATION_AND_PROLONGED.has(cp) ||
    SMALL_KANA.has(cp)
  );
}

/** Characters that may not end a line (行末禁則). */
export function isLineEndForbidden(cp: number): boolean {
  return OPENING_BRACKETS.has(cp);
}

/** Latin letters, digits and the punctuation that binds them into one word (j-union, 2024.11, 1,000). */
export function isWordChar(cp: number): boolean {
  return (
    (cp >= 0x30 && cp <= 0x39) ||
    (cp >= 0x41 && cp <= 0x5a) ||
    (cp >= 0x61 && cp <= 0x7a) ||
    (cp >= 0xc0 && cp <= 0x24f) ||
    (cp >= 0xff10 && cp <= 0xff19) ||
    (cp >= 0xff21 && cp <= 0xff3a) ||
    (cp >= 0xff41 && cp <= 0xff5a) ||
    cp === 0x2d || // hyphen-minus inside j-union
    cp === 0x5f ||
    cp === 0x2f ||
    cp === 0x40 ||
    cp === 0x26 ||
    cp === 0x27 ||
    cp === 0x23
  );
}

/**
 * Half-width Latin letters, digits and ASCII punctuation: the characters of a Latin run (a word, number, URL or
 * e-mail address), set with the font's own spacing and never letter-spaced or broken inside by JLReq's rules.
 */
export function isLatin(cp: number): boolean {
  return cp >= 0x21 && cp <= 0x24f && cp !== 0xa0 && cp !== 0xad;
}

/**
 * Signs that belong to the number beside them (JLReq cl-19 prefixed and cl-20 postfixed abbreviations, and the
 * range marks of 10:00～15:00): no Japanese-Latin space is put between them and the digits, and no break.
 */
export const PREFIXED = set("￥＄￡€№＃");
export const POSTFIXED = set("％‰℃°′″℉");
export const RANGE_MARKS = set("～〜‐–—―");

export function isDigit(cp: number): boolean {
  return (cp >= 0x30 && cp <= 0x39) || (cp >= 0xff10 && cp <= 0xff19);
}

/** Units and counters that stay on the line of the number before them (100円, 2024年, 3回, 50%). */
export const UNITS = set("年月日時分秒円人回号歳％%度個件名台枚本冊週期部課階倍万億千百歳位点");

export function isSpace(cp: number): boolean {
  return cp === 0x20 || cp === 0x3000 || cp === 0x09 || cp === 0xa0;
}

/**
 * Code points that attach to the character before them and are never set on their own: variation selectors,
 * combining marks, zero-width joiners.
 */
export function isAttached(cp: number): boolean {
  return (
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0xe0100 && cp <= 0xe01ef) ||
    (cp >= 0x300 && cp <= 0x36f) ||
    cp === 0x3099 ||
    cp === 0x309a ||
    cp === 0x200d ||
    (cp >= 0x1f3fb && cp <= 0x1f3ff)
  );
}

/**
 * Whether a line may break between `before` and `after` (both code points of adjacent clusters). A Latin run is
 * one unit here; the places a long word, URL or e-mail address may still break are found in hyphenate.ts.
 */
export function mayBreakBetween(before: number, after: number): boolean {
  if (isSpace(before)) return true;
  if (isSpace(after)) return false;
  if (isLineStartForbidden(after) || isLineEndForbidden(before)) return false;
  if (INSEPARABLE.has(before) && INSEPARABLE.has(after)) return false;
  if (isLatin(before) && isLatin(after)) return false;
  if (isWordChar(before) && isWordChar(after)) return false;
  if (isDigit(before) && (UNITS.has(after) || POSTFIXED.has(after) || (after >= 0x3380 && after <= 0x33df))) {
    return false;
  }
  if (PREFIXED.has(before) && isDigit(after)) return false;
  return true;
}
