import { describe, expect, it } from "vitest";
import { mean, median, percentile, wilson } from "../../../src/metrics/stats.ts";

const round4 = ([lo, hi]: [number, number]) => [Number(lo.toFixed(4)), Number(hi.toFixed(4))];

describe("wilson", () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I, method 3.
  it("matches Newcombe's worked examples", () => {
    expect(round4(wilson(81, 263))).toEqual([0.2553, 0.3662]);
    expect(round4(wilson(15, 148))).toEqual([0.0624, 0.1605]);
    expect(round4(wilson(0, 20))).toEqual([0, 0.1611]);
    expect(round4(wilson(1, 29))).toEqual([0.0061, 0.1718]);
    expect(round4(wilson(29, 29))).toEqual([0.883, 1]);
  });

  it("knows nothing without trials and stays within [0, 1]", () => {
    expect(wilson(0, 0)).toEqual([0, 1]);
    const [lo, hi] = wilson(1, 1);
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBe(1);
  });

  it("widens with z = 2.576 (99%)", () => {
    const [lo95, hi95] = wilson(81, 263);
    const [lo99, hi99] = wilson(81, 263, 2.575829);
    expect(lo99).toBeLessThan(lo95);
    expect(hi99).toBeGreaterThan(hi95);
  });
});

describe("percentile", () => {
  it("interpolates linearly between ranks, like numpy's default", () => {
    const xs = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect(percentile(xs, 50)).toBe(55);
    expect(percentile(xs, 95)).toBeCloseTo(95.5, 10);
    expect(percentile(xs, 0)).toBe(10);
    expect(percentile(xs, 100)).toBe(100);
    expect(percentile([1, 2, 3, 4], 25)).toBe(1.75);
  });

  it("handles one value and none", () => {
    expect(percentile([812], 95)).toBe(812);
    expect(percentile([], 50)).toBeUndefined();
  });
});

describe("mean and median", () => {
  it("computes them, undefined when empty", () => {
    expect(mean([2, 3, 2])).toBeCloseTo(7 / 3, 12);
    expect(mean([])).toBeUndefined();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });
});
