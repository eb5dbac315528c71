/**
 * Imported before @napi-rs/canvas (src/render/preview.ts): the canvas scans every system font when it loads
 * unless this is set (node_modules/@napi-rs/canvas/index.js), about 0.1-0.3 s and 20 MB, and the preview never
 * uses one (pdfjs draws the PDF's embedded glyph outlines, `useSystemFonts: false`). An ES module's imports run
 * in the order they are written, so this runs first. A value the user set is kept.
 */
process.env.DISABLE_SYSTEM_FONTS_LOAD ??= "1";
