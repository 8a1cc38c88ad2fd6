import type { CaseRecord, CaseResult, Counts, GroupSummary, RunSummaries } from "../types.ts";
import { percentile, wilson } from "./stats.ts";

/** Counts of results by state. */
export function countStates(results: readonly CaseResult[]): Counts {
  const c: Counts = { total: results.length, passed: 0, failed: 0, errored: 0, skipped: 0 };
  for (const r of results) c[r.state]++;
  return c;
}

/**
 * Summaries of a run (pure): overall, per eval (`file › name`), per model and per task type. A planned case
 * without a result (an interrupted run) counts in `total` but in no state.
 */
export function summarize(cases: readonly CaseRecord[], results: readonly CaseResult[]): RunSummaries {
  const byId = new Map(results.map((r) => [r.caseId, r]));
  const groups = {
    overall: new Group("all"),
    byEval: new Map<string, Group>(),
    byModel: new Map<string, Group>(),
    byTaskType: new Map<string, Group>(),
  };
  const into = (map: Map<string, Group>, key: string) => {
    let g = map.get(key);
    if (!g) {
      g = new Group(key);
      map.set(key, g);
    }
    return g;
  };
  for (const c of cases) {
    const r = byId.get(c.id);
    for (const g of [
      groups.overall,
      into(groups.byEval, `${c.file} › ${c.evalName}`),
      into(groups.byModel, c.model),
      into(groups.byTaskType, c.taskType),
    ])
      g.add(r);
  }
  const list = (m: Map<string, Group>) => [...m.values()].map((g) => g.summary());
  return {
    overall: groups.overall.summary(),
    byEval: list(groups.byEval),
    byModel: list(groups.byModel),
    byTaskType: list(groups.byTaskType),
  };
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
    if (r.jury?.quorumMet) {
      for (const d of r.jury.dimensions) {
        const s = this.scores.get(d.key) ?? { sum: 0, n: 0 };
        s.sum += d.score;
        s.n++;
        this.scores.set(d.key, s);
      }
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
