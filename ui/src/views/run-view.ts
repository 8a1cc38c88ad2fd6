import type { CaseDetail, CasePage, RunDetail } from "../../../src/ui/api-types.ts";
import { api, live } from "../api.ts";
import { h, replace } from "../dom.ts";
import { setHash } from "../url-state.ts";
import { caseDetail } from "./case-detail.ts";
import { caseFilterFrom, caseFilterParams, caseFilterQuery } from "./case-filter.ts";
import { caseFilters } from "./case-filters.ts";
import { caseTable } from "./case-table.ts";
import { pager } from "./pager.ts";
import { runSummary } from "./run-summary.ts";

/**
 * One run (`#/evaluations/<run>?state=…&case=<id>`): its summary, the case table (filtered, sorted and paged on
 * the server) and a case's drill-down; reloaded while the run makes progress. The URL follows the filters
 * (replacing its history entry) and the opened case (a new entry: back closes it).
 */
export function runView(root: HTMLElement, runId: string, query: URLSearchParams): () => void {
  const t0 = performance.now();
  const title = h("h1", { "data-testid": "run-title" }, "Run ", h("code", {}, runId));
  const summary = h("div", { class: "loading" }, "Loading…");
  const filters = h("div", {});
  const table = h("div", {});
  const cases = h("div", { "data-testid": "cases" }, filters, table);
  const detail = h("aside", { class: "detail", "data-testid": "case-detail", hidden: true });
  const id = encodeURIComponent(runId);
  replace(
    root,
    h(
      "p",
      {},
      h("a", { href: "#/evaluations" }, "← Evaluations"),
      " · ",
      h("a", { href: `#/log/${id}`, "data-testid": "log-link" }, "Log"),
      " · ",
      h(
        "a",
        {
          href: `#/setup?from=${id}`,
          "data-testid": "load-config",
          title: "Its settings into the Setup form",
        },
        "Load config into Setup",
      ),
    ),
    title,
    summary,
    h("div", { class: "split" }, cases, detail),
  );
  const filter = caseFilterFrom(query);
  let openId = query.get("case") || undefined;
  // The filter bar is rebuilt only when its menus change: rebuilding it on every reload would take the focus
  // away from the search box being typed in.
  let facetsShown = "";

  const syncUrl = (mode: "push" | "replace") => {
    if (!root.isConnected) return; // a late debounced search of a view left since: the URL is another view's now
    const q = caseFilterQuery(filter);
    if (openId) q.set("case", openId);
    const qs = q.toString();
    setHash(`#/evaluations/${encodeURIComponent(runId)}${qs ? `?${qs}` : ""}`, mode);
  };

  const markOpen = () => {
    for (const tr of table.querySelectorAll<HTMLElement>("[data-testid=case-row]"))
      tr.classList.toggle("selected", tr.dataset.case === openId);
  };

  let latestSummary = 0;
  const loadSummary = async () => {
    const load = ++latestSummary;
    const r = await api.get<RunDetail>(`/api/runs/${encodeURIComponent(runId)}`);
    if (load !== latestSummary) return; // an older answer than one already shown
    summary.className = "";
    if (r.name) replace(title, r.name, " ", h("code", { class: "run-id" }, runId));
    replace(summary, runSummary(r));
  };

  // Loads overlap (a page clicked while a live update reloads, a filter changed while a page loads) and their
  // answers can come back in any order: only the latest asked for is shown, and `aria-busy` holds while any is out.
  let latestLoad = 0;
  let loadsOut = 0;
  const loadCases = async () => {
    const load = ++latestLoad;
    loadsOut++;
    cases.setAttribute("aria-busy", "true");
    try {
      await showCases(load);
    } finally {
      if (--loadsOut === 0) cases.setAttribute("aria-busy", "false");
    }
  };

  const showCases = async (load: number) => {
    const t = performance.now();
    const params = caseFilterParams(filter);
    const page = await api.get<CasePage>(`/api/runs/${encodeURIComponent(runId)}/cases?${params}`);
    if (load !== latestLoad) return;
    const refilter = () => {
      syncUrl("replace");
      void loadCases();
    };
    const facets = JSON.stringify(page.facets);
    if (facets !== facetsShown) {
      facetsShown = facets;
      replace(filters, caseFilters(page.facets, filter, refilter));
    }
    replace(
      table,
      pager(page, (p) => {
        filter.page = p;
        syncUrl("push");
        void loadCases();
      }),
      caseTable(page, filter, refilter, (caseId) => {
        openId = caseId;
        syncUrl("push");
        void openCase();
      }),
    );
    markOpen();
    cases.setAttribute("data-page", String(page.page));
    cases.setAttribute("data-rendered-ms", String(Math.round(performance.now() - t)));
  };

  const close = () => {
    openId = undefined;
    detail.hidden = true;
    markOpen();
    syncUrl("push");
  };

  const openCase = async () => {
    const caseId = openId;
    if (!caseId) return;
    markOpen();
    let content: HTMLElement;
    try {
      const d = await api.get<CaseDetail>(
        `/api/runs/${encodeURIComponent(runId)}/case?id=${encodeURIComponent(caseId)}`,
      );
      content = caseDetail(d, close);
    } catch (err) {
      content = h(
        "div",
        {},
        h("button", { class: "close", onclick: close, "aria-label": "close" }, "×"),
        h("p", { class: "error" }, String(err)),
      );
    }
    if (openId !== caseId) return; // another case was opened meanwhile
    detail.hidden = false;
    detail.dataset.case = caseId;
    replace(detail, content);
    detail.scrollIntoView({ block: "nearest" });
  };

  Promise.all([loadSummary(), loadCases(), openCase()])
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
