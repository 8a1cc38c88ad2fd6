// A small real plan (planCases on mock profiles), for the functions that narrow a plan.
import { type Plan, type PlanInput, planCases } from "../../src/plan/expand.ts";
import type { EvalDefinition, ModelProfile, Scenario } from "../../src/types.ts";

export const profile = (key: string, extra: Partial<ModelProfile> = {}): ModelProfile => ({
  key,
  modelId: key.slice(key.indexOf("/") + 1),
  provider: "mock",
  model: key.slice(key.indexOf("/") + 1),
  inputCostPer1k: 0,
  outputCostPer1k: 0,
  source: { file: "models.jsonl", line: 1 },
  ...extra,
});

export const scenario = (key: string, extra: Partial<Scenario> = {}): Scenario => ({
  key,
  prompt: `prompt ${key}`,
  taskType: "QA",
  criteria: "",
  metrics: [],
  ...extra,
});

export const evalDef = (
  name: string,
  scenarios: Scenario[],
  extra: Partial<EvalDefinition> = {},
): EvalDefinition => ({
  kind: "jsonl",
  absFile: `/p/evals/${name}.eval.jsonl`,
  file: `evals/${name}.eval.jsonl`,
  name,
  index: 0,
  mode: "run",
  scenarios,
  hasTask: false,
  checkNames: [],
  ...extra,
});

/** A plan's input over `evals`: models mock/a and mock/b judged by mock/j, one invocation, defaults elsewhere. */
export const planInput = (evals: EvalDefinition[], extra: Partial<PlanInput> = {}): PlanInput => ({
  evals,
  models: [profile("mock/a"), profile("mock/b")],
  judges: [profile("mock/j")],
  jury: { threshold: 3, aggregate: "mean", metrics: [] },
  invocations: 1,
  experiments: 1,
  caseTimeoutMs: 0,
  retry: { maxAttempts: 1, baseMs: 0, capMs: 0, maxTotalMs: 0 },
  temperatureVariations: 0,
  stream: true,
  timeoutMs: 1000,
  ...extra,
});

/**
 * Two evals × `models` (default mock/a, mock/b) judged by `judges` (default mock/j): 3 scenarios to run and 1
 * skipped per model.
 */
export function samplePlan(
  models: ModelProfile[] = [profile("mock/a"), profile("mock/b")],
  judges: ModelProfile[] = [profile("mock/j")],
  extra: Partial<PlanInput> = {},
): Plan {
  return planCases(
    planInput(
      [
        evalDef("one", [scenario("L1"), scenario("L2"), scenario("L3", { skip: true })]),
        evalDef("two", [scenario("L1")]),
      ],
      { models, judges, ...extra },
    ),
  );
}
