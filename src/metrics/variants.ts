import { modelLabel } from "../discovery/ids.ts";
import type { CaseRecord, CaseState, GroupSummary, VariantComparison } from "../types.ts";
import { pairedBootstrap } from "./bootstrap.ts";
import { mcnemarExact } from "./stats.ts";

/**
 * Original vs optimized prompt per model (`evaluate_both`), one case at a time (in case-id order): each side's
 * group summary (pass rate with its Wilson interval, mean scores with bootstrap intervals), and over the pairs
 * that ran both ways (same scenario, temperature, invocation, experiment) the pass-rate change with a
 * paired-bootstrap 95% interval and the exact McNemar p-value. Models that ran one variant only are left out.
 */
export class VariantsAccumulator {
  /** The models with an optimized variant, in plan order; none: the run compares nothing and keeps nothing. */
  private readonly models: string[];
  private readonly pairs = new Map<string, { model: string; original?: boolean; optimized?: boolean }>();

  constructor(cases: readonly CaseRecord[]) {
    this.models = [...new Set(cases.filter((c) => c.variant === "optimized").map((c) => c.model))];
  }

  add(c: CaseRecord, state: CaseState | undefined): void {
    if (this.models.length === 0 || state === undefined || state === "skipped") return;
    const key = JSON.stringify([
      c.model,
      c.file,
      c.evalName,
      c.scenarioKey,
      c.temperature,
      c.invocation,
      c.experiment,
    ]);
    const p = this.pairs.get(key) ?? { model: c.model };
    p[c.variant] = state === "passed";
    this.pairs.set(key, p);
  }

  /** The comparisons, given the run's per-model group summaries. */
  comparisons(byModel: readonly GroupSummary[]): VariantComparison[] {
    const summaryOf = new Map(byModel.map((g) => [g.key, g]));
    const out: VariantComparison[] = [];
    for (const model of this.models) {
      const original = summaryOf.get(model);
      const optimized = summaryOf.get(modelLabel({ model, variant: "optimized" }));
      if (!original || !optimized) continue;
      const diffs: number[] = [];
      let b = 0; // passed with the original only
      let c = 0; // passed with the optimized only
      for (const p of this.pairs.values()) {
        if (p.model !== model || p.original === undefined || p.optimized === undefined) continue;
        diffs.push(Number(p.optimized) - Number(p.original));
        if (p.original && !p.optimized) b++;
        if (p.optimized && !p.original) c++;
      }
      out.push({
        model,
        original,
        optimized,
        paired: diffs.length,
        ...(diffs.length
          ? {
              passRateDiff: diffs.reduce((a, x) => a + x, 0) / diffs.length,
              passRateDiffCi: pairedBootstrap(diffs),
              pValue: mcnemarExact(b, c),
            }
          : {}),
      });
    }
    return out;
  }
}
