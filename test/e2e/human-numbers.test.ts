// Issue 17 point 14: numbers and counts in every human-read output of a run — the console, the job summary, the
// JUnit messages, `evals report` — read as text, never as JavaScript's number syntax.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";
import { tempDir } from "../support/temp-dir.ts";

const line = (o: object) => JSON.stringify(o);
const model = (quality: number) =>
  line({ model_id: "mock/m", mock: { quality, ttft_ms: 0, tokens_per_s: 0 } });
const judges = ["mock/j1", "mock/j2", "mock/j3"].map((id) => line({ model_id: id })).join("\n");
const scenario = (i: number) =>
  line({
    text_prompt: `Q${i}?`,
    task: { task_type: "QA", task_criteria: "c" },
    golden_answer: `The answer to question ${i} is ${i * 3}, as the records show.`,
  });

/** What reads as code, not as text: exponent notation, a negative zero, a dash before a minus, "1 cases". */
function numberSyntax(text: string): string[] {
  const bad = [
    /\d(?:\.\d+)?e[-+]\d+/,
    /(?<![\w.-])[-−]0(?:\.0+)?%?(?![\d.])/,
    /–[-−]/,
    /(?<![\d.,])1 (?:cases|judges|eval files|runs|results|pairs|paired cases)\b/,
  ];
  return bad.flatMap((re) =>
    text
      .split("\n")
      .filter((l) => re.test(l))
      .map((l) => `${re.source}: ${l.trim()}`),
  );
}

/** Every human-read output of a run in `root`: stdout, the job summary, the JUnit messages. */
async function outputs(root: string, args: string[]): Promise<{ code: number | null; text: string }> {
  const summary = join(tempDir("jury-numbers-"), "summary.md");
  const res = await runCli(root, ["--reporter", "default", "--reporter", "junit", ...args], {
    GITHUB_ACTIONS: "true",
    GITHUB_STEP_SUMMARY: summary,
  });
  const junit = readFileSync(join(root, "outputs", "junit.xml"), "utf8");
  const messages = [...junit.matchAll(/message="([^"]*)"/g)].map((m) => m[1]).join("\n");
  return {
    code: res.code,
    text: [stripVTControlCharacters(res.stdout), res.stderr, readFileSync(summary, "utf8"), messages].join(
      "\n",
    ),
  };
}

describe("numbers and counts in human-read outputs", () => {
  it("a score drop against a baseline: a negative interval reads 'to' with minus signs, tiny biases read 0.00", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": model(0.9),
      "config/judge_profiles.jsonl": judges,
      "evals/q.eval.jsonl": Array.from({ length: 12 }, (_, i) => scenario(i)).join("\n"),
    });
    expect((await runCli(root, ["--min-pass-rate", "0"])).code).toBe(0);
    const [runId] = readdirSync(join(root, "outputs", "runs"));
    writeFileSync(join(root, "config", "models_profiles.jsonl"), model(0.1));
    const { text } = await outputs(root, [
      "--baseline",
      join("outputs", "runs", runId as string),
      "--max-score-drop",
      "0.1",
      "--min-pass-rate",
      "0",
    ]);
    expect(text).toMatch(/mean jury score −\d\.\d{3} \(95% CI −\d\.\d{3} to −\d\.\d{3}\)/);
    expect(text).toContain("Judge bias");
    expect(numberSyntax(text)).toEqual([]);
  });

  it("a run of one case says '1 case', '1 judge', '1 eval file'", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": model(0),
      "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
      "evals/q.eval.jsonl": scenario(1),
    });
    const { code, text } = await outputs(root, []);
    expect(code).toBe(1);
    expect(text).toContain("1 of 1 case did not pass");
    expect(numberSyntax(text)).toEqual([]);
    const report = await runCli(root, ["report"]);
    expect(report.stdout).toMatch(/^HTML report of 1 run, 1 result, written to /);
  });
});
