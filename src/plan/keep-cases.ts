import type { Plan } from "./expand.ts";
import { filterList } from "./lazy-list.ts";

/**
 * The plan of only the cases (to run or skipped) whose id `keep` accepts (pure: a new plan, the input untouched; its
 * cases a view of the kept indexes of the plan's, made when read).
 */
export function keepCases(plan: Plan, keep: (caseId: string) => boolean): Plan {
  return {
    ...plan,
    cases: filterList(plan.cases, (c) => keep(c.record.id)),
    skipped: plan.skipped.filter((r) => keep(r.id)),
  };
}
