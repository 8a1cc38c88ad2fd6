// The closures of a `.eval.ts`: its checks and its task, run in the worker.
import type { Awaitable } from "./awaitable.ts";
import type { EvalOptions, Scenario, ScenarioInput } from "./inputs.ts";
import type { CaseMetrics } from "./results.ts";

export interface CheckContext {
  output: string;
  scenario: Scenario;
  metrics: CaseMetrics;
  /** Aborts when the case runs out of time (`--case-timeout`) or the run is interrupted: see {@link TaskContext.signal}. */
  signal: AbortSignal;
}

/** A deterministic assertion run in the worker after the task. */
export interface Check {
  name: string;
  run(ctx: CheckContext): Awaitable<boolean | { passed: boolean; message?: string }>;
}

export interface GenerateOptions {
  prompt: string;
  system?: string;
  temperature?: number;
  maxTokens?: number;
  image?: string;
}

export interface TaskContext {
  scenario: Scenario;
  model: string;
  temperature: number;
  /** Calls the case's model with measurement; returns the text. */
  generate(options: GenerateOptions): Promise<string>;
  /**
   * Aborts when the case runs out of time (`--case-timeout`) or the run is interrupted. Pass it to your own I/O
   * (`fetch`, SDK calls, timers) and stop when it fires: by then the case is already errored and whatever the task
   * still does is discarded, but work that ignores it keeps its worker busy.
   */
  signal: AbortSignal;
}

/** Options of `defineEval`. */
export interface EvalDefinitionInput extends EvalOptions {
  scenarios: ScenarioInput[] | string | (() => Awaitable<ScenarioInput[]>);
  task?: (ctx: TaskContext) => Awaitable<string>;
  checks?: Check[];
}
