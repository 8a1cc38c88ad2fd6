// The types an eval file is written against: `npx tsc` checks these (and Vitest runs them as no-ops).
import { describe, expectTypeOf, it } from "vitest";
import { checks, defineEval } from "../../../src/index.ts";
import type { CheckContext, EvalScenario, TaskContext } from "../../../src/types.ts";

describe("defineEval types", () => {
  it("types a scenario's id for tasks and checks", () => {
    expectTypeOf<TaskContext["scenario"]>().toEqualTypeOf<EvalScenario>();
    expectTypeOf<CheckContext["scenario"]["id"]>().toEqualTypeOf<string>();
  });

  it("types `structured` as what the task returns, text aside", () => {
    // Type-checked, never called: registering would add to the registry of whatever file is being collected.
    const declare = () => {
      defineEval("structured", {
        scenarios: [{ prompt: "p" }],
        task: async () => ({ answer: "yes", n: 2 }),
        checks: [
          checks.contains("yes"),
          {
            name: "n is 2",
            run: ({ structured }) => {
              expectTypeOf(structured).toEqualTypeOf<{ answer: string; n: number } | undefined>();
              return structured?.n === 2;
            },
          },
        ],
      });
      defineEval("text", {
        scenarios: [{ prompt: "p" }],
        task: () => "text",
        checks: [
          {
            name: "no value",
            run: ({ structured }) => expectTypeOf(structured).toEqualTypeOf<undefined>() === undefined,
          },
        ],
      });
    };
    expectTypeOf(declare).toBeFunction();
  });
});
