// The shapes the dashboard's JSON API sends: one home for the server (src/ui) and the browser app (ui/src),
// which imports them as types only. Only types, and only from ../types.ts, so the browser build needs no Node.
import type { CaseState, RunStatus } from "../types.ts";

export type QueueStatus = "queued" | "running" | "completed" | "failed" | "cancelled";

/** One run asked for from the dashboard, as the Monitor view shows it. */
export interface QueueEntry {
  id: string;
  label: string;
  status: QueueStatus;
  queuedAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** Known once the run opened its run dir. */
  runId?: string;
  exitCode?: number;
  error?: string;
  /** The config file the run uses, when not the project's. */
  config?: string;
  /** The last lines the run printed (console reporter, warnings). */
  log: string[];
}

/** Progress of one run so far, as the Monitor view shows it. */
export interface RunProgress {
  runId: string;
  status: RunStatus;
  total: number;
  done: number;
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
  /** passed ÷ (passed + failed + errored) so far; absent before the first judged case. */
  passRate?: number;
  cost: number;
  startedAt: string;
  /** Estimated time left at the pace so far. */
  etaMs?: number;
}

/** One row of the case table: what the table shows and filters on, nothing more. */
export interface CaseRow {
  id: string;
  file: string;
  evalName: string;
  scenarioKey: string;
  model: string;
  taskType: string;
  temperature: number;
  invocation: number;
  state: CaseState | "pending";
  /** Mean of the jury's dimension scores. */
  score?: number;
  ttftMs?: number;
  cost: number;
  /** Failing dimensions and checks, or the error message. */
  reason: string;
}

/** What the runs list shows of one run. */
export interface RunListItem {
  runId: string;
  status: RunStatus;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  total: number;
  simulated: boolean;
  /** Present once the run finished. */
  counts?: { passed: number; failed: number; errored: number; skipped: number };
  passRate?: number;
  cost?: number;
  gatePassed?: boolean;
  models: string[];
}

/** One line of unprocessed.jsonl, with its run. */
export interface UnprocessedItem {
  runId: string;
  caseId: string;
  file: string;
  evalName: string;
  scenarioKey: string;
  model: string;
  taskType: string;
  classification: string;
  reason: string;
  at: string;
}
