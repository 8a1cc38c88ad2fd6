// Issue 15 §7: the RPM table counts failed attempts. A mock model that fails some attempts, each retried until
// it succeeds, is not a 0% error rate: error rate = failed requests ÷ requests, success = the rest.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunReportWithResults } from "../../src/types.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";

const line = (o: object) => JSON.stringify(o);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

describe("RPM table", () => {
  it("a model whose failed attempts were all retried has their share as its error rate", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": line({
        model_id: "mock/shaky",
        target_rpm: 60_000,
        mock: { quality: 1, ttft_ms: 0, tokens_per_s: 0, error_rate: 0.3 },
      }),
      "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
      "evals/r.eval.jsonl": Array.from({ length: 40 }, (_, i) =>
        line({
          text_prompt: `Question ${i}?`,
          task: { task_type: "QA", task_criteria: "exact" },
          golden_answer: `Answer ${i}.`,
        }),
      ).join("\n"),
      // Enough fast attempts for every case to get its answer in the end.
      "evals.config.yaml": "run:\n  retry:\n    baseMs: 1\n    capMs: 5\n    maxAttempts: 10\n",
    });
    const res = await runCli(root, ["--reporter", "default", "--reporter", "json", "--min-pass-rate", "0"]);
    const report = JSON.parse(
      readFileSync(join(root, "outputs", "report.json"), "utf8"),
    ) as RunReportWithResults;
    const attempts = report.results.reduce((n, r) => n + (r.metrics?.attempts ?? 0), 0);
    const retried = report.results.reduce((n, r) => n + (r.metrics?.retries ?? 0), 0);
    // The run: no case errored, yet some of the requests failed.
    expect(report.summaries.overall.errored).toBe(0);
    expect(retried).toBeGreaterThan(5);

    const [rate] = report.summaries.rate;
    expect(rate).toMatchObject({ model: "mock/shaky", requests: attempts, failedRequests: retried });
    expect(rate?.errorRate).toBeCloseTo(retried / attempts, 12);
    expect(rate?.successRate).toBeCloseTo((attempts - retried) / attempts, 12);
    const load = res.stdout.split("\n").find((l) => l.includes("mock/shaky  target 60000"));
    expect(load).toContain(` · ${attempts} requests (${retried} failed) · `);
    expect(load).toMatch(
      new RegExp(` · success ${pct((attempts - retried) / attempts)} · errors ${pct(retried / attempts)}$`),
    );
  });
});
