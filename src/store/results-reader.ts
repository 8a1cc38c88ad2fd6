import { closeSync, existsSync, openSync } from "node:fs";
import type { CaseResult, ResultsReader } from "../types.ts";
import { type LineAt, readResultAt, readResultsFile, scanResults } from "./report-file.ts";

/**
 * The results of a run's `results.jsonl`, read only when asked: iterating reads the file twice — where each
 * case's last line is, then those lines one at a time — so memory holds one result (and an offset per case),
 * whatever the size of the run.
 */
export function resultsReader(file: string): ResultsReader {
  const present = () => {
    if (!existsSync(file))
      throw new Error(`${file} is gone: read the run's results before removing its directory`);
  };
  return {
    file,
    async all() {
      present();
      return readResultsFile(file);
    },
    async *[Symbol.asyncIterator]() {
      present();
      const lines = new Map<string, LineAt>();
      scanResults(file, (r, at) => lines.set(r.caseId, at));
      const fd = openSync(file, "r");
      try {
        for (const at of lines.values()) yield readResultAt(fd, at);
      } finally {
        closeSync(fd);
      }
    },
  };
}

/** Results already in memory (a merged or stored report's) behind the same reader. */
export function resultsInMemory(results: readonly CaseResult[]): ResultsReader {
  return {
    async all() {
      return [...results];
    },
    async *[Symbol.asyncIterator]() {
      yield* results;
    },
  };
}
