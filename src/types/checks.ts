// The closures of a `.eval.ts`: its checks and its task, run in the worker.
import type { Awaitable } from "./awaitable.ts";
import type { EvalOptions, Scenario, ScenarioInput } from "./inputs.ts";
import type { CaseMetrics } from "./results.ts";

export interface CheckContext {
  output: string;
  scenario: Scenario;
  metrics: CaseMetrics;
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
}

/** Options of `defineEval`. */
export interface EvalDefinitionInput extends EvalOptions {
  scenarios: ScenarioInput[] | string | (() => Awaitable<ScenarioInput[]>);
  task?: (ctx: TaskContext) => Awaitable<string>;
  checks?: Check[];
}
