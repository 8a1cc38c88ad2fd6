import type { PlannedCase } from "../plan/expand.ts";
import type { CaseRecord, CaseResult, RunStatus } from "../types.ts";
import { errored, serializeError } from "./case-errors.ts";
import type { WorkerPool } from "./pool.ts";

export interface ScheduleOptions {
  concurrency: number;
  /** Cases of one model in flight at most (0 = no cap). */
  maxPerModel?: number;
  /** Stop starting cases after this many failed or errored ones (0 = never). */
  bail: number;
  /** Pause before the next invocation of the same scenario × model × variant × temperature, in ms. */
  invocationSleepMs?: number;
  /** Pause between experiments, in ms: experiment e + 1 starts this long after the last case of e finished. */
  experimentWaitMs?: number;
  signal?: AbortSignal;
  /**
   * Asked before a case starts: a status (e.g. `"budget"`) stops starting cases for good, as `bail` does — the
   * cases in flight finish and are recorded — and the schedule ends with it when cases were left.
   */
  shouldStop?(): RunStatus | undefined;
  onStart?(planned: PlannedCase): void;
  onResult(result: CaseResult, planned: PlannedCase): Promise<void> | void;
  /** Experiment `experiment` is done and the next one starts at `until` (epoch ms). */
  onExperimentWait?(experiment: number, until: number): void;
}

/** The invocations of one series (same case but for the invocation) run one after another when they sleep. */
const seriesKey = (r: CaseRecord, invocation: number) =>
  `${r.file}\0${r.evalName}\0${r.scenarioKey}\0${r.model}\0${r.variant}\0${r.temperature}\0${r.experiment}\0${invocation}`;

/**
 * Keeps `concurrency` cases in flight on the pool, in plan order. A worker that dies (the pool rejects) becomes
 * an `errored` result for its case and the run goes on. On abort, no new case starts and in-flight cases are
 * abandoned unrecorded, so a resumed run repeats exactly them. On a bail or a `shouldStop` status, no new case
 * starts and those in flight finish and are recorded. Pacing (DESIGN §5): a case waits for room under
 * its model's cap, for the previous invocation of its series plus `invocationSleepMs`, and for the previous
 * experiment plus `experimentWaitMs`; other cases go ahead meanwhile.
 */
export async function scheduleCases(
  cases: readonly PlannedCase[],
  pool: WorkerPool,
  options: ScheduleOptions,
): Promise<RunStatus> {
  let next = 0; // next case on the fast path (no cap, no pacing)
  let bad = 0;
  /** Why no more cases start (bailed, or what `shouldStop` said); unset while they do. */
  let halted: RunStatus | undefined;
  const stopped = () => {
    halted ??= options.shouldStop?.();
    return halted !== undefined || options.signal?.aborted === true;
  };

  const cap = options.maxPerModel ?? 0;
  const sleepMs = options.invocationSleepMs ?? 0;
  const waitMs = options.experimentWaitMs ?? 0;
  const paced = cap > 0 || sleepMs > 0 || waitMs > 0;
  const inFlight = new Map<string, number>();
  /** Series key of a case → when it finished (absent while it has not). Only cases of this schedule count. */
  const finishedAt = new Map<string, number | undefined>();
  /** Experiment → cases of it not finished yet, and when its last one finished. */
  const openCases = new Map<number, number>();
  const experimentDoneAt = new Map<number, number>();
  if (paced)
    for (const c of cases) {
      if (sleepMs > 0) finishedAt.set(seriesKey(c.record, c.record.invocation), undefined);
      openCases.set(c.record.experiment, (openCases.get(c.record.experiment) ?? 0) + 1);
    }
  const experiments = [...openCases.keys()].sort((a, b) => a - b);
  /** Experiment → the one before it in this schedule (the first has none). */
  const previous = new Map(experiments.map((e, i) => [e, experiments[i - 1]]));

  /** When a case may start (epoch ms), or Infinity while what it waits for has not finished. */
  const readyAt = (c: PlannedCase): number => {
    let at = 0;
    if (sleepMs > 0 && c.record.invocation > 1) {
      const prev = seriesKey(c.record, c.record.invocation - 1);
      if (finishedAt.has(prev)) {
        const done = finishedAt.get(prev);
        at = done === undefined ? Number.POSITIVE_INFINITY : done + sleepMs;
      }
    }
    if (waitMs > 0) {
      const before = previous.get(c.record.experiment);
      if (before !== undefined) {
        const done = experimentDoneAt.get(before);
        at = Math.max(at, done === undefined ? Number.POSITIVE_INFINITY : done + waitMs);
      }
    }
    return at;
  };

  const waiting: (() => void)[] = [];
  /** Takes the first case in plan order that may start now; waits (a completion or a pacing timer) when none may. */
  const take = async (): Promise<PlannedCase | undefined> => {
    for (;;) {
      if (stopped()) return undefined;
      if (!paced) return next < cases.length ? cases[next++] : undefined;
      const now = Date.now();
      let soonest = Number.POSITIVE_INFINITY;
      let planned: PlannedCase | undefined;
      const i = pending.findIndex((index) => {
        const c = cases[index] as PlannedCase;
        if (cap > 0 && (inFlight.get(c.task.model.key) ?? 0) >= cap) return false;
        const at = readyAt(c);
        if (at > now) soonest = Math.min(soonest, at);
        planned = c;
        return at <= now;
      });
      if (i >= 0 && planned) {
        pending.splice(i, 1);
        // Counted before returning: lanes pick concurrently, and must see each other's picks.
        inFlight.set(planned.task.model.key, (inFlight.get(planned.task.model.key) ?? 0) + 1);
        return planned;
      }
      if (pending.length === 0) return undefined;
      await new Promise<void>((resolve) => {
        const timer = Number.isFinite(soonest) ? setTimeout(wake, soonest - now) : undefined;
        function wake() {
          clearTimeout(timer);
          resolve();
        }
        waiting.push(wake);
      });
    }
  };
  // Indexes into `cases`, not cases: a plan's cases are made when read.
  const pending = paced ? Array.from({ length: cases.length }, (_, i) => i) : [];
  const wakeAll = () => {
    for (const wake of waiting.splice(0)) wake();
  };
  const settle = (planned: PlannedCase) => {
    if (paced) {
      const r = planned.record;
      const now = Date.now();
      inFlight.set(planned.task.model.key, (inFlight.get(planned.task.model.key) ?? 1) - 1);
      if (sleepMs > 0) finishedAt.set(seriesKey(r, r.invocation), now);
      const open = (openCases.get(r.experiment) ?? 1) - 1;
      openCases.set(r.experiment, open);
      if (open === 0) {
        experimentDoneAt.set(r.experiment, now);
        const following = experiments.find((e) => e > r.experiment);
        if (waitMs > 0 && following !== undefined && !stopped())
          options.onExperimentWait?.(r.experiment, now + waitMs);
      }
    }
    wakeAll();
  };
  options.signal?.addEventListener("abort", wakeAll, { once: true });

  const lane = async () => {
    for (;;) {
      const planned = await take();
      if (!planned) return;
      options.onStart?.(planned);
      let result: CaseResult;
      try {
        result = await pool.runCase(planned.task, options.signal);
      } catch (err) {
        if (options.signal?.aborted) {
          settle(planned);
          return;
        }
        result = errored(planned.record.id, serializeError(workerDeath(err), "processing_exception"));
      }
      if (result.state === "failed" || result.state === "errored") bad++;
      if (options.bail > 0 && bad >= options.bail) halted ??= "bailed";
      settle(planned);
      await options.onResult(result, planned);
    }
  };

  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, cases.length)) }, lane));
  if (options.signal?.aborted) return "interrupted";
  const left = paced ? pending.length : cases.length - next;
  return halted && left > 0 ? halted : "completed";
}

function workerDeath(err: unknown): Error {
  const message = err instanceof Error ? err.message : String(err);
  const e = new Error(`the worker running this case died: ${message}`);
  e.name = "WorkerError";
  return e;
}
