// The percentile buckets and "key findings" of a distribution (pure, browser-safe), as the seed's report draws
// them under each latency and cost chart: how each model's cases spread over the run's p50/p90/p95/p99, which
// model is the most consistent (lowest coefficient of variation), and each model's IQR outliers.
import { mean, percentile, stdev } from "../../src/metrics/stats.ts";

/** The buckets, in order: at or below p50, p50–p90, p90–p95, p95–p99, above p99. */
export const BUCKETS = ["≤ p50", "p50–p90", "p90–p95", "p95–p99", "> p99"] as const;

/** The p50, p90, p95 and p99 of ascending-sorted values: the buckets' upper bounds; undefined without values. */
export function bucketBounds(sorted: readonly number[]): [number, number, number, number] | undefined {
  if (!sorted.length) return undefined;
  return [50, 90, 95, 99].map((p) => percentile(sorted, p) as number) as [number, number, number, number];
}

/** The bucket (index into BUCKETS) of `value`: the first whose upper bound it does not exceed. */
export function bucketOf(value: number, bounds: readonly number[]): number {
  const k = bounds.findIndex((b) => value <= b);
  return k < 0 ? bounds.length : k;
}

/** Per bucket: how many of `values` fall in it, and their share of `values`. */
export function bucketShares(
  values: readonly number[],
  bounds: readonly number[],
): { bucket: string; order: number; n: number; share: number }[] {
  const counts = BUCKETS.map(() => 0);
  for (const v of values) counts[bucketOf(v, bounds)] = (counts[bucketOf(v, bounds)] ?? 0) + 1;
  return BUCKETS.map((bucket, order) => ({
    bucket,
    order,
    n: counts[order] ?? 0,
    share: values.length ? (counts[order] ?? 0) / values.length : 0,
  }));
}

/**
 * Coefficient of variation: sample standard deviation ÷ mean. Undefined below two values or when the mean is
 * not positive (a CV of values around zero means nothing).
 */
export function coefficientOfVariation(values: readonly number[]): number | undefined {
  const m = mean(values);
  const sd = stdev(values);
  return m === undefined || sd === undefined || m <= 0 ? undefined : sd / m;
}

/**
 * Tukey's fences: the values below Q1 − 1.5 × IQR or above Q3 + 1.5 × IQR (Q1, Q3: the 25th and 75th
 * percentiles, interpolated as `percentile` does). None below four values.
 */
export function iqrOutliers(
  sorted: readonly number[],
): { low: number; high: number; outliers: number[] } | undefined {
  if (sorted.length < 4) return undefined;
  const q1 = percentile(sorted, 25) as number;
  const q3 = percentile(sorted, 75) as number;
  const iqr = q3 - q1;
  const low = q1 - 1.5 * iqr;
  const high = q3 + 1.5 * iqr;
  return { low, high, outliers: sorted.filter((v) => v < low || v > high) };
}

/** One model's figures of a distribution. */
export interface ModelSpread {
  model: string;
  n: number;
  mean: number | null;
  cv: number | null;
  /** Cases outside Tukey's fences; null below four values. */
  outliers: number | null;
}

/** The key findings of a distribution over models. */
export interface KeyFindings {
  models: ModelSpread[];
  /** The model of lowest coefficient of variation (ties: first in order); undefined when no model has one. */
  mostConsistent?: { model: string; cv: number };
  /** Outliers of every model together. */
  outliers: number;
}

/** Key findings of each model's values (ascending-sorted), in the order given. */
export function keyFindings(groups: readonly { model: string; values: readonly number[] }[]): KeyFindings {
  let best: { model: string; cv: number } | undefined;
  let outliers = 0;
  const models = groups.map(({ model, values }): ModelSpread => {
    const cv = coefficientOfVariation(values);
    const fences = iqrOutliers(values);
    if (cv !== undefined && (!best || cv < best.cv)) best = { model, cv };
    outliers += fences?.outliers.length ?? 0;
    return {
      model,
      n: values.length,
      mean: mean(values) ?? null,
      cv: cv ?? null,
      outliers: fences ? fences.outliers.length : null,
    };
  });
  return { models, ...(best ? { mostConsistent: best } : {}), outliers };
}
