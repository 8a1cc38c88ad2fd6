// Every type that crosses a module, thread or package boundary. Imports nothing.
// Records are plain JSON: they cross worker threads and are written to disk.

export type Awaitable<T> = T | Promise<T>;

// ─── Inputs: scenarios and evals ──────────────────────────────────────────────

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
}

// ─── Profiles and configuration ──────────────────────────────────────────────

export type ProviderName = "bedrock" | "openai" | "azure" | "gemini" | "openai-compatible" | "mock";
export type ServiceTier = "default" | "priority" | "flex";

/** Settings of a simulated `mock/` model. */
export interface MockSettings {
  /** 1 answers the golden answer exactly, 0 unrelated text, between a deterministic mix. @default 0.9 */
  quality: number;
  /** @default 150 */
  ttftMs: number;
  /** @default 80 */
  tokensPerS: number;
  /** Share of calls that fail. @default 0 */
  errorRate: number;
}

/** One line of a model or judge profile file, normalised. */
export interface ModelProfile {
  /** Unique, stable key: `model_id`, `@region` for Bedrock, `_tier` when a tier is set. Part of case ids. */
  key: string;
  /** As written, with the provider prefix (`bedrock/us.amazon.nova-pro-v1:0`). */
  modelId: string;
  provider: ProviderName;
  /** Model id without the provider prefix. */
  model: string;
  region?: string;
  /** USD per 1,000 tokens. */
  inputCostPer1k: number;
  outputCostPer1k: number;
  targetRpm?: number;
  serviceTier?: ServiceTier;
  baseUrl?: string;
  apiKeyEnv?: string;
  mock?: MockSettings;
  source: { file: string; line: number };
}

export type AggregateRule = "mean" | "median" | "majority";

export interface JurySettings {
  /** A dimension whose aggregate is below this fails the case. @default 3 */
  threshold: number;
  /** @default "mean" */
  aggregate: AggregateRule;
  /** Scored verdicts needed; below it the case is errored. @default ceil(judges / 2) */
  quorum?: number;
  /** User-defined dimensions applied to every scenario. */
  metrics: string[];
}

/** Our retry policy (SDK retries are off). */
export interface RetrySettings {
  /** Calls at most, the first included. @default 4 */
  maxAttempts: number;
  /** Backoff base. @default 500 */
  baseMs: number;
  /** Largest single backoff. @default 20000 */
  capMs: number;
  /** Most time spent waiting between attempts, per call. @default 60000 */
  maxTotalMs: number;
}

export interface RunSettings {
  concurrency: number;
  workers: number;
  threads: boolean;
  invocations: number;
  experiments: number;
  temperatureVariations: number;
  stream: boolean;
  timeoutMs: number;
  /** Stop scheduling after this many failed or errored cases (0 = never). */
  bail: number;
  retry: RetrySettings;
  /** Cases of one model in flight at most (0 = no cap). */
  maxConcurrencyPerModel: number;
  /** Whole-case timeout in ms, task and jury included (0 = none). */
  caseTimeoutMs: number;
  /**
   * Bedrock OptimizePrompt: `none`; `optimize_only` (Bedrock models get the optimized prompt); `evaluate_both`
   * (Bedrock models run both prompts, the optimized variant labelled `_Prompt_Optimized`). @default "none"
   */
  promptOptimization: PromptOptimizationMode;
  /** Pause between experiments (`experiments` > 1), in ms. @default 0 */
  experimentWaitMs: number;
  /** Pause before the next invocation of the same scenario × model, in ms (not the whole pool). @default 0 */
  invocationSleepMs: number;
  /** No jury: latency, throughput and cost only; a case passes unless it errors or a check fails. @default false */
  latencyOnly: boolean;
  /** Send scenario images to the models; off, images are ignored (the seed's `--vision_enabled false`). @default true */
  vision: boolean;
}

export type PromptOptimizationMode = "none" | "optimize_only" | "evaluate_both";

export interface GateSettings {
  /** 0..1, over the whole run; every case must pass by default. @default 1 */
  minPassRate: number;
  /** 0..1, for each eval on its own. */
  minPassRatePerEval?: number;
  /** 0..1, for each model on its own. */
  minPassRatePerModel?: number;
  /** USD, responses and judges. */
  maxCost?: number;
  maxP95TtftMs?: number;
  /** A previous run to compare with case by case: its run dir or run.json. */
  baseline?: string;
  /** Significance level of the paired tests against the baseline. @default 0.05 */
  significance: number;
  /** A pass-rate drop (0..1) against the baseline that fails even when not significant. */
  maxRegression?: number;
  /** A drop of the mean jury score (points on 1..5) that fails when it is also significant. */
  maxScoreDrop?: number;
  /** `--trials`: the pass-rate gate counts a case as passed only when every one of its trials passed (pass^k). */
  trials?: boolean;
}

export interface ReporterSpec {
  name: string;
  outputFile?: string;
}

/** What `resolveConfig` returns: CLI > config file > defaults, with profiles loaded. */
export interface ResolvedConfig {
  root: string;
  configFile?: string;
  include: string[];
  exclude: string[];
  filters: string[];
  testNamePattern?: string;
  modelsFile: string;
  judgesFile: string;
  models: ModelProfile[];
  judges: ModelProfile[];
  jury: JurySettings;
  run: RunSettings;
  gate: GateSettings;
  reporters: ReporterSpec[];
  outputDir: string;
  passWithNoEvals: boolean;
  cache: "off" | "on" | "replay";
}

/** Options of `startEvals()`: the CLI's flags, already parsed. Unset fields fall back to config, then defaults. */
export interface StartOptions {
  /** Project root. @default process.cwd() */
  root?: string;
  /** Positional filters: an eval file is kept when its relative path contains one of them. */
  filters?: string[];
  /** Keeps cases whose full name (`eval › scenario › model`) matches this regular expression. */
  testNamePattern?: string;
  config?: string;
  /** Model profile file (overrides config). */
  models?: string;
  /** Judge profile file (overrides config). */
  judges?: string;
  outputDir?: string;
  reporters?: string[];
  outputFile?: Record<string, string>;
  threshold?: number;
  aggregate?: AggregateRule;
  quorum?: number;
  metrics?: string[];
  minPassRate?: number;
  minPassRatePerEval?: number;
  minPassRatePerModel?: number;
  maxCost?: number;
  maxP95TtftMs?: number;
  /** A previous run (dir or run.json) to compare with case by case. */
  baseline?: string;
  significance?: number;
  maxRegression?: number;
  maxScoreDrop?: number;
  /** Runs each case N times (like --invocations) and gates on pass^k: a case passes when all its trials pass. */
  trials?: number;
  invocations?: number;
  experiments?: number;
  temperatureVariations?: number;
  concurrency?: number;
  workers?: number;
  threads?: boolean;
  bail?: number;
  /** Calls per model request at most, retries included. */
  maxAttempts?: number;
  maxConcurrencyPerModel?: number;
  caseTimeoutMs?: number;
  passWithNoEvals?: boolean;
  stream?: boolean;
  timeoutMs?: number;
  /** Call cache: `off` (default), `on` (record and reuse), `replay` (reuse only; a miss is an error). */
  cache?: "off" | "on" | "replay";
  /** Only eval files changed since this git ref (`true`: since HEAD, i.e. uncommitted changes, untracked included). */
  changed?: string | true;
  /** Run only shard i of n (`"2/3"`): cases dealt by stable id, so `evals merge` can join the shards' runs. */
  shard?: string;
  /** Continue an interrupted run (`latest` or a run id): cases already in its results.jsonl are not run again. */
  resume?: string;
  /** Start a new run that re-runs only the errored cases of this run (`latest` or a run id), keeping the rest. */
  retryErrors?: string;
  /** Probe every non-mock model and judge before running. @default true */
  preflight?: boolean;
  promptOptimization?: PromptOptimizationMode;
  experimentWaitMs?: number;
  invocationSleepMs?: number;
  latencyOnly?: boolean;
  vision?: boolean;
  /** A name for the run (the seed's `--experiment_name`): in run.json, the reports' titles and the run dir. */
  name?: string;
  /** Refuse to run (exit 2) when a target model is unreachable, instead of dropping its cases. */
  strict?: boolean;
  /** A model (profile key or model id, from the model or judge profiles) that rewrites reports' executive summary. */
  summaryModel?: string;
  /** Reporter objects added by a program (tests, the dashboard). */
  reporterInstances?: Reporter[];
  /** Aborting it interrupts the run like Ctrl-C. */
  signal?: AbortSignal;
  /** Where console reporters write. @default process.stdout */
  stdout?: TextSink;
  /** Where warnings go. @default process.stderr */
  stderr?: TextSink;
}

/** Where text output goes: `process.stdout`, any Writable, or a test's collector. */
export interface TextSink {
  write(text: string): unknown;
  /** A terminal: the console reporter draws a live line. */
  isTTY?: boolean;
}

// ─── Plan ────────────────────────────────────────────────────────────────────

export type PromptVariant = "original" | "optimized";

/** One planned test case. `id` is stable across runs and machines. */
export interface CaseRecord {
  id: string;
  file: string;
  evalName: string;
  scenarioKey: string;
  model: string;
  variant: PromptVariant;
  temperature: number;
  invocation: number;
  experiment: number;
  taskType: string;
  location: { line?: number };
}

/** Everything a worker needs to run one case; plain data only. */
export interface CaseTask {
  case: CaseRecord;
  evalRef: { kind: "jsonl" | "ts"; absFile: string; index: number; name: string };
  scenario: Scenario;
  model: ModelProfile;
  judges: ModelProfile[];
  jury: JurySettings & { metrics: string[] };
  threshold: number;
  stream: boolean;
  timeoutMs: number;
  caseTimeoutMs: number;
  retry: RetrySettings;
  /** The call cache (`--cache on|replay`); absent when off. */
  cache?: { mode: "on" | "replay"; dir: string };
  /** The model's pacing slot under target_rpm (shared by all workers). */
  rateLimit?: { buffer: SharedArrayBuffer; index: number; rpm: number };
}

// ─── Results ─────────────────────────────────────────────────────────────────

export interface TokenUsage {
  input: number;
  output: number;
}

export type Verdict =
  | {
      judge: string;
      status: "scored";
      /** Canonical dimension key → 1..5. */
      scores: Record<string, number>;
      rationales: Record<string, string>;
      tokens: TokenUsage;
      cost: number;
      latencyMs: number;
      sameFamily: boolean;
      simulated?: boolean;
    }
  | {
      judge: string;
      status: "abstained";
      reason: "unparseable" | "provider_error" | "refused";
      detail?: string;
      raw?: string;
      tokens?: TokenUsage;
      cost: number;
      sameFamily: boolean;
    };

export interface DimensionResult {
  /** Canonical key, e.g. `following_instructions`. */
  key: string;
  /** Display name, e.g. `Following instructions`. */
  name: string;
  /** Aggregate by the jury's rule (mean/median; for majority, the mean is shown). */
  score: number;
  /** max − min of the judges' scores. */
  spread: number;
  passed: boolean;
}

export interface JuryResult {
  rule: AggregateRule;
  threshold: number;
  promptVersion: string;
  dimensions: DimensionResult[];
  verdicts: Verdict[];
  scored: number;
  quorum: number;
  quorumMet: boolean;
  passed: boolean;
}

export interface CheckResult {
  name: string;
  passed: boolean;
  message?: string;
}

/** Why a case failed: one entry per failing dimension or check. */
export type FailureReason =
  | {
      kind: "dimension";
      dimension: string;
      name: string;
      score: number;
      threshold: number;
      judges: { judge: string; score: number; rationale?: string }[];
    }
  | { kind: "check"; check: string; message: string }
  | { kind: "majority"; message: string };

/** Measured per case (DESIGN §7). Times in ms. */
export interface CaseMetrics {
  ttftMs?: number;
  ttfbMs?: number;
  ttlbMs?: number;
  inputTokens: number;
  outputTokens: number;
  tokensEstimated: boolean;
  /** Decode throughput: outputTokens ÷ ((ttlb − ttft)/1000). */
  otps?: number;
  /** End-to-end throughput: outputTokens ÷ (ttlb/1000). */
  e2eTps?: number;
  /** Inter-token latency: (ttlb − ttft)/(outputTokens − 1). */
  itlMs?: number;
  attempts: number;
  retries: number;
  backoffMs: number;
  throttleWaitMs: number;
  /** Requests that had to wait for their turn under target_rpm. */
  throttled: number;
  /** Epoch ms of the first and last request of the case (every attempt is a request): actual RPM comes from them. */
  firstRequestAt?: number;
  lastRequestAt?: number;
  responseCost: number;
  judgeCost: number;
  startedAt: string;
  durationMs: number;
  region?: string;
  serviceTierRequested?: string;
  serviceTierServed?: string;
  finishReason?: string;
  streamed: boolean;
  simulated: boolean;
  /** The response came from the call cache: its timings are recorded ones, left out of latency statistics. */
  cached?: boolean;
  /** Calls of this case (target and judges) served from the cache, and the wall time they took when recorded. */
  cacheHits?: number;
  cacheTimeSavedMs?: number;
  cacheCostSaved?: number;
}

export type CaseState = "passed" | "failed" | "errored" | "skipped";

export type UnprocessedClass =
  | "api_failure"
  | "judge_failure"
  | "evaluation_missing"
  | "processing_exception";

export interface SerializedError {
  name: string;
  message: string;
  classification: UnprocessedClass;
  code?: string;
  stack?: string;
}

/** One line of `results.jsonl`. */
export interface CaseResult {
  caseId: string;
  state: CaseState;
  reasons: FailureReason[];
  output?: string;
  metrics?: CaseMetrics;
  jury?: JuryResult;
  checks: CheckResult[];
  error?: SerializedError;
}

// ─── Summaries and the run report ────────────────────────────────────────────

export interface Counts {
  total: number;
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
}

export interface GroupSummary extends Counts {
  key: string;
  /** passed ÷ (passed + failed + errored). */
  passRate: number;
  /** Wilson 95% interval of the pass rate. */
  passRateCi: [number, number];
  meanScores: Record<string, number>;
  /** Per key of `meanScores`: that mean with its bootstrap 95% interval. */
  meanScoreCis: Record<string, MeanInterval>;
  /**
   * The mean of every dimension score the jury gave (each case × dimension once), with its bootstrap 95%
   * interval (always resampled by scenario cluster: a case's dimensions are not independent); absent when the
   * jury scored nothing.
   */
  meanJury?: MeanInterval;
  ttftMs: { p50?: number; p95?: number };
  inputTokens: number;
  outputTokens: number;
  /** `responseCost` + `judgeCost`. */
  cost: number;
  /** What the models' answers cost. */
  responseCost: number;
  /** What the jury's verdicts cost. */
  judgeCost: number;
}

/**
 * A mean with its 95% percentile-bootstrap interval. Clusters are scenarios: `file`, eval name, scenario key and
 * model — the invocations, temperatures and experiments of one scenario are not independent observations.
 */
export interface MeanInterval {
  mean: number;
  /** 95% percentile-bootstrap interval; `[mean, mean]` when every resample gives the same mean. */
  ci: [number, number];
  /** Observations averaged. */
  n: number;
  /** Units resampled: scenario clusters when `clustered`, else the observations (`n`). */
  units: number;
  /** Resampled by scenario cluster, because some scenario has several observations. */
  clustered: boolean;
  /** Bootstrap resamples drawn: 2,000, fewer for groups of more than 500 units (at least 200). */
  resamples: number;
}

/** How a bootstrap is drawn (`src/metrics/stats.ts`). */
export interface BootstrapOptions {
  /** @default 2000 */
  resamples?: number;
  /** Coverage of the interval. @default 0.95 */
  level?: number;
  /** Seed of the generator, `seededRandom(seed)`: same seed, same interval. @default "bootstrap" */
  seed?: string;
  /** A uniform [0, 1) source to use instead of `seededRandom(seed)`. */
  random?: () => number;
}

/** How much the judges agree on one dimension (ordinal scores 1..5; an abstaining judge is a missing value). */
export interface DimensionAgreement {
  /** Canonical dimension key. */
  key: string;
  /**
   * Krippendorff's alpha, ordinal metric, units = cases, coders = judges. `null` when it is undefined: no case
   * with two scores, or no variation in any score at all.
   */
  alpha: number | null;
  /** Share of the `n` cases where the judges' scores differ by 2 or more (max − min ≥ 2). */
  contestedShare: number;
  /** Cases that two judges or more scored on this dimension (the pairable units). */
  n: number;
}

/**
 * How one judge leans: its score minus the jury mean (the mean of every judge's score on that case and
 * dimension), averaged over the case × dimension scores it gave where two judges or more scored.
 */
export interface JudgeBias {
  judge: string;
  bias: number;
  /** Per dimension key: the same, over that dimension only. */
  byDimension: Record<string, number>;
  /** The same over the cases whose candidate model is of the judge's own family; absent when there were none. */
  biasOwnFamily?: number;
  /** Case × dimension scores behind `bias`. */
  n: number;
  /** Case × dimension scores behind `biasOwnFamily` (0 when absent). */
  nOwnFamily: number;
}

/** Jury agreement over a run (`summarizeAgreement`). */
export interface AgreementSummary {
  /** One entry per dimension, in the order dimensions first appear in the results. */
  byDimension: DimensionAgreement[];
  /** One entry per judge that scored, in the order judges first appear. */
  judges: JudgeBias[];
  /** Share of the `n` cases contested (judges' spread ≥ 2) on at least one dimension. */
  contestedShare: number;
  /** Cases that two judges or more scored on at least one dimension. */
  n: number;
}

/** Trials: the invocations of one case (same eval, scenario, model, variant, temperature, experiment). */
export interface TrialSummary {
  /** Trials per case (the most any case had). */
  k: number;
  groups: number;
  /** Share of cases all of whose trials passed. */
  passHatK: number;
  /** Share of single trials that passed. */
  passAt1: number;
  /** Cases whose trials disagree: some passed, some did not. */
  flaky: {
    file: string;
    evalName: string;
    scenarioKey: string;
    model: string;
    passed: number;
    trials: number;
    caseIds: string[];
  }[];
}

/** Load figures of one model key (DESIGN §6). */
export interface RateSummary {
  model: string;
  targetRpm?: number;
  /** Requests sent, retries included. */
  requests: number;
  /** (requests − 1) ÷ (last request − first request), per minute; absent with fewer than two requests. */
  actualRpm?: number;
  /** Requests that waited for their turn under target_rpm. */
  throttleEvents: number;
  totalWaitMs: number;
  avgWaitMs: number;
  /** Share of the model's cases that got a response judged (passed or failed), and that errored. */
  successRate: number;
  errorRate: number;
}

export interface RunSummaries {
  overall: GroupSummary;
  byEval: GroupSummary[];
  byModel: GroupSummary[];
  byTaskType: GroupSummary[];
  rate: RateSummary[];
  /** Cases that could not be judged (errored), by classification: the lines of unprocessed.jsonl. */
  unprocessed: { total: number; byClassification: Partial<Record<UnprocessedClass, number>> };
  /** With several trials (invocations) per case: pass^k, pass@1 and the flaky cases. */
  trials?: TrialSummary;
  /** Calls served from the call cache (targets and judges), with the time and money they did not cost again. */
  cache: { hits: number; timeSavedMs: number; costSaved: number };
  /** Jury agreement: Krippendorff's alpha and contested cases per dimension, and each judge's bias. */
  agreement: AgreementSummary;
  /** `evaluate_both`: original vs optimized prompt, per model that ran both. */
  variants?: VariantComparison[];
}

/** One gate and its verdict, e.g. `min pass rate` or `baseline: regressions`. */
export interface GateCheck {
  name: string;
  passed: boolean;
  reason: string;
}

/** The case-by-case comparison with a baseline run (paired on stable case ids). */
export interface BaselineComparison {
  baselineRunId: string;
  /** False when the baseline ran another config (models, judges or jury): the comparison may mislead. */
  signatureMatches: boolean;
  /** Cases in both runs that ran in both. */
  paired: number;
  improved: string[];
  regressed: string[];
  newCases: string[];
  missing: string[];
  /** Exact McNemar test (two-sided) on the discordant pairs. */
  mcnemarP: number;
  /** Pass rate now − pass rate in the baseline, over the paired cases. */
  passRateDelta: number;
  /** Mean jury score now − baseline over paired judged cases, with its paired-bootstrap interval. */
  scoreDelta?: { mean: number; ci: [number, number]; n: number };
}

export interface GateResult {
  passed: boolean;
  passRate: number;
  minPassRate: number;
  /** The first failing check's reason, or the pass-rate one when all pass. */
  reason: string;
  checks: GateCheck[];
  baseline?: BaselineComparison;
}

export type RunStatus = "running" | "completed" | "interrupted" | "bailed";

export interface ConfigSnapshot {
  models: Omit<ModelProfile, "source">[];
  judges: Omit<ModelProfile, "source">[];
  jury: JurySettings;
  run: RunSettings;
  gate: GateSettings;
  signature: string;
}

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
  cases: CaseRecord[];
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

/** Original vs optimized prompt for one model (`evaluate_both`): each side's pass rate and mean score. */
export interface VariantComparison {
  model: string;
  original: GroupSummary;
  optimized: GroupSummary;
  /** Pairs (same scenario, temperature, invocation, experiment) that ran both ways. */
  paired: number;
  /** Optimized minus original pass rate over the pairs, with a paired-bootstrap 95% interval. */
  passRateDiff?: number;
  passRateDiffCi?: [number, number];
  /** Exact McNemar p-value of the discordant pairs. */
  pValue?: number;
}

/** What a report shows of a scenario's input. */
export interface ScenarioText {
  prompt: string;
  system?: string;
  golden?: string;
  criteria?: string;
}

// ─── Reporters ───────────────────────────────────────────────────────────────

export interface ReporterContext {
  root: string;
  runId: string;
  runDir: string;
  outputDir: string;
  /** Where this reporter should write, when it writes a file. */
  outputFile?: string;
  /** Prints a line to the console; reporters should use it rather than process.stdout. */
  log: (text: string) => void;
  /**
   * Rewrites a text with the `--summary-model` (for reports' executive summaries); absent when none is set.
   * Rejects on failure: a reporter must then keep its own text.
   */
  summarize?: (text: string) => Promise<{ model: string; text: string }>;
  /** Writes raw text (no newline), for a live line on a TTY. */
  write: (text: string) => void;
  isTTY: boolean;
  isCI: boolean;
}

/**
 * A reporter is an object of optional async hooks; a throwing hook is reported, never fatal. Every hook gets
 * plain data; hooks of all reporters run at once.
 * @example
 * export default {
 *   onCaseResult(result, record) { if (result.state === "failed") console.log(record.id); },
 *   async onRunEnd(report, results) {
 *     for await (const r of results) if (r.state === "errored") console.log(r.caseId, r.error?.message);
 *     console.log(report.gate?.passed ? "gate passed" : "gate failed");
 *   },
 * } satisfies Reporter;
 */
export interface Reporter {
  /** Once, before the run starts: where the run writes and how to print. */
  onInit?(ctx: ReporterContext): Awaitable<void>;
  /** Every case of the run (those that will be skipped or were done by a resumed run included). */
  onRunStart?(cases: readonly CaseRecord[], config: ConfigSnapshot): Awaitable<void>;
  onCaseStart?(record: CaseRecord): Awaitable<void>;
  /** Each result as it arrives (skipped cases too), already on disk. */
  onCaseResult?(result: CaseResult, record: CaseRecord): Awaitable<void>;
  /** An eval file has all its results of this run. */
  onEvalEnd?(file: string, summary: Counts): Awaitable<void>;
  /**
   * The run is over: `report` is its plain data (summaries, gate, cases, warnings — no results), `results` reads
   * its results when asked (`for await (const r of results)` streams them; `await results.all()` holds them),
   * from the run dir's `results.jsonl` for as long as it exists.
   */
  onRunEnd?(report: RunReport, results: ResultsReader): Awaitable<void>;
}

// ─── Providers ───────────────────────────────────────────────────────────────

export interface ChatMessage {
  role: "user" | "assistant";
  content: string;
}

export interface GenerateRequest {
  system?: string;
  messages: ChatMessage[];
  temperature: number;
  maxTokens: number;
  image?: string;
  /** Stream the answer (the default) or make one blocking call; judges don't stream. @default true */
  stream?: boolean;
  /** 1 for the first call, 2 for its first retry…: lets simulated failures differ between attempts. */
  attempt?: number;
  /** Deterministic seed for simulated providers (the case id). */
  seed: string;
  signal?: AbortSignal;
  /** The scenario's golden answer. Only `mock/` reads it, to imitate a model of a given quality. */
  mockGolden?: string;
  /** Set when the call is a judge's; lets `mock/` score without an LLM. Real providers ignore it. */
  judging?: JudgeContext;
  /** Asks for JSON matching this schema where the provider supports structured output. */
  jsonSchema?: Record<string, unknown>;
}

export interface JudgeContext {
  prompt: string;
  golden?: string;
  response: string;
  dimensions: readonly { key: string; name: string }[];
}

/** A streamed chunk from a provider. */
export type StreamEvent =
  /** The request is about to go on the wire: timing starts here (client setup and image loading excluded). */
  | { type: "request" }
  | { type: "text"; text: string }
  | { type: "meta" }
  | { type: "usage"; inputTokens: number; outputTokens: number }
  | { type: "finish"; reason: string; serviceTier?: string };

export interface Provider {
  /**
   * Readies the client for a profile (SDK import, client, lazily loaded HTTP stack) outside any timing, so
   * the first measured call of a worker is not slower than the rest.
   */
  prepare?(profile: ModelProfile): Promise<void>;
  /** Streams a completion; timing is measured by the caller on these events. */
  stream(profile: ModelProfile, request: GenerateRequest): AsyncIterable<StreamEvent>;
}

// ─── Checks (TS evals) ───────────────────────────────────────────────────────

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

// ─── Config file shape (defineConfig) ────────────────────────────────────────

export interface UserConfig {
  include?: string[];
  exclude?: string[];
  /** Model profile file (seed JSONL or YAML), relative to the config file. */
  models?: string;
  /** Judge profile file, relative to the config file. */
  judges?: string;
  jury?: Partial<JurySettings>;
  run?: Partial<Omit<RunSettings, "retry">> & { retry?: Partial<RetrySettings> };
  gate?: Partial<GateSettings>;
  reporters?: (string | [string, { outputFile?: string }])[];
  outputDir?: string;
  /** Call cache: `off` (default), `on` (record and reuse), `replay` (reuse only). Stored in `.evals-cache/`. */
  cache?: "off" | "on" | "replay";
}

// ─── Import ──────────────────────────────────────────────────────────────────

/**
 * Options of `importTable` (`evals import`): which columns of a CSV or JSONL table become which scenario
 * fields, and values for every row. Column names match case-insensitively (and ignoring spaces/punctuation);
 * an omitted column is detected from common names.
 */
export interface ImportOptions {
  /** The prompt column. @default the first of text_prompt, prompt, question, input, query */
  promptColumn?: string;
  /** The golden-answer column. @default the first of golden_answer, answer, expected, reference, … */
  goldenColumn?: string;
  /** The image column (paths relative to the table, or URLs). @default url_image, image, image_url, … */
  imageColumn?: string;
  /** Task type of rows whose `task_type` column is empty or absent. @default "General" (with a warning) */
  taskType?: string;
  /** Task criteria of rows whose `task_criteria` column is empty or absent. */
  taskCriteria?: string;
  /** User-defined jury metrics of rows whose `user_defined_metrics` column is empty or absent. */
  metrics?: string[];
  /** Temperature (0-2) of rows whose `temperature` column is empty or absent. */
  temperature?: number;
  /**
   * Where the JSONL will be written (same base as the table's path): relative image paths are rewritten from
   * the table's folder to this file's folder. Without it they are kept as they are.
   */
  outputFile?: string;
}
