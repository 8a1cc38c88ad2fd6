// Issue 16 #1 through a real run: judges served by the simulator over the OpenAI-compatible wire answer in the
// styles real models use (a <think> block holding braces, "4/5" strings, the array form, a Python dict, JSON with
// comments) — styles that used to be thrown away as "unparseable" abstentions, costing the jury its quorum.
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEvals } from "../../src/node.ts";
import { type Simulator, startSimulator } from "../../src/simulator/server.ts";
import { createFixtureProject } from "../support/fixture-project.ts";

const STYLES = ["think", "fraction", "array", "python", "comments"];
const line = (o: object) => JSON.stringify(o);
const quiet = () => new Writable({ write: (_c, _e, cb) => cb() });

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 0, tokensPerS: 0 });
});
afterAll(async () => {
  await sim.close();
});

describe("judges answering in real models' styles", () => {
  it("are scored, not abstained, in a run with real workers and the OpenAI SDK", async () => {
    const root = createFixtureProject({
      // quality 1: the model answers the golden answer, so every judge scores every dimension 5.
      "config/models_profiles.jsonl": line({ model_id: "mock/exact", mock: { quality: 1, ttft_ms: 0 } }),
      "config/judge_profiles.jsonl": STYLES.map((s) =>
        line({ model_id: `openai-compatible/style-${s}-judge`, base_url: `${sim.url}/v1` }),
      ).join("\n"),
      "evals/styles.eval.jsonl": line({
        text_prompt: "What is 6 times 7?",
        task: { task_type: "Math", task_criteria: "exact" },
        golden_answer: "6 times 7 is 42.",
      }),
    });
    const done = await startEvals({ root, stdout: quiet(), stderr: quiet(), metrics: ["Brand voice"] });
    const [result] = await done.results.all();
    const verdicts = result?.jury?.verdicts ?? [];
    expect(verdicts.map((v) => [v.judge, v.status, v.status === "abstained" ? v.detail : ""])).toEqual(
      STYLES.map((s) => [`openai-compatible/style-${s}-judge`, "scored", ""]),
    );
    for (const v of verdicts) {
      expect(v.status === "scored" && v.scores).toEqual({
        correctness: 5,
        completeness: 5,
        relevance: 5,
        format: 5,
        coherence: 5,
        following_instructions: 5,
        brand_voice: 5,
      });
    }
    expect(result?.state).toBe("passed");
    expect(done.exitCode).toBe(0);
  });
});
