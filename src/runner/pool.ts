import { fileURLToPath } from "node:url";
import { currentEnv } from "../io-context.ts";
import type { CaseResult, CaseTask, CollectResult } from "./protocol.ts";

/**
 * The seam around the thread pool. The scheduler only knows this interface: Piscina in production, the inline
 * pool for `--no-threads` and unit tests. `runCase` resolves with an `errored` result for any case-level failure;
 * a rejection means the worker itself died.
 */
export interface WorkerPool {
  collect(absFile: string, file: string): Promise<CollectResult>;
  runCase(task: CaseTask, signal?: AbortSignal): Promise<CaseResult>;
  close(): Promise<void>;
}

export interface PoolOptions {
  threads: boolean;
  workers: number;
  concurrency: number;
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

/**
 * Piscina 5 with `workers` threads, each taking ceil(concurrency / workers) cases at a time, so `concurrency`
 * cases are in flight in total. Atomics are disabled: an idle worker waiting on Atomics.wait cannot service the
 * network I/O of the cases it already holds.
 */
export async function createPiscinaPool(options: PoolOptions): Promise<WorkerPool> {
  const { Piscina } = await import("piscina");
  const fromSource = import.meta.url.endsWith(".ts");
  const filename = fileURLToPath(
    new URL(fromSource ? "./worker-source.mjs" : "./worker.js", import.meta.url),
  );
  const workers = Math.max(1, Math.min(options.workers, options.concurrency));
  const piscina = new Piscina({
    filename,
    minThreads: workers,
    maxThreads: workers,
    concurrentTasksPerWorker: Math.ceil(options.concurrency / workers),
    atomics: "disabled",
    idleTimeout: 60_000,
    // From source, eval files importing "jury" must get the same TypeScript sources (package.json `source` condition).
    ...(fromSource ? { execArgv: ["--conditions", "source"] } : {}),
    // The CLI call's env (credentials, base URLs), which may not be the process's.
    env: currentEnv(),
  });
  let closing = false;
  // A case abandoned on abort (Ctrl-C, a full disk) may answer while the pool is destroyed: Piscina emits that
  // answer as an "error" event, which without a listener is an uncaught exception ("Unexpected message from Worker").
  piscina.on("error", (err: unknown) => {
    if (!closing) throw err;
  });
  return {
    collect: (absFile, file) => piscina.run({ absFile, file }, { name: "collect" }),
    // The signal is not handed to Piscina: it runs an abortable task alone on its thread, which would cut the
    // cases in flight to one per worker. On abort the case is abandoned here; close() ends the threads.
    runCase: (task, signal) => abandonOnAbort(piscina.run(task, { name: "runCase" }), signal),
    close: () => {
      closing = true;
      return piscina.destroy();
    },
  };
}

/** `work`, or a rejection as soon as `signal` aborts (the work itself goes on, unobserved). */
function abandonOnAbort<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return work;
  work.catch(() => undefined);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}
