import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { currentEnv } from "../io-context.ts";
import { FactsTable } from "../metrics/facts-table.ts";
import { runPromptOptimization } from "../optimize/run-optimization.ts";
import type { PlannedCase } from "../plan/expand.ts";
import { createRateLimits } from "../providers/rate-limit.ts";
import { readRunReport } from "../store/merge.ts";
import { withResultsOnDisk, writeRunReportFile } from "../store/report-file.ts";
import { ResultsWriter } from "../store/results-writer.ts";
import type {
  CaseRecord,
  CaseResult,
  Counts,
  ReporterContext,
  RunReport,
  RunStatus,
  StartOptions,
} from "../types.ts";
import { openRun } from "./open-run.ts";
import { checkAccess } from "./preflight.ts";
import { prepareRun } from "./prepare.ts";
import { loadReporters, ReporterHub } from "./reporters.ts";
import { configSnapshot, reportHead, scenarioTexts } from "./run-report.ts";
import { scheduleCases } from "./scheduler.ts";
import { createSummarizer, findSummaryModel } from "./summary-model.ts";

export interface EvalsRun {
  /** The run's report. Its `results` are read from the run dir's `results.jsonl` when first read. */
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
    // Worker threads start now, while access is checked and the run dir and reporters are set up: a thread takes
    // ~0.25 s to load, and the first cases would otherwise wait for it.
    if (plan.cases.length > 0) prepared.pool().catch(() => undefined);
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
    writeRunReportFile(`${runDir}/run.json`, {
      schemaVersion: 1,
      runId,
      ...(options.name ? { name: options.name } : {}),
      status: "running",
      // Who runs it: a dashboard can tell a run in progress from one whose process was killed.
      pid: process.pid,
      host: hostname(),
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
    const env = currentEnv();
    const isCI = Boolean(env.CI) && env.CI !== "false";
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

    const promptOptimization =
      config.run.promptOptimization === "none"
        ? undefined
        : await runPromptOptimization(plan.cases, config, runDir, stdout, options.signal);

    const writer = new ResultsWriter(runDir);
    // Results are on disk the moment they arrive; memory keeps only the facts summaries read, in a compact table.
    const facts = new FactsTable(allRecords);
    for (const r of previous) facts.add(r);
    // A retry of errors starts a new run dir: the results it keeps are copied in first.
    if (options.retryErrors) {
      const recordById = new Map(allRecords.map((r) => [r.id, r]));
      for (const r of previous) writer.append(r, recordById.get(r.caseId) as CaseRecord);
    }
    const remaining = new Map<string, number>();
    for (const r of [...plan.cases.map((c) => c.record), ...plan.skipped])
      remaining.set(r.file, (remaining.get(r.file) ?? 0) + 1);
    const countsByFile = new Map<string, Counts>();
    const record = async (result: CaseResult, rec: CaseRecord) => {
      writer.append(result, rec);
      facts.add(result);
      await hub.emit("onCaseResult", result, rec);
      const counts = countsByFile.get(rec.file) ?? { total: 0, passed: 0, failed: 0, errored: 0, skipped: 0 };
      counts.total++;
      counts[result.state]++;
      countsByFile.set(rec.file, counts);
      const left = (remaining.get(rec.file) ?? 1) - 1;
      remaining.set(rec.file, left);
      if (left === 0) await hub.emit("onEvalEnd", rec.file, counts);
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
          invocationSleepMs: config.run.invocationSleepMs,
          experimentWaitMs: config.run.experimentWaitMs,
          onExperimentWait: (experiment, until) =>
            stderr.write(
              `Experiment ${experiment} done: the next starts in ${Math.round((until - Date.now()) / 1000)} s (experiment wait ${config.run.experimentWaitMs} ms)\n`,
            ),
          ...(options.signal ? { signal: options.signal } : {}),
          onStart: (p: PlannedCase) => void hub.emit("onCaseStart", p.record),
          onResult: (result, p) => record(result, p.record),
        });
      }
    } finally {
      writer.close();
    }

    const head = reportHead(
      {
        runId,
        ...(options.name ? { name: options.name } : {}),
        status,
        startedAt,
        durationMs: Date.now() - t0,
        simulated,
        config: snapshot,
        cases: allRecords,
        warnings: prepared.warnings,
        scenarios: scenarioTexts(planned),
        ...(promptOptimization ? { promptOptimization } : {}),
      },
      facts,
      baseline,
    );
    const report = withResultsOnDisk(head, `${runDir}/results.jsonl`);
    if (report.gate?.baseline && !report.gate.baseline.signatureMatches) {
      stderr.write(
        `warning: the baseline ${report.gate.baseline.baselineRunId} ran another config (models, judges or jury); the comparison may mislead\n`,
      );
    }
    writeRunReportFile(`${runDir}/run.json`, report, `${runDir}/results.jsonl`);
    await hub.emit("onRunEnd", report);
    const exitCode = status === "interrupted" ? 130 : report.gate?.passed ? 0 : 1;
    return { report, runDir, exitCode };
  } finally {
    await prepared.close();
  }
}
