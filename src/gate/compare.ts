import { pairedBootstrap } from "../metrics/bootstrap.ts";
import type { CaseFacts, FactsTable } from "../metrics/facts-table.ts";
import { mcnemarExact, meanDimensionScore } from "../metrics/stats.ts";
import type { BaselineComparison, RunReportWithResults } from "../types.ts";

/**
 * Compares a run with a baseline case by case on stable ids (pure): improved (failed → passed), regressed
 * (passed → not passed), new and missing cases, the exact McNemar p-value, the paired pass-rate change, the
 * mean jury-score change with a paired-bootstrap interval at `1 − significance` and per dimension, and the
 * scores before and after of the improved and regressed cases. The run's cases are taken in case-id order, so the lists and the interval
 * do not depend on the order results arrived in.
 */
export function compareWithBaseline(
  run: { facts: FactsTable; config: { signature: string } },
  baseline: RunReportWithResults,
  significance: number,
): BaselineComparison {
  const base = new Map(baseline.results.filter((r) => r.state !== "skipped").map((r) => [r.caseId, r]));
  const seen = new Set<string>();
  const improved: string[] = [];
  const regressed: string[] = [];
  const newCases: string[] = [];
  const diffs: number[] = [];
  const caseScores: NonNullable<BaselineComparison["caseScores"]> = {};
  const byDimension = new Map<string, { total: number; n: number }>();
  let paired = 0;
  let passedNow = 0;
  let passedBase = 0;
  run.facts.forEach((_, r) => {
    if (!r || r.state === "skipped") return;
    const id = r.caseId;
    seen.add(id);
    const b = base.get(id);
    if (!b) {
      newCases.push(id);
      return;
    }
    paired++;
    const p1 = r.state === "passed";
    const p0 = b.state === "passed";
    if (p1) passedNow++;
    if (p0) passedBase++;
    if (p1 && !p0) improved.push(id);
    if (!p1 && p0) regressed.push(id);
    const s1 = meanScore(r);
    const s0 = meanScore(b);
    if (s1 !== undefined && s0 !== undefined) {
      diffs.push(s1 - s0);
      if (p1 !== p0) caseScores[id] = { baseline: s0, now: s1 };
      const before = new Map(b.jury?.dimensions.map((d) => [d.key, d.score]));
      for (const d of r.jury?.dimensions ?? []) {
        const s = before.get(d.key);
        if (s === undefined || !Number.isFinite(s) || !Number.isFinite(d.score)) continue;
        const sum = byDimension.get(d.key) ?? { total: 0, n: 0 };
        sum.total += d.score - s;
        sum.n++;
        byDimension.set(d.key, sum);
      }
    }
  });
  const mean = diffs.length ? diffs.reduce((a, x) => a + x, 0) / diffs.length : 0;
  return {
    baselineRunId: baseline.runId,
    signatureMatches: baseline.config.signature === run.config.signature,
    paired,
    improved,
    regressed,
    newCases,
    missing: [...base.keys()].filter((id) => !seen.has(id)),
    mcnemarP: mcnemarExact(regressed.length, improved.length),
    passRateDelta: paired ? (passedNow - passedBase) / paired : 0,
    ...(diffs.length
      ? { scoreDelta: { mean, ci: pairedBootstrap(diffs, 1 - significance), n: diffs.length } }
      : {}),
    ...(byDimension.size
      ? {
          dimensionDeltas: [...byDimension].map(([dimension, d]) => ({
            dimension,
            mean: d.total / d.n,
            n: d.n,
          })),
        }
      : {}),
    ...(Object.keys(caseScores).length ? { caseScores } : {}),
  };
}

/** The mean of a case's scored dimensions when the jury reached its quorum. */
function meanScore(r: CaseFacts): number | undefined {
  return r.jury?.quorumMet ? meanDimensionScore(r.jury.dimensions) : undefined;
}
