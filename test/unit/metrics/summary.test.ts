import { describe, expect, it } from "vitest";
import { summarizeAgreement } from "../../../src/metrics/agreement.ts";
import { bootstrapRatio } from "../../../src/metrics/bootstrap.ts";
import { countStates } from "../../../src/metrics/counts.ts";
import { quantileCi, wilson } from "../../../src/metrics/stats.ts";
import { summarize } from "../../../src/metrics/summary.ts";
import type { CaseRecord, CaseResult } from "../../../src/types.ts";
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
    // Two TTFTs: too few for a distribution-free interval of either percentile.
    expect(s.overall.ttftMs).toEqual({ p50: 1000, p95: 1180, n: 2 });
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

describe("summarize: intervals and agreement", () => {
  const s = summarize(cases, results);

  it("gives every mean score its bootstrap interval, plain when each scenario ran once", () => {
    expect(Object.keys(s.overall.meanScoreCis)).toEqual(Object.keys(s.overall.meanScores));
    const correctness = s.overall.meanScoreCis.correctness;
    expect(correctness).toEqual({
      mean: s.overall.meanScores.correctness,
      // Two cases: resample means are 7/3, (5 + 7/3)/2 and 5.
      ci: [7 / 3, 5],
      n: 2,
      units: 2,
      clustered: false,
      resamples: 2000,
    });
    expect(s.overall.meanScoreCis.relevance).toMatchObject({ mean: 5, ci: [5, 5], n: 2 });
    expect(s.byEval[1]?.meanScoreCis).toEqual({});
    expect(s.byEval[1]?.meanJury).toBeUndefined();
  });

  it("gives the mean jury score over every case × dimension its interval, resampled by scenario", () => {
    const jury = s.overall.meanJury;
    const all = [r1, r2].flatMap((r) => r.jury?.dimensions.map((d) => d.score) ?? []);
    expect(jury?.mean).toBeCloseTo(all.reduce((a, b) => a + b, 0) / all.length, 12);
    expect(jury).toMatchObject({ n: 12, units: 2, clustered: true, resamples: 2000 });
    const [lo, hi] = jury?.ci ?? [0, 0];
    expect(lo).toBeLessThan(jury?.mean as number);
    expect(hi).toBe(5);
  });

  it("resamples by scenario (file, eval, scenario, model) when a scenario ran several times", () => {
    // Three scenarios × four invocations (two temperatures): identical scores within a scenario.
    const recs: CaseRecord[] = [];
    const res: CaseResult[] = [];
    for (const [k, fill] of [
      ["L1", 2],
      ["L2", 4],
      ["L3", 5],
    ] as const)
      for (const [i, temperature] of [
        [1, 0.7],
        [2, 0.7],
        [1, 0.2],
        [2, 0.2],
      ] as const) {
        const c = caseRecord({ id: `${k}-${i}-${temperature}`, scenarioKey: k, invocation: i, temperature });
        recs.push(c);
        res.push(passed(c, { fill, threshold: 1 }));
      }
    const out = summarize(recs, res).overall;
    expect(out.meanScoreCis.correctness).toMatchObject({ mean: 11 / 3, n: 12, units: 3, clustered: true });
    // Sums and counts per scenario, resampled as one unit each (the group's own seed).
    expect(out.meanScoreCis.correctness?.ci).toEqual(
      bootstrapRatio([8, 16, 20], [4, 4, 4], { seed: "all\u0000all" }),
    );
    // The same twelve scores as independent cases would give a narrower interval.
    const [lo, hi] = out.meanScoreCis.correctness?.ci ?? [0, 0];
    const naive = bootstrapRatio(
      res.map((r) => r.jury?.dimensions[0]?.score ?? 0),
      res.map(() => 1),
    ) as [number, number];
    expect(hi - lo).toBeGreaterThan(naive[1] - naive[0]);
  });

  it("bootstraps a dimension that only some cases have over the resamples that drew one of them", () => {
    const recs = [1, 2, 3].map((i) => caseRecord({ id: `p${i}`, scenarioKey: `L${i}` }));
    const res = recs.map((c) => passed(c));
    const jury = res[0]?.jury;
    if (!jury) throw new Error("no jury");
    jury.dimensions.push({ key: "tone", name: "Tone", score: 4, spread: 0, passed: true });
    const out = summarize(recs, res).overall;
    expect(out.meanScoreCis.tone).toEqual({
      mean: 4,
      ci: [4, 4],
      n: 1,
      units: 1,
      clustered: false,
      resamples: 2000,
    });
    expect(out.meanScoreCis.correctness).toMatchObject({ n: 3, units: 3, ci: [5, 5] });
    expect(out.meanJury).toMatchObject({ n: 19, units: 3, clustered: true });
  });

  it("is deterministic, whatever the order of cases and results (a merge of shards reorders them)", () => {
    expect(summarize(cases, results)).toEqual(s);
    const reordered = summarize([c4, c3, c2, c1, c5], [...results].reverse());
    expect(reordered.overall).toEqual(s.overall);
    expect(reordered.agreement).toEqual(s.agreement);
    // Groups follow the order of the cases given; their figures do not.
    expect(reordered.byModel.map((g) => g.key)).toEqual(["mock/sloppy", "mock/perfect"]);
    expect([...reordered.byModel].reverse()).toEqual(s.byModel);
  });

  it("gives a group of every case (the only eval or model) the overall figures, intervals included", () => {
    const recs = Array.from({ length: 40 }, (_, i) =>
      caseRecord({ id: `w${String(i).padStart(2, "0")}`, scenarioKey: `L${i}`, taskType: `T${i % 2}` }),
    );
    const res = recs.map((c, i) =>
      judged(c, [scored("mock/judge-a", { correctness: 1 + ((i * 7) % 5) }, { fill: 1 + ((i * 3) % 5) })], {
        threshold: 1,
      }),
    );
    const s = summarize(recs, res);
    expect(s.byEval).toEqual([{ ...s.overall, key: "evals/summaries.eval.jsonl › summaries" }]);
    expect(s.byModel).toEqual([{ ...s.overall, key: "mock/perfect" }]);
    // Task types split the cases: figures of their own.
    expect(s.byTaskType.map((g) => g.total)).toEqual([20, 20]);
    expect(s.byTaskType[0]?.meanJury?.ci).not.toEqual(s.overall.meanJury?.ci);
  });

  it("summarizes jury agreement over the planned cases' results", () => {
    expect(s.agreement).toEqual(summarizeAgreement([r1, r2]));
    expect(s.agreement.byDimension.find((d) => d.key === "correctness")).toMatchObject({
      n: 2,
      contestedShare: 0,
    });
    expect(s.agreement.judges.map((j) => j.judge)).toEqual(["mock/judge-a", "mock/judge-b", "mock/judge-c"]);
  });

  it("bounds the bootstrap on 20,000 cases (fewer resamples for many clusters), keeping every observation", () => {
    const dims = [
      "correctness",
      "completeness",
      "relevance",
      "format",
      "coherence",
      "following_instructions",
    ];
    const recs: CaseRecord[] = [];
    const res: CaseResult[] = [];
    for (let i = 0; i < 20_000; i++) {
      const c = caseRecord({
        id: `c${i}`,
        file: `evals/e${i % 5}.eval.jsonl`,
        scenarioKey: `L${Math.floor(i / 8)}`,
        model: `mock/m${i % 4}`,
        taskType: `T${i % 3}`,
        invocation: (i % 2) + 1,
      });
      const score = (j: number, d: number) => 1 + ((i * 7 + j * 3 + d) % 5);
      const verdicts = ["a", "b", "c"].map((j, ji) => ({
        ...scored(`mock/judge-${j}`),
        scores: Object.fromEntries(dims.map((d, di) => [d, score(ji, di)])),
      }));
      recs.push(c);
      res.push({
        caseId: c.id,
        state: "passed",
        reasons: [],
        checks: [],
        jury: {
          rule: "mean",
          threshold: 1,
          promptVersion: "judge-v1",
          dimensions: dims.map((key, di) => ({
            key,
            name: key,
            score: (score(0, di) + score(1, di) + score(2, di)) / 3,
            spread: 0,
            passed: true,
          })),
          verdicts,
          scored: 3,
          quorum: 2,
          quorumMet: true,
          passed: true,
        },
      });
    }
    // Speed is measured by bench scripts, not asserted here; this checks the resample bound that keeps it fast.
    const big = summarize(recs, res);
    expect(big.overall.meanJury).toMatchObject({ n: 120_000, resamples: 200 });
    expect(big.agreement.n).toBe(20_000);
  });
});

describe("countStates", () => {
  it("counts results by state", () => {
    expect(countStates(results)).toEqual({ total: 4, passed: 1, failed: 1, errored: 1, skipped: 1 });
    expect(countStates([])).toEqual({ total: 0, passed: 0, failed: 0, errored: 0, skipped: 0 });
  });
});

describe("summarize: intervals on TTFT, OTPS and cost (issue 16)", () => {
  // 100 cases: TTFT 10..1000 ms, OTPS 1..100 tok/s on the even ones only, cost $0.001 × (1 + i mod 3).
  const cases = Array.from({ length: 100 }, (_, i) =>
    caseRecord({ id: `k${String(i).padStart(3, "0")}`, scenarioKey: `s${i}` }),
  );
  const results = cases.map((c, i) =>
    passed(c, {
      metrics: {
        ttftMs: 10 * (i + 1),
        otps: i % 2 === 0 ? i + 1 : undefined,
        responseCost: 0.001 * (1 + (i % 3)),
        judgeCost: 0,
      },
    }),
  );
  const s = summarize(cases, results);

  it("gives TTFT p50 and p95 their distribution-free intervals (order statistics of the binomial)", () => {
    const ttfts = cases.map((_, i) => 10 * (i + 1));
    expect(s.overall.ttftMs).toEqual({
      p50: 505,
      p95: 950.5,
      p50Ci: quantileCi(ttfts, 0.5),
      p95Ci: quantileCi(ttfts, 0.95),
      n: 100,
    });
    expect(s.overall.ttftMs.p50Ci).toEqual([400, 610]);
    expect(s.overall.ttftMs.p95Ci).toEqual([900, 1000]);
  });

  it("gives OTPS as the median of the cases that have one, with its interval", () => {
    const otps = cases.map((_, i) => i + 1).filter((x) => x % 2 === 1);
    expect(s.overall.otps).toEqual({ p50: 50, p50Ci: quantileCi(otps, 0.5), n: 50 });
  });

  it("gives the cost per case its bootstrap interval, the same whatever the order of the results", () => {
    const c = s.overall.costPerCase;
    if (!c) throw new Error("no cost per case");
    expect(c.mean).toBeCloseTo(0.00199, 12); // (100 + 33 + 2 × 33) × $0.001 ÷ 100
    expect(c.n).toBe(100);
    const [lo, hi] = c.ci;
    expect(lo).toBeLessThan(c.mean);
    expect(hi).toBeGreaterThan(c.mean);
    expect(lo).toBeGreaterThan(0.001);
    expect(hi).toBeLessThan(0.003);
    const shuffled = summarize([...cases].reverse(), [...results].reverse());
    expect(shuffled.overall.costPerCase).toEqual(c);
  });

  it("has no OTPS and no cost per case when nothing ran", () => {
    const none = summarize([cases[0] as CaseRecord], []);
    expect(none.overall.otps).toBeUndefined();
    expect(none.overall.costPerCase).toBeUndefined();
    expect(none.overall.ttftMs).toEqual({});
  });
});
