import { type Static, Type as T } from "@sinclair/typebox";

/**
 * The one schema of an issue file. Types, validation and the JSON Schema in schema/issue.schema.json (used by
 * VS Code through the `# yaml-language-server: $schema=` line) all come from here.
 * Descriptions are in Japanese first because editors read them as hover help.
 */

const Text = (description: string) => T.String({ minLength: 1, description });

export const Photo = T.Object(
  {
    src: Text(
      "写真ファイル名（issue.yaml と同じフォルダ、または共通の images/ フォルダ） / photo file beside issue.yaml or in images/",
    ),
    caption: T.Optional(
      T.String({ description: "写真の下に入る説明文（改行可） / caption under the photo" }),
    ),
  },
  { additionalProperties: false, description: "写真 / a photo" },
);

const Columns = T.Integer({ minimum: 1, maximum: 3, description: "本文の段数 1〜3 / text columns (1-3)" });

const PhotoPlacement = T.Union([T.Literal("top"), T.Literal("bottom")], {
  description: "写真の位置: top（本文の前） / bottom（本文の後） / where the photos go",
});

export const Article = T.Object(
  {
    title: Text("見出し / headline"),
    lead: T.Optional(T.String({ description: "リード文（見出しの下の太字の導入文） / lead paragraph" })),
    columns: T.Optional(Columns),
    body: Text(
      "本文。空行で段落を分けます。「### 小見出し」で小見出し、「> 引用」で引用、**太字** で強調 / body text: blank line between paragraphs, ### subheading, > quote, **bold**",
    ),
    photos: T.Optional(T.Array(Photo, { description: "写真（横に並べて配置） / photos, set in rows" })),
    photosAt: T.Optional(PhotoPlacement),
    photosPerRow: T.Optional(
      T.Integer({ minimum: 1, maximum: 4, description: "1行に並べる写真の数 / photos per row" }),
    ),
    signature: T.Optional(
      T.String({ description: "署名。【 】付きで右寄せ / signature, printed as 【name】 on the right" }),
    ),
  },
  { additionalProperties: false, description: "記事 / an article" },
);

export const Slogan = T.Union(
  [Text("スローガン / slogan"), T.Array(Text("スローガン / slogan"), { minItems: 1 })],
  {
    description: "囲みのスローガン（1行ずつ） / slogans in a callout box, one per line",
  },
);

export const ScheduleItem = T.Object(
  {
    date: T.String({
      pattern: "^\\d{4}-\\d{2}-\\d{2}$",
      description: "日付 YYYY-MM-DD（曜日は自動） / date, weekday added automatically",
    }),
    text: T.Union([
      Text("予定・報告の内容 / entry"),
      T.Array(Text("予定・報告の内容 / entry"), { minItems: 1 }),
    ]),
  },
  { additionalProperties: false },
);

export const Schedule = T.Object(
  {
    title: Text("表題（例: ～活動報告～） / title"),
    items: T.Array(ScheduleItem, { minItems: 1, description: "日付と内容の一覧 / dated entries" }),
  },
  { additionalProperties: false, description: "日付つき一覧（活動報告・今後の予定） / a dated list" },
);

export const Corner = T.Object(
  {
    title: Text("飾り付きの表題（例: ✧機関紙部のお部屋✧） / decorated title"),
    subtitle: T.Optional(T.String({ description: "小見出し / subtitle" })),
    columns: T.Optional(Columns),
    body: Text("本文（記事と同じ書き方） / body, written as in an article"),
    photos: T.Optional(T.Array(Photo)),
    photosPerRow: T.Optional(T.Integer({ minimum: 1, maximum: 4 })),
    signature: T.Optional(T.String({ description: "署名 / signature" })),
  },
  { additionalProperties: false, description: "囲みのコーナー / a boxed corner" },
);

const leafBlocks = [
  T.Object({ article: Article }, { additionalProperties: false }),
  T.Object({ slogan: Slogan }, { additionalProperties: false }),
  T.Object({ schedule: Schedule }, { additionalProperties: false }),
  T.Object({ corner: Corner }, { additionalProperties: false }),
] as const;

export const LeafBlock = T.Union([...leafBlocks]);

export const Block = T.Union(
  [
    ...leafBlocks,
    T.Object(
      {
        row: T.Array(LeafBlock, {
          minItems: 2,
          maxItems: 3,
          description: "横に並べるブロック（2〜3個） / blocks set side by side",
        }),
      },
      { additionalProperties: false },
    ),
  ],
  { description: "article / slogan / schedule / corner / row のどれか1つ" },
);

export const Paper = T.Union([T.Literal("A4"), T.Literal("B5"), T.Literal("A3"), T.Literal("B4")], {
  description: "用紙: A4 / B5（JIS） / A3 / B4（JIS）",
});

export const IssueSchema = T.Object(
  {
    newsletter: Text("題字（紙名） / newsletter name"),
    publisher: T.Optional(T.String({ description: "発行者 / publisher" })),
    number: T.Optional(T.String({ description: "号数（例: 第485号） / issue number" })),
    date: T.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "発行日 YYYY-MM-DD / issue date" }),
    subtitle: T.Optional(T.String({ description: "題字の下の一言 / line under the masthead" })),
    logo: T.Optional(T.String({ description: "題字の横のロゴ画像 / logo image beside the masthead" })),
    paper: T.Optional(Paper),
    orientation: T.Optional(T.Union([T.Literal("portrait"), T.Literal("landscape")])),
    fonts: T.Optional(
      T.Object(
        {
          body: T.Optional(
            T.String({ description: "fonts/ の本文用フォントファイル / body font file in fonts/" }),
          ),
          bold: T.Optional(
            T.String({ description: "fonts/ の太字用フォントファイル / bold font file in fonts/" }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    style: T.Optional(
      T.Object(
        {
          bodySize: T.Optional(
            T.Number({ minimum: 6, maximum: 16, description: "本文の文字サイズ (pt) / body size" }),
          ),
          leading: T.Optional(
            T.Number({ minimum: 1.2, maximum: 2.5, description: "行送り（文字サイズの倍数） / line height" }),
          ),
          indentAfterHeading: T.Optional(
            T.Boolean({
              description:
                "小見出しの直後の段落も1字下げる（true、既定）か、下げない（false） / indent the paragraph after a subheading",
            }),
          ),
          rubySize: T.Optional(
            T.Number({
              minimum: 0.3,
              maximum: 0.7,
              description:
                "ルビ（ふりがな）の大きさ（親文字の何倍か、既定 0.5） / ruby size as a fraction of the base size (default 0.5)",
            }),
          ),
          hanging: T.Optional(
            T.Boolean({
              description:
                "ぶら下げ: 行末の「、」「。」を版面の外に出す（true）か内側に収める（false、既定） / hang line-end 、。 outside the measure",
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    print: T.Optional(
      T.Object(
        {
          profile: Text(
            "印刷所の CMYK プロファイル（.icc、issue.yaml と同じフォルダか images/） / the print shop's CMYK output profile",
          ),
          intent: T.Optional(
            T.String({
              description:
                "印刷条件の登録名（例: JC200103 = Japan Color 2001 Coated） / registered output condition",
            }),
          ),
          condition: T.Optional(
            T.String({ description: "印刷条件の説明 / the printing condition in words" }),
          ),
        },
        { additionalProperties: false, description: "印刷用 PDF の設定 / print edition" },
      ),
    ),
    binding: T.Optional(
      T.Union([T.Literal("saddle"), T.Literal("none")], {
        description:
          "製本: saddle（中綴じ。ページ数は4の倍数に） / none / binding: saddle stitch needs a multiple of 4 pages",
      }),
    ),
    imposition: T.Optional(
      T.Literal("booklet", {
        description:
          "booklet: A3 に2ページずつ面付けした中綴じ用 PDF も作る / also write the booklet imposition",
      }),
    ),
    email: T.Optional(
      T.Object(
        {
          subject: T.Optional(T.String({ minLength: 1, description: "メールの件名 / email subject" })),
          text: T.Optional(T.String({ minLength: 1, description: "メール本文 / email body text" })),
          maxBytes: T.Optional(
            T.Integer({
              minimum: 100_000,
              description:
                "メール版 PDF の上限サイズ（バイト、既定 2000000） / size budget of the email edition",
            }),
          ),
        },
        { additionalProperties: false, description: "メール版の設定 / email edition" },
      ),
    ),
    blocks: T.Array(Block, {
      minItems: 1,
      description: "紙面に上から順に並ぶブロック / blocks, top to bottom",
    }),
  },
  { additionalProperties: false, $id: "https://kaiho.example/issue.schema.json", title: "kaiho issue" },
);

export type PhotoDoc = Static<typeof Photo>;
export type ArticleDoc = Static<typeof Article>;
export type ScheduleDoc = Static<typeof Schedule>;
export type CornerDoc = Static<typeof Corner>;
export type LeafBlockDoc = Static<typeof LeafBlock>;
export type BlockDoc = Static<typeof Block>;
export type PaperName = Static<typeof Paper>;
export type IssueDoc = Static<typeof IssueSchema>;
