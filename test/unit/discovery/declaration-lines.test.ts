import { describe, expect, it } from "vitest";
import { declarationLines } from "../../../src/discovery/collect.ts";

describe("declarationLines", () => {
  it("finds the defineEval, .skip and .only calls written in a file, outside comments", () => {
    const source = [
      'import { defineEval } from "jury";',
      '// defineEval("commented out", {})',
      "/**",
      ' * defineEval("in a doc comment", {})',
      " */",
      'defineEval("a", { scenarios: [] });',
      "",
      'defineEval.skip("b", {',
      "  scenarios: [],",
      "});",
      'defineEval.only ("c", { scenarios: [] }); // defineEval("d")',
    ].join("\n");
    expect(declarationLines(source)).toEqual([6, 8, 11]);
    expect(declarationLines(undefined)).toEqual([]);
  });
});
