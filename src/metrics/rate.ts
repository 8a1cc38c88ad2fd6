import type { CaseRecord, ModelProfile, RateSummary } from "../types.ts";
import type { CaseFacts } from "./facts-table.ts";

interface Load {
  requests: number;
  failed: number;
  first: number;
  last: number;
  throttled: number;
  wait: number;
}

/**
 * Requests of a case that failed: every retried attempt, and the last one when the case ended on an API failure
 * (its model call never got a response).
 */
export function failedAttempts(r: Pick<CaseFacts, "state" | "metrics" | "error">): number {
  const m = r.metrics;
  if (!m || m.attempts === 0) return 0;
  const last = r.state === "errored" && r.error?.classification === "api_failure" ? 1 : 0;
  return Math.min(m.attempts, m.retries + last);
}

/**
 * Load figures per model key (the seed's RPM table), one result at a time: target RPM, actual RPM — requests
 * (every attempt) ÷ the span from the first request to the last, as intervals: (n − 1) ÷ span — throttle events
 * and waits, and the success and error rates of the requests (`failedAttempts`: a failed attempt that was
 * retried counts as an error, even when the retry succeeded).
 */
export class RateAccumulator {
  private readonly acc = new Map<string, Load>();

  add(record: Pick<CaseRecord, "model">, r: CaseFacts): void {
    if (r.state === "skipped") return;
    const a = this.acc.get(record.model) ?? {
      requests: 0,
      failed: 0,
      first: Number.POSITIVE_INFINITY,
      last: Number.NEGATIVE_INFINITY,
      throttled: 0,
      wait: 0,
    };
    const m = r.metrics;
    if (m) {
      a.requests += m.attempts;
      a.failed += failedAttempts(r);
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
          failedRequests: a.failed,
          successRate: a.requests ? (a.requests - a.failed) / a.requests : 0,
          errorRate: a.requests ? a.failed / a.requests : 0,
        };
      });
  }
}
