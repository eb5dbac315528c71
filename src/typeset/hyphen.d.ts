/** The `hyphen` package ships no types; the one function the typesetter uses (see hyphenate.ts). */
declare module "hyphen/en-us/index.js" {
  const patterns: {
    hyphenateSync(text: string, options?: { hyphenChar?: string; minWordLength?: number }): string;
  };
  export default patterns;
}
