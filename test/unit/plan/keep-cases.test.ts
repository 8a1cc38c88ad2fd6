import { describe, expect, it } from "vitest";
import { keepCases } from "../../../src/plan/keep-cases.ts";
import { samplePlan } from "../../support/plan.ts";

describe("keepCases", () => {
  it("returns a new plan of the cases to run and the skipped ones whose id it keeps, the input untouched", () => {
    const plan = samplePlan();
    const before = JSON.stringify(plan);
    const done = new Set([plan.cases[0]?.record.id, plan.cases[3]?.record.id, plan.skipped[1]?.id]);
    const left = keepCases(plan, (id) => !done.has(id));
    expect(left.cases.map((c) => c.record.id)).toEqual(
      plan.cases.filter((_, i) => i !== 0 && i !== 3).map((c) => c.record.id),
    );
    expect(left.skipped).toEqual([plan.skipped[0]]);
    expect(left.problems).toEqual(plan.problems);
    // The same cases, not copies of them; the plan and its lists are new.
    expect(left.cases[0]).toEqual(plan.cases[1]);
    expect(left).not.toBe(plan);
    expect(JSON.stringify(plan)).toBe(before);
  });

  it("keeps the whole plan, in order, when every id is kept", () => {
    const plan = samplePlan();
    const all = keepCases(plan, () => true);
    expect(all).toEqual(plan);
    expect(all).not.toBe(plan);
  });
});
