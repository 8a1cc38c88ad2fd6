import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  cappedAnnotations,
  EvalModelTable,
  FailedCases,
  GithubActionsReporter,
  jobSummary,
  markdownCell,
} from "../../../reporters/github-actions.ts";
import type { RunReport } from "../../../src/reporter.ts";
import { caseRecord, errored, passed, runEndArgs, runReport, skipped } from "../../support/records.ts";
import { fileReporterContext } from "../../support/reporter-context.ts";
import { tempDir } from "../../support/temp-dir.ts";

const cases = [
  caseRecord({ id: "a", model: "mock/b", scenarioKey: "L1" }),
  caseRecord({ id: "b", model: "mock/a", scenarioKey: "L2" }),
  caseRecord({ id: "c", model: "mock/b", scenarioKey: "L3", file: "evals/sql.eval.jsonl", evalName: "sql" }),
  caseRecord({ id: "d", model: "mock/a", scenarioKey: "L4" }),
];
type Rec = RunReport["cases"][number];
const [a, b, c, d] = cases as [Rec, Rec, Rec, Rec];
const results = [passed(a), errored(b), passed(c), skipped(d)];

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("GithubActionsReporter", () => {
  it("writes the job summary from what it gathered as results came, never reading the run's results", () => {
    const summary = join(tempDir("jury-gha-"), "summary.md");
    vi.stubEnv("GITHUB_STEP_SUMMARY", summary);
    const { ctx, lines } = fileReporterContext();
    const reporter = new GithubActionsReporter();
    reporter.onInit(ctx);
    reporter.onRunStart(cases);
    // Arrival order differs from plan order; the table keeps plan order.
    for (const i of [2, 1, 3, 0])
      reporter.onCaseResult(results[i] as (typeof results)[number], cases[i] as Rec);
    const [report] = runEndArgs(runReport(cases, results));
    const expected = jobSummary(report, EvalModelTable.of(cases, results), FailedCases.of(cases, results));
    reporter.onRunEnd(report);
    expect(readFileSync(summary, "utf8")).toBe(expected);
    expect(expected.indexOf("| mock/b |")).toBeLessThan(expected.indexOf("| mock/a |"));
    expect(expected).not.toContain("this invocation");
    expect(lines.filter((l) => l.startsWith("::error "))).toHaveLength(1);
  });

  it("says when the table covers fewer cases than the run (a resumed run's earlier part)", () => {
    const [report] = runEndArgs(runReport(cases, results));
    const summary = jobSummary(report, EvalModelTable.of(cases, results));
    const reporter = new GithubActionsReporter();
    reporter.onInit(fileReporterContext().ctx);
    reporter.onRunStart(cases);
    reporter.onCaseResult(results[0] as (typeof results)[number], a);
    const summaryFile = join(tempDir("jury-gha-"), "summary.md");
    vi.stubEnv("GITHUB_STEP_SUMMARY", summaryFile);
    reporter.onRunEnd(report);
    expect(readFileSync(summaryFile, "utf8")).toContain(
      "The table counts the 1 case run by this invocation; the total below counts 3.",
    );
    expect(summary).not.toContain("this invocation");
  });
});

describe("GitHub's annotation limit (10 errors per step)", () => {
  const cases = Array.from({ length: 10 }, (_, i) => `::error file=e.eval.ts,line=${i + 1}::case ${i + 1}`);
  const gate = "::error title=jury gate not evaluated::the run was interrupted";

  it("keeps every case when they fit, with the gate's annotation", () => {
    expect(cappedAnnotations(cases.slice(0, 9), 9, gate, true)).toEqual([...cases.slice(0, 9), gate]);
    expect(cappedAnnotations(cases, 10, undefined, true)).toEqual(cases);
  });

  it("says how many more failed in the last one, and where to read them", () => {
    const lines = cappedAnnotations(cases, 40, gate, true);
    expect(lines).toHaveLength(10);
    expect(lines.slice(0, 8)).toEqual(cases.slice(0, 8));
    expect(lines[8]).toBe(gate);
    expect(lines[9]).toBe(
      "::error title=jury%3A more failed cases::… and 32 more failed cases (GitHub shows 10 annotations per step): see the job summary",
    );
    expect(cappedAnnotations(cases, 11, undefined, false).at(-1)).toMatch(
      /::… and 2 more failed cases \(GitHub shows 10 annotations per step\): see the step's log$/,
    );
  });
});

describe("markdownCell", () => {
  it("shows HTML and table breakers as written", () => {
    expect(markdownCell('<script>alert("x")</script> & a|b \\|\r\nnext')).toBe(
      '&lt;script&gt;alert("x")&lt;/script&gt; &amp; a\\|b &#92;\\| next',
    );
  });
});
