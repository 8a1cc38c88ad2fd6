import { join, resolve } from "node:path";
import { resolveConfig } from "../../config/resolve.ts";
import { isCI } from "../../io-context.ts";
import { startReporterHub } from "../../runner/reporters.ts";
import { RunRecorder } from "../../runner/run-recorder.ts";
import { buildRunReport } from "../../runner/run-report.ts";
import { exitCodeOf } from "../../runner/session.ts";
import { mergeReports, readRunReport } from "../../store/merge.ts";
import { writeRunReportFile } from "../../store/report-file.ts";
import { resultsReader } from "../../store/results-reader.ts";
import { createRunDir, newRunId } from "../../store/run-dir.ts";
import type { CaseRecord, PlanOptions, StartOptions } from "../../types.ts";
import type { CliIo } from "../io.ts";

/**
 * `evals merge <runDirs…>`: joins the runs of `--shard i/n` into one run dir, as if run on one machine, and runs
 * the reporters and the gate on it (the config's, with the same flags as a run: --reporter, --min-pass-rate…).
 */
export async function mergeCommand(runDirs: string[], options: StartOptions, io: CliIo): Promise<number> {
  const root = resolve(io.cwd, options.root ?? ".");
  const runs = runDirs.map((d) => ({ source: d, report: readRunReport(resolve(root, d)) }));
  const reports = runs.map((r) => r.report);
  const { cases, results, warnings } = mergeReports(runs);
  // The shards' results carry what the reporters need: the profiles are not read.
  const { config } = await resolveConfig({ ...options, root }, { profiles: "none" });
  const first = reports[0] as (typeof reports)[number];
  // The shards' config, with this command's gate (so a merged run is gated like any run).
  const snapshot = {
    ...first.config,
    gate: {
      ...first.config.gate,
      ...(options.minPassRate === undefined ? {} : { minPassRate: options.minPassRate }),
    },
  };
  const outputDir = resolve(root, config.outputDir);
  const runId = newRunId();
  const runDir = createRunDir(outputDir, runId);
  const hub = await startReporterHub({
    root,
    runId,
    runDir,
    outputDir,
    reporters: config.reporters,
    stdout: io.stdout,
    stderr: io.stderr,
    isTTY: false,
    isCI: isCI(io.env),
  });
  // The merged results go through the recorder as a run's do: results.jsonl, then each reporter hook.
  const recorder = new RunRecorder(hub, runDir, cases, cases);
  await recorder.runStart(cases, snapshot);
  const byId = new Map(cases.map((c) => [c.id, c]));
  recorder.open([], false, (id) => byId.get(id) as CaseRecord);
  try {
    for (const r of results) {
      const record = byId.get(r.caseId);
      if (record) await recorder.caseResult(r, record);
    }
  } finally {
    recorder.close();
  }
  const startedAt = reports.map((r) => r.startedAt).sort()[0] as string;
  const report = buildRunReport({
    runId,
    status: reports.every((r) => r.status === "completed") ? "completed" : "interrupted",
    startedAt,
    durationMs: Math.max(...reports.map((r) => r.durationMs ?? 0)),
    simulated: reports.some((r) => r.simulated),
    config: snapshot,
    cases,
    results,
    scenarios: Object.assign({}, ...reports.map((r) => r.scenarios ?? {})),
    // The whole plan, not a shard: --retry-errors on the merged run plans it without --shard.
    ...(first.planOptions ? { planOptions: withoutShard(first.planOptions) } : {}),
    warnings: [
      ...reports.flatMap((r) => r.warnings),
      ...warnings,
      `merged from ${reports.map((r) => r.runId).join(", ")}`,
    ],
  });
  writeRunReportFile(`${runDir}/run.json`, report);
  const { results: _inMemory, ...head } = report;
  await recorder.runEnd(head, resultsReader(join(runDir, "results.jsonl")));
  for (const w of warnings) io.stderr.write(`warning: ${w}\n`);
  return exitCodeOf(head);
}

function withoutShard({ shard: _shard, ...options }: PlanOptions): PlanOptions {
  return options;
}
