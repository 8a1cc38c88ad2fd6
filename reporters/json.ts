// Writes the RunReport: the data every other report (and `evals report`/`merge`) can be rebuilt from.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { Reporter, ReporterContext, RunReport } from "../src/index.ts";

export class JsonReporter implements Reporter {
  private ctx!: ReporterContext;

  onInit(ctx: ReporterContext): void {
    this.ctx = ctx;
  }

  onRunEnd(report: RunReport): void {
    const file = this.ctx.outputFile ?? join(this.ctx.outputDir, "report.json");
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    this.ctx.log(` JSON report written to ${relative(this.ctx.root, file)}`);
  }
}

export default JsonReporter;
