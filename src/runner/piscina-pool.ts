import { existsSync } from "node:fs";
import { totalmem } from "node:os";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { currentEnv } from "../io-context.ts";
import { resultFromLine } from "../store/results-writer.ts";
import type { ModelProfile } from "../types.ts";
import { abandonOnAbort } from "./abandon-on-abort.ts";
import { errored, serializeError } from "./case-errors.ts";
import { poolWarmUp } from "./pool-warm-up.ts";
import type { ProbeResult } from "./preflight.ts";
import {
  type CaseAnswer,
  type CaseBatch,
  type CaseResult,
  type CaseTask,
  type CollectResult,
  collectKey,
  isCaseAnswers,
  isTaskStarted,
  type ProbeRequest,
} from "./protocol.ts";
import type { ThreadStart } from "./thread-warm-up.ts";
import { exitCodeOf, STUCK_GRACE_MS, stuckWorkerError, workerDeathError } from "./worker-faults.ts";

/** Loading one `*.eval.ts` (its top level and scenario functions) may take this long, unless the env says. */
export const COLLECT_TIMEOUT_MS = 30_000;

/**
 * The heap limit of a worker when `--worker-memory` is not given: half the machine's memory shared by the
 * workers (the other half is the main thread's, the OS's and the user's), so a runaway task ends its worker
 * instead of swapping the machine into the ground; at least 256 MB (the SDKs and a case fit), at most
 * `WORKER_MEMORY_CAP_MB`.
 */
export function defaultWorkerMemoryMb(workers: number): number {
  const share = Math.floor(totalmem() / 2 ** 20 / 2 / Math.max(1, workers));
  return Math.min(WORKER_MEMORY_CAP_MB, Math.max(256, share));
}

/**
 * The default heap limit's ceiling. V8 lets a heap grow to up to 4× what is live before a full GC when its limit
 * is 2 GB or more, less the lower the limit: with V8's own 4 GB, each worker carried ~200 MB of garbage over a long
 * run (a thread churning over ~50 MB live: 366 MB of heap at 4 GB, 170 at 1 GB; docs/performance.md#memory).
 * 1 GB is still far more than a task holds — an SDK's response with its images, times the cases a thread runs at
 * once; `--worker-memory` raises it.
 */
const WORKER_MEMORY_CAP_MB = 1024;

/**
 * The worker threads' young generations together, in MB, shared among the threads (8 at least each; V8's default
 * is several times this): a case's garbage is short-lived, and a small nursery is collected sooner instead of
 * growing each thread's heap — a cost in scavenges (GC time), not capacity: the old generation (`--worker-memory`)
 * is unchanged. One thread (a live run on 2 cores) gets 32 MB: over HTTP its scavenges were 19% of its CPU at 8,
 * and bench:peers ran ~15% faster at 32 (docs/performance.md); four get 8 each, as every thread had before.
 */
const WORKERS_YOUNG_GENERATION_MB = 32;

/** Each thread's share of the young generation budget. */
export function youngGenerationMb(threads: number): number {
  return Math.max(8, Math.floor(WORKERS_YOUNG_GENERATION_MB / Math.max(1, threads)));
}

export interface PiscinaPoolOptions {
  workers: number;
  concurrency: number;
  /** Heap limit of each worker in MB; absent: defaultWorkerMemoryMb(workers). */
  workerMemoryMb?: number;
  /** Profiles whose providers each thread loads and warms up as it starts. */
  warm?: readonly ModelProfile[];
  /** At most this many cases will run: no more threads start than they fill. */
  cases?: number;
}

/** The cases one thread's death rejected (Piscina rejects them all with the same error object). */
interface Death {
  victims: number;
  /** Victims that had announced their start on the thread. */
  started: number;
  /** The watchdog terminated the thread: a case on it overran its timeout without answering. */
  killed: boolean;
  settled: Promise<void>;
}

/** A case sent in a batch, waiting for its answer. */
interface Waiter {
  resolve(answer: CaseAnswer): void;
  reject(err: unknown): void;
}

/** A case that started on a thread: when it is overdue, and what to do then. */
interface Watched {
  threadId: number;
  overdueAt: number;
  overran(): void;
}

/** How often the watchdog looks for overdue cases (one timer for all, not one per case: cheaper). */
const WATCH_EVERY_MS = 500;

/**
 * Piscina 5 with `workers` threads (fewer when `cases` fill fewer); the scheduler keeps `concurrency` cases in flight.
 * The cases asked for in one turn go out at its end as one task per thread (`runCases`, at most
 * ceil(concurrency / workers) tasks a thread, and one for the probes), each case answered on its own as it finishes.
 * Atomics are disabled: an idle worker waiting on Atomics.wait cannot service the network I/O of the cases it
 * already holds.
 *
 * A thread that dies takes every case on it down; only the culprit may be errored. A thread dies by itself
 * (process.exit, an uncaught error, out of memory), or is terminated by the watchdog when a case that started on
 * it overran its `--case-timeout` by STUCK_GRACE_MS without an answer (a synchronous loop: the case's own timer
 * cannot fire). The case that was alone on the dead thread (or the only one started on a thread the watchdog
 * ended) is the culprit. When several were, the cases that had started on it run again one at a time on a
 * quarantine thread of their own, where the culprit fails again and
 * the others get their normal results; cases only queued to a thread the watchdog ended could not have blocked
 * it, and simply run again.
 */
export async function createPiscinaPool(options: PiscinaPoolOptions) {
  const { Piscina } = await import("piscina");
  const entry = workerEntry();
  const wanted = Math.max(1, Math.min(options.workers, options.concurrency));
  const tasksPerThread = Math.ceil(options.concurrency / wanted);
  // A thread loads and warms up the SDKs (~0.3 s of CPU): 10 cases at 16 a thread need one, not two.
  const workers =
    options.cases === undefined
      ? wanted
      : Math.max(1, Math.min(wanted, Math.ceil(options.cases / tasksPerThread)));
  const workerMemoryMb = options.workerMemoryMb ?? defaultWorkerMemoryMb(wanted);
  const env = currentEnv();

  /** What to do when a task (by its `taskStarted` key) starts on a thread. */
  const onStart = new Map<string, (threadId: number) => void>();
  /** Threads that ended: a start announced by one of them, arriving late, is not the task's current run. */
  const ended = new Set<number>();
  /** Cases sent in a batch (`runCases`), by dispatch key, until their answer arrives or their batch fails. */
  const answers = new Map<string, Waiter>();
  /** The last dispatch key given (`CaseBatch`): one per case sent, never reused. */
  let dispatched = 0;
  const warmUp = poolWarmUp(options.warm);
  const makePool = (threads: { min: number; max: number; tasksPerThread: number }) => {
    const pool = new Piscina({
      ...entry,
      minThreads: threads.min,
      maxThreads: threads.max,
      concurrentTasksPerWorker: threads.tasksPerThread,
      atomics: "disabled",
      // Piscina's wait- and run-time histograms, which nothing reads: two records per task on the main thread.
      recordTiming: false,
      idleTimeout: 60_000,
      resourceLimits: {
        maxOldGenerationSizeMb: workerMemoryMb,
        maxYoungGenerationSizeMb: youngGenerationMb(threads.max),
      },
      // The CLI call's env (credentials, base URLs), which may not be the process's.
      env,
      workerData: warmUp.start satisfies ThreadStart,
    });
    // A thread that dies holding no task (a stray timer of a finished case threw) is replaced; nothing to blame.
    pool.on("error", () => undefined);
    pool.on("workerDestroy", (worker: { id: number }) => ended.add(worker.id));
    pool.on("message", (message: unknown) => {
      if (isCaseAnswers(message)) {
        for (const [key, answer] of message.caseAnswers) answers.get(key)?.resolve(answer);
        return;
      }
      if (!isTaskStarted(message) || ended.has(message.threadId)) return;
      const keys = typeof message.taskStarted === "string" ? [message.taskStarted] : message.taskStarted;
      for (const key of keys) {
        onStart.get(key)?.(message.threadId);
        onStart.delete(key);
      }
    });
    return pool;
  };
  // One task more a thread than its cases: the access check's probes (a task of their own) run beside the cases sent
  // ahead of them (head-start.ts). With exactly the cases' slots, a run at concurrency 1 waited for its probes'
  // answers before its first case went out. The scheduler never has more cases in flight than the concurrency.
  const piscina = makePool({ min: workers, max: workers, tasksPerThread: tasksPerThread + 1 });
  /**
   * One thread, one case at a time: where the cases of a thread that died run again alone. (minThreads 1: with 0,
   * Piscina starts no thread for the tasks queued behind one whose thread died.)
   */
  let quarantine: typeof piscina | undefined;

  const watched = new Map<string, Watched>();
  const watchdog = setInterval(() => {
    const now = performance.now();
    for (const w of watched.values()) if (now >= w.overdueAt) w.overran();
  }, WATCH_EVERY_MS).unref();
  /** Terminates the thread (Piscina then rejects every task on it and starts a replacement). */
  const terminate = (threadId: number) =>
    void [...piscina.threads, ...(quarantine?.threads ?? [])]
      .find((t) => t.threadId === threadId)
      ?.terminate();

  /** Cases asked for in this turn: sent at its end, as one batch per thread. */
  let outgoing: { key: string; task: CaseTask; waiter: Waiter }[] = [];
  const sendBatches = () => {
    const all = outgoing;
    outgoing = [];
    const size = Math.ceil(all.length / workers);
    for (let i = 0; i < all.length; i += size) {
      const batch = all.slice(i, i + size);
      piscina
        .run(batch.map((b) => [b.key, b.task] as const) satisfies CaseBatch, { name: "runCases" })
        .then(undefined, (err: unknown) => {
          // The thread died (or the pool closed): the cases not answered yet fail as each case's own task did.
          for (const { key, waiter } of batch) if (answers.get(key) === waiter) waiter.reject(err);
        });
    }
  };
  /** A case's answer through a batch: a turn's cases cost one Piscina task, clone and start message a thread. */
  const dispatch = (key: string, task: CaseTask) =>
    new Promise<CaseAnswer>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (answer) => {
          answers.delete(key);
          resolve(answer);
        },
        reject: (err) => {
          answers.delete(key);
          reject(err);
        },
      };
      answers.set(key, waiter);
      if (outgoing.push({ key, task, waiter }) === 1) setImmediate(sendBatches);
    });

  const deaths = new WeakMap<object, Death>();
  /** Waits until every case the same death rejected has reported in; the death, with how many there were. */
  const deathOf = async (err: unknown, killed: boolean, started: boolean): Promise<Death> => {
    if (typeof err !== "object" || err === null)
      return { victims: 1, started: started ? 1 : 0, killed, settled: Promise.resolve() };
    let death = deaths.get(err);
    if (!death) {
      // Piscina rejects the tasks of a dead thread in one synchronous loop: all of them are in by the next turn.
      death = {
        victims: 0,
        started: 0,
        killed: false,
        settled: new Promise((resolve) => setImmediate(resolve)),
      };
      deaths.set(err, death);
    }
    death.victims++;
    if (started) death.started++;
    death.killed ||= killed;
    await death.settled;
    return death;
  };

  const runCase = async (task: CaseTask, signal?: AbortSignal): Promise<CaseResult> => {
    const id = task.case.id;
    let alone = false;
    for (;;) {
      let started = false;
      let overran = false;
      const key = String(++dispatched);
      onStart.set(id, (threadId) => {
        started = true;
        if (task.caseTimeoutMs > 0)
          watched.set(id, {
            threadId,
            overdueAt: performance.now() + task.caseTimeoutMs + STUCK_GRACE_MS,
            overran() {
              watched.delete(id);
              overran = true;
              terminate(threadId);
            },
          });
      });
      try {
        // The run's signal is not handed to Piscina: it runs an abortable task alone on its thread, which would
        // cut the cases in flight to one per worker. On abort the case is abandoned here; close() ends the threads.
        if (alone) quarantine ??= makePool({ min: 1, max: 1, tasksPerThread: 1 });
        const work: Promise<CaseAnswer> = alone
          ? (quarantine as typeof piscina).run(task, { name: "runCase" })
          : dispatch(key, task);
        const answer = await abandonOnAbort(work, signal);
        return typeof answer === "string" ? resultFromLine(answer) : answer;
      } catch (err) {
        if (signal?.aborted) throw err;
        const death = await deathOf(err, overran, started);
        // Alone on the thread, or the only case started on a thread the watchdog ended. (Of a thread that died by
        // itself, all victims count: its last start announcement may never have arrived.)
        const culprit = death.victims === 1 || (death.killed && started && death.started === 1);
        if (alone || culprit) {
          const e = death.killed
            ? stuckWorkerError(task.caseTimeoutMs)
            : workerDeathError(err, workerMemoryMb);
          return errored(id, serializeError(e, "processing_exception"));
        }
        // Not started on the thread the watchdog ended: it cannot have blocked it.
        if (!(death.killed && !started)) alone = true;
      } finally {
        watched.delete(id);
        onStart.delete(id);
        answers.delete(key);
      }
    }
  };

  const collectMs = collectTimeoutMs(env.EVALS_COLLECT_TIMEOUT_MS);
  return {
    collect: (absFile: string, file: string) =>
      collectWithTimeout(piscina, onStart, absFile, file, collectMs),
    runCase,
    /** How many threads run the cases (started at once, replaced when one dies). */
    threads: () => piscina.threads.length,
    probe: (models: readonly ModelProfile[], judges: readonly ModelProfile[]): Promise<ProbeResult[]> =>
      piscina.run({ models, judges } satisfies ProbeRequest, { name: "probe" }),
    warm: warmUp.warm,
    close: async () => {
      clearInterval(watchdog);
      await Promise.all([piscina.destroy(), quarantine?.destroy(), warmUp.close()]);
    },
  };
}

/**
 * The module a worker thread loads, and its flags when they are not the process's own.
 * - Built (`import`ed from dist/): dist's worker.js.
 * - From the TypeScript sources: worker-source.mjs registers tsx in the thread (Node 20 does not give a parent's
 *   `--import tsx` hooks to worker threads), and every module the thread loads, the SDKs included, goes through
 *   tsx's hooks thread. The `jury-source` condition gives eval files importing "jury" the same sources.
 * - From the sources with `JURY_BUILT_WORKERS=1` in the process's env: dist's worker.js, and "jury" from dist/ in
 *   the threads, as in a built install. For a process that knows dist/ is as new as the sources: the test suite,
 *   whose global setup builds it, and where loading the threads from the sources was 36% of the suite's CPU.
 * A profiling run's `--cpu-prof` flags (bench:throughput) are passed on wherever the flags are set.
 */
export function workerEntry(): { filename: string; execArgv?: string[] } {
  const at = (path: string) => fileURLToPath(new URL(path, import.meta.url));
  if (!import.meta.url.endsWith(".ts")) return { filename: at("./worker.js") };
  if (process.env.JURY_BUILT_WORKERS !== "1")
    return {
      filename: at("./worker-source.mjs"),
      execArgv: [...profilerFlags(process.execArgv), "--conditions", "jury-source"],
    };
  const filename = at("../../dist/src/runner/worker.js");
  if (!existsSync(filename))
    throw new Error(`JURY_BUILT_WORKERS=1, but ${filename} is missing: run \`npm run build\` first`);
  return { filename, execArgv: profilerFlags(process.execArgv) };
}

/** The `--cpu-prof*` flags of this process (with their values), for its worker threads. */
export function profilerFlags(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i] as string;
    if (!flag.startsWith("--cpu-prof")) continue;
    out.push(flag);
    const value = execArgv[i + 1];
    if (!flag.includes("=") && /-(dir|name|interval)$/.test(flag) && value !== undefined) {
      out.push(value);
      i++;
    }
  }
  return out;
}

function collectTimeoutMs(fromEnv: string | undefined): number {
  const ms = Number(fromEnv);
  return fromEnv && Number.isFinite(ms) && ms > 0 ? ms : COLLECT_TIMEOUT_MS;
}

/**
 * Collects a file alone on a thread, with an AbortSignal that ends the thread when loading overruns (an infinite
 * loop at the top of the file: Piscina terminates the thread of an aborted task). A file that ends its thread
 * while loading is a problem of that file too.
 */
async function collectWithTimeout(
  piscina: import("piscina").Piscina,
  onStart: Map<string, (threadId: number) => void>,
  absFile: string,
  file: string,
  timeoutMs: number,
): Promise<CollectResult> {
  const deadline = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  // Timed from the start of loading, not of the thread (a fresh worker takes a while to boot from source).
  onStart.set(collectKey(absFile), () => {
    timer = setTimeout(() => deadline.abort(), timeoutMs);
  });
  const problem = (message: string): CollectResult => ({
    evals: [],
    problems: [{ file, message }],
    warnings: [],
  });
  try {
    return (await piscina.run(
      { absFile, file },
      { name: "collect", signal: deadline.signal },
    )) as CollectResult;
  } catch (err) {
    // By the error first: a thread that exited may report it after the deadline passed.
    const code = exitCodeOf(err);
    if (code !== undefined) return problem(`the file called process.exit(${code}) while loading`);
    if (deadline.signal.aborted)
      return problem(
        `loading did not finish within ${timeoutMs / 1000} s (an infinite loop at the top of the file?)`,
      );
    if ((err as { code?: unknown } | null)?.code === "ERR_WORKER_OUT_OF_MEMORY")
      return problem("loading ran out of memory (worker heap limit; --worker-memory)");
    return problem(
      `loading crashed its worker: ${err instanceof Error ? err.message : String(err)} (an error thrown outside an awaited call?)`,
    );
  } finally {
    clearTimeout(timer);
    onStart.delete(collectKey(absFile));
  }
}
