// `--concurrency` holds with real worker threads when the run can be cancelled (the CLI always passes a signal).
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { startEvals } from "../../src/node.ts";
import { createFixtureProject } from "../support/fixture-project.ts";

const line = (o: object) => JSON.stringify(o);
const quiet = () => new Writable({ write: (_c, _e, cb) => cb() });

describe("cases in flight", () => {
  it("reach --concurrency across 2 worker threads, with an abort signal given", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": line({ model_id: "mock/slow", mock: { quality: 1, ttft_ms: 300 } }),
      "config/judge_profiles.jsonl": line({ model_id: "mock/judge" }),
      "evals/a.eval.jsonl": Array.from({ length: 16 }, (_, i) =>
        line({ text_prompt: `Q${i}`, task: { task_type: "T", task_criteria: "c" }, golden_answer: "A." }),
      ).join("\n"),
    });
    const { results: reader } = await startEvals({
      root,
      concurrency: 8,
      workers: 2,
      signal: new AbortController().signal,
      stdout: quiet(),
      stderr: quiet(),
    });
    const results = await reader.all();
    // The most cases whose [start, start + duration] overlap at one moment.
    const edges = results.flatMap((r) => {
      const start = Date.parse(r.metrics?.startedAt ?? "");
      return [
        [start, 1],
        [start + (r.metrics?.durationMs ?? 0), -1],
      ] as [number, number][];
    });
    edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let now = 0;
    let most = 0;
    for (const [, d] of edges) {
      now += d;
      most = Math.max(most, now);
    }
    expect(results).toHaveLength(16);
    expect(most).toBeGreaterThanOrEqual(6);
  }, 60_000);
});
