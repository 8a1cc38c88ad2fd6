import { countCase, emptyCounts } from "../metrics/counts.ts";
import { FactsTable } from "../metrics/facts-table.ts";
import { ResultsWriter } from "../store/results-writer.ts";
import type { CaseRecord, CaseResult, ConfigSnapshot, Counts, ResultsReader, RunReport } from "../types.ts";
import type { ReporterHub } from "./reporters.ts";

/**
 * The one place where a run's events become reporter hooks (Vitest's `TestRun`): the run's start, each case
 * that starts, each result — appended to `results.jsonl` in the turn it arrives, its facts kept for the
 * summaries, then `onCaseResult`, and `onEvalEnd` once an eval file has all its results — and the run's end.
 */
export class RunRecorder {
  /** The facts the summaries read, in a compact table: results are on disk, not in memory. */
  readonly facts: FactsTable;
  private writer: ResultsWriter | undefined;
  /** Eval file → its results still to come. */
  private readonly remaining = new Map<string, number>();
  private readonly countsByFile = new Map<string, Counts>();

  /**
   * `cases`: every case of the run; `pending`: those still to get a result here (a resumed run's earlier
   * results aside).
   */
  constructor(
    private readonly hub: ReporterHub,
    private readonly runDir: string,
    cases: readonly CaseRecord[],
    pending: readonly CaseRecord[],
  ) {
    this.facts = new FactsTable(cases);
    for (const r of pending) this.remaining.set(r.file, (this.remaining.get(r.file) ?? 0) + 1);
  }

  runStart(cases: readonly CaseRecord[], config: ConfigSnapshot): Promise<void> {
    return this.hub.emit("onRunStart", cases, config);
  }

  /**
   * Opens `results.jsonl` for appending, with the results kept from an earlier run counted in the summaries;
   * `copy` writes them to it too (a retry of errors starts a new run dir).
   */
  open(previous: readonly CaseResult[], copy: boolean, recordOf: (caseId: string) => CaseRecord): void {
    // Results kept from a resumed run are in its results.jsonl already; a retry's are copied below.
    this.writer = new ResultsWriter(this.runDir, copy ? 0 : previous.length);
    for (const r of previous) {
      this.facts.add(r);
      if (copy) this.writer.append(r, recordOf(r.caseId));
    }
  }

  caseStart(record: CaseRecord): void {
    void this.hub.emit("onCaseStart", record);
  }

  /**
   * Records a result: on disk first (batched with the others of this turn: one write per file, see
   * `ResultsWriter.queue`), then in the facts and to the reporters. Rejects when it could not be written.
   */
  async caseResult(result: CaseResult, record: CaseRecord): Promise<void> {
    await this.writer?.queue(result, record);
    this.facts.add(result);
    await this.hub.emit("onCaseResult", result, record);
    const counts = countCase(this.countsByFile.get(record.file) ?? emptyCounts(), result.state);
    this.countsByFile.set(record.file, counts);
    const left = (this.remaining.get(record.file) ?? 1) - 1;
    this.remaining.set(record.file, left);
    if (left === 0) await this.hub.emit("onEvalEnd", record.file, counts);
  }

  /** Closes `results.jsonl`: every result is on disk. */
  close(): void {
    this.writer?.close();
  }

  runEnd(report: RunReport, results: ResultsReader): Promise<void> {
    return this.hub.emit("onRunEnd", report, results);
  }
}
