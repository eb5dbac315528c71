import { MONO } from "./mono.js";
import { SCHOOL } from "./school.js";
import { type Cmyk, COLOUR_NAMES, type ColorName, type Colour, type Theme, type ThemeName } from "./types.js";
import { UNION } from "./union.js";

export type {
  BoxStyle,
  Cmyk,
  ColorName,
  Colour,
  Palette,
  RuleStyle,
  TextLook,
  Theme,
  ThemeName,
} from "./types.js";
export { COLOUR_NAMES, THEME_NAMES } from "./types.js";

export const BUILT_IN_THEMES: Record<ThemeName, Theme> = { union: UNION, school: SCHOOL, mono: MONO };

/** A colour as issue.yaml writes it: `{ rgb: "#2a7", cmyk: [80, 0, 60, 10] }`. */
export interface ColourChoice {
  rgb: string;
  cmyk: number[];
}

/** `theme:` in issue.yaml: a built-in's name, or a built-in with some of its colours replaced. */
export type ThemeChoice = ThemeName | ({ base?: ThemeName } & Partial<Record<ColorName, ColourChoice>>);

/** The theme an issue asks for (union when it names none), its colour overrides applied. */
export function resolveTheme(choice: ThemeChoice | undefined): Theme {
  if (choice === undefined) return UNION;
  if (typeof choice === "string") return BUILT_IN_THEMES[choice];
  const base = BUILT_IN_THEMES[choice.base ?? "union"];
  const palette = { ...base.palette };
  for (const name of COLOUR_NAMES) {
    const c = choice[name];
    if (c) palette[name] = { rgb: longHex(c.rgb), cmyk: [...c.cmyk] as unknown as Cmyk } satisfies Colour;
  }
  return { ...base, palette };
}

/** `#2a7` → `#22aa77`, lower case: the form the renderer writes and the print edition looks up. */
export function longHex(rgb: string): string {
  const hex = rgb.replace(/^#/, "").toLowerCase();
  return `#${hex.length === 3 ? [...hex].map((d) => d + d).join("") : hex}`;
}
