// The runner's side of batch inference (issue 21): the run's collector, the cases it waits for, and what an
// interrupted run says about the batches it leaves running. The engine itself is src/batch/.
import { BatchCollector } from "../batch/collector.ts";
import { readBatchRecords } from "../batch/state.ts";
import { batchingWanted } from "../batch/wanted.ts";
import { currentEnv } from "../io-context.ts";
import { type Plan, withTask } from "../plan/expand.ts";
import type { ResolvedConfig, StartOptions, TextSink } from "../types.ts";
import type { WorkerPool } from "./pool.ts";

/** Cases in flight under batching unless `--concurrency` says: each case waits for its batch, so this is its size. */
export const BATCH_WINDOW = 10_000;

/** Between two polls of a running batch unless `--batch-poll` (or `JURY_BATCH_POLL_MS`) says. */
export const BATCH_POLL_MS = 30_000;

/** The run's batch collector when any of its calls batches (`--batch`, a `batch: true` profile, a resumed batch run). */
export async function openBatching(
  run: { runId: string; runDir: string; config: ResolvedConfig },
  options: StartOptions,
  stderr: TextSink,
): Promise<BatchCollector | undefined> {
  if (!batchingWanted(run.config, options)) return undefined;
  const env = currentEnv();
  const all = options.batch === true || readBatchRecords(run.runDir).some((r) => r.type === "run" && r.all);
  return BatchCollector.open({
    runId: run.runId,
    runDir: run.runDir,
    all,
    profiles: [...run.config.models, ...run.config.judges],
    pollMs: options.batchPollMs ?? envNumber(env.JURY_BATCH_POLL_MS) ?? BATCH_POLL_MS,
    ...(envNumber(env.JURY_BATCH_MAX_REQUESTS) === undefined
      ? {}
      : { maxRequests: envNumber(env.JURY_BATCH_MAX_REQUESTS) as number }),
    log: (line) => stderr.write(`${line}\n`),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/**
 * The pool as batching runs it: the collector knows which cases are in flight (it submits when all of them wait
 * on it), and an interrupted case is abandoned unrecorded (a resume runs it again, finding its batch).
 */
export function batchingPool(pool: WorkerPool, collector: BatchCollector): WorkerPool {
  return {
    collect: (absFile, file) => pool.collect(absFile, file),
    close: () => pool.close(),
    runCase: async (task, signal) => {
      collector.enter(task.case.id);
      try {
        const result = await collector.within(() => pool.runCase(task, signal));
        signal?.throwIfAborted();
        return result;
      } finally {
        collector.leave(task.case.id);
      }
    },
  };
}

/** The plan with no case deadline for the cases that batch: a batch may take hours (pure: a new plan). */
export function withoutBatchDeadlines(plan: Plan, collector: BatchCollector): Plan {
  return {
    ...plan,
    cases: plan.cases.map((c) =>
      [c.task.model, ...c.task.judges].some((p) => collector.applies(p)) && c.task.caseTimeoutMs > 0
        ? withTask(c, (task) => ({ ...task, caseTimeoutMs: 0 }))
        : c,
    ),
  };
}

/** What an interrupted run says of the batches it leaves running at the providers. */
export function leftRunningHint(runId: string, collector: BatchCollector): string | undefined {
  const open = collector.openBatches();
  if (open.length === 0) return undefined;
  return `${open.length === 1 ? "1 batch is" : `${open.length} batches are`} still running at the provider (left running, nothing is lost): pick ${open.length === 1 ? "it" : "them"} up with \`evals --resume ${runId}\` (or \`evals batch wait ${runId}\`); \`evals batch status ${runId}\` shows ${open.length === 1 ? "it" : "them"}, \`evals batch cancel ${runId}\` stops ${open.length === 1 ? "it" : "them"}.\n`;
}

function envNumber(raw: string | undefined): number | undefined {
  const n = raw === undefined ? Number.NaN : Number(raw);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}
