// The inputs: scenarios as authored in eval files, and the evals collected from them.
import type { ToolSpec } from "./providers.ts";

/** A turn of a scenario's conversation (`messages`): the model answers the last user turn. */
export interface ConversationTurn {
  role: "system" | "user" | "assistant";
  content: string;
  /** A user turn's image: local path (relative to the eval file) or http(s) URL. */
  image?: string;
}

/**
 * A scripted user turn (`turns`): sent after the model answered the turn before it. Its golden answer, when given,
 * is what the jury judges that turn's answer against.
 */
export interface ScriptedTurn {
  user: string;
  golden?: string;
  image?: string;
}

/** A tool call a scenario expects (`expected_tool_calls`): its name and, optionally, arguments it must contain. */
export interface ExpectedToolCall {
  name: string;
  /** A partial match: every key given must be in the call's arguments with an equal (deep) value. */
  arguments?: Record<string, unknown>;
}

/**
 * The optional fields of a conversation, tools and structured output (issue 20), spelled the same in a scenario
 * and in `defineEval`'s scenarios; the JSONL spellings are in brackets.
 */
export interface ConversationFields {
  /** A conversation instead of one prompt (`messages`); `prompt` is then its last user turn. */
  messages?: ConversationTurn[];
  /** A scripted multi-turn exchange (`turns`); `prompt` is then its first user turn. */
  turns?: ScriptedTurn[];
  /** Tools the model may call (`tools`). */
  tools?: ToolSpec[];
  /** Canned tool results by tool name (`tool_results`): a string is sent as it is, other JSON as its JSON text. */
  toolResults?: Record<string, unknown>;
  /** Most model calls a tool loop may make for one turn (`max_tool_steps`). @default 5 */
  maxToolSteps?: number;
  /** Tool calls the answer must make (`expected_tool_calls`): a declarative check. */
  expectedToolCalls?: ExpectedToolCall[];
  /**
   * How `expectedToolCalls` is matched (`tool_order`): `in_order` (default) these calls in this order, others may
   * come between; `exact` exactly these calls in this order; `any` each of them, in any order.
   */
  toolOrder?: "exact" | "in_order" | "any";
  /** JSON Schema the answer must be valid JSON for (`output_schema`), asked of the model as structured output. */
  outputSchema?: Record<string, unknown>;
  /**
   * Whether the model must call a tool (`tool_choice`): `auto` (the provider's default) it may; `required` it must
   * call one; `none` it must not; `{ name }` it must call that tool. A forcing choice applies to the first model
   * call of each user turn only; the tool loop's later calls are `auto`, or a forced model would never answer.
   */
  toolChoice?: "auto" | "required" | "none" | { name: string };
}

/** One input row, whatever file it came from (seed snake_case JSONL or camelCase `.eval.ts`). */
export interface Scenario extends ConversationFields {
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

/** What planning reads of a scenario: its key, task type, line and selection, never its texts. */
export type ScenarioHead = Pick<
  Scenario,
  "key" | "taskType" | "metrics" | "temperature" | "skip" | "only" | "line"
>;

/** TS authoring shape of a scenario (camelCase); `prompt` may be given as `text`. */
export interface ScenarioInput extends ConversationFields {
  /** Stable id within its eval (default `#1`, `#2`… by position): `scenario.id` in a task or check. */
  id?: string;
  /** The prompt; leave it out when `messages` or `turns` is given (it is then their last user turn / first turn). */
  prompt?: string;
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
  /**
   * The eval's scenarios. Those of a `.eval.jsonl` are not held: the list is a read-only view whose element `i` is
   * read again from the file (a positioned read of its line) and parsed when asked — a new object each time.
   */
  scenarios: readonly Scenario[];
  /**
   * What planning reads of each scenario, without its texts (one per scenario, same order); absent when the
   * scenarios are held (`.eval.ts`), which then serve as their own heads.
   */
  scenarioHeads?: readonly ScenarioHead[];
  /** Known while loading a `.eval.jsonl`: none of its scenarios sends an image (their images need no check). */
  noImages?: boolean;
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
