import type { PlannedCase } from "../plan/expand.ts";
import type { CaseResult, RunStatus } from "../types.ts";
import { errored, serializeError } from "./case-errors.ts";
import type { WorkerPool } from "./pool.ts";

export interface ScheduleOptions {
  concurrency: number;
  /** Cases of one model in flight at most (0 = no cap). */
  maxPerModel?: number;
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
  let next = 0; // next case when there is no per-model cap
  let bad = 0;
  let bailed = false;
  const stopped = () => bailed || options.signal?.aborted === true;

  const cap = options.maxPerModel ?? 0;
  const inFlight = new Map<string, number>();
  const waiting: (() => void)[] = [];
  /** Takes the next case in plan order whose model has room; waits when none has. */
  const take = async (): Promise<PlannedCase | undefined> => {
    for (;;) {
      if (stopped()) return undefined;
      if (cap <= 0) return next < cases.length ? cases[next++] : undefined;
      const i = pending.findIndex((c) => (inFlight.get(c.task.model.key) ?? 0) < cap);
      if (i >= 0) {
        const [planned] = pending.splice(i, 1) as [PlannedCase];
        // Counted before returning: lanes pick concurrently, and must see each other's picks.
        inFlight.set(planned.task.model.key, (inFlight.get(planned.task.model.key) ?? 0) + 1);
        return planned;
      }
      if (pending.length === 0) return undefined;
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
  };
  const pending = cap > 0 ? [...cases] : [];
  const wakeAll = () => {
    for (const wake of waiting.splice(0)) wake();
  };
  const settle = (key: string) => {
    if (cap > 0) inFlight.set(key, (inFlight.get(key) ?? 1) - 1);
    wakeAll();
  };
  options.signal?.addEventListener("abort", wakeAll, { once: true });

  const lane = async () => {
    for (;;) {
      const planned = await take();
      if (!planned) return;
      const key = planned.task.model.key;
      options.onStart?.(planned);
      let result: CaseResult;
      try {
        result = await pool.runCase(planned.task, options.signal);
      } catch (err) {
        if (options.signal?.aborted) {
          settle(key);
          return;
        }
        result = errored(planned.record.id, serializeError(workerDeath(err), "processing_exception"));
      }
      if (result.state === "failed" || result.state === "errored") bad++;
      if (options.bail > 0 && bad >= options.bail) bailed = true;
      settle(key);
      await options.onResult(result, planned);
    }
  };

  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, cases.length)) }, lane));
  if (options.signal?.aborted) return "interrupted";
  const left = cap > 0 ? pending.length : cases.length - next;
  return bailed && left > 0 ? "bailed" : "completed";
}

function workerDeath(err: unknown): Error {
  const message = err instanceof Error ? err.message : String(err);
  const e = new Error(`the worker running this case died: ${message}`);
  e.name = "WorkerError";
  return e;
}
