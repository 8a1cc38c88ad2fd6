import { dirname, join } from "node:path";
import { MergeMismatchError, RunNotFinishedError, UsageError } from "../errors.ts";
import type { CaseRecord, CaseResult, RunReportWithResults } from "../types.ts";
import { readRunJson } from "./report-file.ts";

/** A finished run's report, read from its run.json — given the run dir, or a run.json / report.json file. */
export function readRunReport(runDirOrFile: string): RunReportWithResults {
  const file = runDirOrFile.endsWith(".json") ? runDirOrFile : join(runDirOrFile, "run.json");
  const report = readRunJson(file) as unknown as RunReportWithResults;
  if (!report.summaries)
    throw new RunNotFinishedError(
      `${dirname(file)} has not finished (its run.json has no results yet)`,
      "Resume it with --resume first.",
    );
  return report;
}

/**
 * Joins runs of shards of one plan (pure): the union of their cases and results, one per case id. Runs of a
 * different config (signature) are refused — they are not one run; a case present in two runs keeps the later
 * run's result, with a warning.
 */
export function mergeReports(reports: readonly RunReportWithResults[]): {
  cases: CaseRecord[];
  results: CaseResult[];
  warnings: string[];
} {
  const first = reports[0];
  if (!first) throw new UsageError("evals merge needs at least one run directory");
  const other = reports.find((r) => r.config.signature !== first.config.signature);
  if (other) {
    throw new MergeMismatchError(
      `runs ${first.runId} and ${other.runId} were made with different configs (signatures ${first.config.signature} ≠ ${other.config.signature}); only shards of one run can be merged`,
    );
  }
  const cases = new Map<string, CaseRecord>();
  const results = new Map<string, CaseResult>();
  const warnings: string[] = [];
  for (const report of reports) {
    for (const c of report.cases) cases.set(c.id, c);
    for (const r of report.results) {
      if (results.has(r.caseId))
        warnings.push(`case ${r.caseId} is in more than one run; the result of ${report.runId} is kept`);
      results.set(r.caseId, r);
    }
  }
  return { cases: [...cases.values()], results: [...results.values()], warnings };
}
