// A run with many cases in flight adds no abort listener per case to the run's signal: Node warns
// (MaxListenersExceededWarning) past 10 listeners on one AbortSignal, on stderr of every CI log.
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { startEvals } from "../../src/node.ts";
import { createFixtureProject } from "../support/fixture-project.ts";

const line = (o: object) => JSON.stringify(o);
const quiet = () => new Writable({ write: (_c, _e, cb) => cb() });

describe("a run with --concurrency 32", () => {
  const warnings: Error[] = [];
  const onWarning = (w: Error) => warnings.push(w);
  afterEach(() => {
    process.off("warning", onWarning);
    warnings.length = 0;
  });

  for (const threads of [true, false])
    it(`emits no process warning (${threads ? "worker threads" : "--no-threads"})`, async () => {
      const root = createFixtureProject({
        "config/models_profiles.jsonl": line({ model_id: "mock/slow", mock: { quality: 1, ttft_ms: 50 } }),
        "config/judge_profiles.jsonl": line({ model_id: "mock/judge" }),
        "evals/a.eval.jsonl": Array.from({ length: 64 }, (_, i) =>
          line({ text_prompt: `Q${i}`, task: { task_type: "T", task_criteria: "c" }, golden_answer: "A." }),
        ).join("\n"),
      });
      process.on("warning", onWarning);
      const { results } = await startEvals({
        root,
        concurrency: 32,
        workers: 2,
        threads,
        signal: new AbortController().signal,
        stdout: quiet(),
        stderr: quiet(),
      });
      expect(await results.all()).toHaveLength(64);
      // A warning is emitted on the next tick: let it arrive before looking.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((w) => `${w.name}: ${w.message}`)).toEqual([]);
    }, 60_000);
});
