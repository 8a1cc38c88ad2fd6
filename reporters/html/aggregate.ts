// The "Models per task type" table (pure, browser-safe): figures of groups of case rows, computed with the
// statistics of src/metrics/stats.ts, re-aggregated by the page whenever a filter changes.
import { mean, percentile, quantileCi, wilson } from "../../src/metrics/stats.ts";
import { type CaseRow, groupBy, orNull, valuesOf } from "./rows.ts";

/** Figures of a group of case rows: what the integrated table shows. */
export interface GroupStats {
  /** Planned cases. */
  cases: number;
  /** Cases that ran (passed, failed or errored). */
  ran: number;
  passed: number;
  failed: number;
  errored: number;
  /** passed ÷ ran; null when nothing ran or nothing was judged (a latency-only run). */
  rate: number | null;
  /** Wilson 95% interval of the pass rate ([0, 1] when `rate` is null). */
  lo: number;
  hi: number;
  /** Mean of the cases' mean jury scores. */
  score: number | null;
  /** Cases with a measured TTFT. */
  ttftN: number;
  ttftP50: number | null;
  /** Distribution-free 95% interval of the TTFT median (order statistics); null below 6 TTFTs. */
  ttftP50Ci: [number, number] | null;
  otpsP50: number | null;
  /** The model's cost of every case that ran ÷ the responses judged (errored cases are not responses). */
  costPerResponse: number | null;
  costPerPass: number | null;
  /** costPerPass bounded by the pass rate's interval (cost per case ÷ its bounds); the upper is Infinity when the rate may be 0. */
  costPerPassCi: [number, number] | null;
  /** Cases a provider's batch engine answered (no latency; costs at batch prices); absent when none. */
  batched?: number;
}

export interface ModelStats extends GroupStats {
  model: string;
  /** 0.6 × pass rate + 0.2 × speed + 0.2 × cost, within the task type (see `withComposite`). */
  composite: number | null;
  /** Every case of the model was batched: no latency, so its composite is 0.75 × pass rate + 0.25 × cost. */
  compositeWithoutSpeed?: true;
}

/** Figures of a group of case rows. */
export function groupStats(rows: readonly CaseRow[]): GroupStats {
  const ran = rows.filter((r) => r.ran === 1);
  // Cases with a verdict: all that ran, unless the run judged nothing (then none, and no pass rate).
  const rated = ran.filter((r) => r.pass !== null);
  const passed = rated.filter((r) => r.pass === 1).length;
  const errored = ran.filter((r) => r.state === "errored").length;
  const [lo, hi] = wilson(passed, rated.length);
  // The model's cost of every case that ran, errored ones included: failed calls make responses dearer.
  const cost = ran.reduce((s, r) => s + (r.cost ?? 0), 0);
  const ttft = valuesOf(ran, "ttft").sort((a, b) => a - b);
  const perCase = ran.length ? cost / ran.length : 0;
  const batched = ran.filter((r) => r.batched === 1).length;
  return {
    cases: rows.length,
    ran: ran.length,
    passed,
    failed: ran.filter((r) => r.state === "failed").length,
    errored,
    rate: rated.length ? passed / rated.length : null,
    lo,
    hi,
    score: orNull(mean(valuesOf(ran, "score"))),
    ttftN: ttft.length,
    ttftP50: orNull(percentile(ttft, 50)),
    ttftP50Ci: quantileCi(ttft, 0.5) ?? null,
    otpsP50: orNull(percentile(valuesOf(ran, "otps"), 50)),
    costPerResponse: ran.length > errored ? cost / (ran.length - errored) : null,
    costPerPass: passed ? cost / passed : null,
    costPerPassCi: passed ? [perCase / hi, lo > 0 ? perCase / lo : Number.POSITIVE_INFINITY] : null,
    ...(batched ? { batched } : {}),
  };
}

/**
 * Composite score of each model within a task (0..1): 0.6 × pass rate + 0.2 × speed + 0.2 × cost, where speed is
 * the task's fastest TTFT p50 ÷ the model's and cost the cheapest cost per response ÷ the model's (1 when all are
 * free). Errored cases count as not passed and their cost is spread over the judged responses, so failing or
 * retrying calls never raise a score. A model whose every case was batched measured no latency — not a slow
 * model: its composite leaves speed out, the other weights in the same proportion (0.75 × rate + 0.25 × cost).
 */
export function withComposite(stats: readonly (GroupStats & { model: string })[]): ModelStats[] {
  let fastest = Number.POSITIVE_INFINITY;
  let cheapest = Number.POSITIVE_INFINITY;
  for (const s of stats) {
    if (s.ttftP50 !== null && s.ttftP50 < fastest) fastest = s.ttftP50;
    if (s.costPerResponse !== null && s.costPerResponse < cheapest) cheapest = s.costPerResponse;
  }
  return stats.map((s) => {
    if (s.rate === null) return { ...s, composite: null };
    const costTerm =
      s.costPerResponse === null ? 0 : s.costPerResponse <= 0 ? 1 : cheapest / s.costPerResponse;
    if (s.ttftP50 === null && s.batched)
      return { ...s, composite: (0.6 * s.rate + 0.2 * costTerm) / 0.8, compositeWithoutSpeed: true };
    const speed = s.ttftP50 === null ? 0 : s.ttftP50 <= 0 ? 1 : fastest / s.ttftP50;
    return { ...s, composite: 0.6 * s.rate + 0.2 * speed + 0.2 * costTerm };
  });
}

/** Rows grouped by task type, then model, in first-appearance order. */
export function integratedTables(rows: readonly CaseRow[]): { task: string; models: ModelStats[] }[] {
  return [...groupBy(rows, (r) => r.task)].map(([task, taskRows]) => ({
    task,
    models: withComposite(
      [...groupBy(taskRows, (r) => r.model)].map(([model, group]) => ({ model, ...groupStats(group) })),
    ),
  }));
}
