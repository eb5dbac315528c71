import type { PhotoRef } from "../content/issue.js";

/** What the images stage hands on: each photo resized for where the layout puts it. */

/** A photo's size on the page as the layout placed it, in pt. */
export interface PlacedSize {
  widthPt: number;
  /** Absent: the photo's own upright aspect ratio gives it. */
  heightPt?: number;
}

export interface PreparedPhoto {
  ref: PhotoRef;
  /** Absolute path of the processed file in the cache (never the original). */
  file: string;
  format: "jpeg" | "png";
  /** Pixel size after auto-orientation and resizing. */
  pixelWidth: number;
  pixelHeight: number;
  /** Placed size in pt, as the layout placed it. */
  widthPt: number;
  heightPt: number;
  /** Effective resolution at the placed size (pixels per inch). */
  dpi: number;
  /** CMYK photos (the print edition's): the highest total ink of a pixel, in percent. */
  maxInk?: number;
}

export interface PreparedImages {
  /** Keyed by PhotoRef.path. */
  photos: Map<string, PreparedPhoto>;
}
