// Summaries of a run (pure): the numbers every reporter and the gate show, computed once from the records.
import type { CaseRecord, CaseResult, Counts, GroupSummary, ModelProfile, RunSummaries } from "../types.ts";
import { rateSummaries } from "./rate.ts";
import { percentile, wilson } from "./stats.ts";

/** Counts of results by state; `total` is the number of results. */
export function countStates(results: readonly CaseResult[]): Counts {
  const c: Counts = { total: results.length, passed: 0, failed: 0, errored: 0, skipped: 0 };
  for (const r of results) c[r.state]++;
  return c;
}

/**
 * Summaries of a run: overall, per eval (keyed `file › eval name`, so same-named evals in two files stay
 * apart), per model (profile key) and per task type, each in the order the groups first appear in `cases`.
 *
 * - A planned case without a result (an interrupted run) counts in `total` but in no state.
 * - `passRate` = passed ÷ (passed + failed + errored), 0 when nothing ran; skipped cases don't count.
 * - `meanScores`: per dimension key, the mean of the jury's aggregate over the cases the jury scored.
 * - `ttftMs`: p50/p95 (linear interpolation) over cases that measured a TTFT.
 * - `cost`: response cost plus judge cost.
 * - `rate`: load figures per model key of `models` (see `rateSummaries`).
 */
export function summarize(
  cases: readonly CaseRecord[],
  results: readonly CaseResult[],
  models: readonly Pick<ModelProfile, "key" | "targetRpm">[] = [],
): RunSummaries {
  const byId = new Map(results.map((r) => [r.caseId, r]));
  const overall = new Group("all");
  const byEval = new Map<string, Group>();
  const byModel = new Map<string, Group>();
  const byTaskType = new Map<string, Group>();
  for (const c of cases) {
    const r = byId.get(c.id);
    overall.add(r);
    groupOf(byEval, `${c.file} › ${c.evalName}`).add(r);
    groupOf(byModel, c.model).add(r);
    groupOf(byTaskType, c.taskType).add(r);
  }
  const list = (m: Map<string, Group>) => [...m.values()].map((g) => g.summary());
  return {
    overall: overall.summary(),
    byEval: list(byEval),
    byModel: list(byModel),
    byTaskType: list(byTaskType),
    rate: rateSummaries(cases, results, models),
    unprocessed: unprocessedCounts(results),
  };
}

function unprocessedCounts(results: readonly CaseResult[]): RunSummaries["unprocessed"] {
  const byClassification: RunSummaries["unprocessed"]["byClassification"] = {};
  let total = 0;
  for (const r of results) {
    if (r.state !== "errored") continue;
    total++;
    const c = r.error?.classification ?? "processing_exception";
    byClassification[c] = (byClassification[c] ?? 0) + 1;
  }
  return { total, byClassification };
}

function groupOf(map: Map<string, Group>, key: string): Group {
  let g = map.get(key);
  if (!g) {
    g = new Group(key);
    map.set(key, g);
  }
  return g;
}

class Group {
  private readonly counts: Counts = { total: 0, passed: 0, failed: 0, errored: 0, skipped: 0 };
  private readonly scores = new Map<string, { sum: number; n: number }>();
  private readonly ttft: number[] = [];
  private inputTokens = 0;
  private outputTokens = 0;
  private cost = 0;

  constructor(readonly key: string) {}

  add(r: CaseResult | undefined): void {
    this.counts.total++;
    if (!r) return;
    this.counts[r.state]++;
    // A jury below quorum has no dimensions; a dimension no judge scored is NaN and says nothing.
    for (const d of r.jury?.dimensions ?? []) {
      if (!Number.isFinite(d.score)) continue;
      const s = this.scores.get(d.key) ?? { sum: 0, n: 0 };
      s.sum += d.score;
      s.n++;
      this.scores.set(d.key, s);
    }
    const m = r.metrics;
    if (m) {
      if (m.ttftMs !== undefined) this.ttft.push(m.ttftMs);
      this.inputTokens += m.inputTokens;
      this.outputTokens += m.outputTokens;
      this.cost += m.responseCost + m.judgeCost;
    }
  }

  summary(): GroupSummary {
    const { passed, failed, errored } = this.counts;
    const ran = passed + failed + errored;
    const sorted = [...this.ttft].sort((a, b) => a - b);
    const p50 = percentile(sorted, 50);
    const p95 = percentile(sorted, 95);
    return {
      key: this.key,
      ...this.counts,
      passRate: ran === 0 ? 0 : passed / ran,
      passRateCi: wilson(passed, ran),
      meanScores: Object.fromEntries([...this.scores].map(([k, s]) => [k, s.sum / s.n])),
      ttftMs: { ...(p50 === undefined ? {} : { p50 }), ...(p95 === undefined ? {} : { p95 }) },
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      cost: this.cost,
    };
  }
}
