import { type Static, Type as T } from "@sinclair/typebox";
import { RGB_PATTERN, SIGNATURE_BRACKETS_PATTERN } from "./patterns.js";

/**
 * The one schema of an issue file. Types, validation and the JSON Schema in schema/issue.schema.json (used by
 * VS Code through the `# yaml-language-server: $schema=` line) all come from here.
 * Descriptions are in Japanese first because editors read them as hover help.
 */

const Text = (description: string) => T.String({ minLength: 1, description });

/** Read by `kaiho new` (src/scaffold/): a block marked so is carried into the next issue; the layout ignores it. */
const Recurring = T.Optional(
  T.Boolean({
    description:
      "毎号続くブロック: true なら kaiho new で次の号にそのまま引き継ぐ / recurring: kaiho new keeps this block in the next issue",
  }),
);

export const Photo = T.Object(
  {
    src: Text(
      "写真ファイル名（issue.yaml と同じフォルダ、または共通の images/ フォルダ） / photo file beside issue.yaml or in images/",
    ),
    caption: T.Optional(
      T.String({ description: "写真の下に入る説明文（改行可） / caption under the photo" }),
    ),
    size: T.Optional(
      T.Union([T.Literal("small"), T.Literal("medium"), T.Literal("large"), T.Literal("full")], {
        description:
          "写真の幅: small（約1/3・3段組の1段） / medium（約1/2） / large（約2/3） / full（全幅）。段組の記事では段の幅にそろえます / photo width: small ~1/3, medium ~1/2, large ~2/3, full; in columns, whole columns",
      }),
    ),
  },
  { additionalProperties: false, description: "写真 / a photo" },
);

const Columns = T.Integer({ minimum: 1, maximum: 3, description: "本文の段数 1〜3 / text columns (1-3)" });

const PhotoPlacement = T.Union([T.Literal("top"), T.Literal("bottom"), T.Literal("side")], {
  description:
    "写真の位置: top（本文の前・段の上） / bottom（本文の後・段の下、既定） / side（最後の段に縦に並べ、本文を横に流す） / where the photos go: top, bottom (default) or side (stacked in the last column beside the text)",
});

/** 縦組み / 横組み (issue 13): how the text of an article or corner runs. */
const Direction = T.Union([T.Literal("horizontal"), T.Literal("vertical")], {
  description:
    "組み方向: horizontal（横組み、既定） / vertical（縦組み: 行は上から下、行は右から左へ、段は上から下へ） / text direction: horizontal (default) or vertical (lines top to bottom, right to left)",
});

const TitleDirection = T.Union([T.Literal("horizontal"), T.Literal("vertical")], {
  description:
    "縦組みの見出し: vertical（右端に縦に） / horizontal（上に横に）。既定はテーマによる / a vertical block's headline: vertical at its right, or horizontal across its top (default: the theme's)",
});

const Signature = T.Union(
  [
    T.String({ description: "署名。【 】付きで右寄せ / signature, printed as 【name】 on the right" }),
    T.Object(
      {
        text: Text("署名 / signature"),
        brackets: T.Optional(
          T.String({
            pattern: SIGNATURE_BRACKETS_PATTERN,
            description:
              "署名を囲む2文字（例: （）、「」）か none（囲まない）。既定は【】 / the two brackets around the signature, or none",
          }),
        ),
      },
      { additionalProperties: false },
    ),
  ],
  {
    description:
      "署名（右寄せ）。文字だけなら【 】付き、{ text, brackets } で括弧を選べます / signature on the right, in 【 】 unless brackets say otherwise",
  },
);

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
    signature: T.Optional(Signature),
    recurring: Recurring,
    direction: T.Optional(Direction),
    titleDirection: T.Optional(TitleDirection),
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
    recurring: Recurring,
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
    signature: T.Optional(Signature),
    recurring: Recurring,
    direction: T.Optional(Direction),
    titleDirection: T.Optional(TitleDirection),
  },
  { additionalProperties: false, description: "囲みのコーナー / a boxed corner" },
);

const Cell = T.Union([T.String(), T.Number()], { description: "セルの文字 / a cell" });

export const Table = T.Object(
  {
    caption: T.Optional(T.String({ description: "表の見出し / caption over the table" })),
    header: T.Optional(
      T.Array(Cell, {
        minItems: 1,
        description: "見出し行のセル / the header row (repeated when the table continues)",
      }),
    ),
    rows: T.Array(T.Array(Cell, { minItems: 1 }), {
      minItems: 1,
      description: "行の一覧。1行は [セル, セル, …] / rows, each a list of cells",
    }),
    recurring: Recurring,
  },
  {
    additionalProperties: false,
    description: "表（列の幅は中身から決まります） / a table, column widths from its content",
  },
);

const InfoValue = T.Union([Text("内容 / value"), T.Array(Text("内容 / value"), { minItems: 1 })]);

export const InfoEntry = T.Record(T.String({ minLength: 1 }), InfoValue, {
  minProperties: 1,
  maxProperties: 1,
  description: "「項目: 内容」を1つ（例: 日時: 11月3日（金・祝）10時〜） / one key: value line",
});

export const Info = T.Union(
  [
    T.Array(InfoEntry, { minItems: 1 }),
    T.Object(
      {
        title: T.Optional(T.String({ description: "表題 / title" })),
        items: T.Array(InfoEntry, { minItems: 1, description: "「項目: 内容」の一覧 / key: value lines" }),
        recurring: Recurring,
      },
      { additionalProperties: false },
    ),
  ],
  {
    description:
      "日時・場所・協賛・お問い合わせなどの「項目: 内容」の一覧 / key-value lines (date, place, sponsors, contact)",
  },
);

export const Note = T.Union(
  [Text("注記（※ は自動で付きます） / remark"), T.Array(Text("注記 / remark"), { minItems: 1 })],
  { description: "※ の注記（小さい文字、※ をぶら下げ） / small ※ remarks, one per entry" },
);

const leafBlocks = [
  T.Object({ article: Article }, { additionalProperties: false }),
  T.Object({ slogan: Slogan }, { additionalProperties: false }),
  T.Object({ schedule: Schedule }, { additionalProperties: false }),
  T.Object({ corner: Corner }, { additionalProperties: false }),
  T.Object({ table: Table }, { additionalProperties: false }),
  T.Object({ info: Info }, { additionalProperties: false }),
  T.Object({ note: Note }, { additionalProperties: false }),
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
  { description: "article / slogan / schedule / corner / table / info / note / row のどれか1つ" },
);

export const ThemeName = T.Union([T.Literal("union"), T.Literal("school"), T.Literal("mono")], {
  description:
    "紙面の雰囲気: union（機関紙、既定） / school（学校・PTA だより） / mono（コピー機・印刷機用、黒1色） / built-in theme",
});

export const ThemeColour = T.Object(
  {
    rgb: T.String({ pattern: RGB_PATTERN, description: "画面用の色（例: #2a7 / #22aa77） / screen colour" }),
    cmyk: T.Array(T.Number({ minimum: 0, maximum: 100 }), {
      minItems: 4,
      maxItems: 4,
      description: "印刷用の色 [C, M, Y, K]（各 0〜100 %） / print colour in percent",
    }),
  },
  { additionalProperties: false, description: "色 / a colour: { rgb, cmyk }" },
);

const colourOverride = (ja: string, en: string) =>
  T.Optional(T.Object(ThemeColour.properties, { additionalProperties: false, description: `${ja} / ${en}` }));

export const ThemeChoiceSchema = T.Union(
  [
    ThemeName,
    T.Object(
      {
        base: T.Optional(ThemeName),
        primary: colourOverride("主色（題字・罫線・囲み）", "main colour: name, rules, boxes"),
        accent: colourOverride("差し色（見出し）", "accent: headlines"),
        text: colourOverride("本文の色", "body text"),
        muted: colourOverride("控えめな文字（写真説明など）", "captions and small print"),
        tint: colourOverride("薄い地色", "light fills"),
        hairline: colourOverride("細い罫線", "thin rules"),
        rowRule: colourOverride("一覧の区切り線", "rules between list rows"),
        footerRule: colourOverride("ページ下の線", "footer rule"),
      },
      { additionalProperties: false },
    ),
  ],
  {
    description:
      '紙面の雰囲気。union / school / mono か、{ base: school, accent: { rgb: "#2a7", cmyk: [80, 0, 60, 10] } } のように色を変えたもの / theme',
  },
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
    theme: T.Optional(ThemeChoiceSchema),
    orientation: T.Optional(T.Union([T.Literal("portrait"), T.Literal("landscape")])),
    pages: T.Optional(
      T.Integer({
        minimum: 1,
        maximum: 200,
        description:
          "ページ数: 間隔と写真の大きさを調整してちょうどこのページ数に収める / fit the issue to exactly this many pages",
      }),
    ),
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
          direction: T.Optional(
            T.Union([T.Literal("horizontal"), T.Literal("vertical")], {
              description:
                "記事とコーナーの組み方向（既定 horizontal）。各ブロックの direction が優先 / text direction of every article and corner (default horizontal); a block's own direction wins",
            }),
          ),
          hanging: T.Optional(
            T.Boolean({
              description:
                "ぶら下げ: 行末の「、」「。」を版面の外に出す（true）か内側に収める（false、既定） / hang line-end 、。 outside the measure",
            }),
          ),
          proofread: T.Optional(
            T.Boolean({
              description:
                "校正の警告（曜日の誤り・予定表と記事の日付の食い違い・括弧の対応・全角半角数字の混在・半角カタカナ）を出す（true、既定）か出さない（false） / proofreading warnings (wrong weekday, schedule vs article date, unpaired brackets, mixed digit widths, half-width katakana): on (default) or off",
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
          preview: T.Optional(
            T.Boolean({
              description:
                "メール本文の先頭に1ページ目の画像も入れる（true）。既定は入れない / also show the page-1 picture at the top of the email",
            }),
          ),
          unsubscribe: T.Optional(
            T.Union(
              [
                Text("配信停止の宛先 / unsubscribe address or URL"),
                T.Array(Text("配信停止の宛先 / unsubscribe address or URL"), { minItems: 1, maxItems: 2 }),
              ],
              {
                description:
                  "配信停止の受付: メールアドレス（mailto:）と https の URL のどちらか、または両方。List-Unsubscribe ヘッダーに入ります / where members unsubscribe: an address (mailto:) and/or an https URL, sent as List-Unsubscribe",
              },
            ),
          ),
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
export type TableDoc = Static<typeof Table>;
export type InfoDoc = Static<typeof Info>;
export type NoteDoc = Static<typeof Note>;
export type SignatureDoc = Static<typeof Signature>;
export type ThemeChoiceDoc = Static<typeof ThemeChoiceSchema>;
export type LeafBlockDoc = Static<typeof LeafBlock>;
export type BlockDoc = Static<typeof Block>;
export type PaperName = Static<typeof Paper>;
export type IssueDoc = Static<typeof IssueSchema>;
