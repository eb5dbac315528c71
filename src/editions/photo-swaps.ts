import { readFile } from "node:fs/promises";
import type { PreparedImages } from "../images/prepared.js";
import type { PhotoSwap } from "../render/email-swap.js";

/** The screen edition's photo files, read once for the editions made from it. */
export async function photoBytes(photos: PreparedImages): Promise<Map<string, Uint8Array>> {
  const entries = await Promise.all(
    [...photos.photos].map(
      // A Buffer is a Uint8Array: no copy of every photo.
      async ([key, photo]): Promise<readonly [string, Uint8Array]> => [key, await readFile(photo.file)],
    ),
  );
  return new Map(entries);
}

/** Each photo of the screen edition (its bytes) paired with its version in `other`. */
export async function photoSwaps(
  screen: Map<string, Uint8Array>,
  other: PreparedImages,
): Promise<PhotoSwap[]> {
  return Promise.all(
    [...screen].flatMap(([key, from]) => {
      const to = other.photos.get(key);
      if (!to) return [];
      return [
        readFile(to.file).then((b) => ({
          from,
          to: b as Uint8Array,
          width: to.pixelWidth,
          height: to.pixelHeight,
        })),
      ];
    }),
  );
}
