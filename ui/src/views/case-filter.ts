/** The case table's filters, sort and page: read from the route's query, sent to `/api/runs/:id/cases`. */
export interface CaseFilter {
  state: string;
  model: string;
  task: string;
  eval: string;
  q: string;
  sort: string;
  desc: boolean;
  page: number;
}

/** A run page's case filter from its route's query (`#/evaluations/<run>?state=failed&q=…`). */
export function caseFilterFrom(query: URLSearchParams): CaseFilter {
  return {
    state: query.get("state") ?? "",
    model: query.get("model") ?? "",
    task: query.get("task") ?? "",
    eval: query.get("eval") ?? "",
    q: query.get("q") ?? "",
    sort: query.get("sort") ?? "",
    desc: query.get("desc") === "1",
    page: Number(query.get("page") ?? 1) || 1,
  };
}

/** The query of `/api/runs/:id/cases` for a filter, 50 cases a page. */
export function caseFilterParams(filter: CaseFilter): URLSearchParams {
  return new URLSearchParams({
    page: String(filter.page),
    pageSize: "50",
    ...(filter.state ? { state: filter.state } : {}),
    ...(filter.model ? { model: filter.model } : {}),
    ...(filter.task ? { task: filter.task } : {}),
    ...(filter.eval ? { eval: filter.eval } : {}),
    ...(filter.q ? { q: filter.q } : {}),
    ...(filter.sort ? { sort: filter.sort, desc: filter.desc ? "1" : "0" } : {}),
  });
}
