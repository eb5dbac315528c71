import { type PhotoSwap, swapPhotos } from "./email-swap.js";
import type { PageDrawing } from "./page-raster.js";
import type { PagePreview } from "./preview.js";

export interface EmailInput {
  /** The screen edition. */
  screen: Uint8Array;
  /** Its photos and their email-sized versions. */
  swaps: PhotoSwap[];
  /** The page-1 preview to draw: the laid-out page with the email edition's photos, and its width in pixels. */
  preview?: { drawing: PageDrawing; width: number };
}

/**
 * The email edition (the screen edition with smaller photos) and its page-1 preview, drawn from the layout with
 * the email edition's photos: what members see, without parsing the PDF again (src/render/page-raster.ts).
 */
export async function emailWithPreview(
  input: EmailInput,
): Promise<{ email: Uint8Array; preview?: PagePreview }> {
  const email = await swapPhotos(input.screen, input.swaps);
  if (!input.preview) return { email };
  // Loaded only for a preview (fontkit, Skia); a worker asked for one has them loading from the start.
  const [{ drawLaidOutPage }, { previewPng }] = await Promise.all([
    import("./page-raster.js"),
    import("./preview-png.js"),
  ]);
  const { rgba, width, height } = await drawLaidOutPage(input.preview.drawing, input.preview.width);
  return { email, preview: { png: await previewPng(rgba, width, height), width, height } };
}
