// Descriptive statistics for summaries and reports: pure and browser-safe (the HTML report's page bundles
// this module), so it imports nothing. Bootstrap intervals live in bootstrap.ts.

/** The standard normal quantile of a two-sided 95% interval. */
export const Z95 = 1.959964;

/**
 * Wilson score interval of a binomial proportion: `successes` out of `n`, at `z` standard errors
 * (1.959964 → 95%). Well-behaved at 0 and n, unlike the normal approximation.
 * @returns `[low, high]`, both within [0, 1]; `[0, 1]` when `n` is 0 (nothing is known).
 * @example wilson(81, 263) // → [0.2553, 0.3662] (rounded)
 */
export function wilson(successes: number, n: number, z = Z95): [number, number] {
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
export function percentile(sorted: ArrayLike<number>, p: number): number | undefined {
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

/** The mean of a case's jury dimension scores, leaving out the NaN of a dimension no judge scored; none: undefined. */
export function meanDimensionScore(dimensions: readonly { score: number }[]): number | undefined {
  return mean(dimensions.map((d) => d.score).filter(Number.isFinite));
}

/** Median (the mean of the two middle values for an even count); `undefined` when there are no values. */
export function median(values: readonly number[]): number | undefined {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** Sample standard deviation (n − 1 in the denominator); `undefined` for fewer than two values. */
export function stdev(values: readonly number[]): number | undefined {
  const m = mean(values);
  if (m === undefined || values.length < 2) return undefined;
  return Math.sqrt(values.reduce((s, x) => s + (x - m) ** 2, 0) / (values.length - 1));
}

/**
 * Normal-approximation interval of the mean: mean ± z standard errors (sample sd ÷ √n).
 * @returns `[low, high]`; `undefined` for fewer than two values.
 * @example meanCi([1, 2, 3]) // → [0.8684, 3.1316] (rounded)
 */
export function meanCi(values: readonly number[], z = Z95): [number, number] | undefined {
  const m = mean(values);
  const sd = stdev(values);
  if (m === undefined || sd === undefined) return undefined;
  const half = (z * sd) / Math.sqrt(values.length);
  return [m - half, m + half];
}

/**
 * Distribution-free interval of the `p`-quantile (0–1) of ascending-sorted values at `level` confidence: the
 * order statistics x(l) ≤ x(u) with l the largest rank where P(B ≤ l − 1) ≤ (1 − level)/2 and u the smallest
 * where P(B ≤ u − 1) ≥ (1 + level)/2, B ~ Binomial(n, p) — the standard method (Conover, *Practical
 * Nonparametric Statistics*, §3.2; Hahn & Meeker, *Statistical Intervals*, §5.2). It covers the quantile with
 * probability ≥ `level` whatever the distribution.
 * @returns `[low, high]`; `undefined` when the sample is too small for either end (e.g. fewer than 6 values
 *   for the median, 72 for the 95th percentile at 95%).
 * @example quantileCi([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5) // → [2, 9]
 */
export function quantileCi(sorted: ArrayLike<number>, p: number, level = 0.95): [number, number] | undefined {
  const n = sorted.length;
  if (n === 0 || !(p > 0 && p < 1)) return undefined;
  const tail = (1 - level) / 2;
  // The binomial CDF term by term, each probability from the last in log space (no overflow at large n).
  const logOdds = Math.log(p) - Math.log1p(-p);
  let logPmf = n * Math.log1p(-p);
  let cdf = 0;
  let lo: number | undefined;
  let hi: number | undefined;
  for (let k = 0; k < n; k++) {
    if (k > 0) logPmf += Math.log((n - k + 1) / k) + logOdds;
    cdf += Math.exp(logPmf);
    // cdf = P(B ≤ k): rank k + 1 is a lower end while it stays ≤ tail, and the first rank k + 1 past 1 − tail ends.
    if (cdf <= tail) lo = k + 1;
    if (cdf >= 1 - tail) {
      hi = k + 1;
      break;
    }
  }
  if (lo === undefined || hi === undefined) return undefined;
  return [sorted[lo - 1] as number, sorted[hi - 1] as number];
}

/** The standard normal density at `x` of the normal distribution with mean `mu` and deviation `sd`. */
export function normalDensity(x: number, mu: number, sd: number): number {
  return Math.exp(-0.5 * ((x - mu) / sd) ** 2) / (sd * Math.sqrt(2 * Math.PI));
}

/** Two-sided exact McNemar test: the binomial probability of a split at least this uneven among b + c pairs. */
export function mcnemarExact(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  // Σ_{i≤k} C(n, i) / 2^n, in log space so that large n does not overflow.
  let logC = 0; // log C(n, 0)
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    sum += Math.exp(logC - n * Math.LN2);
  }
  return Math.min(1, 2 * sum);
}
