// How a run's cases add up: the one tally behind every count a user sees (the console's "N passed | M failed",
// run.json's and report.json's summaries, the JUnit root and suites, `onEvalEnd`), so they can never disagree.
import type { CaseResult, CaseState, Counts } from "../types.ts";

/** Counts with nothing in them. */
export function emptyCounts(): Counts {
  return { total: 0, passed: 0, failed: 0, errored: 0, skipped: 0 };
}

/**
 * Adds one case to `counts`: to `total`, and to its state when it has a result. A case without one (planned, never
 * run: an interrupted or bailed run) counts in `total` only — see `notRun`. Returns `counts`.
 */
export function countCase(counts: Counts, state: CaseState | undefined): Counts {
  counts.total++;
  if (state !== undefined) counts[state]++;
  return counts;
}

/** Counts of results by state; `total` is the number of results. */
export function countStates(results: readonly Pick<CaseResult, "state">[]): Counts {
  const c = emptyCounts();
  for (const r of results) countCase(c, r.state);
  return c;
}

/** Cases counted in `total` that have no result: they never ran. */
export function notRun(c: Counts): number {
  return c.total - c.passed - c.failed - c.errored - c.skipped;
}
