import type { CaseRecord, CaseResult, ModelProfile, RateSummary } from "../types.ts";

/**
 * Load figures per model key (the seed's RPM table): target RPM, actual RPM — requests (every attempt) ÷ the
 * span from the first request to the last, as intervals: (n − 1) ÷ span — throttle events and waits, and the
 * success and error rates of the cases. Pure.
 */
export function rateSummaries(
  cases: readonly CaseRecord[],
  results: readonly CaseResult[],
  models: readonly Pick<ModelProfile, "key" | "targetRpm">[],
): RateSummary[] {
  const modelOf = new Map(cases.map((c) => [c.id, c.model]));
  const acc = new Map<
    string,
    {
      requests: number;
      first: number;
      last: number;
      throttled: number;
      wait: number;
      ran: number;
      ok: number;
      errored: number;
    }
  >();
  for (const r of results) {
    if (r.state === "skipped") continue;
    const key = modelOf.get(r.caseId);
    if (key === undefined) continue;
    const a = acc.get(key) ?? {
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
    acc.set(key, a);
  }
  return models
    .filter((p) => acc.has(p.key))
    .map((p) => {
      const a = acc.get(p.key) as NonNullable<ReturnType<typeof acc.get>>;
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
