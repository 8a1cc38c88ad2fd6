import { modelLabel } from "../discovery/ids.ts";
import { mcnemarExact, pairedBootstrap } from "../gate/compare.ts";
import type { CaseRecord, CaseResult, GroupSummary, VariantComparison } from "../types.ts";

/**
 * Original vs optimized prompt per model (`evaluate_both`), pure: each side's group summary (pass rate with its
 * Wilson interval, mean scores with bootstrap intervals), and over the pairs that ran both ways (same scenario,
 * temperature, invocation, experiment) the pass-rate change with a paired-bootstrap 95% interval and the exact
 * McNemar p-value. Models that ran one variant only are left out.
 */
export function compareVariants(
  cases: readonly CaseRecord[],
  results: readonly CaseResult[],
  byModel: readonly GroupSummary[],
): VariantComparison[] {
  const summaryOf = new Map(byModel.map((g) => [g.key, g]));
  const stateOf = new Map(results.map((r) => [r.caseId, r.state]));
  const pairs = new Map<string, { original?: boolean; optimized?: boolean }>();
  for (const c of cases) {
    const state = stateOf.get(c.id);
    if (state === undefined || state === "skipped") continue;
    const key = JSON.stringify([
      c.model,
      c.file,
      c.evalName,
      c.scenarioKey,
      c.temperature,
      c.invocation,
      c.experiment,
    ]);
    const p = pairs.get(key) ?? {};
    p[c.variant] = state === "passed";
    pairs.set(key, p);
  }
  const out: VariantComparison[] = [];
  for (const model of new Set(cases.filter((c) => c.variant === "optimized").map((c) => c.model))) {
    const original = summaryOf.get(model);
    const optimized = summaryOf.get(modelLabel({ model, variant: "optimized" }));
    if (!original || !optimized) continue;
    const diffs: number[] = [];
    let b = 0; // passed with the original only
    let c = 0; // passed with the optimized only
    for (const [key, p] of pairs) {
      if (JSON.parse(key)[0] !== model || p.original === undefined || p.optimized === undefined) continue;
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
