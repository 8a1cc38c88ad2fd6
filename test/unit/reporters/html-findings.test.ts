import { describe, expect, it } from "vitest";
import { pageData } from "../../../reporters/html/data.ts";
import {
  BUCKETS,
  bucketBounds,
  bucketOf,
  bucketShares,
  coefficientOfVariation,
  iqrOutliers,
  keyFindings,
} from "../../../reporters/html/findings.ts";
import { decodeData } from "../../../reporters/html/rows.ts";
import { chartData, specContext } from "../../../reporters/html/specs/index.ts";
import { sampleReport } from "../../support/html-report.ts";

const oneToHundred = Array.from({ length: 100 }, (_, k) => k + 1);

describe("percentile buckets", () => {
  it("bounds are the p50, p90, p95 and p99 of the values, interpolated as numpy does", () => {
    const bounds = bucketBounds(oneToHundred) ?? [];
    [50.5, 90.1, 95.05, 99.01].forEach((want, k) => {
      expect(bounds[k]).toBeCloseTo(want, 9);
    });
    expect(bucketBounds([])).toBeUndefined();
  });

  it("a value at a bound belongs to the bucket below it; above p99 is the last bucket", () => {
    const bounds = [10, 20, 30, 40];
    expect([5, 10, 10.5, 20, 25, 35, 40, 41].map((v) => bucketOf(v, bounds))).toEqual([
      0, 0, 1, 1, 2, 3, 3, 4,
    ]);
  });

  it("shares of every bucket sum to 1 and count each value once", () => {
    const bounds = bucketBounds(oneToHundred) as number[];
    const shares = bucketShares(oneToHundred, bounds);
    expect(shares.map((b) => b.bucket)).toEqual([...BUCKETS]);
    expect(shares.map((b) => b.n)).toEqual([50, 40, 5, 4, 1]);
    expect(shares.reduce((s, b) => s + b.share, 0)).toBeCloseTo(1, 12);
    expect(bucketShares([], bounds).every((b) => b.n === 0 && b.share === 0)).toBe(true);
  });

  it("the chart's data: each model's cases against the whole run's bounds, whatever the filter keeps", () => {
    const rows = decodeData(pageData(sampleReport()));
    const ctx = specContext(rows);
    const all = chartData("ttft-buckets", rows, ctx).ttftBuckets ?? [];
    // mock/b is 50 ms slower on every case: more of its cases sit above the run's median.
    const above = (model: string) =>
      all.filter((d) => d.model === model && d.order !== 0).reduce((s, d) => s + (d.share as number), 0);
    expect(above("mock/b")).toBeGreaterThan(above("mock/a"));
    for (const model of ["mock/a", "mock/b"]) {
      const mine = all.filter((d) => d.model === model);
      expect(mine).toHaveLength(5);
      expect(mine.reduce((s, d) => s + (d.n as number), 0)).toBe(mine[0]?.total);
    }
    const onlyA = { ...rows, cases: rows.cases.filter((r) => r.model === "mock/a") };
    expect((chartData("ttft-buckets", onlyA, ctx).ttftBuckets ?? []).map((d) => d.share)).toEqual(
      all.filter((d) => d.model === "mock/a").map((d) => d.share),
    );
  });
});

describe("key findings", () => {
  it("coefficient of variation is the sample sd over the mean; undefined below two values or at a mean ≤ 0", () => {
    expect(coefficientOfVariation([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7) / 5, 12);
    expect(coefficientOfVariation([3])).toBeUndefined();
    expect(coefficientOfVariation([-1, 1])).toBeUndefined();
  });

  it("IQR outliers lie outside Tukey's fences; none below four values", () => {
    const fences = iqrOutliers([1, 2, 3, 4, 5, 6, 7, 8, 100]);
    // Q1 3, Q3 7, IQR 4: fences -3 and 13.
    expect(fences).toEqual({ low: -3, high: 13, outliers: [100] });
    expect(iqrOutliers([1, 2, 1000])).toBeUndefined();
  });

  it("names the model of lowest CV the most consistent, counts every model's outliers", () => {
    const f = keyFindings([
      { model: "steady", values: [100, 101, 102, 103, 104] },
      { model: "jumpy", values: [10, 11, 12, 13, 14, 15, 16, 500] },
      { model: "single", values: [7] },
    ]);
    expect(f.mostConsistent?.model).toBe("steady");
    expect(f.outliers).toBe(1);
    expect(f.models.map((m) => [m.model, m.n, m.outliers])).toEqual([
      ["steady", 5, 0],
      ["jumpy", 8, 1],
      ["single", 1, null],
    ]);
    expect(f.models[2]?.cv).toBeNull();
    expect(keyFindings([{ model: "single", values: [7] }]).mostConsistent).toBeUndefined();
  });
});
