import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { RunNotFoundError } from "../errors.ts";
import type { CaseRecord, CaseResult, RunReportWithResults } from "../types.ts";
import { readRunReport } from "./merge.ts";

/** The finished runs under `<outputDir>/runs`, oldest first, optionally since a date. Unfinished ones are skipped. */
export function listRuns(outputDir: string, since?: Date): RunReportWithResults[] {
  const runs = join(outputDir, "runs");
  if (!existsSync(runs)) return [];
  const out: RunReportWithResults[] = [];
  for (const id of readdirSync(runs).sort()) {
    try {
      const r = readRunReport(join(runs, id));
      if (!since || new Date(r.startedAt) >= since) out.push(r);
    } catch {
      // not finished, or not a run: history is what finished
    }
  }
  return out;
}

/**
 * History across runs (pure): the runs of one config signature — the newest run's — as one body of evidence.
 * Every execution counts: a case that ran in three runs contributes three results, its id prefixed by the run's.
 * Runs of other signatures are left out and named, so figures never mix configs.
 */
export function historyOf(reports: readonly RunReportWithResults[]): {
  signature: string;
  runs: RunReportWithResults[];
  cases: CaseRecord[];
  results: CaseResult[];
  leftOut: string[];
} {
  const newest = [...reports].sort((a, b) => a.startedAt.localeCompare(b.startedAt)).at(-1);
  if (!newest)
    throw new RunNotFoundError("no finished run to report on", "Run evals first, or pass run directories.");
  const signature = newest.config.signature;
  const runs = reports.filter((r) => r.config.signature === signature);
  const prefix = (run: RunReportWithResults, id: string) => (runs.length > 1 ? `${run.runId}:${id}` : id);
  return {
    signature,
    runs,
    cases: runs.flatMap((r) => r.cases.map((c) => ({ ...c, id: prefix(r, c.id) }))),
    results: runs.flatMap((r) => r.results.map((x) => ({ ...x, caseId: prefix(r, x.caseId) }))),
    leftOut: reports.filter((r) => r.config.signature !== signature).map((r) => r.runId),
  };
}
