import { describe, expect, it } from "vitest";
import { FactsTable } from "../../../src/metrics/facts-table.ts";
import { failedAttempts, RateAccumulator } from "../../../src/metrics/rate.ts";
import { summarize } from "../../../src/metrics/summary.ts";
import { caseMetrics, caseRecord, errored, judged, passed, scored } from "../../support/records.ts";

describe("the RPM table's success and error rates", () => {
  it("count failed attempts: 407 requests, 59 of them retried, is a 14.5% error rate, not 0%", () => {
    // The model: every case got its answer in the end, 59 of them on a second attempt.
    const cases = Array.from({ length: 348 }, (_, i) => caseRecord({ id: `c${i}`, model: "mock/m" }));
    const results = cases.map((c, i) =>
      passed(c, { metrics: i < 59 ? { attempts: 2, retries: 1 } : { attempts: 1, retries: 0 } }),
    );
    const [rate] = summarize(cases, results, [{ key: "mock/m" }]).rate;
    expect(rate).toMatchObject({ requests: 407, failedRequests: 59 });
    expect(rate?.errorRate).toBeCloseTo(59 / 407, 12);
    expect(rate?.successRate).toBeCloseTo(348 / 407, 12);
  });

  it("a case that ended on an API failure failed every attempt; one errored for another reason did not", () => {
    const a = caseRecord({ id: "a" });
    const b = caseRecord({ id: "b" });
    const c = caseRecord({ id: "c" });
    const apiFailure = errored(a); // 4 attempts, 3 retries, the last one failed too
    const judgeFailure = {
      ...judged(b, [scored("j", {})]),
      state: "errored" as const,
      error: { name: "JuryError", message: "no quorum", classification: "judge_failure" as const },
    };
    const cached = passed(c, { metrics: { attempts: 0, retries: 0 } });
    expect([apiFailure, judgeFailure, cached].map(failedAttempts)).toEqual([4, 0, 0]);

    const acc = new RateAccumulator();
    const table = FactsTable.of([a, b, c], [apiFailure, judgeFailure, cached]);
    table.forEach((record, facts) => {
      if (facts) acc.add(record, facts);
    });
    expect(acc.summaries([{ key: a.model }])).toEqual([
      expect.objectContaining({ requests: 5, failedRequests: 4, successRate: 1 / 5, errorRate: 4 / 5 }),
    ]);
  });

  it("is 0, not NaN, for a model whose cases sent no request", () => {
    const a = caseRecord({ id: "a" });
    const [rate] = summarize(
      [a],
      [passed(a, { metrics: caseMetrics({ attempts: 0 }) })],
      [{ key: a.model }],
    ).rate;
    expect(rate).toMatchObject({ requests: 0, failedRequests: 0, successRate: 0, errorRate: 0 });
  });
});
