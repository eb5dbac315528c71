import type { Theme } from "./types.js";

const K = { cmyk: [0, 0, 0, 100], rgb: "#000000" } as const;

/**
 * `mono`: for office copiers and risograph (印刷機): every colour is 100% K and nothing is tinted — a copier
 * turns a light grey into speckles or nothing — so boxes are frames without fills, rules are solid black and
 * hierarchy comes from weight and size. Photos are made grey with their contrast set for copying.
 */
export const MONO: Theme = {
  name: "mono",
  palette: {
    text: K,
    primary: K,
    accent: K,
    muted: K,
    tint: K,
    hairline: K,
    rowRule: K,
    footerRule: K,
  },
  photos: "grayscale",
  page: { margin: 12, footer: 4, bodySize: { A4: 9, B5: 8.5, A3: 11, B4: 11 } },
  space: {
    columnGap: 1.5,
    blockGap: 1.2,
    boxPadding: 0.9,
    photoGap: 0.8,
    aroundInset: 0.3,
    afterLead: 0.5,
    quoteIndent: 1,
    quoteRule: 0.4,
    signature: 1,
    boxInset: 0.8,
    caption: 0.3,
    footer: 0.8,
  },
  leading: { body: 1.6, subtitle: 1.5, continuation: 1.6, cornerSubtitle: 1.4, footer: 1.3 },
  body: { color: "text", quote: "text", quoteRule: { color: "primary", width: 1.2 } },
  heading: {
    style: "bar",
    text: { size: 1.55, leading: 1.3, color: "text" },
    bar: 0.28,
    barColor: "primary",
    rule: { color: "primary", width: 0.8 },
    after: 0.6,
  },
  subheading: { size: 1.05, leading: 1.5, color: "text", before: 0.4 },
  caption: { size: 0.85, leading: 1.35, color: "text" },
  masthead: {
    style: "bands",
    name: { size: 3.6, leading: 1.15, color: "text" },
    info: { size: 1.05, leading: 1.45, color: "text", numberSize: 1.3 },
    infoWidth: 0.34,
    minScale: 0.7,
    gap: 1,
    beforeBands: 0.4,
    afterBands: 0.3,
    framePadding: 1.2,
    frameHeight: 1.2,
    afterFrame: 0.6,
    band: { color: "primary", thick: 3, gap: 4.2, thin: 0.8 },
    subtitle: "text",
  },
  footer: { size: 0.85, color: "text", rule: { color: "footerRule", width: 0.4 }, gap: 0.5 },
  columnRule: { color: "hairline", width: 0.3 },
  slogan: {
    box: { stroke: "primary", lineWidth: 2, radius: 0.3 },
    text: { size: 1.45, leading: 1.45, color: "text" },
  },
  corner: {
    box: { stroke: "primary", lineWidth: 1, radius: 0.4 },
    title: { size: 1.25, leading: 1.4, color: "text" },
    subtitle: "text",
    beforeSubtitle: 0.2,
    beforeBody: 0.3,
  },
  schedule: {
    title: { size: 1.25, leading: 1.5, color: "text" },
    date: "text",
    topRule: { color: "primary", width: 1 },
    rowRule: { color: "rowRule", width: 0.3, dash: 1.5 },
    afterTitle: 0.3,
    dateGap: 1,
  },
  continuation: { to: "text", from: "text", rule: { color: "hairline", width: 0.4 }, after: 0.4 },
  table: {
    caption: { size: 1.05, leading: 1.5, color: "text" },
    header: { color: "text" },
    frame: { color: "primary", width: 1 },
    rowRule: { color: "hairline", width: 0.3 },
    padding: 0.35,
    size: 0.95,
  },
  info: { key: "text", value: "text" },
  note: { size: 0.85, color: "text" },
  signatureBrackets: "【】",
};
