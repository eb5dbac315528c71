import type { Finding, ProseText } from "./types.js";

/** Half-width katakana (ｶﾌｪ, with its half-width marks and punctuation ｡｢｣､･ﾞﾟ), from old systems and some IMEs. */
const HALF_WIDTH_KANA = /[\uFF61-\uFF9F]+/g;

/** Each run of half-width katakana, with its full-width form (NFKC also joins ｶﾞ into ガ). */
export function checkKatakana(texts: ProseText[]): Finding[] {
  const findings: Finding[] = [];
  for (const t of texts) {
    for (const m of t.text.matchAll(HALF_WIDTH_KANA)) {
      const run = m[0];
      const full = run.normalize("NFKC");
      findings.push({
        path: t.path,
        offset: m.index ?? 0,
        snippet: run,
        ja: `半角カタカナ「${run}」があります。`,
        en: `Half-width katakana "${run}".`,
        hintJa: `全角の「${full}」にしてください。`,
        hintEn: `Write it full-width: "${full}".`,
      });
    }
  }
  return findings;
}
