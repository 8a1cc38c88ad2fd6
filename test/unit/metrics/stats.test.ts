import { describe, expect, it } from "vitest";
import {
  BOOTSTRAP_RESAMPLES,
  bootstrapMeanCi,
  bootstrapRatio,
  bootstrapRatios,
  clusteredBootstrapMeanCi,
} from "../../../src/metrics/bootstrap.ts";
import { seededRandom } from "../../../src/metrics/random.ts";
import {
  mean,
  meanCi,
  meanDimensionScore,
  median,
  normalDensity,
  percentile,
  quantileCi,
  stdev,
  wilson,
} from "../../../src/metrics/stats.ts";

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

  it("averages a case's dimension scores, leaving out those no judge scored (NaN)", () => {
    expect(meanDimensionScore([{ score: 4 }, { score: Number.NaN }, { score: 2.5 }])).toBe(3.25);
    expect(meanDimensionScore([{ score: Number.NaN }])).toBeUndefined();
    expect(meanDimensionScore([])).toBeUndefined();
  });
});

/** `n` draws of N(mu, sigma²) (Box–Muller on a seeded generator). */
function normals(n: number, mu: number, sigma: number, seed: string): number[] {
  const r = seededRandom(seed);
  return Array.from(
    { length: n },
    () => mu + sigma * Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()),
  );
}

function sd(xs: readonly number[]): number {
  const m = mean(xs) as number;
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

describe("quantileCi", () => {
  const ranks = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

  it("gives the order statistics of Conover's table for the median (n = 6, 10, 20, 100)", () => {
    // n = 6: P(B ≤ 0) = 1/64 ≤ 0.025 and P(B ≤ 5) = 63/64 ≥ 0.975 → [x(1), x(6)], coverage 96.9%.
    expect(quantileCi(ranks(6), 0.5)).toEqual([1, 6]);
    expect(quantileCi([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5)).toEqual([2, 9]);
    expect(quantileCi(ranks(20), 0.5)).toEqual([6, 15]);
    expect(quantileCi(ranks(100), 0.5)).toEqual([40, 61]);
  });

  it("gives the order statistics of an upper quantile: p95 of 100 values is [x(90), x(100)]", () => {
    // B ~ Binomial(100, 0.95): P(B ≤ 89) = 0.0115 ≤ 0.025 < P(B ≤ 90); P(B ≤ 98) = 0.963 < 0.975 ≤ P(B ≤ 99) = 0.994.
    expect(quantileCi(ranks(100), 0.95)).toEqual([90, 100]);
  });

  it("has no interval when the sample is too small for either end", () => {
    expect(quantileCi([], 0.5)).toBeUndefined();
    expect(quantileCi([5], 0.5)).toBeUndefined();
    expect(quantileCi(ranks(5), 0.5)).toBeUndefined(); // 0.5⁵ = 0.031 > 0.025
    expect(quantileCi(ranks(71), 0.95)).toBeUndefined(); // 0.95⁷¹ = 0.026 > 0.025
    expect(quantileCi(ranks(72), 0.95)).toBeDefined();
  });

  it("covers the quantile at least 95% of the time, whatever the distribution (exponential, n = 30)", () => {
    const random = seededRandom("quantile-ci");
    const truth = Math.log(2); // the median of Exp(1)
    let covered = 0;
    const trials = 2000;
    for (let t = 0; t < trials; t++) {
      const xs = Array.from({ length: 30 }, () => -Math.log(1 - random())).sort((a, b) => a - b);
      const [lo, hi] = quantileCi(xs, 0.5) as [number, number];
      if (lo <= truth && truth <= hi) covered++;
    }
    expect(covered / trials).toBeGreaterThanOrEqual(0.94);
  });

  it("stays finite at large n (20,000 values)", () => {
    const [lo, hi] = quantileCi(ranks(20_000), 0.5) as [number, number];
    expect(lo).toBeGreaterThan(9800);
    expect(hi).toBeLessThan(10_200);
    expect(lo).toBeLessThan(10_000);
    expect(hi).toBeGreaterThan(10_000);
  });
});

describe("stdev, meanCi and normalDensity", () => {
  it("sample standard deviation (n − 1), undefined below two values", () => {
    expect(stdev([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.13809, 5);
    expect(stdev([3])).toBeUndefined();
    expect(stdev([])).toBeUndefined();
  });

  it("the mean ± 1.96 standard errors, undefined below two values", () => {
    const [lo, hi] = meanCi([1, 2, 3]) as [number, number];
    expect(lo).toBeCloseTo(2 - 1.959964 / Math.sqrt(3), 12);
    expect(hi).toBeCloseTo(2 + 1.959964 / Math.sqrt(3), 12);
    expect(meanCi([5])).toBeUndefined();
  });

  it("the normal density: 1/√(2π) at the mean of the standard normal, symmetric", () => {
    expect(normalDensity(0, 0, 1)).toBeCloseTo(0.398942, 6);
    expect(normalDensity(12, 10, 2)).toBeCloseTo(normalDensity(8, 10, 2), 15);
    expect(normalDensity(12, 10, 2)).toBeCloseTo(0.120985, 6);
  });
});

describe("bootstrapMeanCi", () => {
  it("gives a zero-width interval for a degenerate sample and nothing for no sample", () => {
    expect(bootstrapMeanCi([3, 3, 3, 3])).toEqual([3, 3]);
    expect(bootstrapMeanCi([4])).toEqual([4, 4]);
    expect(bootstrapMeanCi([])).toBeUndefined();
  });

  it("matches the exact bootstrap distribution of a two-point sample", () => {
    // Resample means of [0, 1] are 0, ½ and 1 with probabilities ¼, ½, ¼: the 2.5th percentile is 0, the 97.5th 1.
    expect(bootstrapMeanCi([0, 1])).toEqual([0, 1]);
  });

  it("agrees with mean ± 1.96·sd/√n on a large normal sample, whatever the seed", () => {
    const xs = normals(2000, 3, 1, "normal");
    const m = mean(xs) as number;
    const half = (1.959964 * sd(xs)) / Math.sqrt(xs.length);
    for (const seed of ["bootstrap", "a", "b", "c"]) {
      const [lo, hi] = bootstrapMeanCi(xs, { seed }) as [number, number];
      // Monte Carlo error of 2,000 resamples: a few percent of the half-width.
      expect(Math.abs(lo - (m - half))).toBeLessThan(0.1 * half);
      expect(Math.abs(hi - (m + half))).toBeLessThan(0.1 * half);
    }
  });

  it("is deterministic: same seed, same interval; the seed is the sequence of seededRandom(seed)", () => {
    const xs = normals(50, 3, 1, "small");
    expect(bootstrapMeanCi(xs)).toEqual(bootstrapMeanCi(xs));
    expect(bootstrapMeanCi(xs)).toEqual(bootstrapMeanCi(xs, { seed: "bootstrap" }));
    expect(bootstrapMeanCi(xs, { seed: "x" })).toEqual(bootstrapMeanCi(xs, { random: seededRandom("x") }));
    expect(bootstrapMeanCi(xs, { seed: "x" })).not.toEqual(bootstrapMeanCi(xs, { seed: "y" }));
    expect(BOOTSTRAP_RESAMPLES).toBe(2000);
  });

  it("narrows with the level and steadies with more resamples", () => {
    const xs = normals(200, 3, 1, "level");
    const [lo95, hi95] = bootstrapMeanCi(xs) as [number, number];
    const [lo90, hi90] = bootstrapMeanCi(xs, { level: 0.9 }) as [number, number];
    expect(lo90).toBeGreaterThan(lo95);
    expect(hi90).toBeLessThan(hi95);
    const few = bootstrapMeanCi(xs, { resamples: 10 }) as [number, number];
    expect(few[0]).toBeLessThan(few[1]);
  });
});

describe("clusteredBootstrapMeanCi", () => {
  it("is the plain bootstrap when every cluster holds one value", () => {
    const xs = normals(40, 3, 1, "singletons");
    expect(clusteredBootstrapMeanCi(xs.map((x) => [x]))).toEqual(bootstrapMeanCi(xs));
  });

  it("is about √5 times wider than the naive interval when each cluster repeats one value 5 times", () => {
    const clusters = normals(30, 3, 1, "clusters").map((v) => [v, v, v, v, v]);
    const [nlo, nhi] = bootstrapMeanCi(clusters.flat()) as [number, number];
    const [clo, chi] = clusteredBootstrapMeanCi(clusters) as [number, number];
    const ratio = (chi - clo) / (nhi - nlo);
    expect(ratio).toBeGreaterThan(1.8);
    expect(ratio).toBeLessThan(2.7);
    // Both are centred on the same mean.
    expect((clo + chi) / 2).toBeCloseTo((nlo + nhi) / 2, 1);
  });

  it("weights clusters by their size and ignores empty ones", () => {
    expect(clusteredBootstrapMeanCi([[5, 5, 5], [], [5]])).toEqual([5, 5]);
    expect(clusteredBootstrapMeanCi([[], []])).toBeUndefined();
  });
});

describe("bootstrapRatios", () => {
  it("draws the units once for every statistic: each interval is the one it would get alone", () => {
    const a = { sums: [1, 2, 3, 4, 5, 6], counts: [1, 1, 1, 1, 1, 1] };
    const b = { sums: [10, 4, 0, 9, 3, 1], counts: [2, 2, 0, 3, 1, 1] };
    const both = bootstrapRatios([a, b], { seed: "joint" });
    expect(both[0]).toEqual(bootstrapRatio(a.sums, a.counts, { seed: "joint" }));
    expect(both[1]).toEqual(bootstrapRatio(b.sums, b.counts, { seed: "joint" }));
  });

  it("gives nothing for a statistic without any count, and for no units", () => {
    const cis = bootstrapRatios([
      { sums: [1, 2], counts: [1, 1] },
      { sums: [0, 0], counts: [0, 0] },
    ]);
    expect(cis[0]).toEqual([1, 2]);
    expect(cis[1]).toBeUndefined();
    expect(bootstrapRatios([{ sums: [], counts: [] }])).toEqual([undefined]);
  });
});
