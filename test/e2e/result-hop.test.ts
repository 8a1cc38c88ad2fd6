// A result crosses from its worker thread as its results.jsonl line (issue 22) and is written in a batch per
// event-loop turn: the files a run leaves are the ones the in-process pool (`--no-threads`, result objects written one
// by one) leaves for the same cases, but for the times measured.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { startEvals } from "../../src/node.ts";
import type { CaseResult } from "../../src/types.ts";
import { createFixtureProject } from "../support/fixture-project.ts";

const line = (o: object) => JSON.stringify(o);
const quiet = () => new Writable({ write: (_c, _e, cb) => cb() });
const CASES = 150;

/** Keys whose values are clock readings: they differ from run to run. */
const TIMES = new Set([
  "ttftMs",
  "ttfbMs",
  "ttlbMs",
  "e2eTps",
  "otps",
  "itlMs",
  "startedAt",
  "durationMs",
  "latencyMs",
  "firstRequestAt",
  "lastRequestAt",
  "at",
]);
const untimed = (text: string) => JSON.parse(text, (k, v) => (TIMES.has(k) ? undefined : v));

/** A run dir's results and unprocessed lines, by case id, without the times. */
function files(runDir: string) {
  const read = (f: string) =>
    readFileSync(join(runDir, f), "utf8")
      .split("\n")
      .filter(Boolean)
      .map(untimed)
      .sort((a: CaseResult, b: CaseResult) => a.caseId.localeCompare(b.caseId));
  return { results: read("results.jsonl"), unprocessed: read("unprocessed.jsonl") };
}

describe("results written from worker threads", () => {
  it("are the in-process pool's, line for line (times aside): same cases, states, scores, errors", async () => {
    const root = createFixtureProject({
      // A model that errs on some cases (unprocessed.jsonl), one that fails others.
      "config/models_profiles.jsonl": [
        line({ model_id: "mock/good", mock: { quality: 1, ttft_ms: 0, tokens_per_s: 0 } }),
        line({
          model_id: "mock/flaky",
          mock: { quality: 0.5, ttft_ms: 0, tokens_per_s: 0, error_rate: 0.2 },
        }),
      ].join("\n"),
      "config/judge_profiles.jsonl": [line({ model_id: "mock/j1" }), line({ model_id: "mock/j2" })].join(
        "\n",
      ),
      "evals/a.eval.jsonl": Array.from({ length: CASES / 2 }, (_, i) =>
        line({
          text_prompt: `Q${i}`,
          task: { task_type: "T", task_criteria: "c" },
          golden_answer: `A ${i}.`,
        }),
      ).join("\n"),
    });
    const run = (threads: boolean) =>
      startEvals({
        root,
        threads,
        concurrency: 16,
        maxAttempts: 1,
        stdout: quiet(),
        stderr: quiet(),
        minPassRate: 0,
      });
    const threaded = await run(true);
    const inline = await run(false);
    const a = files(threaded.runDir);
    const b = files(inline.runDir);
    expect(a.results).toHaveLength(CASES);
    expect(new Set(a.results.map((r: CaseResult) => r.state))).toEqual(
      new Set(["passed", "failed", "errored"]),
    );
    expect(a.unprocessed.length).toBeGreaterThan(0);
    expect(a.results).toEqual(b.results);
    expect(a.unprocessed).toEqual(b.unprocessed);
    // The index points at every line of results.jsonl.
    const text = readFileSync(join(threaded.runDir, "results.jsonl"), "utf8");
    const index = readFileSync(join(threaded.runDir, "results.idx"), "utf8").split("\n").filter(Boolean);
    expect(index).toHaveLength(CASES);
    for (const entry of index) {
      const [offset, length, id] = JSON.parse(entry) as [number, number, string];
      expect(
        (
          JSON.parse(
            Buffer.from(text)
              .subarray(offset, offset + length)
              .toString(),
          ) as CaseResult
        ).caseId,
      ).toBe(id);
    }
  });
});
