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

/**
 * The route's query of a filter (`state=failed&q=…`), defaults left out: what the URL of a run page says, so a
 * reload or a shared link shows the same cases.
 */
export function caseFilterQuery(filter: CaseFilter): URLSearchParams {
  const query = new URLSearchParams();
  for (const key of ["state", "model", "task", "eval", "q"] as const)
    if (filter[key]) query.set(key, filter[key]);
  if (filter.sort) {
    query.set("sort", filter.sort);
    if (filter.desc) query.set("desc", "1");
  }
  if (filter.page > 1) query.set("page", String(filter.page));
  return query;
}

/** The query of `/api/runs/:id/cases` for a filter, 50 cases a page. */
export function caseFilterParams(filter: CaseFilter): URLSearchParams {
  const params = caseFilterQuery(filter);
  params.set("page", String(filter.page));
  params.set("pageSize", "50");
  return params;
}
