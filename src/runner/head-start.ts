import type { PlannedCase } from "../plan/expand.ts";
import type { CaseResult } from "../types.ts";
import type { WorkerPool } from "./pool.ts";

/**
 * A run's first cases, sent while its access check is under way instead of after it: the check's round trip (a
 * call to each model: a real service's time to first token, often 0.3–1 s) no longer comes before a run's first
 * answer. A head-started case is the scheduler's once it takes that case (`through`), and only then recorded, as
 * any case. When the check changes the plan (a model unreachable) or refuses the run, the head start is dropped
 * (`drop`): its cases not taken are abandoned, nothing of them is recorded, and the scheduler runs the plan the
 * check left. Their calls are then the cost of a failed check: at most one case a lane.
 */
export interface HeadStart {
  /** When its cases were sent (epoch ms). */
  readonly startedAt: number;
  /** Whether the scheduler took any of its cases: the run's cases started at `startedAt`. */
  readonly taken: boolean;
  /**
   * `pool`, answering each head-started case the first time it is asked for with its run under way (whose abort
   * then follows the signal it is asked with); any other case, and every case once dropped, as `pool` does.
   */
  through(pool: WorkerPool): WorkerPool;
  /**
   * Abandons the cases not taken: their answers are never read. Called before the scheduler takes any (the check
   * changed the plan) or after it has ended (with no taken case still running); it does nothing the second time.
   */
  drop(): void;
}

/** Sends `cases` to `pool` now (one batch a thread), for the scheduler to take later (see `HeadStart`). */
export function headStart(pool: WorkerPool, cases: readonly PlannedCase[], signal?: AbortSignal): HeadStart {
  const startedAt = Date.now();
  const abandon = new AbortController();
  const follow = () => abandon.abort(signal?.reason);
  signal?.addEventListener("abort", follow, { once: true });
  const ahead = new Map<string, Promise<CaseResult>>();
  for (const { task } of cases) {
    const run = pool.runCase(task, abandon.signal);
    run.catch(() => undefined); // abandoned: no one reads it
    ahead.set(task.case.id, run);
  }
  let taken = false;
  let followed: AbortSignal | undefined;
  return {
    startedAt,
    get taken() {
      return taken;
    },
    through: (inner) => ({
      ...inner,
      runCase: (task, runSignal) => {
        const run = ahead.get(task.case.id);
        if (!run) return inner.runCase(task, runSignal);
        ahead.delete(task.case.id);
        taken = true;
        // The scheduler asks every case with the same signal: one listener.
        if (runSignal && runSignal !== followed) {
          followed = runSignal;
          if (runSignal.aborted) abandon.abort(runSignal.reason);
          else runSignal.addEventListener("abort", () => abandon.abort(runSignal.reason), { once: true });
        }
        return run;
      },
    }),
    drop: () => {
      signal?.removeEventListener("abort", follow);
      if (ahead.size === 0) return;
      ahead.clear();
      abandon.abort(new Error("the head start was dropped"));
    },
  };
}
