import { type PhotoSwap, swapPhotos } from "./email-swap.js";
import { type PagePreview, renderPagePng } from "./preview.js";

export interface EmailInput {
  /** The screen edition. */
  screen: Uint8Array;
  /** Its photos and their email-sized versions. */
  swaps: PhotoSwap[];
  /** Width of the page-1 preview in pixels. */
  previewWidth: number;
}

/**
 * The email edition (the screen edition with smaller photos) and its page-1 preview, drawn from the email
 * edition itself: what members see, and small photos are decoded in half the time.
 */
export async function emailWithPreview(
  input: EmailInput,
): Promise<{ email: Uint8Array; preview: PagePreview }> {
  const email = await swapPhotos(input.screen, input.swaps);
  const preview = await renderPagePng(email, { page: 1, width: input.previewWidth });
  return { email, preview };
}
