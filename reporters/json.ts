// Writes the RunReport: the data every other report (and `evals report`/`merge`) can be rebuilt from.
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Reporter, ReporterContext, ResultsReader, RunReport } from "../src/reporter.ts";
import { writeRunReportFile } from "../src/store/report-file.ts";
import { displayPath } from "./format.ts";

/**
 * Writes the RunReport as JSON to `ctx.outputFile` (default `<outputDir>/report.json`), its results streamed in
 * full from the run's `results.jsonl` (one per line), so a run of any size is written in constant memory.
 */
export class JsonReporter implements Reporter {
  private ctx!: ReporterContext;

  onInit(ctx: ReporterContext): void {
    this.ctx = ctx;
  }

  async onRunEnd(report: RunReport, results: ResultsReader): Promise<void> {
    const file = this.ctx.outputFile ?? join(this.ctx.outputDir, "report.json");
    mkdirSync(dirname(file), { recursive: true });
    if (results.file) writeRunReportFile(file, report, results.file);
    else writeRunReportFile(file, { ...report, results: await results.all() });
    this.ctx.log(` JSON report written to ${displayPath(this.ctx.root, file)}`);
  }
}

export default JsonReporter;
