// Evaluations: the runs list, a run's summary and case table (paged on the server), drill-down, comparison.

import { compareView } from "./compare-view.ts";
import { runView } from "./run-view.ts";
import { runsList } from "./runs-list.ts";

export function evaluationsView(root: HTMLElement, args: string[], query: URLSearchParams) {
  if (args[0] === "compare") return compareView(root, query);
  if (args[0]) return runView(root, args[0], query);
  return runsList(root);
}
