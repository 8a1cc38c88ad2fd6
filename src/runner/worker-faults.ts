// What a worker thread's death or hang means, in words a user can act on. Piscina rejects every task of a thread
// that dies with the same error: the worker's uncaught error, Node's ERR_WORKER_OUT_OF_MEMORY, or its own
// "worker exited with code: N" when the thread exits.

/** How long past a case's own deadline the main thread waits for its worker to answer before replacing it. */
export const STUCK_GRACE_MS = 2_000;

/** A case whose worker stopped answering (a synchronous loop): the main thread terminated the worker. */
export function stuckWorkerError(caseTimeoutMs: number): Error {
  return named(
    "TimeoutError",
    `the case timed out after ${caseTimeoutMs} ms and its worker was not responding (a synchronous loop?); ` +
      "the worker was replaced",
  );
}

/** A case that killed the thread it ran on alone: what killed it (`err` is the pool's rejection). */
export function workerDeathError(err: unknown, workerMemoryMb: number): Error {
  if ((err as { code?: unknown } | null)?.code === "ERR_WORKER_OUT_OF_MEMORY")
    return named(
      "WorkerError",
      `the task ran out of memory: worker heap limit ${workerMemoryMb} MB (--worker-memory)`,
    );
  const code = exitCodeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  return named(
    "WorkerError",
    code === undefined
      ? `the worker running this case died: uncaught error: ${message} (an error thrown or a promise rejected outside the task's await chain)`
      : `the worker running this case died: process.exit(${code}) was called`,
  );
}

/** The exit code of a thread that exited (Piscina's "worker exited with code: N"), else undefined. */
export function exitCodeOf(err: unknown): number | undefined {
  const m = err instanceof Error ? /^worker exited with code: (-?\d+)$/.exec(err.message) : null;
  return m ? Number(m[1]) : undefined;
}

function named(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}
