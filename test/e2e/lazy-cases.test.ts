// Issue 21 §5: a run's cases are a view over its plan, each record made when read — `onRunStart(cases)` and
// `RunReport.cases` behave as the read-only array they were, and run.json records the same cases.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startEvals } from "../../src/runner/start.ts";
import type { CaseRecord, Reporter, RunReport } from "../../src/types.ts";
import { createFixtureProject } from "../support/fixture-project.ts";

const line = (o: object) => JSON.stringify(o);

describe("a run's cases", () => {
  it("are a read-only view in onRunStart and the report, equal to run.json's, a record made at each read", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": [
        line({ model_id: "mock/m", mock: { quality: 1, ttft_ms: 0, tokens_per_s: 0 } }),
        line({ model_id: "mock/n", mock: { quality: 1, ttft_ms: 0, tokens_per_s: 0 } }),
      ].join("\n"),
      "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
      "evals/q.eval.jsonl": Array.from({ length: 6 }, (_, i) =>
        line({
          text_prompt: `Question ${i}?`,
          task: { task_type: "QA", task_criteria: "exact" },
          golden_answer: `Answer ${i}.`,
          ...(i === 5 ? { skip: true } : {}),
        }),
      ).join("\n"),
    });
    let started: readonly CaseRecord[] = [];
    let ended: RunReport | undefined;
    const capture: Reporter = {
      onRunStart(cases) {
        started = cases;
      },
      onRunEnd(report) {
        ended = report;
      },
    };
    const run = await startEvals({
      root,
      reporters: ["json"],
      reporterInstances: [capture],
      minPassRate: 0,
      stdout: { write: () => true },
      stderr: { write: () => true },
    });
    const runDir = join(root, "outputs", "runs", readdirSync(join(root, "outputs", "runs"))[0] as string);
    const recorded = (JSON.parse(readFileSync(join(runDir, "run.json"), "utf8")) as { cases: CaseRecord[] })
      .cases;
    expect(recorded).toHaveLength(12);
    for (const cases of [started, ended?.cases ?? [], run.report.cases]) {
      expect(Array.isArray(cases)).toBe(true);
      expect(cases).toHaveLength(12);
      expect(cases).toEqual(recorded);
      expect(JSON.parse(JSON.stringify(cases))).toEqual(recorded);
      expect([...cases].map((c) => c.id)).toEqual(recorded.map((c) => c.id));
      expect(cases.filter((c) => c.model === "mock/n")).toEqual(recorded.filter((c) => c.model === "mock/n"));
      // Made when read: equal records, not the same object.
      expect(cases[0]).not.toBe(cases[0]);
      expect(cases[0]).toEqual(cases[0]);
      expect(() => (cases as CaseRecord[]).pop()).toThrow(TypeError);
    }
    const report = JSON.parse(readFileSync(join(root, "outputs", "report.json"), "utf8")) as {
      cases: CaseRecord[];
    };
    expect(report.cases).toEqual(recorded);
    expect(run.report.summaries.overall.total).toBe(12);
  });
});
