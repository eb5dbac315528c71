import { writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { IssueSchema } from "./schema.js";

/**
 * schema/issue.schema.json, the file VS Code (yaml-language-server) reads for completion and hover help, is
 * generated from IssueSchema. Regenerate after changing schema.ts:
 *   npm run compile && node dist/content/export-schema.js
 * A test fails when the committed file differs from what this produces.
 */

/** Committed location, relative to this module (src/content or dist/content). */
export const SCHEMA_FILE = fileURLToPath(new URL("../../schema/issue.schema.json", import.meta.url));

export function issueJsonSchema(): Record<string, unknown> {
  // JSON round trip drops TypeBox's symbol-keyed metadata.
  const plain = JSON.parse(JSON.stringify(IssueSchema)) as Record<string, unknown>;
  return { $schema: "http://json-schema.org/draft-07/schema#", ...plain };
}

export function issueJsonSchemaText(): string {
  return `${JSON.stringify(issueJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(SCHEMA_FILE, issueJsonSchemaText());
  console.log(`書き出しました / wrote ${SCHEMA_FILE}`);
}
