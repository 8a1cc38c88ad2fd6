import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyPreflight, checkAccess } from "../../../src/runner/preflight.ts";
import { type Simulator, startSimulator } from "../../../src/simulator/server.ts";
import { profile, samplePlan } from "../../support/plan.ts";
import { capture } from "../../support/streams.ts";

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 0, tokensPerS: 0, seed: "preflight" });
});
afterAll(async () => {
  await sim.close();
});

const local = (name: string, baseUrl: string) =>
  profile(`openai-compatible/${name}`, { provider: "openai-compatible", baseUrl });

describe("checkAccess", () => {
  it("probes nothing and returns the plan as it is when every profile is simulated", async () => {
    const plan = samplePlan();
    const out = capture();
    const checked = await checkAccess(plan, false, out.stream);
    expect(checked).toEqual({ plan, warnings: [] });
    expect(out.text()).toBe("");
  });

  it("drops an unreachable target's cases in a new plan, with a warning, the input plan untouched", async () => {
    // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    const plan = samplePlan([local("up", `${sim.url}/v1`), local("down", "http://127.0.0.1:9/v1")]);
    const before = JSON.stringify(plan);
    const out = capture();
    const checked = await checkAccess(plan, false, out.stream);
    expect(checked.plan.cases.map((c) => c.record.model)).toEqual([
      "openai-compatible/up",
      "openai-compatible/up",
      "openai-compatible/up",
    ]);
    expect(checked.plan.skipped).toEqual(plan.skipped);
    expect(checked.warnings).toEqual([
      expect.stringMatching(/^model openai-compatible\/down is not reachable and its cases are dropped: /),
    ]);
    expect(out.text()).toMatch(
      /Access check\n\s+openai-compatible\/up\s+model\s+✓ \d+ms\n\s+openai-compatible\/down\s+model\s+✗ /,
    );
    expect(JSON.stringify(plan)).toBe(before);
  });
});

describe("applyPreflight", () => {
  it("takes an unreachable judge off every jury with new cases, the input untouched", () => {
    const plan = samplePlan(undefined, [profile("mock/j"), profile("mock/k")]);
    const before = JSON.stringify(plan.cases);
    const probes = [
      { key: "mock/a", roles: ["model" as const], reachable: true },
      { key: "mock/k", roles: ["judge" as const], reachable: false, reason: "access denied" },
    ];
    const { cases, warnings } = applyPreflight(plan.cases, probes, false);
    expect(cases.map((c) => c.task.judges.map((j) => j.key))).toEqual(plan.cases.map(() => ["mock/j"]));
    expect(warnings).toEqual(["judge mock/k is not reachable and leaves the jury: access denied"]);
    expect(JSON.stringify(plan.cases)).toBe(before);
    expect(plan.cases.every((c) => c.task.judges.length === 2)).toBe(true);
  });

  it("refuses an unreachable target under --strict", () => {
    const plan = samplePlan();
    const probes = [{ key: "mock/b", roles: ["model" as const], reachable: false, reason: "unknown model" }];
    expect(() => applyPreflight(plan.cases, probes, true)).toThrow(
      "--strict: unreachable models: mock/b (unknown model)",
    );
  });
});
