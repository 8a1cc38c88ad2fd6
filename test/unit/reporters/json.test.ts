import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JsonReporter } from "../../../reporters/json.ts";
import {
  caseRecord,
  errored,
  judged,
  passed,
  runEndArgs,
  runReport,
  scored,
  skipped,
} from "../../support/records.ts";
import { fileReporterContext } from "../../support/reporter-context.ts";

const context = fileReporterContext;

const a = caseRecord({ id: "a" });
const b = caseRecord({ id: "b", model: "mock/sloppy" });
const c = caseRecord({ id: "c", scenarioKey: "L9" });
const d = caseRecord({ id: "d", scenarioKey: "L10" });
const report = runReport(
  [a, b, c, d],
  [
    passed(a),
    judged(b, [scored("mock/judge-a", { correctness: 1 }), scored("mock/judge-b", { correctness: 2 })], {
      output: 'He said "<hi> & bye"\n\u0000',
    }),
    errored(c),
    skipped(d),
  ],
);

describe("JsonReporter", () => {
  it("writes the run report as pretty JSON to <outputDir>/report.json by default", async () => {
    const { root, ctx, lines } = context();
    const reporter = new JsonReporter();
    reporter.onInit(ctx);
    await reporter.onRunEnd(...runEndArgs(report));
    const text = readFileSync(join(root, "outputs", "report.json"), "utf8");
    expect(JSON.parse(text)).toEqual(report);
    expect(text.startsWith('{\n  "schemaVersion": 1,\n  "runId": ')).toBe(true);
    expect(text.endsWith("}\n")).toBe(true);
    expect(lines).toEqual([" JSON report written to outputs/report.json"]);
  });

  it("carries the same intervals and agreement figures as the console summary", async () => {
    const { root, ctx } = context();
    const reporter = new JsonReporter();
    reporter.onInit(ctx);
    await reporter.onRunEnd(...runEndArgs(report));
    const written = JSON.parse(readFileSync(join(root, "outputs", "report.json"), "utf8")) as typeof report;
    const { overall, byModel, agreement } = written.summaries;
    expect(overall.passRateCi).toEqual(report.summaries.overall.passRateCi);
    expect(overall.meanJury).toEqual(report.summaries.overall.meanJury);
    expect(overall.meanJury).toMatchObject({ n: 12, units: 2, clustered: true, resamples: 2000 });
    expect(overall.meanScoreCis).toEqual(report.summaries.overall.meanScoreCis);
    expect(byModel.map((g) => Object.keys(g.meanScoreCis).length)).toEqual([6, 6]);
    expect(agreement).toEqual(report.summaries.agreement);
    // Correctness: a 5, 5, 5 and b 1, 2 → ordinal α = 1 − 4 · 2 ÷ 80 = 0.9. Format: every judge gave 5 —
    // no variation, alpha null (not NaN, which JSON cannot carry).
    expect(agreement.byDimension.find((d) => d.key === "correctness")).toEqual({
      key: "correctness",
      alpha: 0.9,
      contestedShare: 0,
      n: 2,
    });
    expect(agreement.byDimension.find((d) => d.key === "format")?.alpha).toBeNull();
  });

  it("writes to the configured output file, creating its directories", async () => {
    const { root, ctx, lines } = context("reports/nightly/run.json");
    const reporter = new JsonReporter();
    reporter.onInit(ctx);
    await reporter.onRunEnd(...runEndArgs(report));
    expect(JSON.parse(readFileSync(join(root, "reports/nightly/run.json"), "utf8"))).toEqual(report);
    expect(lines).toEqual([" JSON report written to reports/nightly/run.json"]);
  });
});
