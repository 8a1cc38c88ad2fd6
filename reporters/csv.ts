// The invocations CSV: one row per case, for a spreadsheet (the seed's invocations_*.csv).
import { closeSync, mkdirSync, openSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { stringify } from "csv-stringify/sync";
import type { CaseRecord, Reporter, ReporterContext, ResultsReader, RunReport } from "../src/reporter.ts";
import { ChunkedWriter } from "../src/store/report-file.ts";
import { fileNamePart } from "../src/store/run-dir.ts";
import { type CsvValue, csvCell, csvColumns, csvRow } from "./csv-row.ts";
import { displayPath } from "./format.ts";

/**
 * The CSV's default name in the run dir, after the seed's `invocations_<run>_<ts>_<uuid>_<name>.csv`: the run id
 * holds its time and a random part, the seed's run count is a column (`run_count`), and the run's `--name`
 * (`--experiment_name`) ends it when it has one — `invocations_20261207-012345-678-9abc_My-Benchmark.csv`.
 */
export function csvFileName(report: Pick<RunReport, "runId" | "name">): string {
  const name = fileNamePart(report.name);
  return `invocations_${report.runId}${name ? `_${name}` : ""}.csv`;
}

/**
 * Writes the invocations CSV of a run to `file` atomically (temp file + rename): a UTF-8 byte order mark (Excel
 * reads a file without one in the machine's legacy code page), CRLF line ends and quoting per RFC 4180
 * (csv-stringify), a header, then a row per case with a result in the order they came, then one per case that
 * has none. The results are read twice (the dimensions that have a column, then the rows), never all held.
 * Returns the number of rows.
 */
export async function writeCsvFile(
  file: string,
  report: Pick<RunReport, "cases" | "config">,
  results: ResultsReader,
): Promise<number> {
  const dimensions = new Set<string>();
  for await (const r of results) for (const d of r.jury?.dimensions ?? []) dimensions.add(d.key);
  const run = { config: report.config, dimensions: [...dimensions] };
  const byId = new Map<string, CaseRecord>(report.cases.map((c) => [c.id, c]));
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w");
  let rows = 0;
  let written = false;
  try {
    const out = new ChunkedWriter(fd);
    const put = (cells: CsvValue[], bom = false) =>
      out.put(stringify([cells.map(csvCell)], { bom, record_delimiter: "windows" }));
    put(csvColumns(run.dimensions), true);
    for await (const r of results) {
      const record = byId.get(r.caseId);
      if (!record) continue;
      byId.delete(r.caseId);
      put(csvRow(record, r, run));
      rows++;
    }
    for (const record of byId.values()) {
      put(csvRow(record, undefined, run));
      rows++;
    }
    out.flush();
    written = true;
  } finally {
    closeSync(fd);
    if (!written) rmSync(tmp, { force: true });
  }
  renameSync(tmp, file);
  return rows;
}

/**
 * `--reporter csv`: the run's invocations CSV (`writeCsvFile`), written in the run dir as `csvFileName` says, or
 * to `--outputFile.csv`.
 */
export class CsvReporter implements Reporter {
  private ctx!: ReporterContext;

  onInit(ctx: ReporterContext): void {
    this.ctx = ctx;
  }

  async onRunEnd(report: RunReport, results: ResultsReader): Promise<void> {
    const file = this.ctx.outputFile ?? join(this.ctx.runDir, csvFileName(report));
    const rows = await writeCsvFile(file, report, results);
    this.ctx.log(
      ` CSV of ${rows} invocation${rows === 1 ? "" : "s"} written to ${displayPath(this.ctx.root, file)}`,
    );
  }
}

export default CsvReporter;
