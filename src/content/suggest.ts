import { distance } from "fastest-levenshtein";

/** Japanese words an editor may type instead of a key. */
const JAPANESE_KEYS: Record<string, string[]> = {
  title: ["タイトル", "見出し", "表題", "題名"],
  body: ["本文", "内容", "文章"],
  photos: ["写真", "画像", "フォト"],
  signature: ["署名", "名前", "ペンネーム"],
  date: ["日付", "発行日", "日にち"],
  text: ["内容", "予定"],
  subtitle: ["サブタイトル", "副題", "小見出し"],
  newsletter: ["題字", "紙名", "機関紙名"],
  publisher: ["発行者", "発行"],
  number: ["号数", "号"],
  paper: ["用紙", "紙"],
  columns: ["段数", "段"],
  article: ["記事"],
  slogan: ["スローガン"],
  schedule: ["予定表", "日程", "活動報告", "今後の予定"],
  corner: ["コーナー", "囲み"],
  row: ["横並び", "並べる"],
  logo: ["ロゴ"],
  items: ["項目", "一覧"],
  table: ["表", "テーブル"],
  info: ["案内", "要項", "概要"],
  note: ["注記", "注", "備考", "※"],
  theme: ["テーマ", "デザイン", "色"],
  brackets: ["括弧", "かっこ", "カッコ"],
  header: ["見出し行", "ヘッダー", "項目名"],
  rows: ["行", "データ"],
  caption: ["説明", "キャプション", "写真説明", "表題"],
  school: ["学校", "PTA", "学校だより"],
  mono: ["白黒", "モノクロ", "黒"],
  union: ["組合", "機関紙"],
};

/**
 * The allowed word closest to what the editor wrote, if it is close enough to be a plausible typo
 * (`artcle` → `article`, `Caption` → `caption`, `captoin` → `caption`), or a Japanese word for it.
 */
export function didYouMean(written: string, allowed: readonly string[]): string | undefined {
  const w = written.trim();
  for (const a of allowed) if (JAPANESE_KEYS[a]?.includes(w)) return a;
  const lower = w.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const a of allowed) {
    const d = distance(lower, a.toLowerCase());
    if (d < bestDistance) {
      best = a;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.floor(Math.max(lower.length, best.length) * 0.4));
  return bestDistance <= limit && bestDistance < Math.max(lower.length, best.length) ? best : undefined;
}
