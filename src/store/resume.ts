import { closeSync, existsSync, fstatSync, openSync, readdirSync, readSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { RunNotFoundError, RunReadError } from "../errors.ts";
import type { CaseRecord, CaseResult, PlanOptions, RunReportWithResults, ShardSpec } from "../types.ts";
import { readResultsFile, readRunJson } from "./report-file.ts";

/**
 * `<outputDir>/runs/<runId>`, or the newest run for `latest` (run ids sort by time). `purpose` words the error
 * when there is none (`no run to resume in …`).
 */
export function findRunDir(outputDir: string, ref: string, purpose = "to resume"): string {
  const runs = join(outputDir, "runs");
  const ids = existsSync(runs)
    ? readdirSync(runs)
        .filter((d) => existsSync(join(runs, d, "run.json")))
        .sort()
    : [];
  const id = ref === "latest" ? ids.at(-1) : ids.find((d) => d === ref);
  if (!id) {
    throw new RunNotFoundError(
      ref === "latest" ? `no run ${purpose} in ${runs}` : `no run "${ref}" in ${runs}`,
      ids.length ? `Runs there: ${ids.slice(-5).join(", ")}${ids.length > 5 ? ", …" : ""}` : undefined,
    );
  }
  return join(runs, id);
}

/** The plan a run recorded at its start (or end) in run.json: its cases, shard, plan options and config signature. */
export function readRunPlan(runDir: string): {
  runId: string;
  startedAt: string;
  cases: CaseRecord[];
  shard?: ShardSpec;
  planOptions?: PlanOptions;
  signature?: string;
} {
  const file = join(runDir, "run.json");
  const run = readRunJson(file) as unknown as RunReportWithResults;
  if (!Array.isArray(run.cases))
    throw new RunReadError(`${file}: no "cases" list: not the run.json of a run`, "Pass a run id or latest.");
  return {
    runId: run.runId,
    startedAt: run.startedAt,
    cases: run.cases,
    ...(run.shard ? { shard: run.shard } : {}),
    ...(run.planOptions ? { planOptions: run.planOptions } : {}),
    ...(run.config?.signature ? { signature: run.config.signature } : {}),
  };
}

/**
 * The results a run wrote so far, one per case (the last line of a case wins). A torn last line — a crash in
 * the middle of a write — is detected, reported, and cut off the file so appending goes on cleanly; a line
 * mangled mid-file is reported too, and its case simply runs again.
 */
export function readResults(runDir: string): { results: CaseResult[]; droppedTornLine: boolean } {
  const file = join(runDir, "results.jsonl");
  if (!existsSync(file)) return { results: [], droppedTornLine: false };
  let droppedTornLine = cutTornTail(file);
  const results = readResultsFile(file, () => {
    droppedTornLine = true;
  });
  return { results, droppedTornLine };
}

/** Cuts a file after its last newline when it does not end with one (reading back from its end); whether it did. */
function cutTornTail(file: string): boolean {
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.allocUnsafe(64 * 1024);
    for (let end = size; end > 0; ) {
      const start = Math.max(0, end - buf.length);
      readSync(fd, buf, 0, end - start, start);
      if (end === size && buf[end - start - 1] === 0x0a) return false;
      const nl = buf.subarray(0, end - start).lastIndexOf(0x0a);
      if (nl !== -1) {
        truncateSync(file, start + nl + 1);
        return true;
      }
      end = start;
    }
    if (size > 0) truncateSync(file, 0);
    return size > 0;
  } finally {
    closeSync(fd);
  }
}
