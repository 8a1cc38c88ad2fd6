import { describe, expect, it } from "vitest";
import { FactsTable } from "../../../src/metrics/facts-table.ts";
import { buildRunReport, gateRun, type RunInput, summarizeRun } from "../../../src/runner/run-report.ts";
import { gateSession } from "../../../src/runner/session.ts";
import type { CaseRecord } from "../../../src/types.ts";
import { caseRecord, configSnapshot, errored, passed, runReport } from "../../support/records.ts";
import { capture } from "../../support/streams.ts";

const cases = ["a", "b", "c", "d"].map((id) =>
  caseRecord({ id, model: "mock/perfect", scenarioKey: `L${id}` }),
);
const [a, b, c, d] = cases as [CaseRecord, CaseRecord, CaseRecord, CaseRecord];
const results = [passed(a), passed(b), passed(c), errored(d)];
const run = (minPassRate: number, signature = "5d41402abc4b2a76"): RunInput => {
  const config = configSnapshot();
  return {
    runId: "r1",
    status: "completed",
    startedAt: "2025-06-01T12:00:00.000Z",
    durationMs: 1000,
    simulated: true,
    config: { ...config, gate: { ...config.gate, minPassRate }, signature },
    cases,
    warnings: [],
  };
};

describe("the gate step", () => {
  it("gives a summarized report its verdict in a new report, the input untouched", () => {
    const facts = FactsTable.of(cases, results);
    const summary = summarizeRun(run(0.7), facts);
    expect(summary.gate).toBeUndefined();
    expect(summary.summaries.overall).toMatchObject({ total: 4, passed: 3, errored: 1 });
    const before = structuredClone(summary);
    const gated = gateRun(summary, facts);
    expect(gated).not.toBe(summary);
    expect(summary).toEqual(before);
    expect(gated).toEqual({ ...summary, gate: gated.gate });
    expect(gated.gate).toMatchObject({ passed: true });
    expect(gated.gate?.checks[0]?.reason).toBe("pass rate 75.0% ≥ minimum 70.0%");

    const strict = gateRun(summarizeRun(run(0.8), facts), facts);
    expect(strict.gate?.passed).toBe(false);
    expect(strict.gate?.checks[0]?.reason).toBe("pass rate 75.0% < minimum 80.0%");
  });

  it("is what a report built from results in memory carries too", () => {
    const built = buildRunReport({ ...run(0.8), results });
    const facts = FactsTable.of(cases, results);
    const stepwise = gateRun(summarizeRun(run(0.8), facts), facts);
    expect({ ...built, finishedAt: "" }).toEqual({ ...stepwise, results, finishedAt: "" });
  });

  it("compares with a baseline, and warns when the baseline ran another config", () => {
    const facts = FactsTable.of(cases, results);
    const baseline = runReport(cases, [passed(a), passed(b), passed(c), passed(d)]);
    const same = capture();
    const gated = gateSession(summarizeRun(run(0), facts), facts, baseline, { stderr: same.stream });
    expect(gated.gate?.baseline).toMatchObject({ baselineRunId: baseline.runId, signatureMatches: true });
    expect(same.text()).toBe("");

    const other = capture();
    gateSession(summarizeRun(run(0, "another"), facts), facts, baseline, { stderr: other.stream });
    expect(other.text()).toBe(
      `warning: the baseline ${baseline.runId} ran another config (models, judges or jury); the comparison may mislead\n`,
    );
  });
});
