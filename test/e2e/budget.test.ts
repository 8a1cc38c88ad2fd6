// Issue 16 §8: `--max-cost` is a budget during the run — no case starts once what was spent plus the estimate of
// the cases in flight reaches it; the cases in flight finish and are kept; the run's status is `budget` and its
// gate fails by "budget reached after N of M cases" in every output, exit 1. `--resume` with a higher budget runs
// the rest.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CaseResult, RunReportWithResults } from "../../src/types.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";
import { tempDir } from "../support/temp-dir.ts";

const line = (o: object) => JSON.stringify(o);
const CASES = 40;
/** Every answer is its golden answer, "Answer i." — 2 output tokens at $1 per 1,000: $0.002 a case (free judges). */
const CASE_COST = 0.002;
const BUDGET = 0.021;
const CONCURRENCY = 2;

function project(): string {
  return createFixtureProject({
    "config/models_profiles.jsonl": line({
      model_id: "mock/priced",
      input_token_cost: 0,
      output_token_cost: 1,
      mock: { quality: 1, ttft_ms: 0, tokens_per_s: 0 },
    }),
    "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
    "evals/q.eval.jsonl": Array.from({ length: CASES }, (_, i) =>
      line({
        text_prompt: `Question ${i}?`,
        task: { task_type: "QA", task_criteria: "exact" },
        golden_answer: `Answer ${i}.`,
      }),
    ).join("\n"),
  });
}

const REPORTERS = ["default", "json", "junit", "github-actions", "html"].flatMap((r) => ["--reporter", r]);

function outputs(root: string) {
  const out = join(root, "outputs");
  const runDir = join(out, "runs", readdirSync(join(out, "runs"))[0] as string);
  const json = (file: string) => JSON.parse(readFileSync(file, "utf8")) as RunReportWithResults;
  const resultsLines = readFileSync(join(runDir, "results.jsonl"), "utf8").split("\n").filter(Boolean);
  return {
    runJson: json(join(runDir, "run.json")),
    reportJson: json(join(out, "report.json")),
    junit: readFileSync(join(out, "junit.xml"), "utf8"),
    html: readFileSync(join(out, "report.html"), "utf8"),
    results: resultsLines.map((l) => JSON.parse(l) as CaseResult),
  };
}

describe("--max-cost as a budget during the run", () => {
  it("stops starting cases at the budget, keeps what finished, and fails the gate by it everywhere", async () => {
    const root = project();
    const summaryFile = join(tempDir("budget-summary-"), "summary.md");
    const res = await runCli(
      root,
      ["--max-cost", String(BUDGET), "--concurrency", String(CONCURRENCY), ...REPORTERS],
      { GITHUB_STEP_SUMMARY: summaryFile },
    );
    expect(res.code).toBe(1);
    const { runJson, reportJson, junit, html, results } = outputs(root);

    // What finished is on disk whole: one parseable line per case that started, every one of them passed.
    const ran = results.length;
    expect(results.every((r) => r.state === "passed")).toBe(true);
    for (const r of results) expect(r.metrics?.responseCost).toBeCloseTo(CASE_COST, 10);
    expect(runJson.results).toHaveLength(ran);
    // Far fewer than 40: the 10 cases the budget pays for, plus at most the cases in flight when it was reached.
    expect(ran).toBeGreaterThanOrEqual(Math.floor(BUDGET / CASE_COST));
    expect(ran).toBeLessThanOrEqual(Math.floor(BUDGET / CASE_COST) + CONCURRENCY);
    expect(runJson.status).toBe("budget");

    const cost = (ran * CASE_COST).toFixed(4);
    const reason = `budget reached after ${ran} of ${CASES} cases: $${cost} spent of the $${BUDGET} budget (--max-cost; raise it and --resume to run the rest)`;
    expect(runJson.gate).toMatchObject({ verdict: "failed", passed: false, reason });
    expect(runJson.gate?.checks).toEqual([
      { name: "max cost", passed: false, reason },
      { name: "min pass rate", passed: true, reason: `all ${ran} cases passed` },
    ]);
    expect(reportJson.gate).toEqual(runJson.gate);
    expect(reportJson.status).toBe("budget");

    // The counts share one tally: the cases never started are "not run".
    expect(runJson.summaries.overall).toMatchObject({ total: CASES, passed: ran, failed: 0, errored: 0 });
    expect(res.stdout).toContain(` Gate  ✗ failed ${reason}\n`);
    expect(res.stdout).toMatch(new RegExp(`Cases +${ran} passed \\| ${CASES - ran} not run \\(${CASES}\\)`));
    expect(junit).toContain(`tests="${CASES}" failures="0" errors="0" skipped="${CASES - ran}"`);
    expect(junit).toContain('<property name="gate" value="failed"/>');
    expect(junit).toContain(`<property name="gate.reason" value="${reason}"/>`);
    expect(junit).toContain(`<property name="gate.max cost" value="failed: ${reason}"/>`);
    const summary = readFileSync(summaryFile, "utf8");
    expect(summary).toMatch(/^## jury: ❌ gate failed/);
    expect(summary).toContain(reason);
    expect(html).toContain(
      `The run stopped at its budget (--max-cost): ${ran} of ${CASES} planned cases have results.`,
    );
    expect(html).toContain(`Gate failed: ${reason}.`);

    // The same budget again: what was spent already reaches it, so nothing more starts.
    const again = await runCli(root, ["--resume", "latest", "--max-cost", String(BUDGET), ...REPORTERS]);
    expect(again.code).toBe(1);
    expect(outputs(root).results).toHaveLength(ran);
    expect(outputs(root).runJson.status).toBe("budget");

    // A higher budget: --resume runs the rest, and the gate is evaluated on the whole run.
    const rest = await runCli(root, ["--resume", "latest", "--max-cost", "1", ...REPORTERS]);
    expect(rest.code).toBe(0);
    const done = outputs(root);
    expect(done.runJson.status).toBe("completed");
    expect(done.results).toHaveLength(CASES);
    expect(done.runJson.gate?.checks.find((c) => c.name === "max cost")).toEqual({
      name: "max cost",
      passed: true,
      reason: `cost $${(CASES * CASE_COST).toFixed(4)} ≤ $1`,
    });
  });
});
