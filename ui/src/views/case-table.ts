import type { CaseRow } from "../../../src/ui/api-types.ts";
import { h, ms, num, usd } from "../dom.ts";
import type { CaseFilter } from "./case-filter.ts";

/**
 * One page of a run's cases. A column header sorts by it (again: reverses) through `filter` and `reload`; a row
 * opens that case with `open`.
 */
export function caseTable(
  rows: CaseRow[],
  filter: CaseFilter,
  reload: () => void,
  open: (caseId: string) => void,
) {
  const sortHeader = (key: string, label: string) =>
    h(
      "th",
      {
        class: `sortable ${filter.sort === key ? (filter.desc ? "desc" : "asc") : ""}`,
        onclick: () => {
          if (filter.sort === key) filter.desc = !filter.desc;
          else {
            filter.sort = key;
            filter.desc = false;
          }
          reload();
        },
      },
      label,
    );
  return h(
    "table",
    { class: "grid cases", "data-testid": "cases-table" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        sortHeader("state", "State"),
        sortHeader("evalName", "Eval"),
        sortHeader("scenarioKey", "Scenario"),
        sortHeader("model", "Model"),
        sortHeader("taskType", "Task"),
        sortHeader("temperature", "t"),
        sortHeader("score", "Jury"),
        sortHeader("ttftMs", "TTFT"),
        sortHeader("cost", "Cost"),
        h("th", {}, "Why"),
      ),
    ),
    h(
      "tbody",
      {},
      rows.map((r) =>
        h(
          "tr",
          {
            class: "clickable",
            "data-testid": "case-row",
            "data-state": r.state,
            "data-case": r.id,
            onclick: () => open(r.id),
          },
          h("td", {}, h("span", { class: `state ${r.state}` }, r.state)),
          h("td", {}, r.evalName),
          h("td", {}, r.scenarioKey),
          h("td", {}, r.model),
          h("td", {}, r.taskType),
          h("td", {}, String(r.temperature)),
          h("td", {}, num(r.score)),
          h("td", {}, ms(r.ttftMs)),
          h("td", {}, usd(r.cost)),
          h("td", { class: "why" }, r.reason),
        ),
      ),
    ),
  );
}
