// The gate's verdict on a run, and its comparison with a baseline run.

/** One gate and its verdict, e.g. `min pass rate` or `baseline: regressions`. */
export interface GateCheck {
  name: string;
  passed: boolean;
  reason: string;
}

/** The case-by-case comparison with a baseline run (paired on stable case ids). */
export interface BaselineComparison {
  baselineRunId: string;
  /** False when the baseline ran another config (models, judges or jury): the comparison may mislead. */
  signatureMatches: boolean;
  /** Cases in both runs that ran in both. */
  paired: number;
  improved: string[];
  regressed: string[];
  newCases: string[];
  missing: string[];
  /** Exact McNemar test (two-sided) on the discordant pairs. */
  mcnemarP: number;
  /** Pass rate now − pass rate in the baseline, over the paired cases. */
  passRateDelta: number;
  /** Mean jury score now − baseline over paired judged cases, with its paired-bootstrap interval. */
  scoreDelta?: { mean: number; ci: [number, number]; n: number };
  /** Per jury dimension, the mean change of its score over the paired cases the jury scored in both runs. */
  dimensionDeltas?: { dimension: string; mean: number; n: number }[];
  /** Mean jury score in the baseline and now of each improved or regressed case the jury scored in both runs. */
  caseScores?: Record<string, { baseline: number; now: number }>;
}

/**
 * The gate's verdict. `not evaluated`: the run stopped before its end (interrupted, or bailed), so the cases that
 * never ran could have changed any check — the gate says nothing, and the exit code is not 0 (130, 1). A run that
 * stopped at its `--max-cost` budget is `failed`, by its `max cost` check ("budget reached after N of M cases").
 */
export type GateVerdict = "passed" | "failed" | "not evaluated";

export interface GateResult {
  verdict: GateVerdict;
  /** `verdict === "passed"`, for readers of the boolean (and of run.json files written before `verdict`). */
  passed: boolean;
  passRate: number;
  minPassRate: number;
  /** The first failing check's reason, the pass-rate one when all pass, or why the gate was not evaluated. */
  reason: string;
  /** Every check and its verdict; none when the gate was not evaluated. */
  checks: GateCheck[];
  baseline?: BaselineComparison;
}
