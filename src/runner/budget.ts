import type { CaseResult } from "../types.ts";

/** What a case cost: its model's answer and its jury's verdicts (a case without metrics cost nothing we know of). */
export function caseCost(result: Pick<CaseResult, "metrics">): number {
  return (result.metrics?.responseCost ?? 0) + (result.metrics?.judgeCost ?? 0);
}

interface Tally {
  cases: number;
  cost: number;
}

/**
 * `--max-cost` as a budget while a run goes on (pure): what the finished cases cost, plus an estimate of what the
 * cases in flight will — each the mean cost of the finished cases of its model, or of every finished case while
 * none of its model has finished; before any case has finished, nothing is estimated. The run stops starting
 * cases once that sum `reached()` the budget; the cases in flight then finish and count, so the run can end
 * somewhat above it.
 */
export class CostBudget {
  private readonly finished = new Map<string, Tally>();
  private readonly all: Tally = { cases: 0, cost: 0 };
  private readonly inFlight = new Map<string, number>();

  /** @param limit the budget in USD (`--max-cost`). */
  constructor(readonly limit: number) {}

  /** A case of `model` has started. */
  start(model: string): void {
    this.inFlight.set(model, (this.inFlight.get(model) ?? 0) + 1);
  }

  /** A started case of `model` has finished, having cost `cost`. */
  finish(model: string, cost: number): void {
    this.inFlight.set(model, Math.max(0, (this.inFlight.get(model) ?? 0) - 1));
    this.add(model, cost);
  }

  /** A case of `model` finished before this run started (a resumed or retried run's earlier results). */
  add(model: string, cost: number): void {
    const t = this.finished.get(model) ?? { cases: 0, cost: 0 };
    t.cases++;
    t.cost += cost;
    this.finished.set(model, t);
    this.all.cases++;
    this.all.cost += cost;
  }

  /** USD the finished cases cost. */
  spent(): number {
    return this.all.cost;
  }

  /** What a case of `model` is expected to cost (see the class), or undefined before any case has finished. */
  estimate(model: string): number | undefined {
    const t = this.finished.get(model);
    const from = t && t.cases > 0 ? t : this.all;
    return from.cases > 0 ? from.cost / from.cases : undefined;
  }

  /** What was spent plus what the cases in flight are expected to cost. */
  projected(): number {
    let total = this.all.cost;
    for (const [model, n] of this.inFlight) total += n * (this.estimate(model) ?? 0);
    return total;
  }

  /**
   * Whether the projected cost reached the budget. A run that has spent nothing and expects to spend nothing (free
   * models) reaches no budget, so `--max-cost 0` keeps meaning "spend nothing".
   */
  reached(): boolean {
    const projected = this.projected();
    return projected > 0 && projected >= this.limit;
  }
}
