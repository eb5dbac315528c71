import type { Theme } from "./types.js";

/**
 * `school`: a softer PTA / school-letter look (学校だより) — warm orange and leaf green on cream, headlines on a
 * rounded tint, the name in a rounded frame, round-cornered boxes and dotted rules.
 */
export const SCHOOL: Theme = {
  name: "school",
  palette: {
    text: { cmyk: [0, 0, 0, 100], rgb: "#000000" },
    primary: { cmyk: [0, 60, 90, 0], rgb: "#ee7d22" },
    accent: { cmyk: [75, 10, 85, 5], rgb: "#3a9a4a" },
    muted: { cmyk: [0, 0, 0, 75], rgb: "#505050" },
    tint: { cmyk: [0, 8, 20, 0], rgb: "#fdf0d9" },
    hairline: { cmyk: [0, 20, 40, 0], rgb: "#f6cf9f" },
    rowRule: { cmyk: [0, 30, 55, 0], rgb: "#f4b97f" },
    footerRule: { cmyk: [0, 30, 55, 0], rgb: "#f4b97f" },
  },
  photos: "colour",
  space: { columnGap: 1.6, blockGap: 1.3, boxPadding: 1.0, photoGap: 0.9 },
  body: { color: "text", quote: "muted", quoteRule: { color: "accent", width: 1.6 } },
  heading: {
    style: "pill",
    // A rounded tint reads as a band across the top, as school letters set a vertical column's title.
    vertical: "horizontal",
    text: { size: 1.5, leading: 1.35, color: "accent" },
    bar: 0.45,
    barColor: "primary",
    pill: { fill: "tint", lineWidth: 0, radius: 0.9 },
    after: 0.6,
  },
  subheading: { size: 1.05, leading: 1.5, color: "primary", before: 0.5 },
  caption: { size: 0.85, leading: 1.35, color: "muted" },
  masthead: {
    style: "frame",
    name: { size: 3.2, leading: 1.2, color: "primary" },
    info: { size: 1.05, leading: 1.45, color: "text", numberSize: 1.3 },
    infoWidth: 0.32,
    band: { color: "accent", thick: 0, gap: 0, thin: 0 },
    frame: { fill: "tint", stroke: "primary", lineWidth: 1.5, radius: 1.6 },
    subtitle: "accent",
  },
  footer: { size: 0.85, color: "muted", rule: { color: "footerRule", width: 0.8, dash: 2 } },
  columnRule: { color: "hairline", width: 0.6, dash: 2 },
  slogan: {
    box: { fill: "tint", stroke: "primary", lineWidth: 1.5, radius: 1.8 },
    text: { size: 1.4, leading: 1.45, color: "primary" },
  },
  corner: {
    box: { stroke: "accent", lineWidth: 1.5, radius: 1.6 },
    title: { size: 1.25, leading: 1.4, color: "accent" },
    subtitle: "primary",
  },
  schedule: {
    title: { size: 1.25, leading: 1.5, color: "accent" },
    date: "primary",
    topRule: { color: "primary", width: 1.2 },
    rowRule: { color: "rowRule", width: 0.6, dash: 1 },
  },
  continuation: { to: "muted", from: "accent", rule: { color: "hairline", width: 0.6, dash: 2 } },
  table: {
    caption: { size: 1.05, leading: 1.5, color: "accent" },
    header: { fill: "tint", color: "primary" },
    frame: { color: "primary", width: 1 },
    rowRule: { color: "hairline", width: 0.6, dash: 2 },
    padding: 0.4,
    size: 0.95,
  },
  info: { key: "primary", value: "text" },
  note: { size: 0.85, color: "muted" },
  signatureBrackets: "【】",
};
