import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { kaiho, SAMPLE, tempProject } from "./helpers/cli.js";

/** `kaiho build --only …` / `--edition …`: only the editions asked for are made and written. */
describe("choosing editions", () => {
  it("writes the screen edition alone with --only screen, then print and preview beside it", () => {
    const { root, issue } = tempProject();
    const output = path.join(root, "output");
    const r = kaiho(["build", issue, "--root", root, "--only", "screen"]);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(output).sort()).toEqual([`${SAMPLE}-preflight.json`, `${SAMPLE}.pdf`]);
    const screen = readFileSync(path.join(output, `${SAMPLE}.pdf`));
    expect(screen.subarray(0, 5).toString()).toBe("%PDF-");

    const again = kaiho(["build", issue, "--root", root, "--edition", "print, preview"]);
    expect(again.status, again.stderr).toBe(0);
    expect(readdirSync(output).sort()).toEqual([
      `${SAMPLE}-page1.png`,
      `${SAMPLE}-preflight.json`,
      `${SAMPLE}-print.pdf`,
      `${SAMPLE}.pdf`,
    ]);
    // The screen edition was not asked for, so the one from the first build is left as it was.
    expect(readFileSync(path.join(output, `${SAMPLE}.pdf`)).equals(screen)).toBe(true);
    expect(readFileSync(path.join(output, `${SAMPLE}-print.pdf`), "latin1")).toContain("/GTS_PDFX");
    expect(existsSync(path.join(output, `${SAMPLE}-email.pdf`))).toBe(false);
    const report = JSON.parse(readFileSync(path.join(output, `${SAMPLE}-preflight.json`), "utf8"));
    expect(report.printPdf).toEqual([]);
  });

  it("refuses an unknown edition with the one that was probably meant, exit 2, nothing written", () => {
    const { root, issue } = tempProject();
    const r = kaiho(["build", issue, "--root", root, "--only", "screen,emial"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("不明な版「emial」");
    expect(r.stderr).toContain('Did you mean "email"?');
    expect(readdirSync(path.join(root, "output"))).toEqual([]);
  });
});
