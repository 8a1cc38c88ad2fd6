import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../src/simulator/server.ts";
import type { RunReportWithResults as RunReport } from "../../src/types.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";

const line = (o: object) => JSON.stringify(o);
const env = { OPENAI_API_KEY: "sk-test-cache-000000", GEMINI_API_KEY: "gemini-test-cache-000" };

function project(sim: Simulator, scenarios = 4) {
  return createFixtureProject({
    "config/models_profiles.jsonl": line({
      model_id: "openai/gpt-4o-mini",
      base_url: `${sim.url}/v1`,
      input_token_cost: 0.001,
      output_token_cost: 0.002,
    }),
    "config/judge_profiles.jsonl": [
      line({
        model_id: "gemini/gemini-2.0-flash",
        base_url: sim.url,
        input_cost_per_1k: 0.001,
        output_cost_per_1k: 0.004,
      }),
      line({
        model_id: "openai/gpt-4o",
        base_url: `${sim.url}/v1`,
        input_cost_per_1k: 0.0025,
        output_cost_per_1k: 0.01,
      }),
    ].join("\n"),
    "evals/c.eval.jsonl": Array.from({ length: scenarios }, (_, i) =>
      line({
        text_prompt: `Question ${i}?`,
        task: { task_type: "QA", task_criteria: "c" },
        golden_answer: `Simulated answer from gpt-4o-mini. You asked: Question ${i}?`,
      }),
    ).join("\n"),
  });
}
const report = (root: string) =>
  JSON.parse(readFileSync(join(root, "outputs", "report.json"), "utf8")) as RunReport;
const verdicts = (r: RunReport) =>
  r.results
    .map((x) => [
      x.caseId,
      x.state,
      x.output,
      x.jury?.verdicts.map((v) => (v.status === "scored" ? v.scores : v.status)),
    ])
    .sort();

describe("--cache", () => {
  it("records target and judge calls, then replays them with the simulator down: same verdicts, no cost", async () => {
    const sim = await startSimulator({ ttftMs: 20, tokensPerS: 0 });
    const root = project(sim);
    const first = await runCli(root, ["--cache", "on", "--reporter", "json", "--min-pass-rate", "0"], env);
    expect(first.code).toBe(0);
    const recorded = report(root);
    expect(existsSync(join(root, ".evals-cache", "target"))).toBe(true);
    expect(readdirSync(join(root, ".evals-cache", "judge")).length).toBeGreaterThan(0);
    await sim.close();

    const replay = await runCli(
      root,
      ["--cache", "replay", "--reporter", "json", "--min-pass-rate", "0"],
      env,
    );
    expect(replay.stderr).toBe("");
    expect(replay.code).toBe(0);
    const replayed = report(root);
    expect(verdicts(replayed)).toEqual(verdicts(recorded));
    expect(replayed.summaries.cache.hits).toBe(4 * 3);
    expect(replayed.summaries.cache.costSaved).toBeCloseTo(recorded.summaries.overall.cost, 10);
    expect(replayed.summaries.overall.cost).toBe(0);
    // Replayed timings are the recorded ones: they stay out of latency statistics.
    expect(replayed.results.every((r) => r.metrics?.cached)).toBe(true);
    expect(replayed.summaries.overall.ttftMs).toEqual({});
  });

  it("replay fails a case on a miss instead of calling a model", async () => {
    const sim = await startSimulator({ ttftMs: 0, tokensPerS: 0 });
    const root = project(sim, 1);
    await sim.close();
    const res = await runCli(root, ["--cache", "replay", "--reporter", "json"], env);
    expect(res.code).toBe(1);
    const r = report(root).results[0];
    expect(r?.state).toBe("errored");
    expect(r?.error?.message).toMatch(
      /^cache miss in replay mode: no recorded target call [0-9a-f]{12} \(record it with --cache on\)$/,
    );
  });
});
