import { describe, expect, it } from "vitest";
import { ClusterIds } from "../../../src/metrics/cluster-ids.ts";
import { GrowingColumn } from "../../../src/metrics/growing-column.ts";
import { caseRecord } from "../../support/records.ts";

describe("GrowingColumn", () => {
  it("keeps every value pushed, exactly, past its first capacity", () => {
    const col = new GrowingColumn(2);
    const values = Array.from({ length: 1000 }, (_, i) => i / 3 + 0.1);
    for (const x of values) col.push(x);
    expect(col.length).toBe(1000);
    expect([...col.values()]).toEqual(values);
  });

  it("reads zeros where nothing was written and extends to an index it adds at", () => {
    const col = new GrowingColumn(1);
    col.add(5, 2.5);
    col.add(5, 0.25);
    col.set(2, 7);
    expect(col.at(9)).toBe(0);
    expect([...col.values()]).toEqual([0, 0, 7, 0, 0, 2.75]);
    col.fill(8);
    expect([...col.values()]).toEqual([0, 0, 7, 0, 0, 2.75, 0, 0]);
  });
});

describe("ClusterIds", () => {
  it("numbers a scenario on a model once, whatever its invocation, temperature and experiment", () => {
    const ids = new ClusterIds();
    const a = ids.of(caseRecord({ scenarioKey: "L1", invocation: 1, temperature: 0 }));
    const b = ids.of(caseRecord({ scenarioKey: "L2" }));
    expect([a, b]).toEqual([0, 1]);
    expect(ids.of(caseRecord({ scenarioKey: "L1", invocation: 3, temperature: 0.7, experiment: 2 }))).toBe(0);
    expect(ids.size).toBe(2);
  });

  it("tells scenarios apart by file, eval, model and prompt variant", () => {
    const ids = new ClusterIds();
    const base = caseRecord();
    const others = [
      caseRecord({ file: "evals/other.eval.jsonl" }),
      caseRecord({ evalName: "other" }),
      caseRecord({ model: "mock/sloppy" }),
      caseRecord({ variant: "optimized" }),
    ];
    expect([base, ...others].map((c) => ids.of(c))).toEqual([0, 1, 2, 3, 4]);
  });
});
