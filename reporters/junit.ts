// JUnit XML for CI dashboards; valid whatever a model wrote.
import { closeSync, mkdirSync, openSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { CaseRecord, Reporter, ReporterContext, ResultsReader, RunReport } from "../src/reporter.ts";
import { ChunkedWriter, type LineAt, readResultAt, scanResults } from "../src/store/report-file.ts";
import { displayPath } from "./format.ts";
import {
  buildJunitXml,
  type CaseOutcome,
  countCase,
  gateProperties,
  type JunitOptions,
  type JunitSuiteHead,
  junitCase,
  outcomeOf,
  suiteHead,
  writeJunitXml,
} from "./junit-xml.ts";

/**
 * Writes the run as JUnit XML to `ctx.outputFile` (default `<outputDir>/junit.xml`): one `<testsuite>` per eval
 * file, one `<testcase>` per case, `<failure>` naming each failing dimension with every judge's score and
 * rationale, `<error>` for errored cases, `<skipped/>` for skipped ones. A run's results are read from its
 * `results.jsonl` twice — once for each suite's counts, once to write each case — and never all held at once.
 */
export class JunitReporter implements Reporter {
  private ctx!: ReporterContext;

  onInit(ctx: ReporterContext): void {
    this.ctx = ctx;
  }

  async onRunEnd(report: RunReport, results: ResultsReader): Promise<void> {
    const file = this.ctx.outputFile ?? join(this.ctx.outputDir, "junit.xml");
    mkdirSync(dirname(file), { recursive: true });
    const options: JunitOptions = {
      timestamp: report.startedAt,
      properties: gateProperties(report.gate),
      flakyIds: new Set(report.summaries.trials?.flaky.flatMap((f) => f.caseIds) ?? []),
    };
    // Results in memory (no results file) are few enough to build the XML at once.
    if (results.file) writeJunitFile(file, report.cases, results.file, options);
    else writeFileSync(file, buildJunitXml(report.cases, await results.all(), options));
    this.ctx.log(` JUnit report written to ${displayPath(this.ctx.root, file)}`);
  }
}

/** JUnit XML of `cases` with their results read from `resultsJsonl`, written atomically in constant memory. */
export function writeJunitFile(
  file: string,
  cases: readonly CaseRecord[],
  resultsJsonl: string,
  options: JunitOptions,
): void {
  const flaky = options.flakyIds ?? new Set<string>();
  const byId = new Map(cases.map((c) => [c.id, c]));
  // Pass 1: where each case's result is, and what its <testcase> counts as (the last line of a case wins).
  const seen = new Map<string, { at: LineAt; outcome: CaseOutcome }>();
  scanResults(resultsJsonl, (r, at) => {
    const c = byId.get(r.caseId);
    if (c) seen.set(c.id, { at, outcome: outcomeOf(junitCase(c, r, flaky.has(c.id))) });
  });
  const suites = new Map<string, { head: JunitSuiteHead; cases: CaseRecord[] }>();
  for (const c of cases) {
    let s = suites.get(c.file);
    if (!s) {
      s = { head: suiteHead(c.file), cases: [] };
      suites.set(c.file, s);
    }
    s.cases.push(c);
    countCase(s.head, seen.get(c.id)?.outcome ?? outcomeOf(junitCase(c, undefined)));
  }
  // Pass 2: each suite's cases, read back one at a time.
  const tmp = `${file}.${process.pid}.tmp`;
  const out = openSync(tmp, "w");
  const fd = openSync(resultsJsonl, "r");
  try {
    const writer = new ChunkedWriter(out);
    const heads = [...suites.values()].map((s) => s.head);
    writeJunitXml(
      (xml) => writer.put(xml),
      heads,
      function* (head) {
        for (const c of suites.get(head.name)?.cases ?? []) {
          const at = seen.get(c.id)?.at;
          yield junitCase(c, at ? readResultAt(fd, at) : undefined, flaky.has(c.id));
        }
      },
      options,
    );
    writer.flush();
  } finally {
    closeSync(fd);
    closeSync(out);
  }
  renameSync(tmp, file);
}

export default JunitReporter;
