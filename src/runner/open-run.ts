import { rmSync } from "node:fs";
import { FlagError, ResumeMismatchError } from "../errors.ts";
import { findRunDir, readResults, readRunPlan } from "../store/resume.ts";
import { createNewRunDir } from "../store/run-dir.ts";
import { lockRunDir, type RunLock } from "../store/run-lock.ts";
import type { CaseRecord, CaseResult, StartOptions, TextSink } from "../types.ts";

/** A run once open: its dir, locked for this process until `lock.release()`. */
export interface OpenedRun {
  runId: string;
  runDir: string;
  startedAt: string;
  previous: CaseResult[];
  /** Whether the dir was made for this run (and may be removed if the run cannot start), or resumed. */
  created: boolean;
  lock: RunLock;
}

/**
 * A new run, or — with `resume` — the interrupted run to continue (same plan required), or — with
 * `retryErrors` — a new run seeded with a previous run's non-errored results. The run dir is locked before its
 * results are read: a second `evals` resuming it at the same time is refused (`RunLockedError`).
 */
export function openRun(
  outputDir: string,
  planned: readonly CaseRecord[],
  options: StartOptions,
  stderr: TextSink,
): OpenedRun {
  const ref = options.resume ?? options.retryErrors;
  const warn = (text: string) => stderr.write(`warning: ${text}\n`);
  if (ref === undefined || (options.resume && options.retryErrors)) {
    if (options.resume && options.retryErrors)
      throw new FlagError("--resume and --retry-errors cannot be used together");
    return newRun(outputDir, [], warn);
  }
  // Only a resume or a retry compares ids: a new run makes no set of them.
  const plannedIds = new Set(planned.map((c) => c.id));
  const from = findRunDir(outputDir, ref);
  // A retry only reads the run (into a new one); a resume appends to it, so it holds the run's lock.
  const lock = options.retryErrors ? undefined : lockRunDir(from, warn);
  try {
    const { results, droppedTornLine } = readResults(from);
    if (droppedTornLine)
      warn(
        `${from}/results.jsonl ended in a torn line (a crash mid-write); it was dropped and its case runs again`,
      );
    const kept = results.filter((r) => plannedIds.has(r.caseId));
    if (!lock)
      return newRun(
        outputDir,
        kept.filter((r) => r.state !== "errored"),
        warn,
      );
    // A retry's plan came from this run.json already (retry-plan.ts): only a resume reads it here.
    const recorded = readRunPlan(from);
    const recordedIds = new Set(recorded.cases.map((c) => c.id));
    const added = [...plannedIds].filter((id) => !recordedIds.has(id)).length;
    const removed = [...recordedIds].filter((id) => !plannedIds.has(id)).length;
    if (added || removed) {
      throw new ResumeMismatchError(
        `cannot resume ${recorded.runId}: today's plan differs from the run's (${added} case(s) added, ${removed} removed)`,
        "Resume with the same eval files, profiles and flags as the run, or start a new run.",
      );
    }
    return {
      runId: recorded.runId,
      runDir: from,
      startedAt: recorded.startedAt,
      previous: kept,
      created: false,
      lock,
    };
  } catch (err) {
    lock?.release();
    throw err;
  }
}

function newRun(outputDir: string, previous: CaseResult[], warn: (text: string) => void): OpenedRun {
  const { runId, runDir } = createNewRunDir(outputDir);
  let lock: RunLock;
  try {
    lock = lockRunDir(runDir, warn);
  } catch (err) {
    rmSync(runDir, { recursive: true, force: true });
    throw err;
  }
  return { runId, runDir, startedAt: new Date().toISOString(), previous, created: true, lock };
}
