import type { CaseDetail, CasePage, RunDetail } from "../../../src/ui/api-types.ts";
import { api, live } from "../api.ts";
import { h, replace } from "../dom.ts";
import { caseDetail } from "./case-detail.ts";
import { caseFilterFrom, caseFilterParams } from "./case-filter.ts";
import { caseFilters } from "./case-filters.ts";
import { caseTable } from "./case-table.ts";
import { pager } from "./pager.ts";
import { runSummary } from "./run-summary.ts";

/**
 * One run (`#/evaluations/<run>`): its summary, the case table (filtered, sorted and paged on the server) and a
 * case's drill-down; reloaded while the run makes progress.
 */
export function runView(root: HTMLElement, runId: string, query: URLSearchParams): () => void {
  const t0 = performance.now();
  const summary = h("div", { class: "loading" }, "Loading…");
  const cases = h("div", { "data-testid": "cases" });
  const detail = h("aside", { class: "detail", "data-testid": "case-detail", hidden: true });
  replace(
    root,
    h("p", {}, h("a", { href: "#/evaluations" }, "← Evaluations")),
    h("h1", {}, "Run ", h("code", {}, runId)),
    summary,
    h("div", { class: "split" }, cases, detail),
  );
  const filter = caseFilterFrom(query);

  const loadSummary = async () => {
    const r = await api.get<RunDetail>(`/api/runs/${encodeURIComponent(runId)}`);
    summary.className = "";
    replace(summary, runSummary(r));
  };

  const loadCases = async () => {
    const t = performance.now();
    const params = caseFilterParams(filter);
    const page = await api.get<CasePage>(`/api/runs/${encodeURIComponent(runId)}/cases?${params}`);
    const reload = () => void loadCases();
    replace(
      cases,
      caseFilters(page.facets, filter, reload),
      pager(page, (p) => {
        filter.page = p;
        reload();
      }),
      caseTable(page.rows, filter, reload, (caseId) => void openCase(caseId)),
    );
    cases.setAttribute("data-page", String(page.page));
    cases.setAttribute("data-rendered-ms", String(Math.round(performance.now() - t)));
  };

  const openCase = async (caseId: string) => {
    const d = await api.get<CaseDetail>(
      `/api/runs/${encodeURIComponent(runId)}/case?id=${encodeURIComponent(caseId)}`,
    );
    detail.hidden = false;
    replace(
      detail,
      caseDetail(d, () => (detail.hidden = true)),
    );
  };

  Promise.all([loadSummary(), loadCases()])
    .then(() => root.setAttribute("data-first-render-ms", String(Math.round(performance.now() - t0))))
    .catch((err: unknown) => replace(summary, h("p", { class: "error" }, String(err))));
  const off = live.on((event, data) => {
    if (event === "progress" && (data as { runId: string }).runId === runId) {
      void loadSummary();
      void loadCases();
    }
  });
  return off;
}
