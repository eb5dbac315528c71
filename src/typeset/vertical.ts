import type { Cluster } from "./clusters.js";
import type { DrawnCluster } from "./justify.js";
import type { SetRun } from "./types.js";

/**
 * 縦組み (issue 13): what changes when a line runs top to bottom. The line engine (linebreak.ts, justify.ts)
 * works on advances along the line and is the same in both directions; only these things differ:
 * - a full-width glyph is drawn upright with the font's vertical alternates (GSUB `vert`: 、。 in the upper
 *   right, brackets, ー, ～, … and small kana turned or moved), one glyph per em cell down the line;
 * - a Latin word or a number of three or more characters is turned 90° clockwise (its advance along the line
 *   is its horizontal width, so it is measured as in horizontal text);
 * - a number of one or two digits, one or two capitals (PC, A4) or !? is set upright across the line in one
 *   em cell (縦中横, tate-chū-yoko), and so is anything written between `^^` marks (`^^2026^^`);
 * - half-width brackets and stops (the engine's `halt` measure; Noto Sans JP's `vhal` halves the same glyphs
 *   by the same half em) keep the half of the cell their ink is in: the upper half for 」、。, the lower half
 *   for 「, so the em box of an opening bracket starts half an em above its cell.
 */

/** 縦中横 written out: `^^2026^^` (up to four characters between the marks). */
const MARK = "^";
const MAX_MARKED = 4;
/** Set upright across the line without markup: 1–2 digits, 1–2 capitals or a capital and a digit, !! !? ?!. */
const AUTO_TCY = /^(?:[0-9]{1,2}|[A-Z]{1,2}|[A-Z][0-9]|[!?]{1,2})$/;
/** A 縦中横 glyph group is at most this share of the em across the line (the rest is air on both sides). */
const TCY_FILL = 0.92;
/** The ideographic em box runs from 0.88 em above the baseline to 0.12 em below it (layout/text.ts). */
const EM_TOP = 0.88;
const EM_BOTTOM = 0.12;

/**
 * `^^…^^` marks become one 縦中横 cluster in vertical text; in horizontal text the marks are simply dropped, so
 * the same text reads right either way. Text without the marks is returned as it is.
 */
export function tateChuYoko(clusters: Cluster[], vertical: boolean): Cluster[] {
  const marked = markedGroups(clusters);
  if (!vertical && !marked.length) return clusters;
  const out: Cluster[] = [];
  let i = 0;
  let m = 0;
  while (i < clusters.length) {
    const group = marked[m];
    if (group && group.start === i) {
      const inner = clusters.slice(i + 2, group.end - 2);
      if (vertical) out.push(upright(inner));
      else out.push(...inner);
      i = group.end;
      m++;
      continue;
    }
    out.push(clusters[i] as Cluster);
    i++;
  }
  return vertical ? autoUpright(out) : out;
}

/** `^^x^^` groups as [start, end) over the clusters, marks included. */
function markedGroups(clusters: Cluster[]): Array<{ start: number; end: number }> {
  const groups: Array<{ start: number; end: number }> = [];
  const isMark = (k: number) => clusters[k]?.text === MARK && !clusters[k]?.ruby;
  const pair = (k: number) => isMark(k) && isMark(k + 1);
  let i = 0;
  while (i < clusters.length) {
    if (pair(i)) {
      let j = i + 2;
      while (j < clusters.length && j - (i + 2) <= MAX_MARKED && !pair(j)) j++;
      const length = j - (i + 2);
      if (pair(j) && length >= 1 && length <= MAX_MARKED) {
        groups.push({ start: i, end: j + 2 });
        i = j + 2;
        continue;
      }
    }
    i++;
  }
  return groups;
}

/** Short Latin runs (a whole run between non-Latin characters) that read upright as 縦中横. */
function autoUpright(clusters: Cluster[]): Cluster[] {
  const out: Cluster[] = [];
  let i = 0;
  while (i < clusters.length) {
    const c = clusters[i] as Cluster;
    if (c.kind !== "latin" || c.ruby || c.tcy) {
      out.push(c);
      i++;
      continue;
    }
    let j = i;
    while (j < clusters.length && clusters[j]?.kind === "latin" && !clusters[j]?.ruby) j++;
    const run = clusters.slice(i, j);
    if (AUTO_TCY.test(run.map((r) => r.text).join(""))) out.push(upright(run));
    else out.push(...run);
    i = j;
  }
  return out;
}

/** Clusters set upright across the line in one em cell: a full-width character as the line engine sees it. */
function upright(group: Cluster[]): Cluster {
  const head = group[0] as Cluster;
  const text = group.map((c) => c.text).join("");
  return {
    ...head,
    text,
    kind: "ja",
    half: false,
    alnum: false,
    em: 1,
    solo: true,
    tcy: true,
  };
}

/**
 * Characters that lie along the line in vertical text (Unicode UAX #50 `Tr`/`R`: long vowel mark, waves,
 * dashes, ellipses, brackets, arrows across): drawn by their `vert` form, or turned when the face has none.
 */
const TURNS = new Set([..."ー～〜…‥―—–－＝→←（）［］｛｝〈〉《》「」『』【】〔〕〖〗｟｠＜＞｜：；＿"]);
const vertForms = new WeakMap<object, Map<string, boolean>>();

function turnsWithoutVert(c: DrawnCluster, text: string): boolean {
  if (!TURNS.has(text)) return false;
  let known = vertForms.get(c.face);
  if (!known) {
    known = new Map();
    vertForms.set(c.face, known);
  }
  let has = known.get(text);
  if (has === undefined) {
    has = c.face.shape(text, ["vert"]).glyphs[0] !== c.face.shape(text).glyphs[0];
    known.set(text, has);
  }
  // ：； stay upright without a vertical form (their dots read either way); the rest turn.
  return !has && text !== "：" && text !== "；";
}

/** OpenType features of an upright glyph: the vertical alternates, solid on the em grid. */
const UPRIGHT_FEATURES = { kern: false, vert: true };

/**
 * How a run of a vertical line is drawn (render/vertical.ts), from where the engine placed it along the line:
 * `along` is the distance from the line's start to the point the glyphs are drawn from, `across` the distance
 * from the left edge of the line's em box; for a turned run that point is the start of its baseline.
 */
export function verticalRun(run: SetRun, head: DrawnCluster, text: string): SetRun {
  const size = run.size;
  if (head.tcy) {
    const natural = head.face.advance(text);
    const drawn = Math.min(size, (size * TCY_FILL) / Math.max(natural, 1e-6));
    const width = natural * drawn;
    // Centred in its cell both ways: digits and capitals stand on the baseline and reach about 0.73 em up.
    return {
      ...run,
      size: drawn,
      ascent: head.face.ascent * drawn,
      charSpacing: 0,
      features: undefined,
      vertical: { orient: "tcy", along: size / 2 + drawn * 0.365, across: (size - width) / 2 },
    };
  }
  if (head.kind === "latin") {
    return { ...run, vertical: { orient: "sideways", along: 0, across: EM_BOTTOM * size } };
  }
  if (turnsWithoutVert(head, text)) {
    // A dash, wave or bracket from a face with no vertical form (a fallback slice): turned like Latin, so it
    // still runs along the line.
    return {
      ...run,
      features: undefined,
      vertical: { orient: "sideways", along: 0, across: EM_BOTTOM * size },
    };
  }
  const shift = head.half && head.kind === "open" ? size / 2 : 0;
  return {
    ...run,
    features: UPRIGHT_FEATURES,
    vertical: { orient: "upright", along: EM_TOP * size - shift, across: 0 },
  };
}
