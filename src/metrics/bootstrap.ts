// Percentile-bootstrap intervals (pure but for the seeded generator, which hashes its seed with node:crypto).

import type { BootstrapOptions } from "../types.ts";
import { seededRandom } from "./random.ts";
import { percentile } from "./stats.ts";

/** Resamples drawn by default: enough for stable 2.5th and 97.5th percentiles. */
export const BOOTSTRAP_RESAMPLES = 2000;

/**
 * Percentile-bootstrap interval of the mean of `values`: `resamples` times, draw `values.length` values with
 * replacement and take their mean; the interval is the (1 − level)/2 and (1 + level)/2 percentiles of those
 * means. Deterministic for a given `random` (default: a fixed seed).
 * @returns `[low, high]`; `undefined` when there are no values.
 * @example bootstrapMeanCi([3, 3, 3]) // → [3, 3]
 */
export function bootstrapMeanCi(
  values: readonly number[],
  options: BootstrapOptions = {},
): [number, number] | undefined {
  return clusteredBootstrapMeanCi(
    values.map((v) => [v]),
    options,
  );
}

/**
 * Clustered percentile-bootstrap interval of the mean of every value of every cluster: each resample draws
 * whole clusters with replacement (as many as there are) and takes the mean of all their values. Use it when
 * values within a cluster are not independent (several invocations of one scenario): the interval then
 * reflects how many independent units there really are. Empty clusters are ignored.
 * @returns `[low, high]`; `undefined` when there are no values.
 */
export function clusteredBootstrapMeanCi(
  clusters: readonly (readonly number[])[],
  options: BootstrapOptions = {},
): [number, number] | undefined {
  const sums: number[] = [];
  const counts: number[] = [];
  for (const c of clusters) {
    if (c.length === 0) continue;
    sums.push(c.reduce((s, x) => s + x, 0));
    counts.push(c.length);
  }
  return bootstrapRatio(sums, counts, options);
}

/**
 * The percentile-bootstrap interval of Σsums ÷ Σcounts over units drawn with replacement: the mean of
 * clustered values when each unit holds a cluster's sum and size (size 1 for plain values).
 * @returns `[low, high]`; `undefined` when there are no units or no counts.
 */
export function bootstrapRatio(
  sums: ArrayLike<number>,
  counts: ArrayLike<number>,
  options: BootstrapOptions = {},
): [number, number] | undefined {
  return bootstrapRatios([{ sums, counts }], options)[0];
}

/**
 * Several `bootstrapRatio`s over the same units, resampled together: each resample draws the units once and
 * every statistic is computed from that draw — one random number per unit drawn, whatever the number of
 * statistics (several dimensions of the same cases cost little more than one). A unit may count 0 for a
 * statistic (a case without that dimension); a resample with no count at all for a statistic is left out of
 * its percentiles.
 * @param stats per statistic, a sum and a count per unit (every array as long as the first `sums`; a
 *   Float64Array is read as it is, anything else copied into one).
 * @returns per statistic, `[low, high]`, or `undefined` when it has no count at all.
 */
export function bootstrapRatios(
  stats: readonly { sums: ArrayLike<number>; counts: ArrayLike<number> }[],
  { resamples = BOOTSTRAP_RESAMPLES, level = 0.95, seed = "bootstrap", random }: BootstrapOptions = {},
): ([number, number] | undefined)[] {
  const k = stats[0]?.sums.length ?? 0;
  const m = stats.length;
  const empty = stats.map((st) => Array.prototype.every.call(st.counts, (c: number) => c === 0));
  if (k === 0 || empty.every(Boolean)) return stats.map(() => undefined);
  const next = random ?? seededRandom(seed);
  const columns = stats.map((st) => ({ sums: float64(st.sums), counts: float64(st.counts) }));
  const means = stats.map(() => new Float64Array(resamples));
  // How often each unit is drawn, then one sequential pass per statistic: faster than gathering by index.
  const times = new Uint32Array(k);
  for (let b = 0; b < resamples; b++) {
    times.fill(0);
    for (let i = 0; i < k; i++) {
      const j = Math.floor(next() * k);
      times[j] = (times[j] as number) + 1;
    }
    for (let t = 0; t < m; t++) {
      const { sums, counts } = columns[t] as (typeof columns)[number];
      let s = 0;
      let n = 0;
      for (let j = 0; j < k; j++) {
        const w = times[j] as number;
        s += w * (sums[j] as number);
        n += w * (counts[j] as number);
      }
      (means[t] as Float64Array)[b] = s / n;
    }
  }
  const tail = ((1 - level) / 2) * 100;
  return means.map((ms, t) => {
    const sorted = Array.from(ms)
      .filter((x) => !Number.isNaN(x))
      .sort((a, b) => a - b);
    const lo = percentile(sorted, tail);
    const hi = percentile(sorted, 100 - tail);
    return empty[t] || lo === undefined || hi === undefined ? undefined : [lo, hi];
  });
}

function float64(values: ArrayLike<number>): Float64Array {
  return values instanceof Float64Array ? values : Float64Array.from(values);
}

/** Percentile bootstrap interval of the mean of paired differences, deterministic (seeded). */
export function pairedBootstrap(diffs: readonly number[], level = 0.95): [number, number] {
  return bootstrapMeanCi(diffs, { level, seed: "paired-bootstrap" }) ?? [0, 0];
}
