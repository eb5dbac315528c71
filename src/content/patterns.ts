/**
 * Patterns of the issue schema (src/content/schema.ts) that src/content/validate.ts recognises in ajv's errors to
 * word their messages. Kept apart from the schema so validating does not load TypeBox.
 */

/** The two characters around a signature, or `none`. */
export const SIGNATURE_BRACKETS_PATTERN = "^(none|\\S\\S)$";

/** `#rgb` or `#rrggbb`. */
export const RGB_PATTERN = "^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$";
