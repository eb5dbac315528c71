import { type Document, isMap, isScalar, isSeq, type LineCounter, type Node } from "yaml";
import type { SourcePosition } from "./issue.js";
import { indexPath, keyPath, parentPath } from "./paths.js";

interface Entry {
  /** The value node (absent for `key:` with nothing after it). */
  value: Node | null;
  /** The key node, when this path is the value of a map entry. */
  key?: Node;
}

/**
 * Where each schema path stands in issue.yaml. Built once from the parsed document, so messages of every stage can
 * name a line. A path points at its value, except that a block map or list under a key points at the key
 * (`article:` rather than the first line inside it), which is the line an editor looks for.
 */
export class SourceMap {
  private readonly entries = new Map<string, Entry>();

  constructor(
    doc: Document.Parsed,
    private readonly lineCounter: LineCounter,
  ) {
    this.walk(doc.contents, "", undefined);
  }

  private walk(node: Node | null, path: string, key: Node | undefined): void {
    this.entries.set(path, key ? { value: node, key } : { value: node });
    if (isMap(node)) {
      for (const pair of node.items) {
        const k = pair.key as Node | null;
        const name = isScalar(k) ? String(k.value) : String(k);
        this.walk((pair.value as Node | null) ?? null, keyPath(path, name), k ?? undefined);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        this.walk((item as Node | null) ?? null, indexPath(path, i), undefined);
      });
    }
  }

  has(path: string): boolean {
    return this.entries.has(path);
  }

  /** Position of `path`, or of its nearest enclosing path that exists in the file. */
  locate(path: string): SourcePosition | undefined {
    for (let p: string | undefined = path; p !== undefined; p = parentPath(p)) {
      const e = this.entries.get(p);
      if (!e) continue;
      const useKey =
        isMap(e.value) || isSeq(e.value) || !e.value?.range || (isScalar(e.value) && e.value.value === null);
      const offset = useKey && e.key?.range ? e.key.range[0] : e.value?.range?.[0];
      if (offset !== undefined) return this.at(offset);
      if (p === "") return { line: 1, column: 1 };
    }
    return undefined;
  }

  /** Position of the key of `path` (for an unknown key), falling back to `locate`. */
  locateKey(path: string): SourcePosition | undefined {
    const e = this.entries.get(path);
    if (e?.key?.range) return this.at(e.key.range[0]);
    return this.locate(path);
  }

  at(offset: number): SourcePosition {
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, column: col };
  }
}
