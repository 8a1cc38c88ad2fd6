import { join, resolve } from "node:path";
import { resolveConfig } from "../../config/resolve.ts";
import { loadReporters, ReporterHub } from "../../runner/reporters.ts";
import { buildRunReport } from "../../runner/run-report.ts";
import { mergeReports, readRunReport } from "../../store/merge.ts";
import { writeRunReportFile } from "../../store/report-file.ts";
import { resultsReader } from "../../store/results-reader.ts";
import { ResultsWriter } from "../../store/results-writer.ts";
import { createRunDir, newRunId } from "../../store/run-dir.ts";
import type { StartOptions } from "../../types.ts";
import type { CliIo } from "../io.ts";

/**
 * `evals merge <runDirs…>`: joins the runs of `--shard i/n` into one run dir, as if run on one machine, and runs
 * the reporters and the gate on it (the config's, with the same flags as a run: --reporter, --min-pass-rate…).
 */
export async function mergeCommand(runDirs: string[], options: StartOptions, io: CliIo): Promise<number> {
  const root = resolve(io.cwd, options.root ?? ".");
  const reports = runDirs.map((d) => readRunReport(resolve(root, d)));
  const { cases, results, warnings } = mergeReports(reports);
  const { config } = await resolveConfig({ ...options, root });
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
  const writer = new ResultsWriter(runDir);
  const byId = new Map(cases.map((c) => [c.id, c]));
  for (const r of results) {
    const record = byId.get(r.caseId);
    if (record) writer.append(r, record);
  }
  writer.close();
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
    warnings: [
      ...reports.flatMap((r) => r.warnings),
      ...warnings,
      `merged from ${reports.map((r) => r.runId).join(", ")}`,
    ],
  });
  writeRunReportFile(`${runDir}/run.json`, report);

  const hub = new ReporterHub(await loadReporters(config.reporters, root), (text) =>
    io.stderr.write(`warning: ${text}\n`),
  );
  const isCI = Boolean(io.env.CI) && io.env.CI !== "false";
  await hub.init((spec) => ({
    root,
    runId,
    runDir,
    outputDir,
    ...(spec.outputFile ? { outputFile: resolve(root, spec.outputFile) } : {}),
    log: (text) => io.stdout.write(`${text}\n`),
    write: (text) => io.stdout.write(text),
    isTTY: false,
    isCI,
  }));
  await hub.emit("onRunStart", cases, snapshot);
  for (const r of results) {
    const record = byId.get(r.caseId);
    if (record) await hub.emit("onCaseResult", r, record);
  }
  const { results: _inMemory, ...head } = report;
  await hub.emit("onRunEnd", head, resultsReader(join(runDir, "results.jsonl")));
  for (const w of warnings) io.stderr.write(`warning: ${w}\n`);
  return report.status !== "completed" ? 130 : report.gate?.passed ? 0 : 1;
}
