// Issue 21 §5: a run's cases are a view over its plan (each record made when read); the facts table reads each case
// once for its id and keeps no record: it reads one again when asked for it.
import { describe, expect, it } from "vitest";
import { FactsTable } from "../../../src/metrics/facts-table.ts";
import { lazyList } from "../../../src/plan/lazy-list.ts";
import type { CaseRecord } from "../../../src/types.ts";
import { caseRecord, errored, passed } from "../../support/records.ts";

describe("FactsTable over a view of the run's cases", () => {
  it("holds no record: it reads each case once to order them, then again only when one is asked for", () => {
    const ids = ["c3", "c1", "c4", "c2"];
    let reads = 0;
    const cases = lazyList(ids.length, (i) => {
      reads++;
      return caseRecord({ id: ids[i] as string, scenarioKey: `L${i}` });
    });
    const table = FactsTable.of(cases, [passed(cases[0] as CaseRecord), errored(cases[2] as CaseRecord)]);
    const afterBuild = reads;
    expect(afterBuild).toBe(ids.length + 2);
    expect(table.record("c4")).toEqual(caseRecord({ id: "c4", scenarioKey: "L2" }));
    expect(reads).toBe(afterBuild + 1);
    expect(table.record("nope")).toBeUndefined();
    expect(reads).toBe(afterBuild + 1);
    const seen: [string, string | undefined, number][] = [];
    table.forEach((record, facts, planIndex) => {
      seen.push([record.id, facts?.state, planIndex]);
    });
    expect(seen).toEqual([
      ["c1", undefined, 1],
      ["c2", undefined, 3],
      ["c3", "passed", 0],
      ["c4", "errored", 2],
    ]);
    expect(reads).toBe(afterBuild + 1 + ids.length);
  });
});
