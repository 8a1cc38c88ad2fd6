// A run's page (summary, case rows, drill-down): from the run's index and the head of its run.json when it is
// finished — opening a 100,000-case run never parses its results — or from the run loaded whole while it runs.
import { closeSync, openSync } from "node:fs";
import { join } from "node:path";
import { modelLabel, scenarioRef } from "../discovery/ids.ts";
import { readResultAt } from "../store/report-file.ts";
import {
  entryAt,
  entryRecord,
  firstEntries,
  type IndexEntry,
  indexIsComplete,
  loadResultsIndex,
  RESULTS_INDEX,
  readIndexSummary,
} from "../store/results-index.ts";
import { forEachRunJsonEntry, readRunJsonHead } from "../store/run-json-parts.ts";
import type { CaseRecord, RunReport, ScenarioText } from "../types.ts";
import type { CaseDetail, CasePage, CaseRow, RunDetail } from "./api-types.ts";
import { type CaseQuery, caseFacets, pageSizeOf, rowOf, sortedFacets } from "./case-query.ts";

/** What the run page is served from. */
export interface RunPage {
  detail: RunDetail;
  /** One per case: its last result's, in the order cases first got one (cases without one last). */
  rows: CaseRow[];
  /** The filter menus' values: computed on first use, once. */
  facets(): CasePage["facets"];
  /** A case's drill-down (undefined when the run has no such case). */
  caseDetail(caseId: string): CaseDetail | undefined;
}

/** The head of a finished run's run.json: its RunReport but the lists. */
export type RunHead = Omit<RunReport, "cases" | "scenarios">;

/** The run.json head of a finished run, read from the start of the file; undefined for a run in progress or a run.json laid out otherwise. */
export function finishedRunHead(runDir: string): RunHead | undefined {
  const head = readRunJsonHead(join(runDir, "run.json"));
  return head?.summaries !== undefined && head.status !== "running"
    ? (head as unknown as RunHead)
    : undefined;
}

/** The fields of a run its page's summary shows (besides its config and warnings). */
export type RunSummaryKey =
  | "runId"
  | "name"
  | "status"
  | "startedAt"
  | "finishedAt"
  | "durationMs"
  | "simulated"
  | "summaries"
  | "gate";

/** The run page's summary of a run. */
export function detailOf(
  run: Pick<RunHead, RunSummaryKey> & { config: RunHead["config"]; warnings?: string[] },
  total: number,
  done: number,
): RunDetail {
  const s = run.summaries;
  return {
    runId: run.runId,
    ...(run.name ? { name: run.name } : {}),
    status: run.status,
    startedAt: run.startedAt,
    ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
    ...(run.durationMs !== undefined ? { durationMs: run.durationMs } : {}),
    simulated: run.simulated ?? false,
    total,
    done,
    summaries: {
      overall: s.overall,
      byModel: s.byModel,
      byTaskType: s.byTaskType,
      byEval: s.byEval,
      rate: s.rate,
      unprocessed: s.unprocessed,
      agreement: s.agreement,
      ...(s.trials ? { trials: s.trials } : {}),
    },
    ...(run.gate ? { gate: run.gate } : {}),
    warnings: run.warnings ?? [],
    config: {
      models: run.config.models.map((m) => m.key),
      judges: run.config.judges.map((m) => m.key),
      jury: run.config.jury,
    },
  };
}

/**
 * The page of a finished run from its index (`results.idx`, made up from `results.jsonl` — and saved — when it is
 * missing or short) and its run.json's head: the cases list of run.json is read only to index results without an
 * index or to list cases that never got a result, and its scenarios only on a first drill-down; its results never.
 */
export function indexedRunPage(runDir: string, head: RunHead): RunPage {
  const runJson = join(runDir, "run.json");
  let cases: Map<string, CaseRecord> | undefined;
  const planned = () => {
    if (!cases) {
      const read = new Map<string, CaseRecord>();
      forEachRunJsonEntry(runJson, "cases", (c) => read.set((c as CaseRecord).id, c as CaseRecord));
      cases = read;
    }
    return cases;
  };
  const index = loadResultsIndex(runDir, () => (id) => planned().get(id), { save: true });
  const byId = new Map<string, IndexEntry>();
  for (const e of index.entries) byId.set(e[2], e);
  const rows: CaseRow[] = [];
  for (const [id, e] of byId) rows.push(indexRow(id, e));
  const total = head.summaries.overall.total;
  const pending = new Map<string, CaseRecord>();
  if (rows.length < total) for (const [id, record] of planned()) if (!byId.has(id)) pending.set(id, record);
  for (const [id, record] of pending) rows.push(rowOf(id, record, undefined));
  let scenarios: Map<string, ScenarioText> | undefined;
  const scenarioOf = (record: CaseRecord) => {
    if (!scenarios) {
      const read = new Map<string, ScenarioText>();
      forEachRunJsonEntry(runJson, "scenarios", (e) => {
        const [ref, text] = e as [string, ScenarioText];
        read.set(ref, text);
      });
      scenarios = read;
    }
    return scenarios.get(scenarioRef(record)) ?? null;
  };
  return {
    detail: detailOf(head, Math.max(total, rows.length), byId.size),
    rows,
    facets: onceFacets(rows),
    caseDetail(caseId) {
      const e = byId.get(caseId);
      if (!e) {
        const record = pending.get(caseId);
        return record ? { record, result: null, scenario: scenarioOf(record) } : undefined;
      }
      const fd = openSync(join(runDir, "results.jsonl"), "r");
      try {
        const record = entryRecord(e);
        return { record, result: readResultAt(fd, entryAt(e)), scenario: scenarioOf(record) };
      } finally {
        closeSync(fd);
      }
    },
  };
}

/** `caseFacets` of rows computed on the first call only. */
export function onceFacets(rows: readonly CaseRow[]): () => CasePage["facets"] {
  let facets: CasePage["facets"] | undefined;
  return () => {
    facets ??= caseFacets(rows);
    return facets;
  };
}

/** The table row of an index entry, without the objects of `entryRecord` and `entryFacts`. */
function indexRow(id: string, e: IndexEntry): CaseRow {
  return {
    id,
    file: e[3],
    evalName: e[4],
    scenarioKey: e[5],
    model: modelLabel({ model: e[6], variant: e[7] }),
    taskType: e[11],
    temperature: e[8],
    invocation: e[9],
    experiment: e[10],
    state: e[13],
    ...(e[14] !== null ? { score: e[14] } : {}),
    ...(e[15] !== null ? { ttftMs: e[15] } : {}),
    cost: e[16],
    reason: e[17],
  };
}

/** Whether a query asks for the first page of every case in the run's order (no filter, no sort). */
export function isFirstPage(q: CaseQuery): boolean {
  return (
    !q.state && !q.model && !q.taskType && !q.evalName && !q.text?.trim() && !q.sort && (q.page ?? 1) <= 1
  );
}

/**
 * The first page of a finished run's cases (no filter, no sort) from its index's first lines and the index's
 * summary (`results.idx.json`: its line count and facets), before the index is read whole: what opening a run
 * shows. Undefined unless that is exactly what reading the whole index would give: a summary of the index as it
 * is, an index of every line of `results.jsonl`, one line per case, and a result for every case.
 */
export function quickFirstPage(runDir: string, head: RunHead, q: CaseQuery): CasePage | undefined {
  const indexFile = join(runDir, RESULTS_INDEX);
  const summary = readIndexSummary(indexFile);
  const o = head.summaries.overall;
  const withResult = o.passed + o.failed + o.errored + o.skipped;
  if (!summary || summary.lines !== withResult || withResult !== o.total || !indexIsComplete(runDir))
    return undefined;
  const pageSize = pageSizeOf(q);
  return {
    total: o.total,
    page: 1,
    pageSize,
    pages: Math.max(1, Math.ceil(o.total / pageSize)),
    rows: firstEntries(indexFile, pageSize).map((e) => indexRow(e[2], e)),
    facets: sortedFacets({ ...summary, models: summary.models.map((m) => modelLabel(m)) }),
  };
}
