// What the console prints in CI and pipes, on a terminal, with --reporter verbose and dot, for names and messages
// of several lines, and against a baseline (issue 17, points 11 and 13).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";

const line = (o: object) => JSON.stringify(o);
const models = (badQuality: number) =>
  [
    line({ model_id: "mock/good", mock: { quality: 1, ttft_ms: 0, tokens_per_s: 0 } }),
    line({ model_id: "mock/bad", mock: { quality: badQuality, ttft_ms: 0, tokens_per_s: 0 } }),
  ].join("\n");
const scenario = (i: number) =>
  line({
    text_prompt: `Q${i}?`,
    task: { task_type: "QA", task_criteria: "c" },
    golden_answer: `The answer to question ${i} is ${i * 7}, as the records show.`,
  });

/** 3 scenarios × 2 models in qa (3 fail on mock/bad), and an eval named on two lines whose check fails. */
function project(): string {
  return createFixtureProject({
    "config/models_profiles.jsonl": models(0),
    "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
    "evals/qa.eval.jsonl": [1, 2, 3].map(scenario).join("\n"),
    "evals/multi.eval.ts": `
import { defineEval } from "jury";
defineEval("two\\nlines", {
  models: ["mock/good"],
  scenarios: [{ id: "s1", prompt: "Say hi.", golden: "Hi." }],
  checks: [{ name: "multi", run: () => ({ passed: false, message: "first line\\nsecond line\\nthird line" }) }],
});
`,
  });
}

/** The console's lines, without colours. */
const linesOf = (stdout: string) => stripVTControlCharacters(stdout).split("\n");
/** A case's line as it ends: ` ✓ evals/qa.eval.jsonl › qa › L1 › mock/good [t=0.7, #1] 3ms` (no time in the failed-cases section). */
const CASE_LINE = /^ [✓✗!↓] evals\/\S+ › .+ \[t=0\.7, #1\] \d+(ms|\.\ds)$/;

describe("the console", () => {
  let root: string;
  beforeAll(() => {
    root = project();
  });

  it("in CI and pipes prints a line per eval file with its failed cases, not a line per case", async () => {
    const res = await runCli(root, ["--min-pass-rate", "0"]);
    expect(res.code).toBe(0);
    const lines = linesOf(res.stdout);
    expect(lines.filter((l) => CASE_LINE.test(l))).toEqual([]);
    const at = lines.findIndex((l) => l.startsWith(" ✗ evals/qa.eval.jsonl "));
    expect(lines[at]).toMatch(/^ ✗ evals\/qa\.eval\.jsonl \(6 cases \| 3 failed\) \d+(ms|\.\ds)$/);
    expect(lines.slice(at + 1, at + 4).sort()).toEqual([
      "   ✗ qa › L1 › mock/bad [t=0.7, #1]",
      "   ✗ qa › L2 › mock/bad [t=0.7, #1]",
      "   ✗ qa › L3 › mock/bad [t=0.7, #1]",
    ]);
    expect(lines).toContain(" Failed cases (4)");
    expect(res.stdout).not.toContain("\r");
  });

  it("with --reporter verbose prints a line per case, in CI too", async () => {
    const res = await runCli(root, ["--min-pass-rate", "0", "--reporter", "verbose"]);
    expect(res.code).toBe(0);
    const cases = linesOf(res.stdout).filter((l) => CASE_LINE.test(l));
    expect(cases).toHaveLength(7);
    expect(cases.filter((l) => l.startsWith(" ✗ evals/qa.eval.jsonl › qa › "))).toHaveLength(3);
  });

  it("on a terminal prints a line per case of a small file under a live progress line", async () => {
    const res = await runCli(root, ["--min-pass-rate", "0"], { CI: "" }, { tty: true });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("\r\u001b[2K");
    const lines = linesOf(res.stdout.replaceAll("\r\u001b[2K", "\n"));
    expect(lines.filter((l) => CASE_LINE.test(l))).toHaveLength(7);
  });

  it("keeps a name on one line and a multi-line check message indented under its case", async () => {
    // The per-eval gate names the eval in its reason, in the Gates section and the summary's Gate row.
    const res = await runCli(root, [
      "--min-pass-rate",
      "0",
      "--min-pass-rate-per-eval",
      "0.9",
      "--reporter",
      "verbose",
    ]);
    expect(res.code).toBe(1);
    const lines = linesOf(res.stdout);
    // Every line of the layout starts with a space: nothing of a name or message starts a line of its own.
    expect(lines.filter((l) => l !== "" && !l.startsWith(" "))).toEqual([]);
    expect(
      lines.some((l) => /^ ✗ evals\/multi\.eval\.ts › two␊lines › s1 › mock\/good \[t=0\.7, #1\]/.test(l)),
    ).toBe(true);
    const at = lines.indexOf(" ✗ evals/multi.eval.ts › two␊lines › s1 › mock/good [t=0.7, #1]");
    expect(lines.slice(at + 1, at + 4)).toEqual([
      "     check multi: first line",
      "       second line",
      "       third line",
    ]);
    expect(lines.filter((l) => l.includes("evals/multi.eval.ts › two␊lines 0.0%"))).toHaveLength(2);
  });

  it("with --reporter dot prints a character per case, then the failed cases and the summary", async () => {
    const res = await runCli(root, ["--min-pass-rate", "0", "--reporter", "dot"]);
    expect(res.code).toBe(0);
    const lines = linesOf(res.stdout);
    const dots = lines.filter((l) => /^ [·x!-]+$/.test(l));
    expect(dots).toHaveLength(1);
    expect([...(dots[0] as string).trim()].sort().join("")).toBe("xxxx···");
    expect(lines.filter((l) => CASE_LINE.test(l) || l.startsWith(" ✗ evals/qa.eval.jsonl ("))).toEqual([]);
    expect(lines).toContain(" Failed cases (4)");
    expect(lines.some((l) => /^ +Cases {2}3 passed \| 4 failed \(7\)$/.test(l))).toBe(true);
  });

  it("against a baseline prints the mean jury score change and each changed case's scores", async () => {
    const base = await runCli(root, [
      "--min-pass-rate",
      "0",
      "--reporter",
      "json",
      "--outputFile",
      "base.json",
    ]);
    expect(base.code).toBe(0);
    writeFileSync(join(root, "config", "models_profiles.jsonl"), models(1));
    const res = await runCli(root, ["--min-pass-rate", "0", "--baseline", "base.json"]);
    const lines = linesOf(res.stdout);
    expect(lines.find((l) => l.includes("vs baseline"))).toMatch(
      /^ {3}vs baseline \S+: 7 paired, 0 new, 0 missing · mean jury \+\d\.\d\d \(95% CI .+, 7 judged in both\)$/,
    );
    expect(lines.find((l) => l.includes("by dimension"))).toMatch(
      /^ {3}by dimension correctness \+\d\.\d\d · completeness \+\d\.\d\d · /,
    );
    const improved = lines.filter((l) => l.includes("↑ improved"));
    expect(improved).toHaveLength(3);
    for (const l of improved)
      expect(l).toMatch(
        /^ {3}↑ improved evals\/qa\.eval\.jsonl › qa › L\d › mock\/bad \[t=0\.7, #1\] {2}jury 1(\.\d\d)? → 5$/,
      );
  });
});
