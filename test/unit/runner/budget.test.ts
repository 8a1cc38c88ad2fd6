import { describe, expect, it } from "vitest";
import { CostBudget, caseCost } from "../../../src/runner/budget.ts";
import type { CaseResult } from "../../../src/types.ts";

describe("CostBudget", () => {
  it("estimates nothing before any case has finished", () => {
    const b = new CostBudget(0.01);
    b.start("a");
    b.start("a");
    expect(b.estimate("a")).toBeUndefined();
    expect(b.projected()).toBe(0);
    expect(b.reached()).toBe(false);
  });

  it("estimates a case in flight by the mean of its model's finished cases, else of every finished case", () => {
    const b = new CostBudget(1);
    b.start("a");
    b.start("a");
    b.finish("a", 0.1);
    b.start("a");
    b.finish("a", 0.3);
    // a's mean is 0.2; b has no finished case yet, so the mean of all (0.2) too.
    expect(b.estimate("a")).toBeCloseTo(0.2, 12);
    expect(b.estimate("b")).toBeCloseTo(0.2, 12);
    b.start("b");
    b.finish("b", 0.05);
    expect(b.estimate("b")).toBeCloseTo(0.05, 12);
    expect(b.spent()).toBeCloseTo(0.45, 12);
    // One a in flight (0.2) and two b (0.05 each).
    b.start("b");
    b.start("b");
    expect(b.projected()).toBeCloseTo(0.45 + 0.2 + 0.1, 12);
  });

  it("is reached when what was spent plus the estimate of the cases in flight reaches the limit", () => {
    const b = new CostBudget(0.5);
    b.start("m");
    b.start("m");
    b.finish("m", 0.2);
    // 0.2 spent + one in flight at 0.2 = 0.4 < 0.5.
    expect(b.reached()).toBe(false);
    b.start("m");
    // + another in flight: 0.6 ≥ 0.5.
    expect(b.reached()).toBe(true);
  });

  it("counts a resumed run's earlier results as finished cases", () => {
    const b = new CostBudget(0.3);
    b.add("m", 0.1);
    b.add("m", 0.1);
    expect(b.reached()).toBe(false);
    b.start("m");
    expect(b.projected()).toBeCloseTo(0.3, 12);
    expect(b.reached()).toBe(true);
  });

  it("free models reach no budget, not even 0", () => {
    const b = new CostBudget(0);
    b.start("m");
    b.finish("m", 0);
    b.start("m");
    expect(b.reached()).toBe(false);
    b.finish("m", 0.001);
    expect(b.reached()).toBe(true);
  });

  it("a case costs its response and its verdicts", () => {
    expect(caseCost({})).toBe(0);
    expect(
      caseCost({ metrics: { responseCost: 0.002, judgeCost: 0.001 } as CaseResult["metrics"] }),
    ).toBeCloseTo(0.003, 12);
  });
});
