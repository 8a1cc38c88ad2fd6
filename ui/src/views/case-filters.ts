import type { CasePage } from "../../../src/ui/api-types.ts";
import { h } from "../dom.ts";
import type { CaseFilter } from "./case-filter.ts";

/**
 * The case table's filter bar: a select per facet and a search box (debounced). A change sets `filter`, goes
 * back to page 1 and calls `reload`.
 */
export function caseFilters(facets: CasePage["facets"], filter: CaseFilter, reload: () => void) {
  const select = (name: "state" | "model" | "task" | "eval", label: string, values: string[]) =>
    h(
      "label",
      {},
      `${label} `,
      h(
        "select",
        {
          "data-testid": `filter-${name}`,
          onchange: (e: Event) => {
            filter[name] = (e.target as HTMLSelectElement).value;
            filter.page = 1;
            reload();
          },
        },
        h("option", { value: "" }, "all"),
        values.map((v) => h("option", { value: v, selected: filter[name] === v }, v)),
      ),
    );
  let timer = 0;
  return h(
    "div",
    { class: "filters" },
    select("state", "State", facets.states),
    select("model", "Model", facets.models),
    select("task", "Task", facets.taskTypes),
    select("eval", "Eval", facets.evals),
    h(
      "label",
      {},
      "Search ",
      h("input", {
        type: "search",
        value: filter.q,
        placeholder: "case id, scenario, reason",
        "data-testid": "filter-q",
        oninput: (e: Event) => {
          clearTimeout(timer);
          timer = window.setTimeout(() => {
            filter.q = (e.target as HTMLInputElement).value;
            filter.page = 1;
            reload();
          }, 250);
        },
      }),
    ),
  );
}
