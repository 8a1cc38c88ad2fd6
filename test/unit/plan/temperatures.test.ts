import { describe, expect, it } from "vitest";
import { expandTemperatures } from "../../../src/plan/temperatures.ts";

describe("expandTemperatures", () => {
  it("keeps only the base without variations", () => {
    expect(expandTemperatures(0.7, 0)).toEqual([0.7]);
  });

  it("adds ±25% steps, rounded to 3 places, ascending", () => {
    expect(expandTemperatures(0.7, 1)).toEqual([0.525, 0.7, 0.875]);
    expect(expandTemperatures(0.4, 2)).toEqual([0.2, 0.3, 0.4, 0.5, 0.6]);
  });

  it("never produces 0, negatives or values above 1 (the seed did)", () => {
    const ts = expandTemperatures(0.7, 4);
    // 0.7·(1 − 1.0) = 0 is dropped; 0.7·1.5 = 1.05 and above are dropped.
    expect(ts).toEqual([0.175, 0.35, 0.525, 0.7, 0.875]);
    expect(ts.every((t) => t > 0 && t <= 1)).toBe(true);
  });

  it("keeps a base of 0 as written (deterministic runs) and adds nothing around it", () => {
    expect(expandTemperatures(0, 3)).toEqual([0]);
  });

  it("de-duplicates after rounding", () => {
    expect(expandTemperatures(0.001, 1)).toEqual([0.001]);
  });
});
