import type { ModelProfile } from "../types.ts";
import { createPiscinaPool } from "./piscina-pool.ts";
import type { ProbeResult } from "./preflight.ts";
import type { CaseResult, CaseTask, CollectResult } from "./protocol.ts";

/**
 * The seam around the thread pool. The scheduler only knows this interface: Piscina in production, the inline
 * pool for `--no-threads` and unit tests. `runCase` resolves with an `errored` result for any case-level failure;
 * a rejection means the case could not run at all (the run was aborted, the pool closed). The Piscina pool turns
 * a dead or stuck worker into an errored result for the culprit alone and reruns the others (piscina-pool.ts);
 * the inline pool cannot: a synchronous loop, process.exit or a crash there is the whole process's.
 */
export interface WorkerPool {
  collect(absFile: string, file: string): Promise<CollectResult>;
  runCase(task: CaseTask, signal?: AbortSignal): Promise<CaseResult>;
  /**
   * The access check's probes (`preflight`), where the cases run: in a worker thread, which loads the SDKs for
   * the cases anyway, so the main thread never loads them. Absent: `preflight` in this thread.
   */
  probe?(models: readonly ModelProfile[], judges: readonly ModelProfile[]): Promise<ProbeResult[]>;
  /**
   * Warms these profiles' providers up in every thread (`PoolOptions.warm`, told after the pool was made). Absent:
   * each case prepares its own in this thread.
   */
  warm?(profiles: readonly ModelProfile[]): void;
  close(): Promise<void>;
}

export interface PoolOptions {
  threads: boolean;
  workers: number;
  concurrency: number;
  /** Heap limit of each worker thread in MB (`--worker-memory`); absent: a share of the machine's memory. */
  workerMemoryMb?: number;
  /** The run's profiles, whose providers each thread loads and warms up as it starts (thread-warm-up.ts). */
  warm?: readonly ModelProfile[];
  /** How many cases the run has at most: no more threads start than they fill (`concurrency ÷ workers` each). */
  cases?: number;
}

export async function createPool(options: PoolOptions): Promise<WorkerPool> {
  return options.threads ? createPiscinaPool(options) : createInlinePool();
}

/** Runs cases in this thread: the same functions the workers run. */
export async function createInlinePool(): Promise<WorkerPool> {
  const { collectEvalFile } = await import("../discovery/collect.ts");
  const { executeCase } = await import("./execute-case.ts");
  return {
    collect: (absFile, file) => collectEvalFile(absFile, file),
    runCase: (task, signal) => executeCase(task, signal),
    close: async () => {},
  };
}
