import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PhotoProblem } from "../src/images/diagnose.js";
import { originalHash } from "../src/images/original.js";

/** Each original's content hash is worked out once per file version and remembered (src/images/original.ts). */
describe("the hash of an original photo", () => {
  const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

  it("is the sha256 of its bytes, remembered in the cache folder, and new when the file changes", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kaiho-original-"));
    const cacheDir = path.join(dir, ".cache");
    const file = path.join(dir, "photo.jpg");
    const first = Buffer.from("first version of the photo");
    writeFileSync(file, first);
    expect(await originalHash(file, cacheDir)).toBe(sha(first));
    expect(readdirSync(path.join(cacheDir, "originals"))).toHaveLength(1);
    // The same size, other bytes: an editor replacing a photo with another one of the same file size.
    const second = Buffer.from("other version of the photo");
    expect(second.length).toBe(first.length);
    writeFileSync(file, second);
    // Two writes within one tick of the file system's clock (a few ms on ext4) can share a time; an editor's
    // cannot. Set it, so the test does not depend on how fast it runs.
    utimesSync(file, new Date(Date.now() + 5000), new Date(Date.now() + 5000));
    expect(await originalHash(file, cacheDir)).toBe(sha(second));
    expect(readdirSync(path.join(cacheDir, "originals"))).toHaveLength(2);
  });

  it("says a missing photo is missing", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kaiho-original-"));
    const err = await originalHash(path.join(dir, "nope.jpg"), dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PhotoProblem);
    expect((err as PhotoProblem).kind).toBe("missing");
  });
});
