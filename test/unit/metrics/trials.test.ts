import { describe, expect, it } from "vitest";
import { summarizeTrials } from "../../../src/metrics/trials.ts";
import type { CaseRecord } from "../../../src/types.ts";
import { caseRecord, errored, judged, passed, scored, skipped } from "../../support/records.ts";

const failed = (c: CaseRecord) =>
  judged(
    c,
    ["a", "b"].map((j) => scored(j, {}, { fill: 1 })),
  );
const trial = (scenarioKey: string, invocation: number) =>
  caseRecord({ id: `${scenarioKey}#${invocation}`, scenarioKey, invocation });

describe("summarizeTrials", () => {
  it("is undefined when every case ran once", () => {
    const c = trial("L1", 1);
    expect(summarizeTrials([c], [passed(c)])).toBeUndefined();
  });

  it("gives pass^k, pass@1 and the flaky cases", () => {
    const cases = ["L1", "L2", "L3"].flatMap((k) => [1, 2, 3].map((i) => trial(k, i)));
    const results = cases.map((c) =>
      c.scenarioKey === "L1"
        ? passed(c)
        : c.scenarioKey === "L2"
          ? c.invocation === 2
            ? errored(c)
            : passed(c)
          : failed(c),
    );
    const t = summarizeTrials(cases, results);
    expect(t).toMatchObject({ k: 3, groups: 3, passHatK: 1 / 3, passAt1: 5 / 9 });
    expect(t?.flaky).toEqual([
      {
        file: "evals/summaries.eval.jsonl",
        evalName: "summaries",
        scenarioKey: "L2",
        model: "mock/perfect",
        passed: 2,
        trials: 3,
        caseIds: ["L2#1", "L2#2", "L2#3"],
      },
    ]);
  });

  it("ignores skipped trials", () => {
    const cases = [trial("L1", 1), trial("L1", 2), trial("L1", 3)];
    const t = summarizeTrials(cases, [
      passed(cases[0] as CaseRecord),
      passed(cases[1] as CaseRecord),
      skipped(cases[2] as CaseRecord),
    ]);
    expect(t).toMatchObject({ k: 2, passHatK: 1, flaky: [] });
  });
});
