import { distance } from "fastest-levenshtein";

/**
 * The editions a build can write (`kaiho build --only …`), kept apart from the editions stage so the CLI can
 * check a command line without loading pdf-lib, sharp or pdfjs.
 */
export const EDITION_NAMES = ["screen", "print", "email", "preview"] as const;
export type EditionName = (typeof EDITION_NAMES)[number];

export function isEditionName(name: string): name is EditionName {
  return (EDITION_NAMES as readonly string[]).includes(name);
}

/** The edition an unknown name was probably meant to be (`prnt` → `print`, `Email` → `email`). */
export function closestEdition(name: string): EditionName | undefined {
  const lower = name.toLowerCase();
  let best: EditionName | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const known of EDITION_NAMES) {
    const d = distance(lower, known);
    if (d < bestDistance) {
      best = known;
      bestDistance = d;
    }
  }
  // Two edits: a swapped pair of letters (`emial`) is two for Levenshtein.
  return bestDistance <= Math.max(2, Math.floor(lower.length / 3)) ? best : undefined;
}
