import type { PlannedCase } from "../plan/expand.ts";
import type { CaseResult, RunStatus } from "../types.ts";
import { errored, serializeError } from "./case-errors.ts";
import type { WorkerPool } from "./pool.ts";

export interface ScheduleOptions {
  concurrency: number;
  /** Stop starting cases after this many failed or errored ones (0 = never). */
  bail: number;
  signal?: AbortSignal;
  onStart?(planned: PlannedCase): void;
  onResult(result: CaseResult, planned: PlannedCase): Promise<void> | void;
}

/**
 * Keeps `concurrency` cases in flight on the pool, in plan order. A worker that dies (the pool rejects) becomes
 * an `errored` result for its case and the run goes on. On abort, no new case starts and in-flight cases are
 * abandoned unrecorded, so a resumed run repeats exactly them.
 */
export async function scheduleCases(
  cases: readonly PlannedCase[],
  pool: WorkerPool,
  options: ScheduleOptions,
): Promise<RunStatus> {
  let next = 0;
  let bad = 0;
  let bailed = false;
  const stopped = () => bailed || options.signal?.aborted === true;

  const lane = async () => {
    while (!stopped() && next < cases.length) {
      const planned = cases[next++] as PlannedCase;
      options.onStart?.(planned);
      let result: CaseResult;
      try {
        result = await pool.runCase(planned.task, options.signal);
      } catch (err) {
        if (options.signal?.aborted) return;
        result = errored(planned.record.id, serializeError(workerDeath(err), "processing_exception"));
      }
      if (result.state === "failed" || result.state === "errored") bad++;
      await options.onResult(result, planned);
      if (options.bail > 0 && bad >= options.bail) bailed = true;
    }
  };

  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, cases.length)) }, lane));
  if (options.signal?.aborted) return "interrupted";
  return bailed && next < cases.length ? "bailed" : "completed";
}

function workerDeath(err: unknown): Error {
  const message = err instanceof Error ? err.message : String(err);
  const e = new Error(`the worker running this case died: ${message}`);
  e.name = "WorkerError";
  return e;
}
