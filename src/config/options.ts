// The one table of the options a command line sets: each `StartOptions` field that a flag sets has exactly one
// entry (see option-table.ts). The CLI registers and parses flags from it, the resolver range-checks and overlays
// it, and docs/cli.md is rendered from it.
import type { StartOptions, UserConfig } from "../types.ts";
import { DEFAULT_OUTPUT_FILES, DEFAULTS } from "./defaults.ts";
import { type NumberRange, type OptionTable, specsOf } from "./option-table.ts";

const RUN_LIST = ["run", "list"] as const;
const RUN = ["run"] as const;
const RUN_MERGE = ["run", "merge"] as const;
const ALL = ["run", "list", "merge"] as const;

const positiveInt: NumberRange = { min: 1, integer: true, rule: "a positive integer" };
const nonNegativeInt: NumberRange = { min: 0, integer: true, rule: "an integer ≥ 0" };
const nonNegative = (unit: string): NumberRange => ({ min: 0, rule: `a number ≥ 0 (${unit})` });
const fraction: NumberRange = { min: 0, max: 1, rule: "between 0 and 1" };

/** The options of `evals`, `evals list` and `evals merge`, keyed by their `StartOptions` field. */
export const START_OPTIONS: OptionTable<StartOptions> = {
  root: null,
  filters: null,
  config: {
    kind: "string",
    flag: "config",
    alias: "c",
    arg: "file",
    description: "Config file",
    default: "./evals.config.{ts,yaml} or ./config/evals.config.*",
    commands: ALL,
  },
  testNamePattern: {
    kind: "string",
    flag: "testNamePattern",
    alias: "t",
    arg: "regex",
    description: "Run only cases whose name (eval › scenario › model) matches",
    commands: RUN_LIST,
  },
  models: {
    kind: "string",
    flag: "models",
    arg: "file",
    description: "Model profiles (360-eval JSONL or YAML)",
    default: DEFAULTS.modelsFile,
    config: "models",
    commands: RUN_LIST,
  },
  judges: {
    kind: "string",
    flag: "judges",
    arg: "file",
    description: "Judge profiles (360-eval JSONL or YAML)",
    default: DEFAULTS.judgesFile,
    config: "judges",
    commands: RUN_LIST,
  },
  outputDir: {
    kind: "string",
    flag: "output-dir",
    arg: "dir",
    description: "Where run directories and reports go",
    default: DEFAULTS.outputDir,
    config: "outputDir",
    commands: ALL,
  },
  threshold: {
    kind: "number",
    flag: "threshold",
    arg: "score",
    description: "Jury score (1-5) below which a dimension fails",
    default: String(DEFAULTS.jury.threshold),
    range: { min: 1, max: 5, rule: "between 1 and 5" },
    config: "jury.threshold",
    commands: RUN_LIST,
  },
  aggregate: {
    kind: "choice",
    flag: "aggregate",
    arg: "rule",
    choices: ["mean", "median", "majority"],
    description: "Jury rule: mean | median | majority",
    default: DEFAULTS.jury.aggregate,
    config: "jury.aggregate",
    commands: RUN_LIST,
  },
  quorum: {
    kind: "number",
    flag: "quorum",
    arg: "n",
    description: "Scored verdicts a case needs",
    default: "half the judges, rounded up",
    range: positiveInt,
    config: "jury.quorum",
    commands: RUN_LIST,
  },
  metrics: {
    kind: "list",
    flag: "metrics",
    arg: "list",
    description: "User-defined jury dimensions, comma-separated",
    config: "jury.metrics",
    commands: RUN_LIST,
  },
  invocations: {
    kind: "number",
    flag: "invocations",
    arg: "n",
    description: "Runs of each scenario × model × temperature",
    default: String(DEFAULTS.run.invocations),
    range: positiveInt,
    config: "run.invocations",
    commands: RUN_LIST,
  },
  trials: {
    kind: "number",
    flag: "trials",
    arg: "n",
    description: "Run each case n times and gate on pass^n: a case passes only if every trial does",
    range: positiveInt,
    commands: RUN_LIST,
  },
  trialPass: {
    kind: "number",
    flag: "trial-pass",
    arg: "k",
    description: "With --trials n: a case passes when at least k of its n trials pass (instead of all n)",
    range: positiveInt,
    config: "gate.trialPass",
    commands: RUN_LIST,
  },
  experiments: {
    kind: "number",
    flag: "experiments",
    arg: "n",
    description: "Repetitions of the whole plan",
    default: String(DEFAULTS.run.experiments),
    range: positiveInt,
    config: "run.experiments",
    commands: RUN_LIST,
  },
  temperatureVariations: {
    kind: "number",
    flag: "temperature-variations",
    arg: "n",
    description: "Extra temperatures at ±25% steps around each scenario's",
    default: String(DEFAULTS.run.temperatureVariations),
    range: nonNegativeInt,
    config: "run.temperatureVariations",
    commands: RUN_LIST,
  },
  concurrency: {
    kind: "number",
    flag: "concurrency",
    arg: "n",
    description: "Cases in flight at once",
    default: String(DEFAULTS.run.concurrency),
    range: positiveInt,
    config: "run.concurrency",
    commands: RUN_LIST,
  },
  workers: {
    kind: "number",
    flag: "workers",
    arg: "n",
    description: "Worker threads",
    default: "min(4, cores); half the cores (1–4) when every model is live (no mock/)",
    range: positiveInt,
    config: "run.workers",
    commands: RUN_LIST,
  },
  threads: {
    kind: "negatable",
    flag: "threads",
    description: "Run cases in the main thread (debugging)",
    default: "worker threads",
    config: "run.threads",
    commands: RUN_LIST,
  },
  stream: {
    kind: "negatable",
    flag: "stream",
    description: "Call models without streaming (TTFT is then TTLB)",
    default: "streaming",
    config: "run.stream",
    commands: RUN_LIST,
  },
  timeoutMs: {
    kind: "number",
    flag: "timeout",
    arg: "ms",
    description: "Per-call timeout in ms",
    default: String(DEFAULTS.run.timeoutMs),
    range: positiveInt,
    config: "run.timeoutMs",
    commands: RUN_LIST,
  },
  caseTimeoutMs: {
    kind: "number",
    flag: "case-timeout",
    arg: "ms",
    description: "Whole-case timeout in ms: task, checks and jury (0: none)",
    default: String(DEFAULTS.run.caseTimeoutMs),
    range: nonNegativeInt,
    config: "run.caseTimeoutMs",
    commands: RUN_LIST,
  },
  workerMemoryMb: {
    kind: "number",
    flag: "worker-memory",
    arg: "MB",
    description: "Heap limit of each worker thread in MB; a case that exceeds it errors",
    default: "half the memory ÷ workers, 256–1024",
    range: positiveInt,
    config: "run.workerMemoryMb",
    commands: RUN_LIST,
  },
  maxAttempts: {
    kind: "number",
    flag: "max-attempts",
    arg: "n",
    description: "Calls per model request at most, retries included",
    default: String(DEFAULTS.run.retry.maxAttempts),
    range: positiveInt,
    config: "run.retry.maxAttempts",
    commands: RUN_LIST,
  },
  maxConcurrencyPerModel: {
    kind: "number",
    flag: "max-concurrency-per-model",
    arg: "n",
    description: "Cases of one model in flight at most",
    default: "no cap",
    range: nonNegativeInt,
    config: "run.maxConcurrencyPerModel",
    commands: RUN_LIST,
  },
  passWithNoEvals: {
    kind: "boolean",
    flag: "pass-with-no-evals",
    description: "Exit 0 when no eval matches",
    commands: RUN_LIST,
  },
  changed: {
    kind: "optional-string",
    flag: "changed",
    arg: "ref",
    description: "Only eval files changed since a git ref (uncommitted changes when given without ref)",
    commands: RUN_LIST,
  },
  cache: {
    kind: "choice",
    flag: "cache",
    arg: "mode",
    choices: ["off", "on", "replay"],
    description: "Call cache: off | on (record and reuse) | replay (reuse only; a miss fails)",
    default: "off",
    config: "cache",
    commands: RUN_LIST,
  },
  shard: {
    kind: "string",
    flag: "shard",
    arg: "i/n",
    description: "Run only shard i of n (cases dealt by stable id); join the runs with evals merge",
    commands: RUN_LIST,
  },
  promptOptimization: {
    kind: "choice",
    flag: "prompt-optimization",
    arg: "mode",
    choices: ["none", "optimize_only", "evaluate_both"],
    description: "Bedrock OptimizePrompt: none | optimize_only | evaluate_both",
    default: DEFAULTS.run.promptOptimization,
    config: "run.promptOptimization",
    commands: RUN_LIST,
  },
  experimentWaitMs: {
    kind: "number",
    flag: "experiment-wait-ms",
    arg: "ms",
    description: "Pause between experiments",
    default: String(DEFAULTS.run.experimentWaitMs),
    range: nonNegative("ms"),
    config: "run.experimentWaitMs",
    commands: RUN_LIST,
  },
  invocationSleepMs: {
    kind: "number",
    flag: "invocation-sleep-ms",
    arg: "ms",
    description: "Pause before the next invocation of the same scenario × model",
    default: String(DEFAULTS.run.invocationSleepMs),
    range: nonNegative("ms"),
    config: "run.invocationSleepMs",
    commands: RUN_LIST,
  },
  latencyOnly: {
    kind: "boolean",
    flag: "latency-only",
    description: "No jury: measure latency, throughput and cost only",
    config: "run.latencyOnly",
    commands: RUN_LIST,
  },
  vision: {
    kind: "negatable",
    flag: "vision",
    description: "Ignore scenario images (text only)",
    default: "images sent",
    config: "run.vision",
    commands: RUN_LIST,
  },
  name: {
    kind: "string",
    flag: "name",
    arg: "name",
    description: "A name for the run (shown in run.json and the reports)",
    commands: RUN_LIST,
  },
  preflight: {
    kind: "negatable",
    flag: "preflight",
    description: "Skip the access check of real models and judges before the run",
    default: "access checked",
    commands: RUN_LIST,
  },
  strict: {
    kind: "boolean",
    flag: "strict",
    description: "Exit 2 when a target model is unreachable instead of dropping its cases",
    commands: RUN_LIST,
  },
  reporters: {
    kind: "repeatable",
    flag: "reporter",
    arg: "name",
    description:
      "default | verbose | dot | json | junit | html | csv | github-actions | path to a module (repeatable)",
    default: "default",
    config: "reporters",
    commands: RUN_MERGE,
  },
  outputFile: {
    kind: "map",
    flag: "outputFile",
    arg: "file",
    description:
      "Where a reporter writes: --outputFile.<reporter>=<file>, e.g. --outputFile.junit=junit.xml " +
      "(a plain --outputFile is the only --reporter's)",
    default: Object.entries(DEFAULT_OUTPUT_FILES)
      .map(([reporter, file]) => `${reporter}: <output-dir>/${file}`)
      .join(", "),
    commands: RUN_MERGE,
  },
  minPassRate: {
    kind: "number",
    flag: "min-pass-rate",
    arg: "rate",
    description: "Pass rate (0..1) the run needs to exit 0",
    default: `${DEFAULTS.gate.minPassRate}, every case`,
    range: { ...fraction, hint: "It is a fraction: 0.9 means 90% of cases must pass." },
    config: "gate.minPassRate",
    commands: RUN_MERGE,
  },
  minPassRatePerEval: {
    kind: "number",
    flag: "min-pass-rate-per-eval",
    arg: "rate",
    description: "Pass rate (0..1) each eval needs",
    range: fraction,
    config: "gate.minPassRatePerEval",
    commands: RUN,
  },
  minPassRatePerModel: {
    kind: "number",
    flag: "min-pass-rate-per-model",
    arg: "rate",
    description: "Pass rate (0..1) each model needs",
    range: fraction,
    config: "gate.minPassRatePerModel",
    commands: RUN,
  },
  maxCost: {
    kind: "number",
    flag: "max-cost",
    arg: "usd",
    description:
      "Budget: start no case once the run's cost (responses and judges) with its cases in flight reaches it; the gate fails",
    range: nonNegative("USD"),
    config: "gate.maxCost",
    commands: RUN,
  },
  maxP95TtftMs: {
    kind: "number",
    flag: "max-p95-ttft-ms",
    arg: "ms",
    description: "Fail when the p95 TTFT is higher",
    range: nonNegative("ms"),
    config: "gate.maxP95TtftMs",
    commands: RUN,
  },
  baseline: {
    kind: "string",
    flag: "baseline",
    arg: "run",
    description: "Compare with a previous run (its dir or run.json) case by case",
    config: "gate.baseline",
    commands: RUN,
  },
  summaryModel: {
    kind: "string",
    flag: "summary-model",
    arg: "profile",
    description: "A model profile that rewrites the HTML report's executive summary",
    commands: RUN,
  },
  significance: {
    kind: "number",
    flag: "significance",
    arg: "alpha",
    description: "Significance level of the baseline tests",
    default: String(DEFAULTS.gate.significance),
    range: fraction,
    config: "gate.significance",
    commands: RUN,
  },
  maxRegression: {
    kind: "number",
    flag: "max-regression",
    arg: "rate",
    description: "Fail on a pass-rate drop vs the baseline above this, significant or not",
    range: fraction,
    config: "gate.maxRegression",
    commands: RUN,
  },
  maxScoreDrop: {
    kind: "number",
    flag: "max-score-drop",
    arg: "points",
    description: "Fail on a significant mean jury-score drop vs the baseline above this",
    range: nonNegative("jury points"),
    config: "gate.maxScoreDrop",
    commands: RUN,
  },
  bail: {
    kind: "optional-number",
    flag: "bail",
    arg: "n",
    bare: 1,
    description: "Stop after n failed or errored cases (1 when given without n)",
    default: "never",
    range: nonNegativeInt,
    config: "run.bail",
    commands: RUN,
  },
  resume: {
    kind: "string",
    flag: "resume",
    arg: "run",
    description: "Continue an interrupted run (run id or latest): finished cases are not run again",
    commands: RUN,
  },
  retryErrors: {
    kind: "string",
    flag: "retry-errors",
    arg: "run",
    description: "New run that re-runs only the errored cases of a run (run id or latest)",
    commands: RUN,
  },
  batch: {
    kind: "boolean",
    flag: "batch",
    description:
      "Send targets and judges through the providers' batch engines (cheaper, hours); cases run in the main thread, --concurrency (default 10000) per batch",
    commands: RUN,
  },
  batchPollMs: {
    kind: "number",
    flag: "batch-poll",
    arg: "ms",
    description: "Between two polls of a running batch",
    default: "30000",
    range: positiveInt,
    commands: RUN,
  },
  reporterInstances: null,
  signal: null,
  stdout: null,
  stderr: null,
};

/** Flags of a command that are not `StartOptions`: they choose what the command does with them. */
export interface CommandSwitches {
  /** `evals --watch`: re-run on file changes. */
  watch?: boolean;
  /** `evals list --json`: the plan as JSON. */
  json?: boolean;
}

/** The table of `CommandSwitches`. */
export const COMMAND_SWITCHES: OptionTable<CommandSwitches> = {
  watch: {
    kind: "boolean",
    flag: "watch",
    alias: "w",
    description: "Re-run on file changes (changed eval files, or everything), with the call cache on",
    commands: RUN,
  },
  json: { kind: "boolean", flag: "json", description: "Print the plan as JSON", commands: ["list"] },
};

/** The config-file shaped overrides of the options set (`{ gate: { maxCost: 2 } }`), from the table's paths. */
export function configOverrides(options: StartOptions): UserConfig {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of specsOf(START_OPTIONS)) {
    const value = options[key];
    if (value === undefined || spec.config === undefined) continue;
    const path = spec.config.split(".");
    let node = out;
    for (const part of path.slice(0, -1)) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    node[path.at(-1) as string] = value;
  }
  return out as UserConfig;
}
