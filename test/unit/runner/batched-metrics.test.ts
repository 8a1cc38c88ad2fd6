import { describe, expect, it } from "vitest";
import { parseProfiles } from "../../../src/config/profiles.ts";
import type { MeasuredCall } from "../../../src/providers/measure-stream.ts";
import { caseMetrics } from "../../../src/runner/case-metrics.ts";
import type { CaseTask, ModelProfile } from "../../../src/types.ts";

// The engine of lane E1 hands the runner MeasuredCalls with `batched: true` (ttlbMs 0, no other timing); these are
// built here at that seam, as the engine builds them.
const model = parseProfiles(
  JSON.stringify({ model_id: "openai/gpt-4o", input_token_cost: 0.0025, output_token_cost: 0.01 }),
  "m.jsonl",
  "jsonl",
).profiles[0] as ModelProfile;
const task = { stream: true, model } as Pick<CaseTask, "stream" | "model"> as CaseTask;
const retry = { attempts: 1, retries: 0, backoffMs: 0, throttleWaitMs: 0, throttled: 0 };
const noCache = { hits: 0, timeSavedMs: 0, tokensSaved: { input: 0, output: 0 }, costSaved: 0 };
const call = (over: Partial<MeasuredCall> = {}): MeasuredCall => ({
  text: "an answer",
  ttftMs: 120,
  ttfbMs: 100,
  ttlbMs: 900,
  inputTokens: 1000,
  outputTokens: 101,
  tokensEstimated: false,
  contentChunks: 20,
  ...over,
});
const metricsOf = (calls: MeasuredCall[]) =>
  caseMetrics(task, calls, { ...retry }, noCache, "2026-12-07T00:00:00.000Z", 5, 0);
const LATENCY = ["ttftMs", "ttfbMs", "ttlbMs", "ttfrMs", "otps", "itlMs", "e2eTps"] as const;

describe("a case's metrics from its calls", () => {
  it("measured: every latency figure, no batched flag", () => {
    const m = metricsOf([call({ ttfrMs: 50 })]);
    expect(m).toMatchObject({ ttftMs: 120, ttfbMs: 100, ttlbMs: 900, ttfrMs: 50 });
    expect(m.otps).toBeCloseTo(100 / 0.78, 9);
    expect(m.batched).toBeUndefined();
    expect(m.responseCost).toBeCloseTo(0.0025 + 0.00101, 12);
  });

  it("batched: no latency field at all (absent, never 0), batched: true, and the answer at batch prices", () => {
    const m = metricsOf([
      {
        text: "an answer",
        ttlbMs: 0,
        inputTokens: 1000,
        outputTokens: 101,
        tokensEstimated: false,
        contentChunks: 1,
        batched: true,
      },
    ]);
    expect(m.batched).toBe(true);
    expect(m.streamed).toBe(false);
    for (const k of LATENCY) expect(k in m, k).toBe(false);
    expect(m).toMatchObject({ inputTokens: 1000, outputTokens: 101 });
    expect(m.responseCost).toBeCloseTo((0.0025 + 0.00101) / 2, 12);
  });
});
