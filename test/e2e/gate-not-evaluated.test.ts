// Issue 15 §3: a run that stopped before its end — interrupted, or bailed — has a gate that is "not evaluated"
// in every output (console, report.json, run.json, the JUnit `gate` property, the GitHub step summary and an
// annotation, the HTML report), and its exit code is never 0.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withIoContext } from "../../src/io-context.ts";
import { startEvals } from "../../src/runner/start.ts";
import type { Reporter, RunReportWithResults } from "../../src/types.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";
import { tempDir } from "../support/temp-dir.ts";

const line = (o: object) => JSON.stringify(o);
const scenarios = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    line({
      text_prompt: `Question ${i}?`,
      task: { task_type: "QA", task_criteria: "exact" },
      golden_answer: `Answer ${i}.`,
    }),
  ).join("\n");

function project(quality: number, n: number): string {
  return createFixtureProject({
    "config/models_profiles.jsonl": line({
      model_id: "mock/m",
      mock: { quality, ttft_ms: 0, tokens_per_s: 0 },
    }),
    "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
    "evals/q.eval.jsonl": scenarios(n),
  });
}

const REPORTERS = ["default", "json", "junit", "github-actions", "html"];

/** Every output of a run in `root`, as files and the console show the gate. */
function outputs(root: string) {
  const out = join(root, "outputs");
  const runDir = join(out, "runs", readdirSync(join(out, "runs"))[0] as string);
  const json = (file: string) => JSON.parse(readFileSync(file, "utf8")) as RunReportWithResults;
  return {
    runJson: json(join(runDir, "run.json")),
    reportJson: json(join(out, "report.json")),
    junit: readFileSync(join(out, "junit.xml"), "utf8"),
    html: readFileSync(join(out, "report.html"), "utf8"),
  };
}

describe("the gate of a run that stopped before its end", () => {
  it("interrupted after 5 of 40 cases (an aborted signal): not evaluated everywhere, exit 130", async () => {
    const root = project(1, 40);
    const summaryFile = join(tempDir("gate-summary-"), "summary.md");
    const controller = new AbortController();
    let results = 0;
    // Aborts the run the moment its 5th result is recorded, as Ctrl-C does.
    const interrupter: Reporter = {
      onCaseResult() {
        if (++results === 5) controller.abort();
      },
    };
    let stdout = "";
    const env = { ...process.env, NO_COLOR: "1", CI: "true", GITHUB_STEP_SUMMARY: summaryFile };
    const run = await withIoContext({ env, colors: false }, () =>
      startEvals({
        root,
        reporters: REPORTERS,
        // Every case that ran passes: only the cases never run could fail the gate.
        minPassRate: 1,
        concurrency: 1,
        reporterInstances: [interrupter],
        signal: controller.signal,
        stdout: {
          write(text: string) {
            stdout += text;
            return true;
          },
        },
        stderr: { write: () => true },
      }),
    );
    expect(run.exitCode).toBe(130);
    expect(run.report.status).toBe("interrupted");
    const done = (await run.results.all()).length;
    expect(done).toBeGreaterThanOrEqual(5);
    expect(done).toBeLessThan(40);
    const reason = `the run was interrupted with ${done} of 40 cases done (--resume finishes it)`;
    expect(run.report.gate).toEqual({
      verdict: "not evaluated",
      passed: false,
      passRate: 1,
      minPassRate: 1,
      reason,
      checks: [],
    });

    const { runJson, reportJson, junit, html } = outputs(root);
    expect(runJson.gate).toEqual(run.report.gate);
    expect(reportJson.gate).toEqual(run.report.gate);
    expect(stdout).toContain(` Gate  – not evaluated ${reason}\n`);
    expect(stdout).not.toMatch(/Gate .*passed/);
    expect(junit).toContain('<property name="gate" value="not evaluated"/>');
    expect(junit).toContain(`<property name="gate.reason" value="${reason}"/>`);
    expect(junit).not.toMatch(/name="gate\.[^r]/);
    const summary = readFileSync(summaryFile, "utf8");
    expect(summary).toMatch(/^## jury: ⚠️ gate not evaluated \(simulated models\)\n/);
    expect(summary).toContain(`The gate was not evaluated: ${reason}.`);
    expect(summary).not.toContain("| Gate | Verdict |");
    expect(stdout).toContain(`::error title=jury gate not evaluated::${reason}\n`);
    expect(html).toContain(`<p class="gate warn">Gate not evaluated: ${reason}</p>`);
    expect(html).toContain(`Gate not evaluated: ${reason}.`);
    expect(html).not.toMatch(/Gate passed/);
  });

  it("bailed (--bail 1) with a lenient gate: not evaluated, exit 1 — never 0", async () => {
    const root = project(0, 30);
    const res = await runCli(root, [
      "--bail",
      "1",
      "--concurrency",
      "1",
      "--min-pass-rate",
      "0",
      ...REPORTERS.flatMap((r) => ["--reporter", r]),
    ]);
    const { runJson, reportJson, junit, html } = outputs(root);
    expect(runJson.status).toBe("bailed");
    expect(res.code).toBe(1);
    const done = runJson.results.length;
    expect(done).toBeLessThan(30);
    const reason = `the run bailed (--bail) with ${done} of 30 cases done (--resume finishes it)`;
    expect(runJson.gate).toMatchObject({ verdict: "not evaluated", passed: false, reason, checks: [] });
    expect(reportJson.gate).toEqual(runJson.gate);
    expect(res.stdout).toContain(` Gate  – not evaluated ${reason}\n`);
    expect(junit).toContain('<property name="gate" value="not evaluated"/>');
    expect(html).toContain(`<p class="gate warn">Gate not evaluated: ${reason}</p>`);
  });
});
