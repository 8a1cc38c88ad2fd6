// RunReport.scenarios (issue 21 §5): a view over the plan that reads a scenario's text when asked and keeps none,
// read by run.json's writer, reporters and drill-downs exactly as the object it used to be.
import { describe, expect, it } from "vitest";
import { scenarioRef } from "../../../src/discovery/ids.ts";
import type { PlannedCase } from "../../../src/plan/expand.ts";
import { scenarioTexts } from "../../../src/runner/run-report.ts";
import { SCENARIO_ENTRIES } from "../../../src/store/report-file.ts";
import type { CaseTask, Scenario } from "../../../src/types.ts";
import { caseRecord } from "../../support/records.ts";

/** Two models × 3 scenarios (the third with a system prompt and a golden answer), counting scenario reads. */
function plan() {
  let reads = 0;
  const scenario = (k: number): Scenario =>
    ({
      key: `L${k}`,
      line: k,
      prompt: `question ${k}`,
      taskType: "qa",
      criteria: "",
      metrics: [],
      ...(k === 3 ? { system: "be brief", golden: "42" } : {}),
    }) as Scenario;
  const cases: PlannedCase[] = [];
  for (const k of [1, 2, 3])
    for (const model of ["mock/a", "mock/b"])
      cases.push({
        record: caseRecord({ id: `${model}-${k}`, scenarioKey: `L${k}`, model }),
        get task() {
          reads++;
          return { scenario: scenario(k) } as CaseTask;
        },
      });
  return { cases, reads: () => reads };
}

describe("a run's scenario texts", () => {
  it("are keyed by scenario once each, read when asked, and equal the texts as an object", () => {
    const { cases, reads } = plan();
    const texts = scenarioTexts(cases);
    const refs = [1, 2, 3].map((k) => scenarioRef(caseRecord({ scenarioKey: `L${k}` })));
    expect(Object.keys(texts)).toEqual(refs);
    expect((refs[0] as string) in texts).toBe(true);
    expect("nope" in texts).toBe(false);
    expect(reads()).toBe(0);
    expect(texts[refs[2] as string]).toEqual({ prompt: "question 3", system: "be brief", golden: "42" });
    expect(texts.nope).toBeUndefined();
    expect(JSON.parse(JSON.stringify(texts))).toEqual({
      [refs[0] as string]: { prompt: "question 1" },
      [refs[1] as string]: { prompt: "question 2" },
      [refs[2] as string]: { prompt: "question 3", system: "be brief", golden: "42" },
    });
    // for…in, as run.json's writer reads it: each text read once, the first case's of its scenario.
    const before = reads();
    const seen: string[] = [];
    for (const ref in texts)
      if (Object.hasOwn(texts, ref)) seen.push((texts[ref] as { prompt: string }).prompt);
    expect(seen).toEqual(["question 1", "question 2", "question 3"]);
    expect(reads() - before).toBe(3);
    expect(() => {
      (texts as Record<string, unknown>).x = 1;
    }).toThrow(TypeError);
    // As run.json's writer reads it: one entry per scenario, in first-case order, each text read once.
    const entries = (texts as unknown as Record<symbol, () => Iterable<[string, unknown]>>)[SCENARIO_ENTRIES];
    const readsBefore = reads();
    expect([...(entries?.() ?? [])]).toEqual(Object.entries(JSON.parse(JSON.stringify(texts))));
    expect(reads() - readsBefore).toBe(3 + 3);
  });
});
