import type { Geometry } from "../content/geometry.js";

/**
 * Every colour of the newsletter, defined once: CMYK (percent) for the print edition, RGB for screens. Layout
 * refers to colours by name; the render stage picks the form the edition needs. Text and thin rules are K only,
 * so they print in one ink and never register badly.
 */
export const PALETTE = {
  text: { cmyk: [0, 0, 0, 100], rgb: "#000000" },
  primary: { cmyk: [0, 95, 80, 25], rgb: "#b01c2e" },
  accent: { cmyk: [100, 80, 20, 10], rgb: "#1f3b73" },
  muted: { cmyk: [0, 0, 0, 80], rgb: "#444444" },
  tint: { cmyk: [0, 8, 4, 0], rgb: "#fbeff0" },
  hairline: { cmyk: [0, 0, 0, 30], rgb: "#bbbbbb" },
  rowRule: { cmyk: [35, 20, 5, 0], rgb: "#9aa7c0" },
  footerRule: { cmyk: [0, 0, 0, 45], rgb: "#999999" },
} as const satisfies Record<string, { cmyk: readonly [number, number, number, number]; rgb: string }>;

export type ColorName = keyof typeof PALETTE;

/** The newsletter's look: one place for sizes and colours, derived from the body size so B5 and A3 scale. */
export interface Theme {
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

export function themeFor(g: Geometry): Theme {
  const b = g.bodySize;
  return {
    body: b,
    leading: g.leading,
    caption: b * 0.85,
    title: b * 1.55,
    subheading: b * 1.05,
    slogan: b * 1.45,
    cornerTitle: b * 1.25,
    masthead: b * 3.6,
    text: "text",
    primary: "primary",
    accent: "accent",
    muted: "muted",
    tint: "tint",
    rule: 0.6,
  };
}
