import { FlagError, ResumeMismatchError } from "../errors.ts";
import { findRunDir, readResults, readRunPlan } from "../store/resume.ts";
import { createRunDir, newRunId } from "../store/run-dir.ts";
import type { CaseRecord, CaseResult, StartOptions, TextSink } from "../types.ts";

/**
 * A new run, or — with `resume` — the interrupted run to continue (same plan required), or — with
 * `retryErrors` — a new run seeded with a previous run's non-errored results.
 */
export function openRun(
  outputDir: string,
  planned: readonly CaseRecord[],
  options: StartOptions,
  stderr: TextSink,
): { runId: string; runDir: string; startedAt: string; previous: CaseResult[] } {
  const ref = options.resume ?? options.retryErrors;
  const plannedIds = new Set(planned.map((c) => c.id));
  if (ref === undefined || (options.resume && options.retryErrors)) {
    if (options.resume && options.retryErrors)
      throw new FlagError("--resume and --retry-errors cannot be used together");
    const runId = newRunId();
    return {
      runId,
      runDir: createRunDir(outputDir, runId),
      startedAt: new Date().toISOString(),
      previous: [],
    };
  }
  const from = findRunDir(outputDir, ref);
  const recorded = readRunPlan(from);
  const { results, droppedTornLine } = readResults(from);
  if (droppedTornLine)
    stderr.write(
      `warning: ${from}/results.jsonl ended in a torn line (a crash mid-write); it was dropped and its case runs again\n`,
    );
  const kept = results.filter((r) => plannedIds.has(r.caseId));
  if (options.retryErrors) {
    const runId = newRunId();
    return {
      runId,
      runDir: createRunDir(outputDir, runId),
      startedAt: new Date().toISOString(),
      previous: kept.filter((r) => r.state !== "errored"),
    };
  }
  const recordedIds = new Set(recorded.cases.map((c) => c.id));
  const added = [...plannedIds].filter((id) => !recordedIds.has(id)).length;
  const removed = [...recordedIds].filter((id) => !plannedIds.has(id)).length;
  if (added || removed) {
    throw new ResumeMismatchError(
      `cannot resume ${recorded.runId}: today's plan differs from the run's (${added} case(s) added, ${removed} removed)`,
      "Resume with the same eval files, profiles and flags as the run, or start a new run.",
    );
  }
  return { runId: recorded.runId, runDir: from, startedAt: recorded.startedAt, previous: kept };
}
