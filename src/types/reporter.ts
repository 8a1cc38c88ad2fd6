// What a reporter implements, and what it is given.
import type { Awaitable } from "./awaitable.ts";
import type { CaseRecord } from "./plan.ts";
import type { ConfigSnapshot, ResultsReader, RunReport } from "./report.ts";
import type { CaseResult } from "./results.ts";
import type { Counts } from "./summaries.ts";

export interface ReporterContext {
  root: string;
  runId: string;
  runDir: string;
  outputDir: string;
  /** Where this reporter should write, when it writes a file. */
  outputFile?: string;
  /** Prints a line to the console; reporters should use it rather than process.stdout. */
  log: (text: string) => void;
  /**
   * Rewrites a text with the `--summary-model` (for reports' executive summaries); absent when none is set.
   * Rejects on failure: a reporter must then keep its own text.
   */
  summarize?: (text: string) => Promise<{ model: string; text: string }>;
  /** Writes raw text (no newline): a live line on a TTY, the dot reporter's characters. */
  write: (text: string) => void;
  isTTY: boolean;
  isCI: boolean;
}

/**
 * A reporter is an object of optional async hooks; a throwing hook is reported, never fatal. Every hook gets
 * plain data; hooks of all reporters run at once.
 * @example
 * export default {
 *   onCaseResult(result, record) { if (result.state === "failed") console.log(record.id); },
 *   async onRunEnd(report, results) {
 *     for await (const r of results) if (r.state === "errored") console.log(r.caseId, r.error?.message);
 *     console.log(report.gate?.passed ? "gate passed" : "gate failed");
 *   },
 * } satisfies Reporter;
 */
export interface Reporter {
  /** Once, before the run starts: where the run writes and how to print. */
  onInit?(ctx: ReporterContext): Awaitable<void>;
  /** Every case of the run (those that will be skipped or were done by a resumed run included). */
  onRunStart?(cases: readonly CaseRecord[], config: ConfigSnapshot): Awaitable<void>;
  onCaseStart?(record: CaseRecord): Awaitable<void>;
  /** Each result as it arrives (skipped cases too), already on disk. */
  onCaseResult?(result: CaseResult, record: CaseRecord): Awaitable<void>;
  /** An eval file has all its results of this run. */
  onEvalEnd?(file: string, summary: Counts): Awaitable<void>;
  /**
   * The run is over: `report` is its plain data (summaries, gate, cases, warnings — no results), `results` reads
   * its results when asked (`for await (const r of results)` streams them; `await results.all()` holds them),
   * from the run dir's `results.jsonl` for as long as it exists.
   */
  onRunEnd?(report: RunReport, results: ResultsReader): Awaitable<void>;
}
