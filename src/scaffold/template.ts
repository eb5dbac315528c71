import { daysAfter } from "./dates.js";

/**
 * The blocks a new issue starts with: one of every kind, each with a comment saying how to write it, in place of
 * the last issue's articles. It is a real issue on its own (it validates and builds, with no photo file needed:
 * the photo lines are comments until the editor puts photos in the folder), so the editor can build it at once
 * and replace the text piece by piece. `date` is the new issue's date; the schedule's dates follow it.
 */
export function templateBlocks(date: string): string {
  const day = (n: number) => daysAfter(date, n);
  return `blocks: # 紙面に上から順に並ぶブロック。使わないブロックは「- 」の行から次のブロックの前まで消してください
  # ── 記事（article）─────────────────────────────
  - article:
      title: ここに見出しを書きます # 見出し（必須）
      lead: ここにリード文（見出しの下の太字の導入文）を書きます。なければこの行を消します。
      columns: 2 # 本文の段数（1〜3）
      body: | # 本文（必須）。「|」の次の行から、ここと同じだけ字下げして書きます
        ここに本文を書きます。空行で段落が分かれます。段落の中の改行はつながります。

        ### 小見出し
        「### 」で始まる行は小見出しです。**太字** で強調できます。URL（https://example.jp/）も書けます。
      # 写真: このフォルダに写真を置き、次の行の「# 」を消してファイル名を書きます（1行に3枚ずつ並びます）
      # photos:
      #   - src: photo-1.jpg
      #     caption: 写真の説明
      #   - src: photo-2.jpg
      #     caption: |-
      #       説明文の改行は
      #       「|-」の下に書きます
      # photosAt: bottom # 写真の位置: top（本文の前） / bottom（本文の後） / side（横）
      signature: 署名 # 【署名】と右寄せで入ります。なければこの行を消します

  # ── 表（table）────────────────────────────────
  - table:
      caption: 表の見出し
      header: [項目, 内容, 備考] # 見出し行（ページをまたぐと繰り返されます）
      rows: # 1行は [セル, セル, …]。セルにカンマ「,」があるときは "1,000円" のように引用符で囲みます
        - [1班, 集合場所, "9:00"]
        - [2班, 集合場所, "9:30"]

  # ── 日時・場所など（info）と注記（note）─────────
  - info:
      - 日時: ${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日 10時〜12時
      - 場所: 会場名
      - お問い合わせ: [担当者名, 電話番号] # 2行になります
  - note:
      - 注記は小さい文字で入ります（※ は自動で付きます）。

  # ── 横に並べる（row）: 予定（schedule）とコーナー（corner）───
  - row: # 2〜3個のブロックを横に並べます
      - schedule:
          title: ～今後の予定～
          items: # 日付は 年-月-日。曜日は自動で入ります
            - { date: ${day(7)}, text: 予定1 }
            - { date: ${day(14)}, text: [同じ日の予定2, 同じ日の予定3] }
      - corner:
          title: ◎コーナーの題◎
          subtitle: 小見出し
          body: |
            囲みのコーナーの本文です。毎号続くコーナーに「recurring: true」と書くと、次の号にそのまま引き継がれます。

  # ── スローガン（slogan）─────────────────────────
  - slogan: [スローガン1行目, スローガン2行目]
`;
}
