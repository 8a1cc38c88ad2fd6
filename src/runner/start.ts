import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { resolveConfig } from "../config/resolve.ts";
import { compileTestNamePattern } from "../discovery/filters.ts";
import { discoverEvalFiles } from "../discovery/glob.ts";
import { loadEvalJsonl } from "../discovery/jsonl.ts";
import { formatProblem, InputError, NoEvalsError, type Problem } from "../errors.ts";
import { evaluateGate } from "../gate/gate.ts";
import { countStates, summarize } from "../metrics/summary.ts";
import { type Plan, type PlannedCase, planCases } from "../plan/expand.ts";
import { ResultsWriter } from "../store/results-writer.ts";
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
  StartOptions,
} from "../types.ts";
import { createPool, type WorkerPool } from "./pool.ts";
import { applyPreflight, preflight } from "./preflight.ts";
import { loadReporters, ReporterHub } from "./reporters.ts";
import { scheduleCases } from "./scheduler.ts";

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
  const { config, warnings: configWarnings } = await resolveConfig(options);
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
    const files = await discoverEvalFiles(config.root, config.include, config.exclude, config.filters);
    const problems: Problem[] = [];
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
      overrides: {
        ...(options.invocations === undefined ? {} : { invocations: options.invocations }),
        ...(options.threshold === undefined ? {} : { threshold: options.threshold }),
      },
      ...(testNamePattern ? { testNamePattern } : {}),
    });
    if (plan.problems.length) throw new InputError(plan.problems);
    if (plan.cases.length + plan.skipped.length === 0 && !config.passWithNoEvals) {
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
    if (options.preflight !== false) {
      const { cases, warnings } = await checkAccess(plan.cases, options.strict === true, stdout);
      plan.cases = cases;
      prepared.warnings.push(...warnings);
    }
    for (const w of prepared.warnings) stderr.write(`warning: ${w}\n`);

    const runId = newRunId();
    const outputDir = resolve(config.root, config.outputDir);
    const runDir = createRunDir(outputDir, runId);
    const startedAt = new Date().toISOString();
    const snapshot = configSnapshot(config);
    const allRecords: CaseRecord[] = [...plan.cases.map((c) => c.record), ...plan.skipped];
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
        log: (text) => stdout.write(`${text}\n`),
        write: (text) => stdout.write(text),
        isTTY: isTTY && !isCI,
        isCI,
      }),
    );
    await hub.emit("onRunStart", allRecords, snapshot);

    const writer = new ResultsWriter(runDir);
    const results: CaseResult[] = [];
    const remaining = new Map<string, number>();
    for (const r of allRecords) remaining.set(r.file, (remaining.get(r.file) ?? 0) + 1);
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
          bail: config.run.bail,
          ...(options.signal ? { signal: options.signal } : {}),
          onStart: (p: PlannedCase) => void hub.emit("onCaseStart", p.record),
          onResult: (result, p) => record(result, p.record),
        });
      }
    } finally {
      writer.close();
    }

    const summaries = summarize(allRecords, results);
    const gate = evaluateGate(summaries.overall, config.gate);
    const report: RunReport = {
      schemaVersion: 1,
      runId,
      status,
      startedAt,
      finishedAt: new Date().toISOString(),
      durationMs: Date.now() - t0,
      simulated,
      config: snapshot,
      cases: allRecords,
      results,
      summaries,
      gate,
      warnings: prepared.warnings,
    };
    writeJsonAtomic(`${runDir}/run.json`, report);
    await hub.emit("onRunEnd", report);
    const exitCode = status === "interrupted" ? 130 : gate.passed ? 0 : 1;
    return { report, runDir, exitCode };
  } finally {
    await prepared.close();
  }
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

/** The config as recorded with a run: no secrets, no file positions; its signature groups comparable runs. */
export function configSnapshot(config: ResolvedConfig): ConfigSnapshot {
  const strip = ({ source: _source, ...rest }: ResolvedConfig["models"][number]) => rest;
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
