import type { Geometry } from "../content/geometry.js";

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
  text: string;
  primary: string;
  accent: string;
  muted: string;
  tint: string;
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
    text: "#000000",
    primary: "#b01c2e",
    accent: "#1f3b73",
    muted: "#444444",
    tint: "#fbeff0",
    rule: 0.6,
  };
}
