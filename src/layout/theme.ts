import type { Geometry } from "../content/geometry.js";
import type { ColorName, Theme as Look } from "../theme/index.js";

export type { ColorName } from "../theme/index.js";

/**
 * The theme (src/theme/, chosen in issue.yaml) as the layout uses it: the sizes worked out in pt from
 * the body size, so B5 and A3 scale, beside the theme itself (`look`) for colours, rules and box styles.
 */
export interface Theme {
  look: Look;
  body: number;
  leading: number;
  caption: number;
  title: number;
  subheading: number;
  slogan: number;
  cornerTitle: number;
  masthead: number;
  text: ColorName;
  primary: ColorName;
  accent: ColorName;
  muted: ColorName;
  tint: ColorName;
  rule: number;
}

export function themeFor(look: Look, g: Geometry): Theme {
  const b = g.bodySize;
  return {
    look,
    body: b,
    leading: g.leading,
    caption: b * look.caption.size,
    title: b * look.heading.text.size,
    subheading: b * look.subheading.size,
    slogan: b * look.slogan.text.size,
    cornerTitle: b * look.corner.title.size,
    masthead: b * look.masthead.name.size,
    text: look.body.color,
    primary: "primary",
    accent: "accent",
    muted: "muted",
    tint: "tint",
    rule: look.heading.rule?.width ?? 0,
  };
}
