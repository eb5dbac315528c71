import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** Runs the built CLI as an editor would, in a project folder of the test's own. */

export const REPO = path.resolve(import.meta.dirname, "../..");
export const CLI = path.join(REPO, "dist", "cli", "main.js");
export const SAMPLE = "shishokuro-485";

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function kaiho(args: string[], cwd = REPO): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8" });
  // A CLI that did not exit (a signal, or no process at all) says so in the failure message, not just -1.
  const stderr =
    r.status === null ? `${r.stderr ?? ""}\n(no exit status: ${r.signal ?? r.error?.message})` : r.stderr;
  return { status: r.status ?? -1, stdout: r.stdout, stderr };
}

/** A fresh project folder with a copy of the sample issue, so tests can break it without touching content/. */
export function tempProject(): { root: string; issue: string } {
  const root = mkdtempSync(path.join(tmpdir(), "kaiho-test-"));
  const issue = path.join(root, "content", SAMPLE);
  mkdirSync(path.join(root, "output"), { recursive: true });
  mkdirSync(path.join(root, "fonts"), { recursive: true });
  mkdirSync(path.join(root, "images"), { recursive: true });
  cpSync(path.join(REPO, "content", SAMPLE), issue, { recursive: true });
  return { root, issue };
}

/** A project with one issue made of the given YAML text (and optional files beside it). */
export function projectWith(
  yaml: string | Buffer,
  files: Record<string, string | Buffer> = {},
): { root: string; issue: string } {
  const root = mkdtempSync(path.join(tmpdir(), "kaiho-test-"));
  const issue = path.join(root, "content", "test-issue");
  mkdirSync(issue, { recursive: true });
  writeFileSync(path.join(issue, "issue.yaml"), yaml);
  for (const [name, data] of Object.entries(files)) writeFileSync(path.join(issue, name), data);
  return { root, issue };
}
