import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { optimizePrompts } from "../../../src/optimize/prompt-optimizer.ts";
import { type Simulator, startSimulator } from "../../../src/simulator/server.ts";
import { profile, samplePlan } from "../../support/plan.ts";

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 0, tokensPerS: 0, seed: "optimize" });
  vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIASIMULATED0000000");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "simulated-secret-key-0000000000");
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await sim.close();
});

describe("optimizePrompts", () => {
  it("returns new cases, the optimized ones with OptimizePrompt's prompt, the input untouched", async () => {
    const nova = profile("bedrock/us.amazon.nova-pro-v1:0", {
      provider: "bedrock",
      modelId: "us.amazon.nova-pro-v1:0",
      model: "us.amazon.nova-pro-v1:0",
      region: "us-east-1",
      baseUrl: sim.url,
    });
    const plan = samplePlan([nova, profile("mock/a")], undefined, { promptOptimization: "evaluate_both" });
    const before = JSON.stringify(plan);
    const settings = { retry: { maxAttempts: 1, baseMs: 0, capMs: 0, maxTotalMs: 0 }, timeoutMs: 10_000 };
    const { cases, log } = await optimizePrompts(plan.cases, "evaluate_both", settings);
    expect(JSON.stringify(plan)).toBe(before);
    expect(cases).toHaveLength(plan.cases.length);
    const optimized = cases.filter((c) => c.record.variant === "optimized");
    expect(optimized.length).toBeGreaterThan(0);
    for (const [i, c] of cases.entries()) {
      const original = plan.cases[i];
      if (c.record.variant === "optimized") {
        expect(c.task.scenario.prompt).not.toBe(original?.task.scenario.prompt);
        expect(c.task.scenario.prompt).toContain(original?.task.scenario.prompt);
      } else expect(c).toEqual(original);
    }
    expect(log.entries.every((e) => e.status === "optimized")).toBe(true);
  });
});
