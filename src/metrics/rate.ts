import type { CaseRecord, ModelProfile, RateSummary } from "../types.ts";
import type { CaseFacts } from "./facts-table.ts";

interface Load {
  requests: number;
  first: number;
  last: number;
  throttled: number;
  wait: number;
  ran: number;
  ok: number;
  errored: number;
}

/**
 * Load figures per model key (the seed's RPM table), one result at a time: target RPM, actual RPM — requests
 * (every attempt) ÷ the span from the first request to the last, as intervals: (n − 1) ÷ span — throttle events
 * and waits, and the success and error rates of the cases.
 */
export class RateAccumulator {
  private readonly acc = new Map<string, Load>();

  add(record: Pick<CaseRecord, "model">, r: CaseFacts): void {
    if (r.state === "skipped") return;
    const a = this.acc.get(record.model) ?? {
      requests: 0,
      first: Number.POSITIVE_INFINITY,
      last: Number.NEGATIVE_INFINITY,
      throttled: 0,
      wait: 0,
      ran: 0,
      ok: 0,
      errored: 0,
    };
    const m = r.metrics;
    a.ran++;
    if (r.state === "errored") a.errored++;
    else a.ok++;
    if (m) {
      a.requests += m.attempts;
      a.throttled += m.throttled;
      a.wait += m.throttleWaitMs;
      if (m.firstRequestAt !== undefined) a.first = Math.min(a.first, m.firstRequestAt);
      if (m.lastRequestAt !== undefined) a.last = Math.max(a.last, m.lastRequestAt);
    }
    this.acc.set(record.model, a);
  }

  summaries(models: readonly Pick<ModelProfile, "key" | "targetRpm">[]): RateSummary[] {
    return models
      .filter((p) => this.acc.has(p.key))
      .map((p) => {
        const a = this.acc.get(p.key) as Load;
        const span = a.last - a.first;
        return {
          model: p.key,
          ...(p.targetRpm === undefined ? {} : { targetRpm: p.targetRpm }),
          requests: a.requests,
          ...(a.requests > 1 && span > 0 ? { actualRpm: ((a.requests - 1) / span) * 60_000 } : {}),
          throttleEvents: a.throttled,
          totalWaitMs: a.wait,
          avgWaitMs: a.throttled ? a.wait / a.throttled : 0,
          successRate: a.ran ? a.ok / a.ran : 0,
          errorRate: a.ran ? a.errored / a.ran : 0,
        };
      });
  }
}
