/**
 * The look of a newsletter as data: colours, type sizes, spaces, rules and box styles. The content stage picks
 * one from `theme:` in issue.yaml (a built-in, with the editor's overrides); the images stage reads how photos
 * are treated, the layout stage sizes and draws everything from it, and the render stage paints the palette the
 * laid-out issue carries. Nothing else holds a colour or a size of the look.
 */

/** Percent of each ink, as print shops write them. */
export type Cmyk = readonly [number, number, number, number];

/** One colour in both forms: CMYK for the print edition, RGB (`#rrggbb`) for screens. */
export interface Colour {
  cmyk: Cmyk;
  rgb: string;
}

export const COLOUR_NAMES = [
  "text",
  "primary",
  "accent",
  "muted",
  "tint",
  "hairline",
  "rowRule",
  "footerRule",
] as const;

export type ColorName = (typeof COLOUR_NAMES)[number];

export type Palette = Record<ColorName, Colour>;

export const THEME_NAMES = ["union", "school", "mono"] as const;
export type ThemeName = (typeof THEME_NAMES)[number];

/** A line: colour, weight in pt, and a dash length (pt) when dashed. */
export interface RuleStyle {
  color: ColorName;
  width: number;
  dash?: number;
}

/** A framed box: fill and frame (either may be absent), corner radius as a multiple of the body size. */
export interface BoxStyle {
  fill?: ColorName;
  stroke?: ColorName;
  lineWidth: number;
  radius: number;
}

/** A text style: size as a multiple of the body size, line height as a multiple of the size. */
export interface TextLook {
  size: number;
  leading: number;
  color: ColorName;
}

export interface Theme {
  name: ThemeName;
  palette: Palette;
  /** `grayscale`: photos are made grey, their contrast set for office copiers (the images stage). */
  photos: "colour" | "grayscale";
  /** The page: margins and the body size on each paper (pt), which every other size multiplies. */
  page: {
    /** Margin on A4 (mm), scaled on other papers by √(paper area / A4 area) so they keep the A4 proportions. */
    margin: number;
    /** Room added to the bottom margin for the footer (mm). */
    footer: number;
    bodySize: { A4: number; B5: number; A3: number; B4: number };
  };
  /** Spaces as multiples of the body size (`boxInset` as a share of `boxPadding`, `quoteRule` of `quoteIndent`). */
  space: {
    columnGap: number;
    blockGap: number;
    boxPadding: number;
    photoGap: number;
    /** Above and below a note or an info list set inside a body. */
    aroundInset: number;
    /** Under an article's lead. */
    afterLead: number;
    /** A quote's indent on each side; its rule stands `quoteRule` of the indent in from the left. */
    quoteIndent: number;
    quoteRule: number;
    /** The least space between a paragraph's last line and a signature set at its end. */
    signature: number;
    /** Above and below the text in a slogan's or a corner's box. */
    boxInset: number;
    /** Between a photo and its caption. */
    caption: number;
    /** Between the foot of the type area and the footer. */
    footer: number;
  };
  /** Line heights as multiples of the size. */
  leading: {
    /** Body text, when the issue's `style.leading` does not set it. */
    body: number;
    /** The masthead's subtitle line. */
    subtitle: number;
    /** 「次ページへ続く」 and 「前ページから続く」. */
    continuation: number;
    /** A corner's subtitle. */
    cornerSubtitle: number;
    footer: number;
  };
  /** Body text, quotes, signatures. */
  body: { color: ColorName; quote: ColorName; quoteRule: RuleStyle };
  /** The headline of an article: `bar` (a block beside it and a rule under it) or `pill` (a rounded tint). */
  heading: {
    style: "bar" | "pill";
    text: TextLook;
    /** `bar`: the block's width as a multiple of the title size; `pill`: the padding. */
    bar: number;
    barColor: ColorName;
    /** `pill`: the tint behind the headline. */
    pill?: BoxStyle;
    rule?: RuleStyle;
    /** Space under the rule, before the lead or body (× body size). */
    after: number;
    /** Space between the title and the rule under it (× body size). */
    ruleGap: number;
    /** `bar`: the title's indent, × the bar's width; the bar's inset at the title's top and foot, × the title size. */
    barIndent: number;
    barInset: number;
    /** `pill`: around the title, × the padding: above and below, before it, and both sides together. */
    pillInset: { y: number; start: number; across: number };
    /** `pill`: the marker stroke at its start: x, width and radius × the padding, top and height × its height. */
    marker: { x: number; width: number; radius: number; top: number; height: number };
    /** 縦組み: a vertical article's or corner's title, vertical at its right (default) or across its top. */
    vertical?: "vertical" | "horizontal";
  };
  subheading: TextLook & { before: number };
  caption: TextLook;
  /** 題字: the name large; `bands` (a thick and a thin rule under it) or `frame` (a rounded box around it). */
  masthead: {
    style: "bands" | "frame";
    name: TextLook;
    info: TextLook & { numberSize: number };
    /** Width of the number / date / publisher stack, as a share of the page's content width. */
    infoWidth: number;
    /** The smallest the name may be set to stay on one line, as a share of its size. */
    minScale: number;
    /** Between the logo, the name and the number stack (× body size). */
    gap: number;
    /** `bands`: space above the bands and under them (× body size). */
    beforeBands: number;
    afterBands: number;
    /** `frame`: padding inside the frame (× body size), the frame's height over the name (× that padding), space under it. */
    framePadding: number;
    frameHeight: number;
    afterFrame: number;
    band: { color: ColorName; thick: number; gap: number; thin: number };
    frame?: BoxStyle;
    subtitle: ColorName;
  };
  /** `gap`: between the rule and the text, as a share of the footer's size. */
  footer: { size: number; color: ColorName; rule: RuleStyle; gap: number };
  columnRule?: RuleStyle;
  slogan: { box: BoxStyle; text: TextLook };
  /** `beforeSubtitle`, `beforeBody`: spaces under the title and the subtitle (× body size). */
  corner: { box: BoxStyle; title: TextLook; subtitle: ColorName; beforeSubtitle: number; beforeBody: number };
  /** `afterTitle`: under the title; `dateGap`: between a date and its text (× body size). */
  schedule: {
    title: TextLook;
    date: ColorName;
    topRule: RuleStyle;
    rowRule: RuleStyle;
    afterTitle: number;
    dateGap: number;
  };
  /** `after`: under 「前ページから続く」's rule (× body size). */
  continuation: { to: ColorName; from: ColorName; rule: RuleStyle; after: number };
  table: {
    caption: TextLook;
    header: { fill?: ColorName; color: ColorName };
    /** The rules over and under the table and under the header. */
    frame: RuleStyle;
    /** Between body rows. */
    rowRule: RuleStyle;
    /** Cell padding as a multiple of the body size. */
    padding: number;
    size: number;
    /** Line height of the cells (× their size) and space under the caption (× body size). */
    leading: number;
    afterCaption: number;
  };
  info: { key: ColorName; value: ColorName; rule?: RuleStyle };
  /**
   * `leading`: the body's less `tighter`, and at least `minLeading`; `markGap`: after a mark of more than one
   * character (※1, 注:), × the note's size.
   */
  note: { size: number; color: ColorName; minLeading: number; tighter: number; markGap: number };
  /** The brackets around a signature when the issue names none. */
  signatureBrackets: string;
}
