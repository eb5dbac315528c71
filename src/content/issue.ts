import type { Theme } from "../theme/index.js";
import type { Geometry } from "./geometry.js";
import type { IssueDoc } from "./schema.js";

/** What the content stage hands on: the validated issue, its geometry, and where each thing came from. */

export interface SourcePosition {
  line: number;
  column: number;
}

export interface PhotoRef {
  /** Schema path of the photo, e.g. `blocks[0].article.photos[1]` (or `logo`); the key images use. */
  path: string;
  /** The `src` as the editor wrote it. */
  src: string;
  /** Absolute path of the original file (inside the issue folder or the shared images/ folder). */
  file: string;
  caption?: string;
  /**
   * Pixel size once turned upright (EXIF orientation applied), read from the file's header; the layout takes the
   * photo's shape and its resolution limit from it. Absent when the header cannot be read (the images stage then
   * reports the file).
   */
  pixelWidth?: number;
  pixelHeight?: number;
  /** Where `src` stands in issue.yaml. */
  position?: SourcePosition;
}

/** The print shop's CMYK profile named under `print:` in issue.yaml. */
export interface PrintProfileRef {
  /** Absolute path of the .icc file. */
  file: string;
  /** The profile's own description (its `desc` tag), e.g. "Japan Color 2001 Coated". */
  description: string;
}

export interface Issue {
  /** Folder name of the issue, used for output names: output/<id>.pdf */
  id: string;
  /** Absolute path of the issue folder. */
  dir: string;
  /** Absolute path of issue.yaml. */
  file: string;
  /** Absolute path of the project root (content/, fonts/, images/ live there). */
  root: string;
  doc: IssueDoc;
  geometry: Geometry;
  /** The look chosen by `theme:` (a built-in with the editor's colour overrides); union when none is named. */
  theme: Theme;
  photos: PhotoRef[];
  /** The print shop's profile, when the issue names one; otherwise the built-in CMYK profile is used. */
  printProfile?: PrintProfileRef;
  /** The decoded text of issue.yaml, split into lines, for messages that quote a line. */
  sourceLines: string[];
  /** Position in issue.yaml of a schema path such as `blocks[2].article.body`, for later stages' messages. */
  locate(path: string): SourcePosition | undefined;
}
