import { atKey } from "../discovery/metric-keys.ts";
import { plural } from "../number-text.ts";
import type { AggregateRule, DimensionResult, FailureReason, JuryResult, Verdict } from "../types.ts";

export interface AggregateSettings {
  rule: AggregateRule;
  threshold: number;
  /** Scored verdicts needed. @default ceil(judges / 2), at least 1 */
  quorum?: number | undefined;
  promptVersion: string;
}

/**
 * Combines the judges' verdicts into the jury's result (DESIGN §4). Abstentions don't count towards any
 * dimension; below quorum the jury has no verdict (`quorumMet: false`, and the case is errored upstream).
 * - `mean` / `median`: a dimension fails when its aggregate is below the threshold; the case passes when none fails.
 * - `majority` (the seed's code rule): a judge passes when all its scores reach the threshold; the case passes
 *   when a strict majority of the scoring judges pass. Dimensions still show the mean.
 */
export function aggregateVerdicts(
  verdicts: readonly Verdict[],
  dimensions: readonly { key: string; name: string }[],
  settings: AggregateSettings,
): { jury: JuryResult; reasons: FailureReason[] } {
  const scored = verdicts.filter((v) => v.status === "scored");
  const quorum = settings.quorum ?? Math.max(1, Math.ceil(verdicts.length / 2));
  const quorumMet = scored.length >= quorum && scored.length > 0;
  const { threshold, rule } = settings;

  const results: DimensionResult[] = [];
  const reasons: FailureReason[] = [];
  if (quorumMet) {
    for (const d of dimensions) {
      const values = scored.map((v) => atKey(v.scores, d.key)).filter((x): x is number => x !== undefined);
      const score = rule === "median" ? median(values) : mean(values);
      const dim: DimensionResult = {
        key: d.key,
        name: d.name,
        score,
        spread: values.length ? Math.max(...values) - Math.min(...values) : 0,
        passed: score >= threshold,
      };
      results.push(dim);
      if (!dim.passed) {
        reasons.push({
          kind: "dimension",
          dimension: d.key,
          name: d.name,
          score,
          threshold,
          judges: scored.map((v) => ({
            judge: v.judge,
            score: atKey(v.scores, d.key) ?? Number.NaN,
            ...rationaleOf(v.rationales, d.key),
          })),
        });
      }
    }
  }

  let passed = quorumMet && reasons.length === 0;
  if (quorumMet && rule === "majority") {
    const passing = scored.filter((v) =>
      dimensions.every((d) => (atKey(v.scores, d.key) ?? 0) >= threshold),
    ).length;
    passed = passing * 2 > scored.length;
    if (passed) reasons.length = 0;
    else
      reasons.push({
        kind: "majority",
        message: `${passing} of ${plural(scored.length, "judge")} passed; a strict majority is needed`,
      });
  }

  return {
    jury: {
      rule,
      threshold,
      promptVersion: settings.promptVersion,
      dimensions: results,
      verdicts: [...verdicts],
      scored: scored.length,
      quorum,
      quorumMet,
      passed,
    },
    reasons,
  };
}

function rationaleOf(rationales: Readonly<Record<string, string>>, key: string): { rationale?: string } {
  const rationale = atKey(rationales, key);
  return rationale ? { rationale } : {};
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
