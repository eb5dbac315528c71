/**
 * Schema paths as editors and later stages see them: `blocks[2].article.photos[0].src`.
 * The root is the empty string.
 */

export type Segment = string | number;

export function formatPath(segments: readonly Segment[]): string {
  let out = "";
  for (const s of segments) out = typeof s === "number" ? indexPath(out, s) : keyPath(out, s);
  return out;
}

export function keyPath(parent: string, key: string): string {
  if (/^[A-Za-z_][\w-]*$/.test(key)) return parent === "" ? key : `${parent}.${key}`;
  return `${parent}[${JSON.stringify(key)}]`;
}

export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

/** Path of the enclosing node: `blocks[2].article.title` → `blocks[2].article`, `blocks[2]` → `blocks`. */
export function parentPath(path: string): string | undefined {
  if (path === "") return undefined;
  const m = /^(.*?)(?:\.[A-Za-z_][\w-]*|\[(?:\d+|"(?:[^"\\]|\\.)*")\])$/.exec(path);
  return m ? (m[1] ?? "") : "";
}

/**
 * An ajv instancePath (JSON pointer, `/blocks/2/article`) as a schema path. A segment is an index only where the
 * data at that place is an array, so a map key that happens to be digits stays a key.
 */
export function pointerToSegments(pointer: string, data: unknown): Segment[] {
  if (pointer === "") return [];
  const segments: Segment[] = [];
  let here: unknown = data;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(here) && /^\d+$/.test(key)) {
      const i = Number(key);
      segments.push(i);
      here = here[i];
    } else {
      segments.push(key);
      here = here && typeof here === "object" ? (here as Record<string, unknown>)[key] : undefined;
    }
  }
  return segments;
}

/** Human wording of a path in messages: the root is named, everything else is shown as written. */
export function showPath(path: string): { ja: string; en: string } {
  return path === "" ? { ja: "ファイルの一番外側", en: "the top level" } : { ja: path, en: path };
}
