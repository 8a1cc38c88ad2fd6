// Jury agreement (pure): Krippendorff's alpha per dimension, contested cases and each judge's bias.
import type { AgreementSummary, DimensionAgreement, JudgeBias } from "../types.ts";
import type { CaseFacts } from "./facts-table.ts";

/** Level of measurement of Krippendorff's alpha: which difference between two values counts how much. */
export type AlphaMetric = "nominal" | "ordinal" | "interval";

/** A dimension whose judges' scores differ by this much or more is contested. */
export const CONTESTED_SPREAD = 2;

/**
 * Krippendorff's alpha reliability coefficient (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"):
 * α = 1 − D_o ÷ D_e from the coincidence matrix of the values that the coders gave each unit.
 *
 * @param units for each unit, the values its coders gave (a coder who gave none is simply left out); units with
 *   fewer than two values are not pairable and count for nothing.
 * @param metric `ordinal` (default: scores 1..5 are ranks, not distances), `interval` or `nominal`.
 * @returns α (1 = perfect agreement, 0 = as good as chance, negative = systematic disagreement); `undefined`
 *   when there is no pairable unit or no variation at all (D_e = 0).
 * @example krippendorffAlpha([[1, 1], [2, 2], [3, 2]]) // → 0.5
 */
export function krippendorffAlpha(
  units: readonly (readonly number[])[],
  metric: AlphaMetric = "ordinal",
): number | undefined {
  const c = new Coincidences();
  for (const u of units) c.add(u);
  return c.alpha(metric);
}

/**
 * The coincidence matrix of Krippendorff's alpha, gathered one unit at a time: a run's units need not be kept.
 * Each cell receives its terms in unit order, so the figures are the same as from the whole list at once.
 */
export class Coincidences {
  /** o[c][k] by value c, then value k. */
  private readonly o = new Map<number, Map<number, number>>();
  /** Pairable units added. */
  units = 0;

  /** Adds a unit: the values its coders gave. A unit of fewer than two values is not pairable and is ignored. */
  add(unit: readonly number[]): void {
    if (unit.length < 2) return;
    this.units++;
    const counts = new Map<number, number>();
    for (const x of unit) counts.set(x, (counts.get(x) ?? 0) + 1);
    // Each ordered pair of values from different coders in a unit of m values adds 1/(m − 1).
    const w = 1 / (unit.length - 1);
    for (const [c, nc] of counts) {
      let row = this.o.get(c);
      if (!row) {
        row = new Map();
        this.o.set(c, row);
      }
      for (const [k, nk] of counts) row.set(k, (row.get(k) ?? 0) + nc * (nk - (c === k ? 1 : 0)) * w);
    }
  }

  /** α (see `krippendorffAlpha`). */
  alpha(metric: AlphaMetric = "ordinal"): number | undefined {
    const values = [...this.o.keys()].sort((a, b) => a - b);
    const v = values.length;
    if (v === 0) return undefined;
    const o = values.map((c) => {
      const row = this.o.get(c) as Map<number, number>;
      return Float64Array.from(values, (k) => row.get(k) ?? 0);
    });
    const marginals = o.map((row) => row.reduce((s, x) => s + x, 0));
    const n = marginals.reduce((s, x) => s + x, 0);

    const delta2 = (c: number, k: number): number => {
      if (metric === "nominal") return c === k ? 0 : 1;
      if (metric === "interval") return ((values[c] as number) - (values[k] as number)) ** 2;
      // Ordinal: the ranks between c and k, each weighted by how often it was used, halving the two ends.
      const [lo, hi] = c < k ? [c, k] : [k, c];
      let s = 0;
      for (let g = lo; g <= hi; g++) s += marginals[g] as number;
      return (s - ((marginals[c] as number) + (marginals[k] as number)) / 2) ** 2;
    };

    let observed = 0;
    let expected = 0;
    for (let c = 0; c < v; c++)
      for (let k = 0; k < v; k++) {
        if (c === k) continue;
        const d = delta2(c, k);
        observed += ((o[c] as Float64Array)[k] as number) * d;
        expected += (marginals[c] as number) * (marginals[k] as number) * d;
      }
    if (expected === 0) return undefined;
    return 1 - ((n - 1) * observed) / expected;
  }
}

/**
 * Jury agreement over a run's results:
 * - per dimension, Krippendorff's alpha (ordinal) with cases as units and judges as coders (an abstaining
 *   judge, or one that gave no score for the dimension, is a missing value), and the share of contested cases
 *   (judges' scores differ by 2 or more) among the `n` cases two judges or more scored;
 * - per judge, its bias: its score minus the jury mean (the mean of all judges' scores on that case and
 *   dimension), averaged over what it scored where two judges or more scored — overall, per dimension, and
 *   over cases whose candidate is of the judge's own family (`sameFamily`).
 *
 * Results without a jury (errored before judging, skipped) count for nothing.
 */
export function summarizeAgreement(results: readonly CaseFacts[]): AgreementSummary {
  const a = new AgreementAccumulator();
  for (const r of results) a.add(r);
  return a.summary();
}

/** `summarizeAgreement` one result at a time (in case-id order, for figures independent of arrival order). */
export class AgreementAccumulator {
  private readonly dims = new Map<string, { units: Coincidences; contested: number }>();
  private readonly judges = new Map<string, JudgeAcc>();
  private cases = 0;
  private contestedCases = 0;

  add(r: CaseFacts): void {
    const jury = r.jury;
    if (!jury) return;
    const scoredVerdicts = jury.verdicts.filter((v) => v.status === "scored");
    const keys = new Set(jury.dimensions.map((d) => d.key));
    for (const v of scoredVerdicts) for (const k in v.scores) keys.add(k);
    let pairable = false;
    let isContested = false;
    for (const key of keys) {
      let dim = this.dims.get(key);
      if (!dim) {
        dim = { units: new Coincidences(), contested: 0 };
        this.dims.set(key, dim);
      }
      const givers = scoredVerdicts.filter((v) => Number.isFinite(v.scores[key]));
      if (givers.length < 2) continue;
      pairable = true;
      const scores = givers.map((v) => v.scores[key] as number);
      dim.units.add(scores);
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      let sum = 0;
      for (const x of scores) {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
        sum += x;
      }
      if (hi - lo >= CONTESTED_SPREAD) {
        dim.contested++;
        isContested = true;
      }
      const juryMean = sum / scores.length;
      for (const v of givers)
        judgeAcc(this.judges, v.judge).add(key, (v.scores[key] as number) - juryMean, v.sameFamily);
    }
    if (pairable) this.cases++;
    if (isContested) this.contestedCases++;
  }

  summary(): AgreementSummary {
    const byDimension: DimensionAgreement[] = [...this.dims].map(([key, d]) => ({
      key,
      alpha: d.units.alpha("ordinal") ?? null,
      contestedShare: d.units.units === 0 ? 0 : d.contested / d.units.units,
      n: d.units.units,
    }));
    return {
      byDimension,
      judges: [...this.judges.entries()].map(([judge, a]) => a.summary(judge)),
      contestedShare: this.cases === 0 ? 0 : this.contestedCases / this.cases,
      n: this.cases,
    };
  }
}

function judgeAcc(map: Map<string, JudgeAcc>, judge: string): JudgeAcc {
  let a = map.get(judge);
  if (!a) {
    a = new JudgeAcc();
    map.set(judge, a);
  }
  return a;
}

class JudgeAcc {
  private sum = 0;
  private n = 0;
  private ownSum = 0;
  private ownN = 0;
  private readonly byDimension = new Map<string, { sum: number; n: number }>();

  add(key: string, diff: number, own: boolean): void {
    this.sum += diff;
    this.n++;
    if (own) {
      this.ownSum += diff;
      this.ownN++;
    }
    const d = this.byDimension.get(key) ?? { sum: 0, n: 0 };
    d.sum += diff;
    d.n++;
    this.byDimension.set(key, d);
  }

  summary(judge: string): JudgeBias {
    return {
      judge,
      bias: this.sum / this.n,
      byDimension: Object.fromEntries([...this.byDimension].map(([k, d]) => [k, d.sum / d.n])),
      ...(this.ownN > 0 ? { biasOwnFamily: this.ownSum / this.ownN } : {}),
      n: this.n,
      nOwnFamily: this.ownN,
    };
  }
}
