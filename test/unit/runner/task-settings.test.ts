import { describe, expect, it } from "vitest";
import { createRateLimits } from "../../../src/providers/rate-limit.ts";
import { withTaskSettings } from "../../../src/runner/task-settings.ts";
import { samplePlan } from "../../support/plan.ts";

describe("withTaskSettings", () => {
  it("gives each task its model's rate-limit slot and every task the cache, in a new plan", () => {
    const plan = samplePlan();
    const before = JSON.stringify(plan);
    const rateLimits = createRateLimits([{ key: "mock/b", rpm: 60 }]);
    const cache = { mode: "on" as const, dir: "/p/.evals-cache" };
    const set = withTaskSettings(plan, { rateLimits, cache });
    for (const [i, c] of set.cases.entries()) {
      expect(c.task.cache).toEqual(cache);
      expect(c.task.rateLimit).toBe(c.task.model.key === "mock/b" ? rateLimits.get("mock/b") : undefined);
      expect(c.record).toEqual(plan.cases[i]?.record);
    }
    expect(set.skipped).toEqual(plan.skipped);
    // The input plan and its tasks are untouched.
    expect(JSON.stringify(plan)).toBe(before);
    expect(plan.cases.some((c) => c.task.cache || c.task.rateLimit)).toBe(false);
  });

  it("leaves tasks as they are with no slot and no cache", () => {
    const plan = samplePlan();
    const same = withTaskSettings(plan, { rateLimits: new Map() });
    expect(same).toBe(plan);
  });

  it("holds no task object per case: each case makes its task with the settings when asked", () => {
    const plan = samplePlan();
    const set = withTaskSettings(plan, { rateLimits: new Map(), cache: { mode: "on", dir: "/p/c" } });
    for (const c of set.cases) {
      expect(Object.getOwnPropertyDescriptor(c, "task")?.get).toBeTypeOf("function");
      expect(c.task).not.toBe(c.task);
      expect(c.task.cache).toEqual({ mode: "on", dir: "/p/c" });
    }
  });
});
