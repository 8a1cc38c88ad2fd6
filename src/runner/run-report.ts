import { createHash } from "node:crypto";
import { scenarioRef } from "../discovery/ids.ts";
import { evaluateGate } from "../gate/gate.ts";
import { FactsTable } from "../metrics/facts-table.ts";
import { hash } from "../metrics/id-index.ts";
import { summarize } from "../metrics/summary.ts";
import { trialPassOf } from "../metrics/trials.ts";
import type { PlannedCase } from "../plan/expand.ts";
import { historyOf } from "../store/history.ts";
import { SCENARIO_ENTRIES } from "../store/report-file.ts";
import type {
  CaseRecord,
  CaseResult,
  ConfigSnapshot,
  PlanOptions,
  PromptOptimizationLog,
  ResolvedConfig,
  RunReport,
  RunReportWithResults,
  RunStatus,
  Scenario,
  ScenarioText,
  ShardSpec,
} from "../types.ts";

/** What a run is, before its figures: the RunReport's own fields but what is computed here. */
export interface RunInput {
  runId: string;
  status: RunStatus;
  startedAt: string;
  durationMs: number;
  simulated: boolean;
  config: ConfigSnapshot;
  cases: readonly CaseRecord[];
  warnings: string[];
  scenarios?: Record<string, ScenarioText>;
  name?: string;
  promptOptimization?: PromptOptimizationLog;
  shard?: ShardSpec;
  planOptions?: PlanOptions;
}

/** The RunReport of finished work (pure but for the clock): summaries and the gate computed once, here. */
export function buildRunReport(
  run: RunInput & { results: CaseResult[] },
  baseline?: RunReportWithResults,
): RunReportWithResults {
  const { results, ...rest } = run;
  const facts = FactsTable.of(run.cases, results);
  return { ...gateRun(summarizeRun(rest, facts), facts, baseline), results };
}

/**
 * The summarize step: a RunReport but its results and gate, from a table of their facts (a live run keeps its
 * results on disk, not in memory); summaries computed once, here (pure but for the clock).
 */
export function summarizeRun(run: RunInput, facts: FactsTable): RunReport {
  return {
    schemaVersion: 1,
    ...run,
    finishedAt: new Date().toISOString(),
    summaries: summarize(run.cases, facts, run.config.models, trialPassOf(run.config.gate)),
  };
}

/**
 * The gate step: the report with its verdict (`evaluateGate` on its status, its summaries, the facts of its
 * results and the baseline's; `not evaluated` when it was interrupted or bailed), as a new report; the input is
 * untouched (pure).
 */
export function gateRun<R extends RunReport>(
  report: R,
  facts: FactsTable,
  baseline?: RunReportWithResults,
): R {
  const { status, summaries, config } = report;
  return { ...report, gate: evaluateGate({ status, summaries, facts, config }, config.gate, baseline) };
}

/**
 * One report from several finished runs (`evals report`, the dashboard): the runs of the newest run's config
 * joined as one history, the others left out with a warning — or, with `everyConfig` (runs the user named), every
 * run, each task labelled with its config when they differ (see `historyOf`). One run is returned as it is.
 */
export function historyReport(
  reports: readonly RunReportWithResults[],
  options: { everyConfig?: boolean } = {},
): {
  report: RunReportWithResults;
  runs: number;
  /** Runs of another config, not joined. */
  leftOut: string[];
  /** What each `(config k)` of a task's label stands for, when runs of several configs were joined. */
  configs: string[];
} {
  if (reports.length === 1)
    return { report: reports[0] as RunReportWithResults, runs: 1, leftOut: [], configs: [] };
  const history = historyOf(reports, options);
  const newest = history.runs.at(-1) as RunReportWithResults;
  if (history.runs.length === 1) return { report: newest, runs: 1, leftOut: history.leftOut, configs: [] };
  const configs = history.configs.map(
    (c) =>
      `${c.label} is signature ${c.signature} (run${c.runIds.length > 1 ? "s" : ""} ${c.runIds.join(", ")})`,
  );
  const byKey = <T extends { key: string }>(lists: T[][]) => [
    ...new Map(lists.flat().map((m) => [m.key, m])).values(),
  ];
  const report = buildRunReport({
    runId: `history of ${history.runs.length} runs`,
    status: "completed",
    startedAt: history.runs[0]?.startedAt ?? newest.startedAt,
    durationMs: history.runs.reduce((n, r) => n + (r.durationMs ?? 0), 0),
    simulated: history.runs.some((r) => r.simulated),
    // Every config's models and judges (the newest profile of a key wins): the figures of each are shown.
    config: {
      ...newest.config,
      models: byKey(history.runs.map((r) => r.config.models)),
      judges: byKey(history.runs.map((r) => r.config.judges)),
    },
    cases: history.cases,
    results: history.results,
    scenarios: Object.assign({}, ...history.runs.map((r) => r.scenarios ?? {})),
    warnings: [
      configs.length
        ? `history of runs ${history.runs.map((r) => r.runId).join(", ")}, of ${configs.length} configs; each task is labelled with its config: ${configs.join("; ")}`
        : `history of runs ${history.runs.map((r) => r.runId).join(", ")} (config ${history.signature})`,
      ...(history.leftOut.length ? [`left out runs of another config: ${history.leftOut.join(", ")}`] : []),
    ],
  });
  return { report, runs: history.runs.length, leftOut: history.leftOut, configs };
}

/** The config as recorded with a run: no secrets, no file positions; its signature groups comparable runs. */
export function configSnapshot(config: ResolvedConfig): ConfigSnapshot {
  // No secrets in a snapshot: keys live only in the environment, and credentials in a URL are removed.
  const strip = ({ source: _source, ...rest }: ResolvedConfig["models"][number]) =>
    rest.baseUrl ? { ...rest, baseUrl: withoutCredentials(rest.baseUrl) } : rest;
  const body = {
    models: config.models.map(strip),
    judges: config.judges.map(strip),
    jury: config.jury,
    run: config.run,
    gate: config.gate,
  };
  const priceUnits = config.priceUnits ? { priceUnits: config.priceUnits } : {};
  const signature = createHash("sha256")
    .update(JSON.stringify({ models: body.models, judges: body.judges, jury: body.jury }))
    .digest("hex")
    .slice(0, 16);
  return { ...body, signature, ...priceUnits };
}

/**
 * The input texts of the scenarios in a plan, once per scenario (for reports' drill-downs), keyed by
 * `scenarioRef`: a read-only view, like the plan's cases. A text is read from its scenario's line when asked and
 * not kept, so a run of a million scenarios holds no text at its end — only, once the view is first read (writing
 * `run.json` reads it), where each scenario's first case is.
 */
export function scenarioTexts(cases: readonly PlannedCase[]): Record<string, ScenarioText> {
  let first: Map<string, number> | undefined;
  const where = (): Map<string, number> => {
    if (!first) {
      first = new Map();
      for (let i = 0; i < cases.length; i++) {
        const ref = scenarioRef((cases[i] as PlannedCase).record);
        if (!first.has(ref)) first.set(ref, i);
      }
    }
    return first;
  };
  const textOf = (key: string | symbol): ScenarioText | undefined => {
    const i = typeof key === "string" ? where().get(key) : undefined;
    return i === undefined ? undefined : scenarioText((cases[i] as PlannedCase).task.scenario);
  };
  const readOnly = () => {
    throw new TypeError("a run's scenarios are read-only");
  };
  /** Each scenario's ref and text in first-case order, without a map of every ref (run.json's writer). */
  function* entries(): Generator<readonly [string, ScenarioText]> {
    const refOf = (i: number) => scenarioRef((cases[i] as PlannedCase).record);
    const firsts = new FirstOf(cases.length, refOf);
    for (let i = 0; i < cases.length; i++)
      if (firsts.isFirst(i)) yield [refOf(i), scenarioText((cases[i] as PlannedCase).task.scenario)];
  }
  return new Proxy({} as Record<string, ScenarioText>, {
    get: (_target, key) => (key === SCENARIO_ENTRIES ? entries : textOf(key)),
    has: (_target, key) => typeof key === "string" && where().has(key),
    ownKeys: () => [...where().keys()],
    // An accessor: enumerating (for…in, Object.keys) reads no scenario; reading the value does.
    getOwnPropertyDescriptor: (_target, key) =>
      typeof key === "string" && where().has(key)
        ? { get: () => textOf(key), enumerable: true, configurable: true }
        : undefined,
    set: readOnly,
    defineProperty: readOnly,
    deleteProperty: readOnly,
  });
}

/**
 * Which items of a list are the first of their key: an open-addressing table of first indexes (4 bytes a slot, at
 * most half full), the keys read again through `keyOf` instead of held.
 */
class FirstOf {
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(
    n: number,
    private readonly keyOf: (i: number) => string,
  ) {
    let size = 2;
    while (size < n * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
  }

  /** Whether item `i` is the first of its key (asked in increasing `i`). */
  isFirst(i: number): boolean {
    const key = this.keyOf(i);
    for (let s = hash(key) & this.mask; ; s = (s + 1) & this.mask) {
      const v = this.slots[s] as number;
      if (v === 0) {
        this.slots[s] = i + 1;
        return true;
      }
      if (this.keyOf(v - 1) === key) return false;
    }
  }
}

/** The input texts of one scenario, as a report's drill-down shows them. */
export function scenarioText(s: Scenario): ScenarioText {
  return {
    prompt: s.prompt,
    ...(s.system === undefined ? {} : { system: s.system }),
    ...(s.golden === undefined ? {} : { golden: s.golden }),
    ...(s.criteria ? { criteria: s.criteria } : {}),
  };
}

function withoutCredentials(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = "";
    u.password = "";
    return u.toString();
  } catch {
    return url;
  }
}
