import type { Theme } from "./types.js";

/**
 * `union`: the look of a union bulletin (機関紙) — deep red for the name and rules, navy headlines, a red block
 * beside each headline, square-ish boxes. Text and thin rules are K only, so they print in one ink and never
 * register badly.
 */
export const UNION: Theme = {
  name: "union",
  palette: {
    text: { cmyk: [0, 0, 0, 100], rgb: "#000000" },
    primary: { cmyk: [0, 95, 80, 25], rgb: "#b01c2e" },
    accent: { cmyk: [100, 80, 20, 10], rgb: "#1f3b73" },
    muted: { cmyk: [0, 0, 0, 80], rgb: "#444444" },
    tint: { cmyk: [0, 8, 4, 0], rgb: "#fbeff0" },
    hairline: { cmyk: [0, 0, 0, 30], rgb: "#bbbbbb" },
    rowRule: { cmyk: [35, 20, 5, 0], rgb: "#9aa7c0" },
    footerRule: { cmyk: [0, 0, 0, 45], rgb: "#999999" },
  },
  photos: "colour",
  space: { columnGap: 1.5, blockGap: 1.2, boxPadding: 0.9, photoGap: 0.8 },
  body: { color: "text", quote: "muted", quoteRule: { color: "primary", width: 1.2 } },
  heading: {
    style: "bar",
    text: { size: 1.55, leading: 1.3, color: "accent" },
    bar: 0.28,
    barColor: "primary",
    rule: { color: "primary", width: 0.6 },
    after: 0.6,
  },
  subheading: { size: 1.05, leading: 1.5, color: "primary", before: 0.4 },
  caption: { size: 0.85, leading: 1.35, color: "muted" },
  masthead: {
    style: "bands",
    name: { size: 3.6, leading: 1.15, color: "primary" },
    info: { size: 1.05, leading: 1.45, color: "text", numberSize: 1.3 },
    infoWidth: 0.34,
    band: { color: "primary", thick: 3, gap: 4.2, thin: 0.6 },
    subtitle: "muted",
  },
  footer: { size: 0.85, color: "muted", rule: { color: "footerRule", width: 0.4 } },
  columnRule: { color: "hairline", width: 0.4 },
  slogan: {
    box: { fill: "tint", stroke: "primary", lineWidth: 1.5, radius: 0.6 },
    text: { size: 1.45, leading: 1.45, color: "primary" },
  },
  corner: {
    box: { stroke: "primary", lineWidth: 1, radius: 0.8 },
    title: { size: 1.25, leading: 1.4, color: "primary" },
    subtitle: "accent",
  },
  schedule: {
    title: { size: 1.25, leading: 1.5, color: "accent" },
    date: "accent",
    topRule: { color: "accent", width: 0.8 },
    rowRule: { color: "rowRule", width: 0.4, dash: 1.5 },
  },
  continuation: { to: "muted", from: "accent", rule: { color: "hairline", width: 0.4 } },
  table: {
    caption: { size: 1.05, leading: 1.5, color: "accent" },
    header: { fill: "tint", color: "primary" },
    frame: { color: "primary", width: 0.8 },
    rowRule: { color: "hairline", width: 0.4 },
    padding: 0.35,
    size: 0.95,
  },
  info: { key: "accent", value: "text" },
  note: { size: 0.85, color: "muted" },
  signatureBrackets: "【】",
};
