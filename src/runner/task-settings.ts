import { type Plan, withTask } from "../plan/expand.ts";
import { mapList } from "../plan/lazy-list.ts";
import type { CaseTask } from "../types.ts";

/** What every task of a run is given on top of its plan: shared by all its cases, set once the run is open. */
export interface TaskSettings {
  /** Model key → its `target_rpm` pacing slot, shared by every worker through a SharedArrayBuffer. */
  rateLimits: ReadonlyMap<string, NonNullable<CaseTask["rateLimit"]>>;
  cache?: CaseTask["cache"];
}

/**
 * The plan with each task given its model's rate-limit slot and the cache settings (pure: a new plan; tasks stay
 * made when asked, see `withTask`).
 */
export function withTaskSettings(plan: Plan, settings: TaskSettings): Plan {
  if (settings.rateLimits.size === 0 && !settings.cache) return plan;
  return {
    ...plan,
    cases: mapList(plan.cases, (c) => withTask(c, (task) => taskWithSettings(task, settings))),
  };
}

/** One task given its model's rate-limit slot and the cache settings (the same task when there are none). */
export function taskWithSettings(task: CaseTask, { rateLimits, cache }: TaskSettings): CaseTask {
  const slot = rateLimits.get(task.model.key);
  if (!slot && !cache) return task;
  return { ...task, ...(slot ? { rateLimit: slot } : {}), ...(cache ? { cache } : {}) };
}
