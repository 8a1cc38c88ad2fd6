// --case-timeout bounds the user's code too: a task or a check that never settles errors its own case, with the
// phase it was stuck in, and the worker goes on with the other cases it holds.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../src/simulator/server.ts";
import type { RunReportWithResults as RunReport } from "../../src/types.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";

const line = (o: object) => JSON.stringify(o);

const EVAL = `import { defineEval } from "jury";

const quickJury = ["mock/j"];
const rows = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: \`\${prefix}-\${i + 1}\`, prompt: \`Question \${i + 1}?\` }));

defineEval("stuck task", {
  scenarios: rows("task", 1),
  judges: quickJury,
  task: () => new Promise<string>(() => {}),
});

defineEval("stuck check", {
  scenarios: rows("check", 1),
  judges: quickJury,
  checks: [{ name: "never settles", run: () => new Promise<boolean>(() => {}) }],
});

// Honours its signal: rejects as soon as the case runs out of time.
defineEval("listening task", {
  scenarios: rows("listening", 1),
  judges: quickJury,
  task: ({ signal }) =>
    new Promise<string>((_, reject) => signal.addEventListener("abort", () => reject(new Error("stopped")))),
});

defineEval("slow jury", { scenarios: rows("jury", 1), judges: ["openai-compatible/slow-judge"] });

defineEval("normal", {
  scenarios: rows("normal", 6),
  judges: quickJury,
  task: async ({ scenario, generate, signal }) => \`\${await generate({ prompt: scenario.prompt })} \${signal.aborted}\`,
  checks: [
    { name: "is quick", run: ({ output, signal }) => output.endsWith(" false") && !signal.aborted },
  ],
});
`;

// Long enough for the slow-jury case's task phase (its first case loads the eval file on a cold worker) on a loaded
// 2-core machine, where 2 s was not; far below the slow judge's 20 s.
const CASE_TIMEOUT = 6000;

describe("--case-timeout", () => {
  // A judge that answers after the case's deadline: the jury phase runs out of time.
  let slowJudge: Simulator;
  beforeAll(async () => {
    slowJudge = await startSimulator({ ttftMs: 20_000, tokensPerS: 0, seed: "slow-judge" });
  });
  afterAll(async () => {
    await slowJudge.close();
  });

  it("errors a task, a check or a jury that never settles, with the phase, and runs the other cases on the same worker", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": line({
        model_id: "mock/m",
        mock: { quality: 1, ttft_ms: 0, tokens_per_s: 0 },
      }),
      "config/judge_profiles.jsonl": [
        line({ model_id: "mock/j" }),
        line({ model_id: "openai-compatible/slow-judge", base_url: `${slowJudge.url}/v1` }),
      ].join("\n"),
      "evals/stuck.eval.ts": EVAL,
    });
    const res = await runCli(root, [
      "--workers",
      "1",
      "--concurrency",
      "4",
      "--case-timeout",
      String(CASE_TIMEOUT),
      "--reporter",
      "json",
      "--min-pass-rate",
      "0",
      // The access check would wait for the slow judge too.
      "--no-preflight",
    ]);
    expect(res.stderr).not.toContain("internal error");
    expect(res.code).toBe(0);
    const report = JSON.parse(readFileSync(join(root, "outputs", "report.json"), "utf8")) as RunReport;
    const byScenario = Object.fromEntries(
      report.results.map((r) => [report.cases.find((c) => c.id === r.caseId)?.scenarioKey, r]),
    );
    expect(Object.keys(byScenario).sort()).toEqual([
      "check-1",
      "jury-1",
      "listening-1",
      ...Array.from({ length: 6 }, (_, i) => `normal-${i + 1}`),
      "task-1",
    ]);
    expect(byScenario["task-1"]).toMatchObject({
      state: "errored",
      error: {
        message: `the case timed out after ${CASE_TIMEOUT} ms (--case-timeout) during the task`,
        classification: "processing_exception",
      },
    });
    expect(byScenario["listening-1"]).toMatchObject({
      state: "errored",
      error: { message: `the case timed out after ${CASE_TIMEOUT} ms (--case-timeout) during the task` },
    });
    expect(byScenario["check-1"]).toMatchObject({
      state: "errored",
      error: {
        message: `the case timed out after ${CASE_TIMEOUT} ms (--case-timeout) during check "never settles"`,
        classification: "processing_exception",
      },
    });
    expect(byScenario["jury-1"]).toMatchObject({
      state: "errored",
      error: {
        message: `the case timed out after ${CASE_TIMEOUT} ms (--case-timeout) during the jury`,
        classification: "judge_failure",
      },
    });
    for (let i = 1; i <= 6; i++) expect(byScenario[`normal-${i}`]?.state).toBe("passed");
  });
});
