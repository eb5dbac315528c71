import { sharp } from "../images/sharp.js";

/**
 * A drawn page (raw RGBA, opaque: the page was filled white first) as the preview PNG: alpha dropped, then
 * quantised by sharp to a 256-colour palette. Text stays crisp, photos lose a little smoothness, and an A4 page
 * with four photos comes out around 240 KB instead of ~920 KB. No dithering: it would speckle the anti-aliased
 * text edges and costs ~60 KB; photos band only slightly.
 */
export function previewPng(rgba: Buffer, width: number, height: number): Promise<Buffer> {
  return sharp(rgba, { raw: { width, height, channels: 4 } })
    .removeAlpha()
    .png({ palette: true, colours: 256, dither: 0, effort: 1, compressionLevel: 6 })
    .toBuffer();
}
