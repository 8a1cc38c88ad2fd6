// JUnit XML for CI dashboards; valid whatever a model wrote.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { Reporter, ReporterContext, RunReport } from "../src/index.ts";
import { buildJunitXml } from "./junit-xml.ts";

export class JunitReporter implements Reporter {
  private ctx!: ReporterContext;

  onInit(ctx: ReporterContext): void {
    this.ctx = ctx;
  }

  onRunEnd(report: RunReport): void {
    const file = this.ctx.outputFile ?? join(this.ctx.outputDir, "junit.xml");
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, buildJunitXml(report));
    this.ctx.log(` JUnit report written to ${relative(this.ctx.root, file)}`);
  }
}

export default JunitReporter;
