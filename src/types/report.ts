// A run's report as plain data, and the reader of its results.
import type { GateSettings, JurySettings, PromptOptimizationMode, RunSettings } from "./config.ts";
import type { GateResult } from "./gate.ts";
import type { CaseRecord } from "./plan.ts";
import type { ModelProfile, PriceUnitNote } from "./profiles.ts";
import type { CaseResult } from "./results.ts";
import type { StartOptions } from "./start-options.ts";
import type { RunSummaries } from "./summaries.ts";

/**
 * How a run ended (`running` while it goes on): `interrupted` (Ctrl-C, an abort), `bailed` (`--bail`), `budget`
 * (it stopped starting cases at its `--max-cost` budget), or `completed` — every case ran.
 */
export type RunStatus = "running" | "completed" | "interrupted" | "bailed" | "budget";

export interface ConfigSnapshot {
  models: Omit<ModelProfile, "source">[];
  judges: Omit<ModelProfile, "source">[];
  jury: JurySettings;
  run: RunSettings;
  gate: GateSettings;
  signature: string;
  /** The unit each profile file's prices were read in, and why (absent in older runs). Not in `signature`. */
  priceUnits?: PriceUnitNote[];
}

/** Which shard of which plan a run ran (`--shard i/n`): what `evals merge` checks before joining shards. */
export interface ShardSpec {
  /** 1-based. */
  index: number;
  count: number;
  /** Id of the whole plan the shard was cut from (a hash of all its case ids): shards of one plan share it. */
  plan: string;
}

/**
 * The options that decide a run's cases and how they are judged, as the run was given them: what
 * `--retry-errors` plans that run's cases again from, whatever today's flags are.
 */
export type PlanOptions = Pick<
  StartOptions,
  | "filters"
  | "testNamePattern"
  | "changed"
  | "shard"
  | "config"
  | "models"
  | "judges"
  | "invocations"
  | "trials"
  | "trialPass"
  | "experiments"
  | "temperatureVariations"
  | "promptOptimization"
  | "vision"
  | "latencyOnly"
  | "threshold"
  | "aggregate"
  | "quorum"
  | "metrics"
>;

/**
 * A run's report, as plain data: what ran, its summaries and its gate. Its results are not in it — a run keeps
 * them on disk; reporters get them through a `ResultsReader`, and `RunReportWithResults` is the report with them.
 */
export interface RunReport {
  schemaVersion: 1;
  runId: string;
  /** The run's name (`--name`, the seed's `--experiment_name`). */
  name?: string;
  status: RunStatus;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  simulated: boolean;
  config: ConfigSnapshot;
  /**
   * Every case of the run. In a run's own report (`startEvals`, a reporter's `onRunEnd`) a read-only view over the
   * plan: each record is made when read (a new object each time: compare records by content or id, never by
   * identity); it is an array to `Array.isArray`, `JSON.stringify`, `for…of` and the read-only array methods.
   */
  cases: readonly CaseRecord[];
  summaries: RunSummaries;
  gate?: GateResult;
  warnings: string[];
  /**
   * The inputs of the scenarios that ran, once each (not per case), keyed by `scenarioRef(case)` —
   * `file#evalName#scenarioKey`: for reports' drill-downs.
   */
  scenarios?: Record<string, ScenarioText>;
  /** What Bedrock OptimizePrompt made of each (prompt, target) — also in the run dir's prompt-optimization.json. */
  promptOptimization?: PromptOptimizationLog;
  /** The shard this run ran (`--shard`); absent for a whole plan. */
  shard?: ShardSpec;
  /** The options its cases were planned from (absent in older runs): what `--retry-errors` plans them again from. */
  planOptions?: PlanOptions;
}

/**
 * A RunReport with every result in full, one per case that has one: what a run's `run.json` and the JSON
 * reporter's `report.json` hold, and what `evals report` and `evals merge` read back.
 */
export interface RunReportWithResults extends RunReport {
  results: CaseResult[];
}

/**
 * The results of a run, handed to `Reporter.onRunEnd` (and returned by `startEvals`) next to its report: one per
 * case that has one (a case's last result wins), in the order cases first got one. Nothing is read until asked.
 * @example
 * // Stream them, in memory that does not grow with the run:
 * for await (const result of results) count(result);
 * // Or hold them all:
 * const all = await results.all();
 */
export interface ResultsReader extends AsyncIterable<CaseResult> {
  /** Every result at once, in an array. */
  all(): Promise<CaseResult[]>;
  /**
   * The `results.jsonl` they are read from (one JSON result per line; a case's later line wins), for a reporter
   * that copies or indexes the file itself; absent when the results are in memory.
   */
  readonly file?: string;
}

/** One distinct (prompt, model) that prompt optimization was asked about. */
export interface PromptOptimizationEntry {
  /** Model profile key. */
  model: string;
  /** The OptimizePrompt target used (a supported model id of the same family), when one applies. */
  target?: string;
  status: "optimized" | "skipped" | "error";
  /** Why skipped, or the error (the original prompt was used). */
  reason?: string;
  promptExcerpt: string;
  optimizedExcerpt?: string;
  /** OptimizePrompt's analysis of the original prompt. */
  analysis?: string;
  /** Scenarios (distinct prompts of this text) and cases that use this result. */
  cases: number;
}

export interface PromptOptimizationLog {
  mode: PromptOptimizationMode;
  /** OptimizePrompt calls made (one per distinct prompt × target). */
  calls: number;
  entries: PromptOptimizationEntry[];
}

/** What a report shows of a scenario's input. */
export interface ScenarioText {
  prompt: string;
  system?: string;
  golden?: string;
  criteria?: string;
}
