import { readFileSync } from "node:fs";
import path from "node:path";
import { projectWith, REPO, SAMPLE } from "./cli.js";

/** The demo issue of every block type (tests/fixtures/themes/issue.yaml), with `theme:` set as given. */
export function demoYaml(theme?: string): string {
  const yaml = readFileSync(path.join(REPO, "tests", "fixtures", "themes", "issue.yaml"), "utf8");
  return theme ? yaml.replace(/^newsletter:/m, `theme: ${theme}\nnewsletter:`) : yaml;
}

/** A project holding the demo issue and its two photos (from the sample issue). */
export function demoProject(theme?: string, yaml = demoYaml(theme)): { root: string; issue: string } {
  const photo = (name: string) => readFileSync(path.join(REPO, "content", SAMPLE, name));
  return projectWith(yaml, {
    "photo-1.jpg": photo("gakushukai-1.jpg"),
    "photo-2.jpg": photo("kantoko-1.jpg"),
  });
}
