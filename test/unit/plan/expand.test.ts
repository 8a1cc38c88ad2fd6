import { describe, expect, it } from "vitest";
import { caseId } from "../../../src/discovery/ids.ts";
import { type PlanInput, planCases } from "../../../src/plan/expand.ts";
import type { EvalDefinition, ModelProfile } from "../../../src/types.ts";
import { evalDef, planInput, scenario } from "../../support/plan.ts";

const model = (key: string): ModelProfile => ({
  key,
  modelId: key,
  provider: "mock",
  model: key.slice(5),
  inputCostPer1k: 0,
  outputCostPer1k: 0,
  source: { file: "models.jsonl", line: 1 },
});
const input = (evals: EvalDefinition[], extra: Partial<PlanInput> = {}): PlanInput =>
  planInput(evals, { models: [model("mock/a"), model("mock/b")], judges: [model("mock/j")], ...extra });

describe("planCases", () => {
  it("expands scenarios × models × temperatures × invocations × experiments", () => {
    const plan = planCases(
      input([evalDef("e", [scenario("L1"), scenario("L2"), scenario("L3")])], {
        invocations: 2,
        experiments: 2,
        temperatureVariations: 1,
      }),
    );
    expect(plan.cases).toHaveLength(3 * 2 * 3 * 2 * 2);
    expect(new Set(plan.cases.map((c) => c.record.id)).size).toBe(plan.cases.length);
    expect(plan.problems).toEqual([]);
  });

  it("plans 58 scenarios × 2 models × 3 invocations = 348 cases", () => {
    const scenarios = Array.from({ length: 58 }, (_, i) => scenario(`L${i + 1}`));
    expect(planCases(input([evalDef("seed", scenarios)], { invocations: 3 })).cases).toHaveLength(348);
  });

  it("orders experiments in sequence and interleaves models within one", () => {
    const plan = planCases(input([evalDef("e", [scenario("L1"), scenario("L2")])], { experiments: 2 }));
    expect(plan.cases.map((c) => `${c.record.experiment}:${c.record.scenarioKey}:${c.record.model}`)).toEqual(
      [
        "1:L1:mock/a",
        "1:L1:mock/b",
        "1:L2:mock/a",
        "1:L2:mock/b",
        "2:L1:mock/a",
        "2:L1:mock/b",
        "2:L2:mock/a",
        "2:L2:mock/b",
      ],
    );
  });

  it("gives stable ids that depend only on identifying fields", () => {
    const a = planCases(input([evalDef("e", [scenario("L1")])]));
    const b = planCases(input([evalDef("e", [scenario("L1", { prompt: "changed wording" })])]));
    expect(a.cases.map((c) => c.record.id)).toEqual(b.cases.map((c) => c.record.id));
    expect(a.cases[0]?.record.id).toBe(
      caseId({
        file: "evals/e.eval.jsonl",
        evalName: "e",
        scenarioKey: "L1",
        model: "mock/a",
        variant: "original",
        temperature: 0.7,
        invocation: 1,
        experiment: 1,
      }),
    );
    expect(a.cases[0]?.record.id).toMatch(/^[0-9a-f]{16}$/);
  });

  it("uses a scenario's own temperature as the base", () => {
    const plan = planCases(
      input([evalDef("e", [scenario("L1", { temperature: 0.2 })])], { models: [model("mock/a")] }),
    );
    expect(plan.cases.map((c) => c.record.temperature)).toEqual([0.2]);
  });

  it("lets an eval header pick models and invocations; CLI overrides win", () => {
    const ev = evalDef("e", [scenario("L1")], { models: ["mock/b"], invocations: 2 });
    expect(planCases(input([ev])).cases.map((c) => `${c.record.model}#${c.record.invocation}`)).toEqual([
      "mock/b#1",
      "mock/b#2",
    ]);
    expect(planCases(input([ev], { overrides: { invocations: 1 } })).cases).toHaveLength(1);
  });

  it("reports an unknown model in an eval header as a problem", () => {
    const plan = planCases(input([evalDef("e", [scenario("L1")], { models: ["mock/nope"], line: 1 })]));
    expect(plan.problems).toHaveLength(1);
    expect(plan.problems[0]).toMatchObject({ file: "evals/e.eval.jsonl", line: 1, path: "models" });
    expect(plan.problems[0]?.message).toContain('unknown model "mock/nope"');
  });

  it("skips `skip` scenarios and evals, and runs only `only` ones when any exists", () => {
    const skipped = planCases(
      input([evalDef("e", [scenario("L1"), scenario("L2", { skip: true })])], { models: [model("mock/a")] }),
    );
    expect(skipped.cases.map((c) => c.record.scenarioKey)).toEqual(["L1"]);
    expect(skipped.skipped.map((c) => c.scenarioKey)).toEqual(["L2"]);

    const only = planCases(
      input(
        [evalDef("e", [scenario("L1"), scenario("L2", { only: true })]), evalDef("f", [scenario("L1")])],
        { models: [model("mock/a")] },
      ),
    );
    expect(only.cases.map((c) => `${c.record.evalName}/${c.record.scenarioKey}`)).toEqual(["e/L2"]);
    expect(only.skipped).toHaveLength(2);

    const onlyEval = planCases(
      input([evalDef("e", [scenario("L1")], { mode: "only" }), evalDef("f", [scenario("L1")])], {
        models: [model("mock/a")],
      }),
    );
    expect(onlyEval.cases.map((c) => c.record.evalName)).toEqual(["e"]);
  });

  it("filters by test name pattern (eval › scenario › model)", () => {
    const plan = planCases(
      input([evalDef("e", [scenario("L1"), scenario("L2")])], { testNamePattern: /L2 › mock\/b$/ }),
    );
    expect(plan.cases.map((c) => `${c.record.scenarioKey}:${c.record.model}`)).toEqual(["L2:mock/b"]);
  });

  it("adds eval-level metrics to the jury's", () => {
    const plan = planCases(
      input([evalDef("e", [scenario("L1")], { metrics: ["tone"] })], {
        jury: { threshold: 3, aggregate: "mean", metrics: ["brand"] },
      }),
    );
    expect(plan.cases[0]?.task.jury.metrics).toEqual(["brand", "tone"]);
  });
});
