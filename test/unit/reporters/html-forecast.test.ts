import { describe, expect, it } from "vitest";
import { DEFAULT_MONTHLY_VOLUME, monthlyForecast, parseVolume } from "../../../reporters/html/forecast.ts";
import { meanCi } from "../../../src/metrics/stats.ts";

describe("monthly cost forecast", () => {
  it("is the volume × the mean response cost per case, with the mean's 95% interval scaled alike", () => {
    const costs = [0.001, 0.002, 0.003];
    const [f] = monthlyForecast([{ model: "m", costs }], 100_000);
    expect(f?.perCase).toBeCloseTo(0.002, 12);
    expect(f?.monthly).toBeCloseTo(200, 9);
    const [lo, hi] = meanCi(costs) as [number, number];
    expect(f?.monthlyCi?.[0]).toBeCloseTo(Math.max(0, lo * 100_000), 9);
    expect(f?.monthlyCi?.[1]).toBeCloseTo(hi * 100_000, 9);
  });

  it("has no figure without costs, no interval below two, and never an interval below $0", () => {
    const [none, one, wide] = monthlyForecast(
      [
        { model: "free?", costs: [] },
        { model: "one", costs: [0.01] },
        { model: "wide", costs: [0, 0, 0.5] },
      ],
      1000,
    );
    expect(none).toEqual({ model: "free?", n: 0, perCase: null, monthly: null, monthlyCi: null });
    expect(one?.monthly).toBeCloseTo(10, 9);
    expect(one?.monthlyCi).toBeNull();
    expect(wide?.monthlyCi?.[0]).toBe(0);
  });

  it("reads a typed volume as a whole number of requests, separators allowed", () => {
    expect(DEFAULT_MONTHLY_VOLUME).toBe(100_000);
    expect(parseVolume("250000")).toBe(250_000);
    expect(parseVolume("1,000,000")).toBe(1_000_000);
    expect(parseVolume("0")).toBe(0);
    for (const bad of ["", " ", "-5", "1.5", "lots"]) expect(parseVolume(bad), bad).toBeUndefined();
  });
});
