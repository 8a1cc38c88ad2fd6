// The Piscina worker module: plain exported functions picked by name. Only plain data comes in and goes out.
import { parentPort, threadId, workerData } from "node:worker_threads";
import { collectEvalFile } from "../discovery/collect.ts";
import { answerOutbox } from "./answer-outbox.ts";
import { errored, serializeError } from "./case-errors.ts";
import { executeCase } from "./execute-case.ts";
import { type ProbeResult, preflight } from "./preflight.ts";
import {
  answerOf,
  type CaseAnswer,
  type CaseAnswers,
  type CaseBatch,
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
const started = (key: TaskStarted["taskStarted"]) =>
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

/** Answers of cases finished in this turn, posted together (see answerOutbox). */
const outbox = answerOutbox<[string, CaseAnswer]>((caseAnswers) =>
  parentPort?.postMessage({ caseAnswers } satisfies CaseAnswers),
);

/**
 * Runs a batch of cases at once, each as `runCase` does; each answer goes to the main thread (`CaseAnswers`) at the
 * end of the turn its case finished in, not with the batch's end: a slow case holds up no other. One task, one
 * clone (the profiles the tasks share cloned once) and one start message for the batch instead of one per case:
 * 6–14% less of the main thread's CPU per case at zero latency (docs/performance.md).
 */
export async function runCases(batch: CaseBatch): Promise<void> {
  started(batch.map(([, task]) => task.case.id));
  await Promise.all(
    batch.map(async ([key, task]) => {
      let answer: CaseAnswer;
      try {
        answer = answerOf(await executeCase(task));
      } catch (err) {
        // executeCase answers a case's failures; should it throw all the same, that case alone errors, not its batch.
        answer = errored(task.case.id, serializeError(err, "processing_exception"));
      }
      outbox.push([key, answer]);
    }),
  );
  // Posted before the batch's own answer: every answer is on its way should the thread die right after.
  outbox.flush();
}
