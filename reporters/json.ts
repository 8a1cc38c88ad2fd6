// Writes the RunReport: the data every other report (and `evals report`/`merge`) can be rebuilt from.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Reporter, ReporterContext, RunReport } from "../src/index.ts";
import { displayPath } from "./format.ts";

/** Writes the RunReport as pretty JSON (2 spaces) to `ctx.outputFile` (default `<outputDir>/report.json`). */
export class JsonReporter implements Reporter {
  private ctx!: ReporterContext;

  onInit(ctx: ReporterContext): void {
    this.ctx = ctx;
  }

  onRunEnd(report: RunReport): void {
    const file = this.ctx.outputFile ?? join(this.ctx.outputDir, "report.json");
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    this.ctx.log(` JSON report written to ${displayPath(this.ctx.root, file)}`);
  }
}

export default JsonReporter;
