// Types of scripts/compile-if-stale.mjs for the tests that import it (tests/helpers/compile.ts).

export const ROOT: string;
export const INPUTS: string[];
export const STAMP: string;
export function sourcesHash(root?: string): string;
export function compiledHash(root?: string): string | undefined;
export function compileIfStale(options?: { root?: string; output?: "inherit" | "pipe" }): {
  compiled: boolean;
  hash: string;
};
