import type { Plan } from "./expand.ts";

/** The plan of only the cases (to run or skipped) whose id `keep` accepts (pure: a new plan, the input untouched). */
export function keepCases(plan: Plan, keep: (caseId: string) => boolean): Plan {
  return {
    ...plan,
    cases: plan.cases.filter((c) => keep(c.record.id)),
    skipped: plan.skipped.filter((r) => keep(r.id)),
  };
}
