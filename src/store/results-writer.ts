import { closeSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { CaseRecord, CaseResult } from "../types.ts";

/**
 * Appends each result to `results.jsonl` the moment it arrives, with a synchronous write on an `O_APPEND` fd:
 * once `append` returns the line is in the OS, so a crash of this process loses nothing already recorded.
 * Errored cases also get a line in `unprocessed.jsonl` with their reason and classification.
 */
export class ResultsWriter {
  private readonly results: number;
  private readonly unprocessed: number;

  constructor(readonly runDir: string) {
    this.results = openSync(join(runDir, "results.jsonl"), "a");
    this.unprocessed = openSync(join(runDir, "unprocessed.jsonl"), "a");
  }

  append(result: CaseResult, record: CaseRecord): void {
    writeSync(this.results, `${JSON.stringify(result)}\n`);
    if (result.state === "errored") {
      const line = {
        caseId: result.caseId,
        file: record.file,
        evalName: record.evalName,
        scenarioKey: record.scenarioKey,
        model: record.model,
        taskType: record.taskType,
        classification: result.error?.classification ?? "processing_exception",
        reason: result.error?.message ?? "unknown",
        at: new Date().toISOString(),
      };
      writeSync(this.unprocessed, `${JSON.stringify(line)}\n`);
    }
  }

  close(): void {
    closeSync(this.results);
    closeSync(this.unprocessed);
  }
}
