import { dirname, join } from "node:path";
import { MergeMismatchError, RunNotFinishedError, UsageError } from "../errors.ts";
import type { CaseRecord, CaseResult, RunReportWithResults, ShardSpec } from "../types.ts";
import { readRunJson } from "./report-file.ts";

/** A finished run's report, read from its run.json — given the run dir, or a run.json / report.json file. */
export function readRunReport(runDirOrFile: string): RunReportWithResults {
  const file = runDirOrFile.endsWith(".json") ? runDirOrFile : join(runDirOrFile, "run.json");
  const report = readRunJson(file) as unknown as RunReportWithResults;
  if (!report.summaries)
    throw new RunNotFinishedError(
      `${dirname(file)} has not finished (its run.json has no results yet)`,
      "Resume it with --resume first.",
    );
  return report;
}

/** A run to merge: its report, and where it was read from (to name it in messages). */
export interface MergeInput {
  source: string;
  report: RunReportWithResults;
}

/**
 * Joins runs of shards of one plan (pure): the union of their cases and results, one per case id. Runs of a
 * different config (signature) or plan are refused — they are not one run — and so is a set of shards with one
 * missing or given twice (`checkShards`); a case present in two runs keeps the later run's result, with a warning.
 */
export function mergeReports(runs: readonly MergeInput[]): {
  cases: CaseRecord[];
  results: CaseResult[];
  warnings: string[];
} {
  const first = runs[0]?.report;
  if (!first) throw new UsageError("evals merge needs at least one run directory");
  const other = runs.find((r) => r.report.config.signature !== first.config.signature)?.report;
  if (other) {
    throw new MergeMismatchError(
      `runs ${first.runId} and ${other.runId} were made with different configs (signatures ${first.config.signature} ≠ ${other.config.signature}); only shards of one run can be merged`,
    );
  }
  const cases = new Map<string, CaseRecord>();
  const results = new Map<string, CaseResult>();
  const warnings = checkShards(runs);
  for (const { report } of runs) {
    for (const c of report.cases) cases.set(c.id, c);
    for (const r of report.results) {
      if (results.has(r.caseId))
        warnings.push(`case ${r.caseId} is in more than one run; the result of ${report.runId} is kept`);
      results.set(r.caseId, r);
    }
  }
  return { cases: [...cases.values()], results: [...results.values()], warnings };
}

/**
 * Checks that runs are the shards of one plan, each once, none missing (pure), from the shard spec each records
 * in its run.json: throws a `MergeMismatchError` that names the missing and repeated shards, or the run cut from
 * another plan. Runs that record no shard (made without `--shard`, or by an older jury) cannot be checked: they
 * merge as before, and the warning returned says so.
 */
export function checkShards(runs: readonly MergeInput[]): string[] {
  const unchecked = runs.filter((r) => !r.report.shard).map((r) => r.source);
  if (unchecked.length)
    return [
      `${unchecked.join(", ")} record${unchecked.length === 1 ? "s" : ""} no shard (made without --shard, or by an older jury): evals merge cannot check that no shard is missing or repeated`,
    ];
  const spec = (r: MergeInput) => r.report.shard as ShardSpec;
  const first = runs[0] as MergeInput;
  const { count, plan } = spec(first);
  const stranger = runs.find((r) => spec(r).plan !== plan || spec(r).count !== count);
  if (stranger) {
    const of = (r: MergeInput) => `shard ${spec(r).index}/${spec(r).count} of plan ${spec(r).plan}`;
    throw new MergeMismatchError(
      `${first.source} is ${of(first)} but ${stranger.source} is ${of(stranger)}; only the shards of one plan can be merged`,
      "Merge the runs of one --shard i/n series, made from the same eval files, profiles and flags.",
    );
  }
  const slots = Array.from({ length: count }, (_, k) =>
    runs.filter((r) => spec(r).index === k + 1).map((r) => r.source),
  );
  const problems = [
    ...slots.flatMap((given, k) => (given.length === 0 ? [`missing shard ${k + 1}/${count}`] : [])),
    ...slots.flatMap((given, k) =>
      given.length > 1
        ? [
            `shard ${k + 1}/${count} given ${given.length === 2 ? "twice" : `${given.length} times`}: ${given.join(", ")}`,
          ]
        : [],
    ),
  ];
  if (problems.length)
    throw new MergeMismatchError(
      `cannot merge a partial or repeated set of shards: ${problems.join("; ")}`,
      "Pass the run dir of every shard once; run a missing shard with --shard i/n (or look at the shards so far with evals report, which has no gate).",
    );
  return [];
}
