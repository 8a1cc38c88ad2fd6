// The Piscina worker module: plain exported functions picked by name. Only plain data comes in and goes out.
import { parentPort, threadId, workerData } from "node:worker_threads";
import { collectEvalFile } from "../discovery/collect.ts";
import { executeCase } from "./execute-case.ts";
import { type ProbeResult, preflight } from "./preflight.ts";
import {
  answerOf,
  type CaseAnswer,
  type CaseTask,
  type CollectRequest,
  type CollectResult,
  collectKey,
  type ProbeRequest,
  type TaskStarted,
} from "./protocol.ts";
import { type ThreadStart, warmUpThread } from "./thread-warm-up.ts";

warmUpThread(workerData as ThreadStart | undefined);

// Each function first tells the main thread which thread runs it: its watchdog terminates this thread if the task
// blocks it.
const started = (key: string) =>
  parentPort?.postMessage({ taskStarted: key, threadId } satisfies TaskStarted);

export function collect(input: CollectRequest): Promise<CollectResult> {
  started(collectKey(input.absFile));
  return collectEvalFile(input.absFile, input.file);
}

/**
 * Runs a case; answers its results.jsonl line (`CaseAnswer`): a string crosses to the main thread as one copy, where
 * a result object is cloned property by property, and the main thread writes it as it is instead of serializing
 * the result again.
 */
export function runCase(task: CaseTask): Promise<CaseAnswer> {
  started(task.case.id);
  return executeCase(task).then(answerOf);
}

/** The access check's probes, on this thread: it loads the SDKs for the cases anyway, the main thread need not. */
export function probe(input: ProbeRequest): Promise<ProbeResult[]> {
  return preflight(input.models, input.judges);
}
