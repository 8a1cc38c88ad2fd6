import { describe, expect, it } from "vitest";
import { evaluateGate } from "../../../src/gate/gate.ts";

const counts = (passed: number, failed: number, errored: number, skipped = 0) => ({
  total: passed + failed + errored + skipped,
  passed,
  failed,
  errored,
  skipped,
});

describe("evaluateGate", () => {
  it("requires every case to pass by default", () => {
    expect(evaluateGate(counts(4, 0, 0, 3), { minPassRate: 1 })).toEqual({
      passed: true,
      passRate: 1,
      minPassRate: 1,
      reason: "all 4 cases passed",
    });
    expect(evaluateGate(counts(3, 1, 0), { minPassRate: 1 })).toMatchObject({
      passed: false,
      reason: "1 of 4 cases did not pass (every case must pass; set --min-pass-rate to allow some)",
    });
  });

  it("counts errored cases as not passed", () => {
    expect(evaluateGate(counts(1, 0, 1), { minPassRate: 0.5 })).toMatchObject({
      passed: true,
      passRate: 0.5,
      reason: "pass rate 50.0% ≥ minimum 50.0%",
    });
    expect(evaluateGate(counts(1, 1, 1), { minPassRate: 0.5 })).toMatchObject({
      passed: false,
      reason: "pass rate 33.3% < minimum 50.0%",
    });
  });
});
