// Runs, their summaries, their case tables (paged) and drill-down, and the comparison of two runs.
import { Hono } from "hono";
import { compareWithBaseline } from "../../gate/compare.ts";
import { FactsTable } from "../../metrics/facts-table.ts";
import type { CaseDetail, CaseRow, Comparison, RunDetail } from "../api-types.ts";
import type { CaseQuery } from "../case-query.ts";
import { apiError, type UiContext } from "./context.ts";

const int = (v: string | undefined) => (v === undefined || v === "" ? undefined : Number.parseInt(v, 10));

/** GET /api/runs, /api/runs/:id, /api/runs/:id/cases, /api/runs/:id/case?id=, /api/compare?base=&run= */
export function runsRoutes(ctx: UiContext): Hono {
  const app = new Hono();

  app.get("/runs", (c) => c.json({ runs: ctx.store.list() }));

  // The run page: a finished run's from its index and its run.json's head (never its results whole).
  app.get("/runs/:id", (c) => {
    const detail = ctx.store.detail(c.req.param("id"));
    if (!detail) return c.json(apiError(`no run "${c.req.param("id")}"`), 404);
    return c.json(detail satisfies RunDetail);
  });

  app.get("/runs/:id/cases", (c) => {
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
    const page = ctx.store.cases(c.req.param("id"), query);
    if (!page) return c.json(apiError(`no run "${c.req.param("id")}"`), 404);
    return c.json(page);
  });

  app.get("/runs/:id/case", (c) => {
    const caseId = c.req.query("id") ?? "";
    const detail = ctx.store.page(c.req.param("id"))?.caseDetail(caseId);
    if (!detail) return c.json(apiError(`no case "${caseId}" in this run`), 404);
    return c.json(detail satisfies CaseDetail);
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
