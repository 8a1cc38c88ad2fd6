// Descriptive statistics for summaries and reports (pure).

/**
 * Wilson score interval of a binomial proportion: `successes` out of `n`, at `z` standard errors
 * (1.959964 → 95%). Well-behaved at 0 and n, unlike the normal approximation.
 * @returns `[low, high]`, both within [0, 1]; `[0, 1]` when `n` is 0 (nothing is known).
 * @example wilson(81, 263) // → [0.2553, 0.3662] (rounded)
 */
export function wilson(successes: number, n: number, z = 1.959964): [number, number] {
  if (n === 0) return [0, 1];
  const p = successes / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const half = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const denom = 1 + z2 / n;
  return [Math.max(0, (centre - half) / denom), Math.min(1, (centre + half) / denom)];
}

/**
 * The `p`-th percentile (0–100) of ascending-sorted values, interpolating linearly between the two nearest
 * ranks (numpy's default, "linear"). `undefined` when there are no values.
 * @example percentile([1, 2, 3, 4], 50) // → 2.5
 */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (rank - lo);
}

/** Arithmetic mean; `undefined` when there are no values. */
export function mean(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((s, x) => s + x, 0) / values.length;
}

/** Median (the mean of the two middle values for an even count); `undefined` when there are no values. */
export function median(values: readonly number[]): number | undefined {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}
