// JUnit XML for CI dashboards; valid whatever a model wrote.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Reporter, ReporterContext, RunReport } from "../src/index.ts";
import { displayPath } from "./format.ts";
import { buildJunitXml, gateProperties } from "./junit-xml.ts";

/**
 * Writes the run as JUnit XML to `ctx.outputFile` (default `<outputDir>/junit.xml`): one `<testsuite>` per eval
 * file, one `<testcase>` per case, `<failure>` naming each failing dimension with every judge's score and
 * rationale, `<error>` for errored cases, `<skipped/>` for skipped ones.
 */
export class JunitReporter implements Reporter {
  private ctx!: ReporterContext;

  onInit(ctx: ReporterContext): void {
    this.ctx = ctx;
  }

  onRunEnd(report: RunReport): void {
    const file = this.ctx.outputFile ?? join(this.ctx.outputDir, "junit.xml");
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(
      file,
      // Outputs (system-out) and rationales of every case: a live run's report reads them from results.jsonl.
      buildJunitXml(report.cases, report.results, {
        timestamp: report.startedAt,
        properties: gateProperties(report.gate),
        flakyIds: new Set(report.summaries.trials?.flaky.flatMap((f) => f.caseIds) ?? []),
      }),
    );
    this.ctx.log(` JUnit report written to ${displayPath(this.ctx.root, file)}`);
  }
}

export default JunitReporter;
