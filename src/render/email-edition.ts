import { type PhotoSwap, swapPhotos } from "./email-swap.js";
import type { PagePreview } from "./preview.js";

export interface EmailInput {
  /** The screen edition. */
  screen: Uint8Array;
  /** Its photos and their email-sized versions. */
  swaps: PhotoSwap[];
  /** Width of the page-1 preview in pixels; no preview without it. */
  previewWidth?: number;
}

/**
 * The email edition (the screen edition with smaller photos) and its page-1 preview, drawn from the email
 * edition itself: what members see, and small photos are decoded in half the time.
 */
export async function emailWithPreview(
  input: EmailInput,
): Promise<{ email: Uint8Array; preview?: PagePreview }> {
  const email = await swapPhotos(input.screen, input.swaps);
  if (input.previewWidth === undefined) return { email };
  // Loaded only for a preview (pdfjs and Skia); a worker asked for one has it loading from the start.
  const { renderPagePng } = await import("./preview.js");
  const preview = await renderPagePng(email, { page: 1, width: input.previewWidth });
  return { email, preview };
}
