import { describe, expect, it } from "vitest";
import { planCases } from "../../../src/plan/expand.ts";
import { MOCK_DEFAULTS } from "../../../src/providers/mock.ts";
import { executeCase } from "../../../src/runner/execute-case.ts";
import { evalDef, planInput, profile, scenario } from "../../support/plan.ts";

// A model that streams at a known pace, run as the runner runs a case (mock provider, real timers): the metrics
// recorded must give that pace back, whatever the answer's length, on a loaded machine too.
const PACE = 100; // tok/s: one inter-token gap is 10 ms, twice the decode floor, so N = 2 has a figure.

async function measured(tokens: number) {
  const golden = Array.from({ length: tokens }, (_, i) => `w${i}`).join(" ");
  const model = profile("mock/paced", {
    mock: { ...MOCK_DEFAULTS, quality: 1, ttftMs: 20, tokensPerS: PACE },
  });
  const plan = planCases(
    planInput([evalDef("pace", [scenario(`n${tokens}`, { golden })])], {
      models: [model],
      timeoutMs: 10_000,
    }),
  );
  const task = plan.cases[0]?.task;
  if (!task) throw new Error("no case planned");
  const result = await executeCase(task);
  const m = result.metrics;
  if (!m) throw new Error(`no metrics: ${JSON.stringify(result.error)}`);
  expect(m.outputTokens).toBe(tokens);
  return m;
}

describe("OTPS and ITL against a known pace (issue 16: N − 1 tokens over TTLB − TTFT)", () => {
  it("has no OTPS or ITL for a 1-token answer", async () => {
    const m = await measured(1);
    expect(m.otps).toBeUndefined();
    expect(m.itlMs).toBeUndefined();
  });

  it("gives a sane figure for 2 tokens: one gap at the pace, never above it by more than timer slack", async () => {
    const m = await measured(2);
    // A late timer lengthens the one gap (lower OTPS); nothing can shorten it below the pace's 10 ms by more
    // than a timer firing 1 ms early.
    expect(m.otps).toBeGreaterThan(0);
    expect(m.otps).toBeLessThanOrEqual(PACE * 1.25);
    expect((m.itlMs as number) * (m.otps as number)).toBeCloseTo(1000, 6);
  });

  it.each([16, 200])("gives the pace ± a quarter at %i tokens, and ITL × OTPS = 1 s", async (tokens) => {
    const m = await measured(tokens);
    expect(m.otps).toBeGreaterThanOrEqual(PACE * 0.75);
    expect(m.otps).toBeLessThanOrEqual(PACE * 1.25);
    expect((m.itlMs as number) * (m.otps as number)).toBeCloseTo(1000, 6);
  });
});
