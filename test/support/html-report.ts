// Helpers for tests of the HTML report: a run of every kind of result over two models, two task types and two
// temperatures.
import type { CaseRecord, CaseResult, RunReportWithResults } from "../../src/types.ts";
import { caseRecord, errored, judged, passed, runReport, scored } from "./records.ts";

/**
 * 40 cases: mock/a and mock/b × Q&A and Summarization × t 0.3 and 0.7 × 5 scenarios. Deterministic metrics
 * (TTFT 100 + 10·scenario ms, +50 for mock/b), every 7th case errored, every 3rd failed on Correctness (and
 * Format for mock/b), the rest passed.
 */
export function sampleReport(): RunReportWithResults {
  const cases: CaseRecord[] = [];
  const results: CaseResult[] = [];
  let k = 0;
  for (const model of ["mock/a", "mock/b"])
    for (const taskType of ["Q&A", "Summarization"])
      for (const temperature of [0.3, 0.7])
        for (let s = 0; s < 5; s++) {
          k++;
          const c = caseRecord({ id: `c${k}`, model, taskType, temperature, scenarioKey: `L${s + 1}` });
          const ttftMs = 100 + 10 * s + (model === "mock/b" ? 50 : 0);
          const metrics = {
            ttftMs,
            ttlbMs: ttftMs + 600,
            otps: 60 - s,
            outputTokens: 40 + s,
            responseCost: model === "mock/b" ? 0.0002 : 0.0004,
            startedAt: new Date(Date.UTC(2025, 5, 1, 3 * s)).toISOString(),
          };
          cases.push(c);
          results.push(
            k % 7 === 0
              ? errored(c)
              : k % 3 === 0
                ? judged(
                    c,
                    [
                      scored("mock/judge-a", { correctness: 1, format: model === "mock/b" ? 2 : 5 }),
                      scored("mock/judge-b", { correctness: 2, format: model === "mock/b" ? 2 : 5 }),
                    ],
                    { metrics },
                  )
                : passed(c, { metrics }),
          );
        }
  return runReport(cases, results);
}
