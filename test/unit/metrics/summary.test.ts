import { describe, expect, it } from "vitest";
import { wilson } from "../../../src/metrics/stats.ts";
import { countStates, summarize } from "../../../src/metrics/summary.ts";
import { abstained, caseRecord, errored, judged, passed, scored, skipped } from "../../support/records.ts";

// Two evals named "summaries" in two files; two models; one case never ran (interrupted run).
const c1 = caseRecord({ id: "c1", model: "mock/perfect" });
const c2 = caseRecord({ id: "c2", model: "mock/sloppy" });
const c3 = caseRecord({
  id: "c3",
  file: "evals/sql.eval.jsonl",
  model: "mock/perfect",
  taskType: "Text-to-SQL",
  scenarioKey: "orders",
});
const c4 = caseRecord({
  id: "c4",
  file: "evals/sql.eval.jsonl",
  model: "mock/sloppy",
  taskType: "Text-to-SQL",
});
const c5 = caseRecord({
  id: "c5",
  file: "evals/sql.eval.jsonl",
  model: "mock/perfect",
  taskType: "Text-to-SQL",
});
const cases = [c1, c2, c3, c4, c5];

const r1 = passed(c1, { metrics: { ttftMs: 800 } });
const r2 = judged(
  c2,
  [
    scored("mock/judge-a", { correctness: 2 }),
    scored("mock/judge-b", { correctness: 3 }),
    scored("mock/judge-c", { correctness: 2, format: 4 }),
  ],
  { metrics: { ttftMs: 1200, inputTokens: 100, outputTokens: 36, responseCost: 0.0001, judgeCost: 0.0006 } },
);
const r3 = errored(c3);
const r4 = skipped(c4);
const results = [r4, r2, r1, r3]; // in completion order, not plan order

describe("summarize", () => {
  const s = summarize(cases, results);

  it("counts planned cases and states overall", () => {
    expect(r2.state).toBe("failed");
    expect(s.overall).toMatchObject({ key: "all", total: 5, passed: 1, failed: 1, errored: 1, skipped: 1 });
    expect(s.overall.passRate).toBeCloseTo(1 / 3, 12);
    expect(s.overall.passRateCi).toEqual(wilson(1, 3));
  });

  it("averages each dimension over the judged cases only", () => {
    expect(Object.keys(s.overall.meanScores)).toEqual([
      "correctness",
      "completeness",
      "relevance",
      "format",
      "coherence",
      "following_instructions",
    ]);
    expect(s.overall.meanScores.correctness).toBeCloseTo((5 + 7 / 3) / 2, 12);
    expect(s.overall.meanScores.format).toBeCloseTo((5 + 14 / 3) / 2, 12);
    expect(s.overall.meanScores.relevance).toBe(5);
  });

  it("takes TTFT percentiles, token sums and cost (responses + judges)", () => {
    expect(s.overall.ttftMs).toEqual({ p50: 1000, p95: 1180 });
    expect(s.overall.inputTokens).toBe(220);
    expect(s.overall.outputTokens).toBe(100);
    expect(s.overall.cost).toBeCloseTo(0.0012 + 0.0007, 12);
  });

  it("keys evals by file and name, so same-named evals in two files stay apart", () => {
    expect(s.byEval.map((g) => [g.key, g.total, g.passed, g.failed, g.errored, g.skipped])).toEqual([
      ["evals/summaries.eval.jsonl › summaries", 2, 1, 1, 0, 0],
      ["evals/sql.eval.jsonl › summaries", 3, 0, 0, 1, 1],
    ]);
    const sql = s.byEval[1];
    expect(sql?.passRate).toBe(0);
    expect(sql?.passRateCi).toEqual(wilson(0, 1));
    expect(sql?.meanScores).toEqual({});
    expect(sql?.ttftMs).toEqual({});
  });

  it("groups by model and by task type", () => {
    expect(s.byModel.map((g) => [g.key, g.total, g.passed, g.passRate])).toEqual([
      ["mock/perfect", 3, 1, 0.5],
      ["mock/sloppy", 2, 0, 0],
    ]);
    expect(s.byModel[1]?.meanScores.correctness).toBeCloseTo(7 / 3, 12);
    expect(s.byTaskType.map((g) => [g.key, g.total])).toEqual([
      ["Summarization", 2],
      ["Text-to-SQL", 3],
    ]);
  });

  it("gives a zero pass rate and a know-nothing interval when nothing ran", () => {
    const none = summarize([c4, c5], [r4]);
    expect(none.overall).toMatchObject({ total: 2, skipped: 1, passRate: 0, passRateCi: [0, 1] });
  });

  it("leaves out a jury without quorum and unscored dimensions", () => {
    const noQuorum = judged(c1, [
      scored("mock/judge-a"),
      abstained("mock/judge-b"),
      abstained("mock/judge-c", "refused"),
    ]);
    expect(noQuorum.state).toBe("errored");
    const nan = passed(c2);
    const jury = nan.jury;
    if (!jury) throw new Error("no jury");
    const withNaN = {
      ...nan,
      jury: {
        ...jury,
        dimensions: jury.dimensions.map((d) => (d.key === "format" ? { ...d, score: Number.NaN } : d)),
      },
    };
    const out = summarize([c1, c2], [noQuorum, withNaN]).overall.meanScores;
    expect(out.correctness).toBe(5);
    expect(out.format).toBeUndefined();
  });
});

describe("countStates", () => {
  it("counts results by state", () => {
    expect(countStates(results)).toEqual({ total: 4, passed: 1, failed: 1, errored: 1, skipped: 1 });
    expect(countStates([])).toEqual({ total: 0, passed: 0, failed: 0, errored: 0, skipped: 0 });
  });
});
