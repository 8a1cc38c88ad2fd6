import { createHash } from "node:crypto";
import { realpathSync } from "node:fs";
import { join, resolve } from "node:path";
import { resolveConfigWithProblems } from "../config/resolve.ts";
import { changedFiles } from "../discovery/changed.ts";
import { compileTestNamePattern } from "../discovery/filters.ts";
import { discoverEvalFiles } from "../discovery/glob.ts";
import { scenarioRef } from "../discovery/ids.ts";
import { loadEvalJsonl } from "../discovery/jsonl.ts";
import { formatProblem, InputError, NoEvalsError, type Problem, UsageError } from "../errors.ts";
import { evaluateGate } from "../gate/gate.ts";
import { countStates, summarize } from "../metrics/summary.ts";
import { type Plan, type PlannedCase, planCases } from "../plan/expand.ts";
import { parseShard, shardIds } from "../plan/shard.ts";
import { createRateLimits } from "../providers/rate-limit.ts";
import { readRunReport } from "../store/merge.ts";
import { ResultsWriter } from "../store/results-writer.ts";
import { findRunDir, readResults, readRunPlan } from "../store/resume.ts";
import { createRunDir, newRunId, writeJsonAtomic } from "../store/run-dir.ts";
import type {
  CaseRecord,
  CaseResult,
  ConfigSnapshot,
  EvalDefinition,
  ReporterContext,
  ResolvedConfig,
  RunReport,
  RunStatus,
  ScenarioText,
  StartOptions,
} from "../types.ts";
import { createPool, type WorkerPool } from "./pool.ts";
import { applyPreflight, preflight } from "./preflight.ts";
import { loadReporters, ReporterHub } from "./reporters.ts";
import { scheduleCases } from "./scheduler.ts";
import { createSummarizer, findSummaryModel } from "./summary-model.ts";

export interface PreparedRun {
  config: ResolvedConfig;
  evals: EvalDefinition[];
  plan: Plan;
  warnings: string[];
  /** Created only when something needs a worker (a `.eval.ts` to collect, or the run itself). */
  pool(): Promise<WorkerPool>;
  close(): Promise<void>;
}

/**
 * Steps 1–4 of a run (DESIGN §1): resolve config, discover, load, plan. Throws `InputError` with every problem
 * found, before anything runs. Shared by `evals` and `evals list`.
 */
export async function prepareRun(options: StartOptions): Promise<PreparedRun> {
  // Problems of the config and profiles are reported with the eval files' own, so one run shows all to fix.
  const {
    config,
    warnings: configWarnings,
    problems: configProblems,
  } = await resolveConfigWithProblems(options);
  const warnings = configWarnings.map(formatProblem);
  const testNamePattern = compileTestNamePattern(config.testNamePattern);

  let poolPromise: Promise<WorkerPool> | undefined;
  const pool = () => {
    poolPromise ??= createPool({
      threads: config.run.threads,
      workers: config.run.workers,
      concurrency: config.run.concurrency,
    });
    return poolPromise;
  };
  const close = async () => {
    if (poolPromise) await (await poolPromise).close();
  };

  try {
    let files = await discoverEvalFiles(config.root, config.include, config.exclude, config.filters);
    if (options.changed !== undefined) {
      const changed = changedFiles(config.root, options.changed === true ? "HEAD" : options.changed);
      files = files.filter((f) => changed.has(realpathSync(f.absFile)) || changed.has(f.absFile));
    }
    const problems: Problem[] = [...configProblems];
    const evals: EvalDefinition[] = [];
    for (const f of files) {
      const loaded = f.file.endsWith(".ts")
        ? await (await pool()).collect(f.absFile, f.file)
        : await loadEvalJsonl(f.absFile, f.file).then((r) => ({
            evals: [r.eval],
            problems: r.problems,
            warnings: r.warnings,
          }));
      problems.push(...loaded.problems);
      warnings.push(...loaded.warnings.map(formatProblem));
      evals.push(...loaded.evals);
    }
    if (problems.length) throw new InputError(problems);
    const plan = planCases({
      evals,
      models: config.models,
      judges: config.judges,
      jury: config.jury,
      invocations: config.run.invocations,
      experiments: config.run.experiments,
      temperatureVariations: config.run.temperatureVariations,
      stream: config.run.stream,
      timeoutMs: config.run.timeoutMs,
      caseTimeoutMs: config.run.caseTimeoutMs,
      retry: config.run.retry,
      overrides: {
        ...((options.invocations ?? options.trials) === undefined
          ? {}
          : { invocations: options.invocations ?? options.trials }),
        ...(options.threshold === undefined ? {} : { threshold: options.threshold }),
      },
      ...(testNamePattern ? { testNamePattern } : {}),
    });
    if (plan.problems.length) throw new InputError(plan.problems);
    if (options.shard) {
      const mine = shardIds(
        [...plan.cases.map((c) => c.record.id), ...plan.skipped.map((r) => r.id)],
        parseShard(options.shard),
      );
      plan.cases = plan.cases.filter((c) => mine.has(c.record.id));
      plan.skipped = plan.skipped.filter((r) => mine.has(r.id));
    }
    // Like Vitest: nothing changed is not a failure.
    if (
      plan.cases.length + plan.skipped.length === 0 &&
      !config.passWithNoEvals &&
      options.changed === undefined
    ) {
      throw new NoEvalsError(
        files.length === 0
          ? `no eval files found in ${config.root} (include: ${config.include.join(", ")}${config.filters.length ? `; filters: ${config.filters.join(", ")}` : ""})`
          : `no cases matched${config.testNamePattern ? ` -t ${JSON.stringify(config.testNamePattern)}` : ""} in ${files.length} eval file(s)`,
      );
    }
    return { config, evals, plan, warnings, pool, close };
  } catch (err) {
    await close();
    throw err;
  }
}

export interface EvalsRun {
  report: RunReport;
  runDir: string;
  /** 0 gate met, 1 gate failed, 130 interrupted. */
  exitCode: number;
}

/** Runs evals end to end: the programmatic entry point behind `evals` (also used by tests and the dashboard). */
export async function startEvals(options: StartOptions = {}): Promise<EvalsRun> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const prepared = await prepareRun(options);
  const { config, plan } = prepared;
  try {
    // Replay never calls a model, so there is no access to check.
    if (options.preflight !== false && config.cache !== "replay") {
      const { cases, warnings } = await checkAccess(plan.cases, options.strict === true, stdout);
      plan.cases = cases;
      prepared.warnings.push(...warnings);
    }
    for (const w of prepared.warnings) stderr.write(`warning: ${w}\n`);

    const outputDir = resolve(config.root, config.outputDir);
    const snapshot = configSnapshot(config);
    // Read before anything runs: a missing or unfinished baseline is a usage error, not a late surprise.
    const baseline = config.gate.baseline ? readRunReport(config.gate.baseline) : undefined;
    const allRecords: CaseRecord[] = [...plan.cases.map((c) => c.record), ...plan.skipped];
    const { runId, runDir, startedAt, previous } = openRun(outputDir, allRecords, options, stderr);
    const planned = [...plan.cases];
    const done = new Set(previous.map((r) => r.caseId));
    plan.cases = plan.cases.filter((c) => !done.has(c.record.id));
    plan.skipped = plan.skipped.filter((r) => !done.has(r.id));
    const simulated = [...config.models, ...config.judges].some((p) => p.provider === "mock");
    writeJsonAtomic(`${runDir}/run.json`, {
      schemaVersion: 1,
      runId,
      status: "running",
      startedAt,
      simulated,
      total: allRecords.length,
      config: snapshot,
      cases: allRecords,
    });

    const summarize = options.summaryModel
      ? createSummarizer(findSummaryModel(options.summaryModel, [...config.models, ...config.judges]))
      : undefined;
    const isTTY = (stdout as { isTTY?: boolean }).isTTY === true;
    const isCI = Boolean(process.env.CI) && process.env.CI !== "false";
    const hub = new ReporterHub(
      [
        ...(await loadReporters(config.reporters, config.root)),
        ...(options.reporterInstances ?? []).map((reporter, i) => ({
          spec: { name: `custom#${i + 1}` },
          reporter,
        })),
      ],
      (text) => stderr.write(`warning: ${text}\n`),
    );
    await hub.init(
      (spec): ReporterContext => ({
        root: config.root,
        runId,
        runDir,
        outputDir,
        ...(spec.outputFile ? { outputFile: resolve(config.root, spec.outputFile) } : {}),
        ...(summarize ? { summarize } : {}),
        log: (text) => stdout.write(`${text}\n`),
        write: (text) => stdout.write(text),
        isTTY: isTTY && !isCI,
        isCI,
      }),
    );
    await hub.emit("onRunStart", allRecords, snapshot);

    // target_rpm: one pacing slot per model key, shared by every worker through a SharedArrayBuffer.
    const limits = createRateLimits(
      config.models
        .filter((m) => m.targetRpm !== undefined)
        .map((m) => ({ key: m.key, rpm: m.targetRpm as number })),
    );
    const cache =
      config.cache === "off" ? undefined : { mode: config.cache, dir: join(config.root, ".evals-cache") };
    for (const c of plan.cases) {
      const slot = limits.get(c.task.model.key);
      if (slot) c.task.rateLimit = slot;
      if (cache) c.task.cache = cache;
    }

    const writer = new ResultsWriter(runDir);
    const results: CaseResult[] = [...previous];
    // A retry of errors starts a new run dir: the results it keeps are copied in first.
    const recordById = new Map(allRecords.map((r) => [r.id, r]));
    if (options.retryErrors)
      for (const r of previous) writer.append(r, recordById.get(r.caseId) as CaseRecord);
    const remaining = new Map<string, number>();
    for (const r of [...plan.cases.map((c) => c.record), ...plan.skipped])
      remaining.set(r.file, (remaining.get(r.file) ?? 0) + 1);
    const resultsByFile = new Map<string, CaseResult[]>();
    const record = async (result: CaseResult, rec: CaseRecord) => {
      writer.append(result, rec);
      results.push(result);
      await hub.emit("onCaseResult", result, rec);
      const list = resultsByFile.get(rec.file) ?? [];
      list.push(result);
      resultsByFile.set(rec.file, list);
      const left = (remaining.get(rec.file) ?? 1) - 1;
      remaining.set(rec.file, left);
      if (left === 0) await hub.emit("onEvalEnd", rec.file, countStates(list));
    };

    const t0 = Date.now();
    let status: RunStatus = "completed";
    try {
      for (const rec of plan.skipped)
        await record({ caseId: rec.id, state: "skipped", reasons: [], checks: [] }, rec);
      if (plan.cases.length > 0) {
        const pool = await prepared.pool();
        status = await scheduleCases(plan.cases, pool, {
          concurrency: config.run.concurrency,
          maxPerModel: config.run.maxConcurrencyPerModel,
          bail: config.run.bail,
          ...(options.signal ? { signal: options.signal } : {}),
          onStart: (p: PlannedCase) => void hub.emit("onCaseStart", p.record),
          onResult: (result, p) => record(result, p.record),
        });
      }
    } finally {
      writer.close();
    }

    const report = buildRunReport(
      {
        runId,
        status,
        startedAt,
        durationMs: Date.now() - t0,
        simulated,
        config: snapshot,
        cases: allRecords,
        results,
        warnings: prepared.warnings,
        scenarios: scenarioTexts(planned),
      },
      baseline,
    );
    if (report.gate?.baseline && !report.gate.baseline.signatureMatches) {
      stderr.write(
        `warning: the baseline ${report.gate.baseline.baselineRunId} ran another config (models, judges or jury); the comparison may mislead\n`,
      );
    }
    writeJsonAtomic(`${runDir}/run.json`, report);
    await hub.emit("onRunEnd", report);
    const exitCode = status === "interrupted" ? 130 : report.gate?.passed ? 0 : 1;
    return { report, runDir, exitCode };
  } finally {
    await prepared.close();
  }
}

/**
 * A new run, or — with `resume` — the interrupted run to continue (same plan required), or — with
 * `retryErrors` — a new run seeded with a previous run's non-errored results.
 */
function openRun(
  outputDir: string,
  planned: readonly CaseRecord[],
  options: StartOptions,
  stderr: NodeJS.WritableStream,
): { runId: string; runDir: string; startedAt: string; previous: CaseResult[] } {
  const ref = options.resume ?? options.retryErrors;
  const plannedIds = new Set(planned.map((c) => c.id));
  if (ref === undefined || (options.resume && options.retryErrors)) {
    if (options.resume && options.retryErrors)
      throw new UsageError("--resume and --retry-errors cannot be used together");
    const runId = newRunId();
    return {
      runId,
      runDir: createRunDir(outputDir, runId),
      startedAt: new Date().toISOString(),
      previous: [],
    };
  }
  const from = findRunDir(outputDir, ref);
  const recorded = readRunPlan(from);
  const { results, droppedTornLine } = readResults(from);
  if (droppedTornLine)
    stderr.write(
      `warning: ${from}/results.jsonl ended in a torn line (a crash mid-write); it was dropped and its case runs again\n`,
    );
  const kept = results.filter((r) => plannedIds.has(r.caseId));
  if (options.retryErrors) {
    const runId = newRunId();
    return {
      runId,
      runDir: createRunDir(outputDir, runId),
      startedAt: new Date().toISOString(),
      previous: kept.filter((r) => r.state !== "errored"),
    };
  }
  const recordedIds = new Set(recorded.cases.map((c) => c.id));
  const added = [...plannedIds].filter((id) => !recordedIds.has(id)).length;
  const removed = [...recordedIds].filter((id) => !plannedIds.has(id)).length;
  if (added || removed) {
    throw new UsageError(
      `cannot resume ${recorded.runId}: today's plan differs from the run's (${added} case(s) added, ${removed} removed)`,
      "Resume with the same eval files, profiles and flags as the run, or start a new run.",
    );
  }
  return { runId: recorded.runId, runDir: from, startedAt: recorded.startedAt, previous: kept };
}

/** Preflight (DESIGN §6): probes the real models and judges in the plan and prints a table when there are any. */
async function checkAccess(cases: PlannedCase[], strict: boolean, stdout: NodeJS.WritableStream) {
  const models = new Map(cases.map((c) => [c.task.model.key, c.task.model]));
  const judges = new Map(cases.flatMap((c) => c.task.judges.map((j) => [j.key, j] as const)));
  if (![...models.values(), ...judges.values()].some((p) => p.provider !== "mock"))
    return { cases, warnings: [] };
  const probes = await preflight([...models.values()], [...judges.values()]);
  const width = Math.max(...probes.map((p) => p.key.length));
  stdout.write("\n Access check\n");
  for (const p of probes.filter((x) => x.reason !== "simulated")) {
    const status = p.reachable ? `✓ ${p.latencyMs === undefined ? "" : `${Math.round(p.latencyMs)}ms`}` : "✗";
    stdout.write(
      `   ${p.key.padEnd(width)}  ${p.roles.join("+").padEnd(11)} ${status}${p.reason ? ` ${p.reason}` : ""}\n`,
    );
  }
  return applyPreflight(cases, probes, strict);
}

function withoutCredentials(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = "";
    u.password = "";
    return u.toString();
  } catch {
    return url;
  }
}

/** The input texts of the scenarios in a plan, once per scenario (for reports' drill-downs). */
function scenarioTexts(cases: readonly PlannedCase[]): Record<string, ScenarioText> {
  const out: Record<string, ScenarioText> = {};
  for (const { record, task } of cases) {
    const s = task.scenario;
    out[scenarioRef(record)] ??= {
      prompt: s.prompt,
      ...(s.system === undefined ? {} : { system: s.system }),
      ...(s.golden === undefined ? {} : { golden: s.golden }),
      ...(s.criteria ? { criteria: s.criteria } : {}),
    };
  }
  return out;
}

/** The RunReport of finished work (pure but for the clock): summaries and the gate computed once, here. */
export function buildRunReport(
  run: {
    runId: string;
    status: RunStatus;
    startedAt: string;
    durationMs: number;
    simulated: boolean;
    config: ConfigSnapshot;
    cases: CaseRecord[];
    results: CaseResult[];
    warnings: string[];
    scenarios?: Record<string, ScenarioText>;
  },
  baseline?: RunReport,
): RunReport {
  const summaries = summarize(run.cases, run.results, run.config.models);
  return {
    schemaVersion: 1,
    ...run,
    finishedAt: new Date().toISOString(),
    summaries,
    gate: evaluateGate({ ...run, summaries }, run.config.gate, baseline),
  };
}

/** The config as recorded with a run: no secrets, no file positions; its signature groups comparable runs. */
export function configSnapshot(config: ResolvedConfig): ConfigSnapshot {
  // No secrets in a snapshot: keys live only in the environment, and credentials in a URL are removed.
  const strip = ({ source: _source, ...rest }: ResolvedConfig["models"][number]) =>
    rest.baseUrl ? { ...rest, baseUrl: withoutCredentials(rest.baseUrl) } : rest;
  const body = {
    models: config.models.map(strip),
    judges: config.judges.map(strip),
    jury: config.jury,
    run: config.run,
    gate: config.gate,
  };
  const signature = createHash("sha256")
    .update(JSON.stringify({ models: body.models, judges: body.judges, jury: body.jury }))
    .digest("hex")
    .slice(0, 16);
  return { ...body, signature };
}
