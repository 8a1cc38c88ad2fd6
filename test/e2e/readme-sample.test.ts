// The README's sample output is a real run of the examples: this test runs them and compares the sample with what
// the console prints, line by line, numbers, times and paths aside — so the sample cannot drift from the output.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const read = (path: string) => readFileSync(join(REPO, path), "utf8");

/** The first code block after the sentence that introduces the sample. */
function readmeSample(): string[] {
  const readme = read("README.md");
  const from = readme.indexOf("`npx evals` prints");
  const open = readme.indexOf("```\n", from) + 4;
  return readme.slice(open, readme.indexOf("\n```", open)).split("\n");
}

/** A line's shape: numbers, durations and the machine's paths replaced, the sign of a number kept out. */
function shape(line: string): string {
  return line
    .replace(/^( RUN {2}jury v)\S+ .*$/, "$1N ROOT")
    .replace(/^( +Results {2}).*$/, "$1PATH")
    .replace(/\d+m \d\ds|\d+(?:\.\d+)?(?:ms|s)\b/g, "T")
    .replace(/[−+-]?\d+(?:\.\d+)?/g, "N")
    .trimEnd();
}

/** The header (up to the first case line) and the summary (from its `Cases` row), each line's shape. */
function sections(lines: readonly string[]): { header: string[]; summary: string[] } {
  const firstCase = lines.findIndex((l) => /^ [✓✗!↓] /.test(l));
  const summaryAt = lines.findIndex((l) => /^ +Cases {2}/.test(l));
  const trim = (ls: string[]) => {
    while (ls.length && ls[0]?.trim() === "") ls.shift();
    while (ls.length && ls.at(-1)?.trim() === "") ls.pop();
    return ls.map(shape);
  };
  return { header: trim(lines.slice(0, firstCase)), summary: trim(lines.slice(summaryAt)) };
}

describe("the README's sample output", () => {
  it("is the console output of `npx evals` on the examples, numbers and times aside", async () => {
    const examples = Object.fromEntries(
      [
        "config/evals.config.ts",
        "config/models_profiles.jsonl",
        "config/judge_profiles.jsonl",
        ...readdirSync(join(REPO, "evals")).map((f) => `evals/${f}`),
      ].map((f) => [f, read(f)]),
    );
    const res = await runCli(createFixtureProject(examples), []);
    expect(res.code).toBe(0);
    const real = sections(stripVTControlCharacters(res.stdout).split("\n"));
    const sample = sections(readmeSample());
    const fix = "the README's sample output is stale: run `npm run docs:readme-sample`";
    expect(sample.header, fix).toEqual(real.header);
    expect(sample.summary, fix).toEqual(real.summary);
  });
});
