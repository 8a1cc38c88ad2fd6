// Runs, their summaries, their case tables (paged) and drill-down, and the comparison of two runs.
import { Hono } from "hono";
import { scenarioRef } from "../../discovery/ids.ts";
import { compareWithBaseline } from "../../gate/compare.ts";
import { FactsTable } from "../../metrics/facts-table.ts";
import type { CaseDetail, CaseRow, Comparison, RunDetail } from "../api-types.ts";
import { type CaseQuery, queryCases } from "../case-query.ts";
import { apiError, type UiContext } from "./context.ts";

const int = (v: string | undefined) => (v === undefined || v === "" ? undefined : Number.parseInt(v, 10));

/** GET /api/runs, /api/runs/:id, /api/runs/:id/cases, /api/runs/:id/case?id=, /api/compare?base=&run= */
export function runsRoutes(ctx: UiContext): Hono {
  const app = new Hono();

  app.get("/runs", (c) => c.json({ runs: ctx.store.list() }));

  app.get("/runs/:id", (c) => {
    const run = ctx.store.get(c.req.param("id"));
    if (!run) return c.json(apiError(`no run "${c.req.param("id")}"`), 404);
    const s = run.summaries;
    return c.json({
      runId: run.runId,
      ...(run.name ? { name: run.name } : {}),
      status: run.status,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      durationMs: run.durationMs,
      simulated: run.simulated,
      total: run.cases.length,
      done: run.results.length,
      summaries: {
        overall: s.overall,
        byModel: s.byModel,
        byTaskType: s.byTaskType,
        byEval: s.byEval,
        rate: s.rate,
        unprocessed: s.unprocessed,
        agreement: s.agreement,
        trials: s.trials,
      },
      gate: run.gate,
      warnings: run.warnings,
      config: {
        models: run.config.models.map((m) => m.key),
        judges: run.config.judges.map((m) => m.key),
        jury: run.config.jury,
      },
    } satisfies RunDetail);
  });

  app.get("/runs/:id/cases", (c) => {
    const run = ctx.store.get(c.req.param("id"));
    if (!run) return c.json(apiError(`no run "${c.req.param("id")}"`), 404);
    const q = c.req.query();
    const query: CaseQuery = {
      ...(q.state ? { state: q.state } : {}),
      ...(q.model ? { model: q.model } : {}),
      ...(q.task ? { taskType: q.task } : {}),
      ...(q.eval ? { evalName: q.eval } : {}),
      ...(q.q ? { text: q.q } : {}),
      ...(q.sort ? { sort: q.sort as keyof CaseRow } : {}),
      desc: q.desc === "1",
      page: int(q.page) ?? 1,
      pageSize: int(q.pageSize) ?? 50,
    };
    return c.json(queryCases(run.rows, query));
  });

  app.get("/runs/:id/case", (c) => {
    const run = ctx.store.get(c.req.param("id"));
    const caseId = c.req.query("id") ?? "";
    const entry = run?.byCaseId.get(caseId);
    if (!run || !entry?.record) return c.json(apiError(`no case "${caseId}" in this run`), 404);
    return c.json({
      record: entry.record,
      result: entry.result ?? null,
      scenario: run.scenarios[scenarioRef(entry.record)] ?? null,
    } satisfies CaseDetail);
  });

  app.get("/compare", (c) => {
    const baseId = c.req.query("base") ?? "";
    const runId = c.req.query("run") ?? "";
    const base = ctx.store.get(baseId);
    const run = ctx.store.get(runId);
    if (!base?.report || !run?.report)
      return c.json(apiError("pick two finished runs: a baseline and a run to compare with it"), 400);
    const facts = FactsTable.of(run.report.cases, run.report.results);
    const cmp = compareWithBaseline(
      { facts, config: run.report.config },
      base.report,
      run.report.config.gate.significance ?? 0.05,
    );
    const nowRows = new Map(run.rows.map((r) => [r.id, r]));
    const baseRows = new Map(base.rows.map((r) => [r.id, r]));
    const rowsOf = (ids: string[]) =>
      ids.slice(0, 500).map((id) => ({ id, now: nowRows.get(id) ?? null, before: baseRows.get(id) ?? null }));
    return c.json({
      ...cmp,
      improvedRows: rowsOf(cmp.improved),
      regressedRows: rowsOf(cmp.regressed),
      passRate: { base: base.summaries.overall.passRate, run: run.summaries.overall.passRate },
    } satisfies Comparison);
  });

  return app;
}
