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
 * History across runs (pure): several runs as one body of evidence. Every execution counts: a case that ran in
 * three runs contributes three results, its id prefixed by the run's.
 * By default only the runs of one config signature — the newest run's — are joined; the others are left out and
 * named, so figures never mix configs. With `everyConfig` (runs the user named) every run is kept, and when they
 * ran several configs, each case's task is labelled with its config's number — `QA (config 1)`, `QA (config 2)`,
 * numbered from the oldest — so a task's figures are still of one config each.
 */
export function historyOf(
  reports: readonly RunReportWithResults[],
  options: { everyConfig?: boolean } = {},
): {
  signature: string;
  runs: RunReportWithResults[];
  cases: CaseRecord[];
  results: CaseResult[];
  leftOut: string[];
  /** The configs joined, oldest first, when more than one: what `(config k)` in a task's label stands for. */
  configs: { label: string; signature: string; runIds: string[] }[];
} {
  const sorted = [...reports].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const newest = sorted.at(-1);
  if (!newest)
    throw new RunNotFoundError("no finished run to report on", "Run evals first, or pass run directories.");
  const signature = newest.config.signature;
  const runs = options.everyConfig ? sorted : sorted.filter((r) => r.config.signature === signature);
  const signatures = [...new Set(runs.map((r) => r.config.signature))];
  const label = (sig: string) => `config ${signatures.indexOf(sig) + 1}`;
  const task = (run: RunReportWithResults, taskType: string) =>
    signatures.length > 1 ? `${taskType} (${label(run.config.signature)})` : taskType;
  const prefix = (run: RunReportWithResults, id: string) => (runs.length > 1 ? `${run.runId}:${id}` : id);
  return {
    signature,
    runs,
    cases: runs.flatMap((r) =>
      r.cases.map((c) => ({ ...c, id: prefix(r, c.id), taskType: task(r, c.taskType) })),
    ),
    results: runs.flatMap((r) => r.results.map((x) => ({ ...x, caseId: prefix(r, x.caseId) }))),
    leftOut: reports.filter((r) => !runs.includes(r)).map((r) => r.runId),
    configs:
      signatures.length > 1
        ? signatures.map((sig) => ({
            label: label(sig),
            signature: sig,
            runIds: runs.filter((r) => r.config.signature === sig).map((r) => r.runId),
          }))
        : [],
  };
}
