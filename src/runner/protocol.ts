// The main thread ↔ worker protocol: the plain data pool.ts hands to worker.ts's functions (picked by Piscina
// `name`) and what they answer. Nothing here is a class or a closure: it is structured-cloned across threads.
import type { Problem } from "../errors.ts";
import type { CaseResult, CaseTask, EvalDefinition, ModelProfile } from "../types.ts";

// A case's task and result are the data model's (types.ts): the plan builds tasks, the store writes results.
export type { CaseResult, CaseTask };

/** `collect`: load one `*.eval.ts` in a worker, so user code never runs on the main thread. */
export interface CollectRequest {
  absFile: string;
  /** The path as reported in problems (relative to the project root). */
  file: string;
}

/** `collect`'s answer: the file's evals as plain definitions, and what is wrong with them. */
export interface CollectResult {
  evals: EvalDefinition[];
  problems: Problem[];
  warnings: Problem[];
}

/** `probe`: the access check's probes of these profiles, in a worker (preflight.ts). */
export interface ProbeRequest {
  models: readonly ModelProfile[];
  judges: readonly ModelProfile[];
}

/**
 * Posted by a worker on its `parentPort` as it starts a task (`taskStarted`: the case id, or `collect:` and the
 * file): which thread runs it, so the main thread can time the task from its real start and terminate that
 * thread when the task blocks it (a synchronous loop never lets the task's own timeout fire).
 */
export interface TaskStarted {
  /** The task's key; a batch of cases (`runCases`) announces all of its case ids at once. */
  taskStarted: string | readonly string[];
  threadId: number;
}

export function isTaskStarted(message: unknown): message is TaskStarted {
  const key = (message as TaskStarted | null)?.taskStarted;
  return typeof key === "string" || Array.isArray(key);
}

/**
 * `runCases`: a batch of cases, each with the key its answer comes back under. The key is the dispatch's, not the
 * case's: a case abandoned on a thread (a head start dropped) and sent again answers its first run under the old
 * key, which no one waits for, instead of as the new run.
 */
export type CaseBatch = readonly (readonly [key: string, task: CaseTask])[];

/**
 * Posted by a worker on its `parentPort` for the cases of `runCases` batches that finished in one of its turns:
 * each case's key (`CaseBatch`) and answer. A batch's task resolves with nothing once all of its cases were posted.
 */
export interface CaseAnswers {
  caseAnswers: readonly (readonly [key: string, answer: CaseAnswer])[];
}

export function isCaseAnswers(message: unknown): message is CaseAnswers {
  return Array.isArray((message as CaseAnswers | null)?.caseAnswers);
}

/** The `taskStarted` key of a `collect` task. */
export const collectKey = (absFile: string) => `collect:${absFile}`;

/**
 * What `runCase` answers: the result's results.jsonl line (JSON and a newline; `resultFromLine` reads it), or the
 * result itself when it has no JSON text (a bigint a check returned: cloned, as before).
 */
export type CaseAnswer = string | CaseResult;

/** A result as `runCase` answers it. */
export function answerOf(result: CaseResult): CaseAnswer {
  try {
    return `${JSON.stringify(result)}\n`;
  } catch {
    return result;
  }
}
