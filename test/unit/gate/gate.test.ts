import { describe, expect, it } from "vitest";
import { compareWithBaseline } from "../../../src/gate/compare.ts";
import { evaluateGate } from "../../../src/gate/gate.ts";
import { pairedBootstrap } from "../../../src/metrics/bootstrap.ts";
import { FactsTable } from "../../../src/metrics/facts-table.ts";
import { mcnemarExact } from "../../../src/metrics/stats.ts";
import { summarize } from "../../../src/metrics/summary.ts";
import type { CaseRecord, CaseResult, GateSettings } from "../../../src/types.ts";
import { caseRecord, errored, judged, passed, runReport, scored } from "../../support/records.ts";

const settings = (extra: Partial<GateSettings> = {}): GateSettings => ({
  minPassRate: 1,
  significance: 0.05,
  ...extra,
});
const failed = (c: CaseRecord) =>
  judged(
    c,
    ["a", "b", "c"].map((j) => scored(j, {}, { fill: 1 })),
  );
const records = (n: number, extra: Partial<CaseRecord> = {}) =>
  Array.from({ length: n }, (_, i) =>
    caseRecord({ id: `c${String(i).padStart(3, "0")}`, scenarioKey: `L${i}`, ...extra }),
  );
const gate = (
  cases: CaseRecord[],
  results: CaseResult[],
  s: GateSettings,
  baseline?: ReturnType<typeof runReport>,
) =>
  evaluateGate(
    {
      summaries: summarize(cases, results),
      facts: FactsTable.of(cases, results),
      config: { signature: "sig" },
    },
    s,
    baseline,
  );

describe("evaluateGate: thresholds", () => {
  it("requires every case to pass by default", () => {
    const cases = records(4);
    const ok = gate(
      cases,
      cases.map((c) => passed(c)),
      settings(),
    );
    expect(ok).toMatchObject({ passed: true, passRate: 1, reason: "all 4 cases passed" });
    const bad = gate(
      cases,
      [...cases.slice(0, 3).map((c) => passed(c)), failed(cases[3] as CaseRecord)],
      settings(),
    );
    expect(bad).toMatchObject({
      passed: false,
      reason: "1 of 4 cases did not pass (every case must pass; set --min-pass-rate to allow some)",
    });
  });

  it("counts errored cases as not passed", () => {
    const cases = records(2);
    const results = [passed(cases[0] as CaseRecord), errored(cases[1] as CaseRecord)];
    expect(gate(cases, results, settings({ minPassRate: 0.5 }))).toMatchObject({
      passed: true,
      reason: "pass rate 50.0% ≥ minimum 50.0%",
    });
    expect(gate(cases, results, settings({ minPassRate: 0.6 }))).toMatchObject({
      passed: false,
      reason: "pass rate 50.0% < minimum 60.0%",
    });
  });

  it("checks per model, cost and p95 TTFT, each with its reason", () => {
    const a = records(4, { model: "mock/a" });
    const b = records(4, { model: "mock/b" }).map((c, i) => ({ ...c, id: `b${i}` }));
    const results = [...a.map((c) => passed(c)), ...b.map((c, i) => (i === 0 ? passed(c) : failed(c)))];
    const g = gate(
      [...a, ...b],
      results,
      settings({ minPassRate: 0, minPassRatePerModel: 0.5, maxCost: 0.001, maxP95TtftMs: 2000 }),
    );
    expect(g.passed).toBe(false);
    expect(g.checks.map((c) => [c.name, c.passed, c.reason])).toEqual([
      ["min pass rate", true, "pass rate 62.5% ≥ minimum 0.0%"],
      ["min pass rate per model", false, "below 50.0%: mock/b 25.0%"],
      ["max cost", false, "cost $0.0096 > $0.001"],
      ["max p95 TTFT", true, "p95 TTFT 812 ms ≤ 2000 ms"],
    ]);
    expect(g.reason).toBe("below 50.0%: mock/b 25.0%");
  });
});

describe("baseline comparison", () => {
  it("exact McNemar matches the binomial by hand", () => {
    // 10 regressions, 2 improvements: p = 2 · (C(12,0)+C(12,1)+C(12,2)) / 2^12 = 158/4096.
    expect(mcnemarExact(10, 2)).toBeCloseTo(158 / 4096, 12);
    expect(mcnemarExact(0, 0)).toBe(1);
    expect(mcnemarExact(3, 3)).toBe(1);
    expect(mcnemarExact(400, 380)).toBeGreaterThan(0.4);
  });

  it("the paired bootstrap is deterministic and brackets the mean", () => {
    const diffs = Array.from({ length: 200 }, (_, i) => -0.5 + (i % 5) * 0.1);
    const ci = pairedBootstrap(diffs);
    expect(ci).toEqual(pairedBootstrap(diffs));
    expect(ci[0]).toBeLessThan(-0.3);
    expect(ci[1]).toBeGreaterThan(-0.3);
    expect(pairedBootstrap([0, 0, 0])).toEqual([0, 0]);
  });

  it("lists improved, regressed, new and missing cases, and fails on a significant regression", () => {
    const cases = records(30);
    const base = runReport(
      cases,
      cases.map((c) => passed(c)),
    );
    const now = [...cases.slice(0, 18).map((c) => passed(c)), ...cases.slice(18, 29).map(failed)];
    const nowCases = [...cases.slice(0, 29), caseRecord({ id: "new1" })];
    const results = [...now, passed(nowCases[29] as CaseRecord)];
    const g = gate(nowCases, results, settings({ minPassRate: 0 }), base);
    const c = g.baseline;
    expect(c?.regressed).toHaveLength(11);
    expect(c?.improved).toEqual([]);
    expect(c?.newCases).toEqual(["new1"]);
    expect(c?.missing).toEqual(["c029"]);
    expect(c?.paired).toBe(29);
    expect(c?.mcnemarP).toBeCloseTo(2 / 2 ** 11, 12);
    expect(g.passed).toBe(false);
    expect(g.checks.at(-1)?.reason).toMatch(
      /^11 regressed, 0 improved of 29 paired cases \(exact McNemar p = 0\.000977, α = 0\.05\); pass rate −37\.9% — a significant regression$/,
    );
  });

  it("passes an identical run, and a change within noise", () => {
    const cases = records(40);
    const base = runReport(
      cases,
      cases.map((c, i) => (i % 4 === 0 ? failed(c) : passed(c))),
    );
    expect(gate(cases, base.results, settings({ minPassRate: 0 }), base).passed).toBe(true);
    // Two cases flip each way plus one more regression: not significant.
    const noisy = base.results.map((r, i) =>
      i === 1 || i === 2 || i === 3
        ? failed(cases[i] as CaseRecord)
        : i === 0 || i === 4
          ? passed(cases[i] as CaseRecord)
          : r,
    );
    const g = gate(cases, noisy, settings({ minPassRate: 0 }), base);
    expect(g.baseline?.regressed).toHaveLength(3);
    expect(g.baseline?.improved).toHaveLength(2);
    // The scores before and after of the cases that changed, for the console to show.
    expect(g.baseline?.caseScores).toEqual({
      c000: { baseline: 1, now: 5 },
      c001: { baseline: 5, now: 1 },
      c002: { baseline: 5, now: 1 },
      c003: { baseline: 5, now: 1 },
      c004: { baseline: 1, now: 5 },
    });
    // 2 cases up 4 points and 3 down 4 on every dimension, over the 40 paired cases.
    expect(g.baseline?.dimensionDeltas).toHaveLength(6);
    expect(g.baseline?.dimensionDeltas?.[0]).toEqual({ dimension: "correctness", mean: -0.1, n: 40 });
    expect(g.passed).toBe(true);
    // …unless the drop is larger than --max-regression.
    expect(gate(cases, noisy, settings({ minPassRate: 0, maxRegression: 0.01 }), base).passed).toBe(false);
  });

  it("flags a baseline of another config", () => {
    const cases = records(2);
    const base = runReport(
      cases,
      cases.map((c) => passed(c)),
    );
    expect(
      compareWithBaseline(
        { facts: FactsTable.of(cases, base.results), config: { signature: "other" } },
        base,
        0.05,
      ).signatureMatches,
    ).toBe(false);
  });
});

describe("evaluateGate: a run that stopped before its end", () => {
  it("is not evaluated when interrupted or bailed, whatever the cases that ran say", () => {
    const cases = records(10);
    const results = cases.slice(0, 4).map((c) => passed(c));
    const run = (status: "completed" | "interrupted" | "bailed") =>
      evaluateGate(
        {
          status,
          summaries: summarize(cases, results),
          facts: FactsTable.of(cases, results),
          config: { signature: "sig" },
        },
        settings({ minPassRate: 0 }),
      );
    expect(run("interrupted")).toEqual({
      verdict: "not evaluated",
      passed: false,
      passRate: 1,
      minPassRate: 0,
      reason: "the run was interrupted with 4 of 10 cases done (--resume finishes it)",
      checks: [],
    });
    expect(run("bailed")).toMatchObject({
      verdict: "not evaluated",
      passed: false,
      reason: "the run bailed (--bail) with 4 of 10 cases done (--resume finishes it)",
    });
    expect(run("completed")).toMatchObject({ verdict: "passed", passed: true });
  });

  it("fails, first by its `max cost` check, when it stopped at its --max-cost budget", () => {
    const cases = records(10);
    const results = cases.slice(0, 4).map((c) => passed(c));
    const g = evaluateGate(
      {
        status: "budget",
        summaries: summarize(cases, results),
        facts: FactsTable.of(cases, results),
        config: { signature: "sig" },
      },
      settings({ minPassRate: 0, maxCost: 0.004 }),
    );
    // Each case costs 0.0012 (response 0.0003 + judges 0.0009): 4 cost 0.0048.
    const reason =
      "budget reached after 4 of 10 cases: $0.0048 spent of the $0.004 budget (--max-cost; raise it and --resume to run the rest)";
    expect(g).toEqual({
      verdict: "failed",
      passed: false,
      passRate: 1,
      minPassRate: 0,
      reason,
      checks: [
        { name: "max cost", passed: false, reason },
        { name: "min pass rate", passed: true, reason: "pass rate 100.0% ≥ minimum 0.0%" },
      ],
    });
  });
});
