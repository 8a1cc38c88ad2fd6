import { describe, expect, it } from "vitest";
import { integratedTables } from "../../../reporters/html/aggregate.ts";
import { pageData } from "../../../reporters/html/data.ts";
import { decodeData } from "../../../reporters/html/rows.ts";
import {
  executiveSummary,
  failureCounts,
  recommend,
  summaryText,
  taskModelStats,
} from "../../../reporters/html/summary.ts";
import type { CaseRecord, CaseResult, RunReportWithResults } from "../../../src/types.ts";
import { caseRecord, errored, judged, passed, runReport, scored, skipped } from "../../support/records.ts";

let next = 0;
const rec = (model: string, taskType: string): CaseRecord =>
  caseRecord({ id: `case-${next++}`, model, taskType, scenarioKey: `L${next}` });
const failing = (
  c: CaseRecord,
  ttftMs: number,
  responseCost: number,
  dims: Record<string, number> = { correctness: 1 },
) =>
  judged(c, [scored("mock/judge-a", dims), scored("mock/judge-b", dims)], {
    metrics: { ttftMs, responseCost },
  });

/**
 * Q&A: mock/fast passes 9 of 10 (TTFT 300..390 ms, $0.001 each), mock/slow passes 5 of 10 (TTFT 800..890 ms,
 * $0.0002 each). Summarization: mock/fast passes 1 and errors 1; mock/slow fails both; one skipped case.
 */
function fixture(): RunReportWithResults {
  next = 0;
  const cases: CaseRecord[] = [];
  const results: CaseResult[] = [];
  const add = (c: CaseRecord, r: CaseResult) => {
    cases.push(c);
    results.push(r);
  };
  for (let i = 0; i < 10; i++) {
    const c = rec("mock/fast", "Q&A");
    add(
      c,
      i < 9 ? passed(c, { metrics: { ttftMs: 300 + 10 * i, responseCost: 0.001 } }) : failing(c, 390, 0.001),
    );
  }
  for (let i = 0; i < 10; i++) {
    const c = rec("mock/slow", "Q&A");
    add(
      c,
      i < 5
        ? passed(c, { metrics: { ttftMs: 800 + 10 * i, responseCost: 0.0002 } })
        : failing(c, 800 + 10 * i, 0.0002, i < 8 ? { correctness: 1 } : { correctness: 1, format: 2 }),
    );
  }
  const s1 = rec("mock/fast", "Summarization");
  add(s1, passed(s1, { metrics: { ttftMs: 350, responseCost: 0.001 } }));
  const s2 = rec("mock/fast", "Summarization");
  add(s2, errored(s2));
  for (let i = 0; i < 2; i++) {
    const c = rec("mock/slow", "Summarization");
    add(c, failing(c, 900, 0.0002, { correctness: 2, completeness: 2 }));
  }
  const s5 = rec("mock/slow", "Summarization");
  add(s5, skipped(s5));
  return runReport(cases, results, { gate: undefined });
}

describe("taskModelStats", () => {
  it("counts, pass rate with its Wilson interval, TTFT p50 and costs per task type and model", () => {
    const stats = taskModelStats(fixture());
    expect(stats.map((s) => [s.taskType, s.model, s.cases, s.ran, s.passed, s.failed, s.errored])).toEqual([
      ["Q&A", "mock/fast", 10, 10, 9, 1, 0],
      ["Q&A", "mock/slow", 10, 10, 5, 5, 0],
      ["Summarization", "mock/fast", 2, 2, 1, 0, 1],
      ["Summarization", "mock/slow", 3, 2, 0, 2, 0],
    ]);
    const [fast] = stats;
    expect(fast?.passRate).toBe(0.9);
    expect(fast?.passRateCi.map((x) => x.toFixed(4))).toEqual(["0.5958", "0.9821"]);
    expect(fast?.ttftP50).toBe(345);
    expect(fast?.ttftP50Ci).toEqual([310, 380]);
    expect(fast?.costPerResponse).toBeCloseTo(0.001, 12);
    expect(fast?.costPerPass).toBeCloseTo(0.01 / 9, 12);
    // Summarization on mock/slow passed nothing: no cost per passed case.
    expect(stats[3]?.costPerPass).toBeUndefined();
    expect(stats[3]?.passRateCi).toEqual([0, expect.closeTo(0.6576, 4)]);
  });

  it('gives the same figures as the page\'s "Models per task type" table for the same run', () => {
    const report = fixture();
    const table = integratedTables(decodeData(pageData(report)).cases).flatMap((t) =>
      t.models.map((m) => ({ task: t.task, ...m })),
    );
    const stats = taskModelStats(report);
    expect(stats).toHaveLength(table.length);
    for (const s of stats) {
      const row = table.find((t) => t.task === s.taskType && t.model === s.model);
      expect(row).toBeDefined();
      expect([s.ran, s.passed, s.errored, s.passRate, ...s.passRateCi]).toEqual([
        row?.ran,
        row?.passed,
        row?.errored,
        row?.rate ?? 0,
        row?.lo,
        row?.hi,
      ]);
      expect([
        s.meanScore ?? null,
        s.ttftP50 ?? null,
        s.costPerResponse ?? null,
        s.costPerPass ?? null,
      ]).toEqual([row?.score, row?.ttftP50, row?.costPerResponse, row?.costPerPass]);
    }
  });
});

describe("recommend", () => {
  it("names the best model per task for accuracy, speed and cost/performance", () => {
    const [qa, summ] = recommend(taskModelStats(fixture()));
    expect(qa?.accuracy?.model).toBe("mock/fast");
    expect(qa?.accuracy?.runnerUp?.model).toBe("mock/slow");
    expect(qa?.accuracy?.clear).toBe(false); // 59.6–98.2% overlaps 23.7–76.3%
    expect(qa?.speed?.model).toBe("mock/fast");
    // $0.0002 ÷ 0.5 beats $0.001 ÷ 0.9.
    expect(qa?.value?.model).toBe("mock/slow");
    expect(summ?.accuracy?.model).toBe("mock/fast");
    expect(summ?.value?.model).toBe("mock/fast");
  });

  it("calls a lead clear only when the intervals do not overlap, and breaks ties by mean score", () => {
    next = 0;
    const cases: CaseRecord[] = [];
    const results: CaseResult[] = [];
    for (let i = 0; i < 40; i++) {
      const a = rec("mock/a", "T");
      const b = rec("mock/b", "T");
      cases.push(a, b);
      results.push(passed(a), i < 10 ? passed(b) : failing(b, 100, 0));
    }
    const [t] = recommend(taskModelStats(runReport(cases, results)));
    expect(t?.accuracy?.model).toBe("mock/a");
    expect(t?.accuracy?.clear).toBe(true);

    const tie = recommend(
      taskModelStats(
        runReport(
          [caseRecord({ id: "x", model: "mock/x" }), caseRecord({ id: "y", model: "mock/y" })],
          [passed(caseRecord({ id: "x" }), { fill: 4 }), passed(caseRecord({ id: "y" }), { fill: 5 })],
        ),
      ),
    );
    expect(tie[0]?.accuracy?.model).toBe("mock/y");
  });
});

describe("failureCounts", () => {
  it("counts failing dimensions per model, most frequent first", () => {
    expect(failureCounts(fixture()).dimensions).toEqual([
      {
        label: "Correctness",
        cases: 8,
        byModel: [
          { model: "mock/slow", cases: 7 },
          { model: "mock/fast", cases: 1 },
        ],
      },
      { label: "Completeness", cases: 2, byModel: [{ model: "mock/slow", cases: 2 }] },
      { label: "Format", cases: 2, byModel: [{ model: "mock/slow", cases: 2 }] },
    ]);
  });
});

describe("executiveSummary", () => {
  it("writes the same sentences from the same data", () => {
    const summary = executiveSummary(fixture());
    expect(summary.overview).toBe(
      "25 cases over 2 models and 2 task types: 15 passed, 8 failed, 1 errored, 1 skipped. " +
        "Pass rate 62.5% (95% CI 42.7%–78.8%, n=24). " +
        "Simulated run (mock models or judges): the figures exercise the pipeline, not real models.",
    );
    expect(summary.tasks).toEqual([
      "Q&A: most accurate mock/fast, 90.0% passed (95% CI 59.6%–98.2%, n=10); its interval overlaps " +
        "mock/slow's 50.0% (23.7%–76.3%), so the lead is not conclusive; fastest mock/fast, TTFT p50 345ms " +
        "(95% CI 310ms–380ms, n=10); best cost/performance mock/slow, $0.0004 per passed case (95% CI " +
        "$0.0003–$0.0008).",
      "Summarization: most accurate mock/fast, 50.0% passed (95% CI 9.5%–90.5%, n=2); its interval overlaps " +
        "mock/slow's 0.0% (0.0%–65.8%), so the lead is not conclusive; fastest mock/fast, TTFT p50 350ms " +
        "(too few for an interval, n=1); best cost/performance mock/fast, $0.0010 per passed case (95% CI " +
        "$0.0006–$0.0053).",
    ]);
    expect(summary.failures).toEqual([
      "Most frequent failing dimensions: Correctness in 8 cases (mock/slow 7, mock/fast 1); Completeness in " +
        "2 cases (mock/slow 2); Format in 2 cases (mock/slow 2).",
      '1 case errored and could not be judged (api_failure 1). Most common error: "ThrottlingException: ' +
        'Rate exceeded (after 3 retries)" (1 case).',
      "Passed no case: mock/slow (Summarization 0 of 2).",
    ]);
    expect(executiveSummary(fixture())).toEqual(summary);
    expect(summaryText(summary).split("\n\n")).toHaveLength(4);
  });

  it("states the gate and an unfinished run, and reports checks that failed", () => {
    const c = caseRecord({ id: "only" });
    const missing = caseRecord({ id: "never-ran", scenarioKey: "L4" });
    const base = runReport(
      [c, missing],
      [
        passed(c, {
          checks: [{ name: "contains", passed: false, message: 'expected "12%"' }],
        }),
      ],
    );
    const report: RunReportWithResults = {
      ...base,
      status: "interrupted",
      simulated: false,
      gate: {
        ...(base.gate as NonNullable<RunReportWithResults["gate"]>),
        passed: false,
        reason: "0 of 1 cases passed",
      },
    };
    const summary = executiveSummary(report);
    expect(summary.overview).toBe(
      "2 cases over 1 model and 1 task type: 0 passed, 1 failed, 0 errored. Pass rate 0.0% (95% CI " +
        "0.0%–79.3%, n=1). The run is interrupted: 1 of 2 planned cases have results. Gate failed: 0 of 1 " +
        "cases passed.",
    );
    expect(summary.failures).toEqual([
      "Failing checks: contains in 1 case (mock/perfect 1).",
      "Passed no case: mock/perfect (Summarization 0 of 1).",
    ]);
  });

  it("says so when nothing ran", () => {
    const c = caseRecord({ id: "s" });
    const summary = executiveSummary(runReport([c], [skipped(c)], { gate: undefined, simulated: false }));
    expect(summary.overview).toBe(
      "1 case over 1 model and 1 task type: 0 passed, 0 failed, 0 errored, 1 skipped.",
    );
    expect(summary.tasks).toEqual(["Summarization: no case ran."]);
    expect(summary.failures).toEqual([]);
  });

  it("a latency-only run has no pass rate: N/A, no most accurate model, nobody 'passed no case'", () => {
    const cases = [rec("mock/fast", "Q&A"), rec("mock/slow", "Q&A"), rec("mock/slow", "Q&A")];
    // What a --latency-only run records: cases "pass" with a jury of no judges, and one errored.
    const unjudged = (c: CaseRecord, ttftMs: number): CaseResult => {
      const r = passed(c, { metrics: { ttftMs } });
      return { ...r, jury: { ...(r.jury as NonNullable<CaseResult["jury"]>), verdicts: [], dimensions: [] } };
    };
    const base = runReport(cases, [
      unjudged(cases[0] as CaseRecord, 100),
      unjudged(cases[1] as CaseRecord, 300),
    ]);
    const report = runReport(cases, [...base.results, errored(cases[2] as CaseRecord)], {
      config: { ...base.config, run: { ...base.config.run, latencyOnly: true } },
      gate: undefined,
    });
    const summary = executiveSummary(report);
    expect(summary.overview).toContain("Pass rate N/A");
    expect(summary.recommendations[0]?.accuracy).toBeUndefined();
    expect(summary.recommendations[0]?.speed?.model).toBe("mock/fast");
    expect(summary.tasks[0]).not.toContain("most accurate");
    expect(summary.failures.filter((f) => f.startsWith("Passed no case"))).toEqual([]);
    const [qa] = integratedTables(decodeData(pageData(report)).cases);
    expect(qa?.models.map((m) => [m.model, m.rate, m.composite])).toEqual([
      ["mock/fast", null, null],
      ["mock/slow", null, null],
    ]);
  });
});
