// The steps of a run session (DESIGN §1) after `prepareRun`, each a named function that `startEvals` calls in
// order. Steps that narrow the plan return a new plan; the one they were given is never changed.
import { rmSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { batchingWanted } from "../batch/wanted.ts";
import type { FactsTable } from "../metrics/facts-table.ts";
import type { Plan, PlannedCase } from "../plan/expand.ts";
import { keepCases } from "../plan/keep-cases.ts";
import { concatLists, mapList } from "../plan/lazy-list.ts";
import { planRecord } from "../plan/plan-options.ts";
import { awsNodeSupportWarning } from "../providers/aws-node-support.ts";
import { createRateLimits } from "../providers/rate-limit.ts";
import { cacheSettings } from "../store/cache.ts";
import { readRunReport } from "../store/merge.ts";
import { writeRunReportFile } from "../store/report-file.ts";
import { resultsReader } from "../store/results-reader.ts";
import { checkOutputDir } from "../store/run-dir.ts";
import type { RunLock } from "../store/run-lock.ts";
import { writeFailure } from "../store/write-all.ts";
import type {
  CaseRecord,
  CaseResult,
  ConfigSnapshot,
  ModelProfile,
  PromptOptimizationLog,
  ResolvedConfig,
  ResultsReader,
  RunReport,
  RunReportWithResults,
  RunStatus,
  StartOptions,
  TextSink,
} from "../types.ts";
import {
  BATCH_WINDOW,
  batchingPool,
  leftRunningHint,
  openBatching,
  withoutBatchDeadlines,
} from "./batch-run.ts";
import { CostBudget, caseCost } from "./budget.ts";
import { skipped } from "./case-errors.ts";
import { type HeadStart, headStart } from "./head-start.ts";
import { openRun } from "./open-run.ts";
import { checkAccess, preflight } from "./preflight.ts";
import type { PreparedRun } from "./prepare.ts";
import { type LoadedReporter, loadReporters, startReporterHub } from "./reporters.ts";
import { RunLogReporter } from "./run-log-reporter.ts";
import { RunRecorder } from "./run-recorder.ts";
import { configSnapshot, gateRun, scenarioTexts, summarizeRun } from "./run-report.ts";
import { scheduleCases } from "./scheduler.ts";
import { createSummarizer, findSummaryModel } from "./summary-model.ts";
import { type TaskSettings, withTaskSettings } from "./task-settings.ts";

/** Where a session prints. */
export interface SessionIo {
  stdout: TextSink;
  stderr: TextSink;
  isCI: boolean;
}

/** A run once open: where it writes, what is left to run, and what it already has. */
export interface OpenRun {
  config: ResolvedConfig;
  runId: string;
  /** `--name`. */
  name?: string;
  runDir: string;
  startedAt: string;
  /** Every case of the run, whatever is left to run (the report's `cases`): a view, each record made when read. */
  records: readonly CaseRecord[];
  /** What is left to run or skip: a resumed or retried run's earlier results left out. */
  plan: Plan;
  /** The cases to run before earlier results were left out: the scenarios the report shows. */
  planned: readonly PlannedCase[];
  /** Results kept from the run resumed or retried. */
  previous: CaseResult[];
  snapshot: ConfigSnapshot;
  simulated: boolean;
  baseline?: RunReportWithResults;
  warnings: string[];
  /** The run dir's lock, held until the run ends (`startEvals` releases it). */
  lock: RunLock;
}

/** A run once scheduled: how it ended. */
export interface ScheduledRun {
  status: RunStatus;
  durationMs: number;
  promptOptimization?: PromptOptimizationLog;
}

/**
 * Checks, before anything runs, that the run can write its outputs: an output dir that is a file, read-only or
 * on a read-only mount is an `OutputDirError` (exit 2) before a worker starts or a model is called.
 */
export function checkOutputs(config: ResolvedConfig): void {
  checkOutputDir(resolve(config.root, config.outputDir));
}

/**
 * Loads the run's reporters (`config.reporters`) before its run dir exists: a reporter module that cannot be
 * loaded is a `ReporterLoadError` (exit 2) that leaves no run behind.
 */
export function loadRunReporters(config: ResolvedConfig): Promise<LoadedReporter[]> {
  return loadReporters(config.reporters, config.root);
}

/**
 * Starts the worker threads in the background, while access is checked and the run dir and reporters are set
 * up: a thread takes ~0.25 s to load, and the first cases would otherwise wait for it. Each thread loads the
 * plan's providers and warms their SDKs up as it starts, not on its first case; a plan that one thread's share of
 * the concurrency holds starts one thread (each costs ~0.3 s of CPU: the SDKs, their warm-up). `profiles`: the
 * plan's (`plannedProfiles`, read once by the caller: each read of the plan makes every case again).
 */
export function warmUpWorkers(prepared: PreparedRun, profiles: readonly ModelProfile[]): void {
  if (prepared.plan.cases.length > 0)
    prepared.pool({ warm: profiles, cases: prepared.plan.cases.length }).catch(() => undefined);
}

/**
 * What every task of a run is given on top of its plan: its model's `target_rpm` pacing slot (new slots at each call:
 * one call a run) and the cache settings.
 */
function taskSettings(config: ResolvedConfig): TaskSettings {
  const cache = cacheSettings(config.cache, config.root);
  return {
    rateLimits: createRateLimits(
      config.models
        .filter((m) => m.targetRpm !== undefined)
        .map((m) => ({ key: m.key, rpm: m.targetRpm as number })),
    ),
    ...(cache ? { cache } : {}),
  };
}

/** Whether the run checks its models' access first: a real model to call, unless `--no-preflight` or replay. */
function checksAccess(
  prepared: PreparedRun,
  profiles: readonly ModelProfile[],
  options: StartOptions,
): boolean {
  return (
    options.preflight !== false &&
    prepared.config.cache !== "replay" &&
    profiles.some((p) => p.provider !== "mock")
  );
}

/**
 * The head start (head-start.ts): the plan's first cases, one a lane, sent while the access check runs. Only where
 * the scheduler would start exactly these cases with exactly these tasks: a new run (a resumed or retried one
 * drops cases once its run dir is open), in plan order (no per-model cap, invocation sleep or experiment wait), its
 * prompts not optimized first, no batching (cases in the main thread, behind a collector made with the run), and
 * no `target_rpm` (its pacing slots are made with the run).
 */
export async function startAhead(
  prepared: PreparedRun,
  profiles: readonly ModelProfile[],
  options: StartOptions,
): Promise<HeadStart | undefined> {
  const { config, plan } = prepared;
  const { run } = config;
  if (
    plan.cases.length === 0 ||
    !checksAccess(prepared, profiles, options) ||
    options.resume !== undefined ||
    options.retryErrors !== undefined ||
    options.signal?.aborted ||
    (run.maxConcurrencyPerModel ?? 0) > 0 ||
    (run.invocationSleepMs ?? 0) > 0 ||
    (run.experimentWaitMs ?? 0) > 0 ||
    run.promptOptimization !== "none" ||
    batchingWanted(config, options) ||
    config.models.some((m) => m.targetRpm !== undefined)
  )
    return undefined;
  const first = withTaskSettings(plan, taskSettings(config)).cases.slice(
    0,
    Math.min(run.concurrency, plan.cases.length),
  );
  return headStart(await prepared.pool(), first, options.signal);
}

/**
 * The check-access step (preflight): the plan of the reachable targets and judges, and the warnings so far.
 * Replay never calls a model, so it has no access to check. A head start is dropped when the check changes the
 * plan.
 */
export async function checkPlanAccess(
  prepared: PreparedRun,
  profiles: readonly ModelProfile[],
  options: StartOptions,
  io: SessionIo,
  ahead?: HeadStart,
): Promise<{ plan: Plan; warnings: string[] }> {
  // The probes run where the cases will (a worker thread, warming up meanwhile): the main thread loads no SDK.
  const probe = async (models: readonly ModelProfile[], judges: readonly ModelProfile[]) => {
    const pool = await prepared.pool();
    // A thread that died under the probes (out of memory) leaves them to this thread.
    return pool.probe
      ? pool.probe(models, judges).catch(() => preflight(models, judges))
      : preflight(models, judges);
  };
  const checked = checksAccess(prepared, profiles, options)
    ? await checkAccess(prepared.plan, options.strict === true, io.stdout, probe)
    : { plan: prepared.plan, warnings: [] };
  if (checked.plan.cases !== prepared.plan.cases) ahead?.drop();
  const warnings = [...prepared.warnings, ...checked.warnings];
  for (const w of warnings) io.stderr.write(`warning: ${w}\n`);
  // About this machine, not the run's inputs: printed, not recorded with the run's warnings.
  const providers = profiles.map((p) => p.provider);
  const node = awsNodeSupportWarning(process.version, providers);
  if (node) io.stderr.write(`warning: ${node}\n`);
  return { plan: checked.plan, warnings };
}

/**
 * The open-run step: reads the baseline (a missing or unfinished one is a usage error before anything runs),
 * opens the run dir — new, resumed or retried, whose earlier results leave the plan — and writes its `run.json`.
 */
export function openSession(
  config: ResolvedConfig,
  { plan, warnings }: { plan: Plan; warnings: string[] },
  options: StartOptions,
  io: SessionIo,
): OpenRun {
  const outputDir = resolve(config.root, config.outputDir);
  const snapshot = configSnapshot(config);
  const baseline = config.gate.baseline ? readRunReport(config.gate.baseline) : undefined;
  const records = concatLists(
    mapList(plan.cases, (c) => c.record),
    plan.skipped,
  );
  const { runId, runDir, startedAt, previous, created, lock } = openRun(
    outputDir,
    records,
    options,
    io.stderr,
  );
  const done = new Set(previous.map((r) => r.caseId));
  const simulated = [...config.models, ...config.judges].some((p) => p.provider === "mock");
  const runJson = `${runDir}/run.json`;
  try {
    writeRunReportFile(runJson, {
      schemaVersion: 1,
      runId,
      ...(options.name ? { name: options.name } : {}),
      status: "running",
      // Who runs it: a dashboard can tell a run in progress from one whose process was killed.
      pid: process.pid,
      host: hostname(),
      startedAt,
      simulated,
      total: records.length,
      config: snapshot,
      ...planRecord(plan),
      cases: records,
    });
  } catch (err) {
    lock.release();
    // A new run that could not even record its plan leaves nothing: `--resume latest` must not find it.
    if (created) rmSync(runDir, { recursive: true, force: true });
    throw writeFailure(
      runJson,
      err,
      created
        ? "nothing was run; free space and run again"
        : "its results are kept; free space and run `evals --resume latest`",
    );
  }
  return {
    config,
    runId,
    ...(options.name ? { name: options.name } : {}),
    runDir,
    startedAt,
    records,
    plan: keepCases(plan, (id) => !done.has(id)),
    planned: plan.cases,
    previous,
    snapshot,
    simulated,
    ...(baseline ? { baseline } : {}),
    warnings,
    lock,
  };
}

/** Loads and starts the reporters (`onInit`, `onRunStart`), behind the recorder that feeds them the run's events. */
export async function startReporters(
  run: OpenRun,
  loaded: LoadedReporter[],
  options: StartOptions,
  io: SessionIo,
): Promise<RunRecorder> {
  const { config } = run;
  const summarize = options.summaryModel
    ? createSummarizer(findSummaryModel(options.summaryModel, [...config.models, ...config.judges]))
    : undefined;
  const hub = await startReporterHub({
    root: config.root,
    runId: run.runId,
    runDir: run.runDir,
    outputDir: resolve(config.root, config.outputDir),
    reporters: config.reporters,
    loaded: [...loaded, { spec: { name: "run log" }, reporter: new RunLogReporter(run, options) }],
    ...(options.reporterInstances ? { instances: options.reporterInstances } : {}),
    ...(summarize ? { summarize } : {}),
    stdout: io.stdout,
    stderr: io.stderr,
    isTTY: (io.stdout as { isTTY?: boolean }).isTTY === true && !io.isCI,
    isCI: io.isCI,
  });
  const pending = concatLists(
    mapList(run.plan.cases, (c) => c.record),
    run.plan.skipped,
  );
  const recorder = new RunRecorder(hub, run.runDir, run.records, pending);
  await recorder.runStart(run.records, run.snapshot);
  return recorder;
}

/**
 * The schedule step: gives the tasks their rate-limit slots and cache settings, optimizes prompts when asked,
 * then records the skipped cases and keeps `concurrency` cases in flight until all ran, the run bailed, reached
 * its `--max-cost` budget (see `CostBudget`) or was interrupted. A result that cannot be recorded (a full disk)
 * stops the run like Ctrl-C — no case starts, those in flight are abandoned, so `--resume` runs them again — and is
 * thrown once the scheduler has stopped.
 */
export async function scheduleRun(
  run: OpenRun,
  prepared: PreparedRun,
  recorder: RunRecorder,
  options: StartOptions,
  io: SessionIo,
  ahead?: HeadStart,
): Promise<ScheduledRun> {
  const { config } = run;
  let plan = withTaskSettings(run.plan, taskSettings(config));
  let promptOptimization: PromptOptimizationLog | undefined;
  if (config.run.promptOptimization !== "none") {
    const { runPromptOptimization } = await import("../optimize/run-optimization.ts");
    const optimized = await runPromptOptimization(plan, config, run.runDir, io.stdout, options.signal);
    plan = optimized.plan;
    promptOptimization = optimized.log;
  }
  // The facts table finds a case's record by id: no other map of every case is kept.
  const recordOf = (id: string) => recorder.facts.record(id);
  recorder.open(run.previous, options.retryErrors !== undefined, (id) => recordOf(id) as CaseRecord);
  const budget = costBudget(config.gate.maxCost, run.previous, recordOf);

  const t0 = Date.now();
  let status: RunStatus = "completed";
  const stop = new AbortController();
  let recordFailure: { error: unknown } | undefined;
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const batching = await openBatching(run, { ...options, signal }, io.stderr);
  if (batching) plan = withoutBatchDeadlines(plan, batching);
  try {
    for (const rec of plan.skipped) await recorder.caseResult(skipped(rec.id), rec);
    if (plan.cases.length > 0) {
      const pool = await prepared.pool();
      const casePool = batching ? batchingPool(pool, batching) : (ahead?.through(pool) ?? pool);
      status = await scheduleCases(plan.cases, casePool, {
        concurrency: batching ? (options.concurrency ?? BATCH_WINDOW) : config.run.concurrency,
        maxPerModel: config.run.maxConcurrencyPerModel,
        bail: config.run.bail,
        invocationSleepMs: config.run.invocationSleepMs,
        experimentWaitMs: config.run.experimentWaitMs,
        onExperimentWait: (experiment, until) =>
          io.stderr.write(
            `Experiment ${experiment} done: the next starts in ${Math.round((until - Date.now()) / 1000)} s (experiment wait ${config.run.experimentWaitMs} ms)\n`,
          ),
        signal,
        ...(budget ? { shouldStop: () => (budget.reached() ? "budget" : undefined) } : {}),
        onStart: (p) => {
          budget?.start(p.record.model);
          recorder.caseStart(p.record);
        },
        onResult: async (result, p) => {
          budget?.finish(p.record.model, caseCost(result));
          if (recordFailure) return; // stopped: a result that finished meanwhile is not recorded
          try {
            await recorder.caseResult(result, p.record);
          } catch (error) {
            recordFailure = { error };
            stop.abort(error);
          }
        },
      });
    }
  } finally {
    recorder.close();
    if (batching) {
      batching.close();
      const hint = status === "interrupted" ? leftRunningHint(run.runId, batching) : undefined;
      if (hint) io.stderr.write(hint);
    }
  }
  if (recordFailure) throw recordFailure.error;
  // The cases of a head start taken ran from when it was sent.
  const durationMs = Date.now() - (ahead?.taken ? ahead.startedAt : t0);
  return { status, durationMs, ...(promptOptimization ? { promptOptimization } : {}) };
}

/** The `--max-cost` budget of a run, holding what its earlier results (a resumed or retried run's) cost. */
function costBudget(
  maxCost: number | undefined,
  previous: readonly CaseResult[],
  recordOf: (caseId: string) => CaseRecord | undefined,
): CostBudget | undefined {
  if (maxCost === undefined) return undefined;
  const budget = new CostBudget(maxCost);
  for (const r of previous) {
    const model = recordOf(r.caseId)?.model;
    if (model !== undefined && r.state !== "skipped") budget.add(model, caseCost(r));
  }
  return budget;
}

/** The summarize step: the run's report but its gate, summaries computed once from the recorded facts. */
export function summarizeSession(run: OpenRun, scheduled: ScheduledRun, facts: FactsTable): RunReport {
  return summarizeRun(
    {
      runId: run.runId,
      ...(run.name ? { name: run.name } : {}),
      status: scheduled.status,
      startedAt: run.startedAt,
      durationMs: scheduled.durationMs,
      simulated: run.simulated,
      config: run.snapshot,
      cases: run.records,
      warnings: run.warnings,
      scenarios: scenarioTexts(run.planned),
      ...planRecord(run.plan),
      ...(scheduled.promptOptimization ? { promptOptimization: scheduled.promptOptimization } : {}),
    },
    facts,
  );
}

/** The gate step: the report with its verdict (a new report), and a warning when the baseline ran another config. */
export function gateSession(
  report: RunReport,
  facts: FactsTable,
  baseline: RunReportWithResults | undefined,
  io: Pick<SessionIo, "stderr">,
): RunReport {
  const gated = gateRun(report, facts, baseline);
  if (gated.gate?.baseline && !gated.gate.baseline.signatureMatches) {
    io.stderr.write(
      `warning: the baseline ${gated.gate.baseline.baselineRunId} ran another config (models, judges or jury); the comparison may mislead\n`,
    );
  }
  return gated;
}

/**
 * The report step: `run.json` written whole (its results copied from `results.jsonl`), then `onRunEnd` with the
 * report and a reader of the results; returns the reader.
 */
export async function reportSession(
  report: RunReport,
  run: OpenRun,
  recorder: RunRecorder,
): Promise<ResultsReader> {
  const file = join(run.runDir, "results.jsonl");
  const runJson = `${run.runDir}/run.json`;
  try {
    writeRunReportFile(runJson, report, file);
  } catch (err) {
    throw writeFailure(
      runJson,
      err,
      "every result is kept in results.jsonl; free space and run `evals --resume latest`",
    );
  }
  const results = resultsReader(file);
  await recorder.runEnd(report, results);
  return results;
}

/** 0 the gate is met, 1 it failed, 130 the run was interrupted. */
export function exitCodeOf(report: RunReport): number {
  return report.status === "interrupted" ? 130 : report.gate?.passed ? 0 : 1;
}
