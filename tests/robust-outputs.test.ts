import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { KaihoError } from "../src/diagnostics.js";
import { realIo, writeAllAtomically } from "../src/fsx/write.js";
import { builtSampleProject } from "./helpers/built.js";
import { kaiho, SAMPLE, tempProject } from "./helpers/cli.js";

/**
 * A build replaces every output of the issue or none: a folder in the way, an output folder that is a file, a
 * full disk or a failed rename leave the last good files byte-identical and no temporary file behind.
 */

function snapshot(dir: string): Map<string, string> {
  const m = new Map<string, string>();
  if (!existsSync(dir)) return m;
  for (const name of readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    try {
      m.set(name, createHash("sha256").update(readFileSync(file)).digest("hex"));
    } catch {
      m.set(name, "(folder)");
    }
  }
  return m;
}

function leftovers(dir: string): string[] {
  return readdirSync(dir).filter((n) => /\.(tmp|bak)$/.test(n));
}

describe("writeAllAtomically (injected faults)", () => {
  let dir: string;
  const names = ["a.pdf", "b.pdf", "c.png", "d.json"];
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "kaiho-atomic-"));
  });
  const fresh = () => {
    const d = mkdtempSync(path.join(dir, "case-"));
    for (const n of names) writeFileSync(path.join(d, n), `old ${n}`);
    return d;
  };
  const newFiles = (d: string) => names.map((n) => [path.join(d, n), Buffer.from(`new ${n}`)] as const);

  it("a rename that fails at the third file puts the first two back: the old set stays whole", async () => {
    const d = fresh();
    const before = snapshot(d);
    let renames = 0;
    const err = await writeAllAtomically(newFiles(d), {
      ...realIo,
      rename: async (from, to) => {
        if (++renames === 3) throw Object.assign(new Error("EIO: i/o error, rename"), { code: "EIO" });
        await realIo.rename(from, to);
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KaihoError);
    expect((err as KaihoError).diagnostics[0]?.file).toBe(path.join(d, "c.png"));
    expect(snapshot(d)).toEqual(before);
    expect(leftovers(d)).toEqual([]);
  });

  it("a full disk while writing: nothing replaced, no temporary file, the message says the disk is full", async () => {
    const d = fresh();
    const before = snapshot(d);
    let writes = 0;
    const err = await writeAllAtomically(newFiles(d), {
      ...realIo,
      writeFile: async (file, data) => {
        if (++writes === 2) {
          writeFileSync(file, data.subarray(0, 2)); // half-written, as a full disk leaves it
          throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
        }
        await realIo.writeFile(file, data);
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KaihoError);
    const diag = (err as KaihoError).diagnostics[0];
    expect(diag?.ja).toContain("ディスクがいっぱい");
    expect(diag?.hintEn).toContain("Free some disk space");
    expect(snapshot(d)).toEqual(before);
    expect(leftovers(d)).toEqual([]);
  });

  it("a folder where the third file goes is found before anything is written", async () => {
    const d = fresh();
    rmSync(path.join(d, "c.png"));
    mkdirSync(path.join(d, "c.png"));
    const before = snapshot(d);
    const err = await writeAllAtomically(newFiles(d)).catch((e: unknown) => e);
    expect((err as KaihoError).diagnostics[0]?.file).toBe(path.join(d, "c.png"));
    expect(snapshot(d)).toEqual(before);
    expect(leftovers(d)).toEqual([]);
  });

  it("succeeds: every file new, nothing else left", async () => {
    const d = fresh();
    await writeAllAtomically(newFiles(d));
    for (const n of names) expect(readFileSync(path.join(d, n), "utf8")).toBe(`new ${n}`);
    expect(leftovers(d)).toEqual([]);
  });
});

describe("kaiho build with something in the way", () => {
  let root: string;
  let issue: string;
  let out: string;
  beforeAll(() => {
    // Built: the sample's shared build copied in (tests/helpers/built.ts).
    ({ root, issue } = builtSampleProject());
    out = path.join(root, "output");
  });

  it("output/<id>-email.pdf being a folder: exit 1 naming it, every other output byte-identical, no temporary file", () => {
    const email = path.join(out, `${SAMPLE}-email.pdf`);
    rmSync(email);
    mkdirSync(email);
    const before = snapshot(out);
    const r = kaiho(["build", issue, "--root", root]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${SAMPLE}-email.pdf`);
    expect(r.stderr).toContain("フォルダ");
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(snapshot(out)).toEqual(before);
    expect(leftovers(out)).toEqual([]);
  });

  it("output/ being a regular file: a clear message that says to move it, not to close a PDF viewer", () => {
    const other = tempProject();
    rmSync(path.join(other.root, "output"), { recursive: true });
    writeFileSync(path.join(other.root, "output"), "not a folder");
    const r = kaiho(["build", other.issue, "--root", other.root]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("output");
    expect(r.stderr).toContain("is a file, not a folder");
    expect(r.stderr).not.toContain("viewer");
    expect(r.stderr).not.toMatch(/internal error|EEXIST/);
    expect(readFileSync(path.join(other.root, "output"), "utf8")).toBe("not a folder");
  });
});
