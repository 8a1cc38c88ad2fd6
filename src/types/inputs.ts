// The inputs: scenarios as authored in eval files, and the evals collected from them.

/** One input row, whatever file it came from (seed snake_case JSONL or camelCase `.eval.ts`). */
export interface Scenario {
  /** Stable key within its eval: the row's `id`, else `L<line>` (JSONL) or `#<index>` (TS). */
  key: string;
  prompt: string;
  system?: string;
  golden?: string;
  taskType: string;
  criteria: string;
  /** Local path (relative to the eval file) or http(s) URL. */
  image?: string;
  /** User-defined jury dimensions for this scenario (display names, as written). */
  metrics: string[];
  /** `expected_output_tokens`: the max tokens asked of the model and the basis of cost estimates. */
  maxTokens?: number;
  /** Base temperature (default 0.7, as the seed). */
  temperature?: number;
  tags?: string[];
  skip?: boolean;
  only?: boolean;
  /** 1-based line in the eval file, when known. */
  line?: number;
}

/** TS authoring shape of a scenario (camelCase); `prompt` may be given as `text`. */
export interface ScenarioInput {
  /** Stable id within its eval (default `#1`, `#2`… by position): `scenario.id` in a task or check. */
  id?: string;
  prompt: string;
  system?: string;
  golden?: string;
  taskType?: string;
  criteria?: string;
  image?: string;
  metrics?: string[] | string;
  maxTokens?: number;
  temperature?: number;
  tags?: string[];
  skip?: boolean;
  only?: boolean;
}

/** File-level options (`{"$eval": {...}}` header line of a `.eval.jsonl`, or the options of `defineEval`). */
export interface EvalOptions {
  name?: string;
  /** Profile keys or model ids to run; default: every configured model. */
  models?: string[];
  /** Profile keys or model ids of judges; default: every configured judge. */
  judges?: string[];
  threshold?: number;
  invocations?: number;
  metrics?: string[];
}

export type EvalMode = "run" | "skip" | "only";

/** A collected eval: plain data. For `.eval.ts` the worker re-imports the file to get closures back. */
export interface EvalDefinition extends EvalOptions {
  kind: "jsonl" | "ts";
  /** Absolute path. */
  absFile: string;
  /** Path relative to the project root, with forward slashes. Part of case ids. */
  file: string;
  name: string;
  /** Index of the `defineEval` call within its file (TS); 0 for JSONL. */
  index: number;
  mode: EvalMode;
  line?: number;
  scenarios: Scenario[];
  /** TS only: a custom task function exists (runs in the worker). */
  hasTask: boolean;
  /** TS only: names of the deterministic checks. */
  checkNames: string[];
  /**
   * A JSONL file in the seed's own format (no `$eval` header): as in 360-eval, a scenario's own
   * `user_defined_metrics` replace the run's list instead of adding to it.
   */
  seedFile?: boolean;
}
