import type { EvalDefinitionInput, EvalMode } from "../types.ts";

/** An eval as registered by `defineEval` while its file is imported (closures included; never crosses threads). */
export interface RegisteredEval {
  name: string;
  input: EvalDefinitionInput;
  mode: EvalMode;
  line?: number;
}

interface Registry {
  /** The absolute path of the file being collected, and what it has registered so far. */
  file?: string;
  evals: RegisteredEval[];
}

// On globalThis under a registered symbol: an eval file may import a different copy of `jury` (built vs source,
// or a nested install) than the collector, and both must see the same registry.
const KEY = Symbol.for("jury.eval-registry");

export function evalRegistry(): Registry {
  const g = globalThis as { [KEY]?: Registry };
  g[KEY] ??= { evals: [] };
  return g[KEY];
}

function register<TOutput>(mode: EvalMode, name: string, input: EvalDefinitionInput<TOutput>): void {
  const registry = evalRegistry();
  const line = callerLine(registry.file);
  registry.evals.push({ name, input, mode, ...(line === undefined ? {} : { line }) });
}

/** The line of the `defineEval` call in the file being collected, from the stack (source-mapped: import-module.ts). */
function callerLine(file: string | undefined): number | undefined {
  if (!file) return undefined;
  const stack = new Error().stack ?? "";
  for (const frame of stack.split("\n")) {
    if (!frame.includes(file)) continue;
    const m = /:(\d+):\d+\)?$/.exec(frame.trim());
    if (m) return Number(m[1]);
  }
  return undefined;
}

/**
 * Declares an evaluation in a `*.eval.ts` file. Scenarios are expanded over the configured models like JSONL rows;
 * `task` (optional) replaces the default "send the prompt to the model"; `checks` are deterministic assertions.
 * @example
 * defineEval("refunds", {
 *   scenarios: [{ prompt: "Can I get a refund?", golden: "Yes, within 30 days.", taskType: "Support" }],
 *   checks: [checks.contains("30 days")],
 * });
 */
export const defineEval: {
  <TOutput = unknown>(name: string, input: EvalDefinitionInput<TOutput>): void;
  /** Declares an eval whose cases are reported as skipped. */
  skip<TOutput = unknown>(name: string, input: EvalDefinitionInput<TOutput>): void;
  /** Runs only the evals (and scenarios) marked `only`. */
  only<TOutput = unknown>(name: string, input: EvalDefinitionInput<TOutput>): void;
} = Object.assign(
  <TOutput>(name: string, input: EvalDefinitionInput<TOutput>) => register("run", name, input),
  {
    skip: <TOutput>(name: string, input: EvalDefinitionInput<TOutput>) => register("skip", name, input),
    only: <TOutput>(name: string, input: EvalDefinitionInput<TOutput>) => register("only", name, input),
  },
);
