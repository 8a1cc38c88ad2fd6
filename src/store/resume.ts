import { existsSync, readdirSync, readFileSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors.ts";
import type { CaseRecord, CaseResult } from "../types.ts";

/** `<outputDir>/runs/<runId>`, or the newest run for `latest` (run ids sort by time). */
export function findRunDir(outputDir: string, ref: string): string {
  const runs = join(outputDir, "runs");
  const ids = existsSync(runs)
    ? readdirSync(runs)
        .filter((d) => existsSync(join(runs, d, "run.json")))
        .sort()
    : [];
  const id = ref === "latest" ? ids.at(-1) : ids.find((d) => d === ref);
  if (!id) {
    throw new UsageError(
      ref === "latest" ? `no run to resume in ${runs}` : `no run "${ref}" in ${runs}`,
      ids.length ? `Runs there: ${ids.slice(-5).join(", ")}${ids.length > 5 ? ", …" : ""}` : undefined,
    );
  }
  return join(runs, id);
}

/** The plan a run recorded at its start (or end) in run.json. */
export function readRunPlan(runDir: string): { runId: string; startedAt: string; cases: CaseRecord[] } {
  const run = JSON.parse(readFileSync(join(runDir, "run.json"), "utf8")) as {
    runId: string;
    startedAt: string;
    cases: CaseRecord[];
  };
  return { runId: run.runId, startedAt: run.startedAt, cases: run.cases };
}

/**
 * The results a run wrote so far, one per case (the last line of a case wins). A torn last line — a crash in
 * the middle of a write — is detected, reported, and cut off the file so appending goes on cleanly.
 */
export function readResults(runDir: string): { results: CaseResult[]; droppedTornLine: boolean } {
  const file = join(runDir, "results.jsonl");
  if (!existsSync(file)) return { results: [], droppedTornLine: false };
  const buf = readFileSync(file);
  let end = buf.length;
  let droppedTornLine = false;
  if (end > 0 && buf[end - 1] !== 0x0a) {
    end = buf.lastIndexOf(0x0a) + 1;
    truncateSync(file, end);
    droppedTornLine = true;
  }
  const byId = new Map<string, CaseResult>();
  for (const line of buf.subarray(0, end).toString("utf8").split("\n")) {
    if (!line) continue;
    try {
      const r = JSON.parse(line) as CaseResult;
      byId.set(r.caseId, r);
    } catch {
      droppedTornLine = true; // a line mangled mid-file: its case simply runs again
    }
  }
  return { results: [...byId.values()], droppedTornLine };
}
