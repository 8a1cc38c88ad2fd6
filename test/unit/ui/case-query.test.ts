import { describe, expect, it } from "vitest";
import type { CaseRow } from "../../../src/ui/api-types.ts";
import { caseRow, queryCases } from "../../../src/ui/case-query.ts";
import { caseRecord, errored, judged, passed, scored } from "../../support/records.ts";

function rows(): CaseRow[] {
  const out: CaseRow[] = [];
  for (let i = 0; i < 120; i++) {
    const rec = caseRecord({
      id: `c${String(i).padStart(3, "0")}`,
      model: i % 2 ? "mock/b" : "mock/a",
      scenarioKey: `L${i}`,
    });
    const result =
      i % 10 === 0
        ? errored(rec, { message: "boom" })
        : i % 3 === 0
          ? judged(rec, [scored("mock/j", { correctness: 1 })])
          : passed(rec);
    out.push(caseRow(rec.id, rec, result));
  }
  out.push(caseRow("pending", caseRecord({ id: "pending", model: "mock/a" }), undefined));
  return out;
}

describe("queryCases", () => {
  it("pages 50 rows at a time and lists the facets of the whole run", () => {
    const page = queryCases(rows(), { page: 3 });
    expect([page.total, page.page, page.pages, page.rows.length]).toEqual([121, 3, 3, 21]);
    expect(page.facets.states).toEqual(["errored", "failed", "passed", "pending"]);
    expect(page.facets.models).toEqual(["mock/a", "mock/b"]);
    expect(queryCases(rows(), { page: 99 }).page).toBe(3);
    expect(queryCases(rows(), { pageSize: 10_000 }).pageSize).toBe(500);
  });

  it("filters by state, model and text, and sorts with missing values last", () => {
    const failed = queryCases(rows(), { state: "failed", model: "mock/b" });
    expect(failed.total).toBe(20);
    expect(failed.rows.every((r) => r.state === "failed" && r.model === "mock/b")).toBe(true);
    expect(failed.rows[0]?.reason).toBe("Correctness");
    expect(queryCases(rows(), { text: "BOOM" }).total).toBe(12);
    const byScore = queryCases(rows(), { sort: "score", pageSize: 500 }).rows;
    expect(byScore[0]?.state).toBe("failed");
    expect(byScore.at(-1)?.score).toBeUndefined();
    const desc = queryCases(rows(), { sort: "id", desc: true }).rows;
    expect(desc[0]?.id).toBe("pending");
    expect(desc[1]?.id).toBe("c119");
  });
});

describe("queryCases: expansion axes", () => {
  it("lists the run's invocations and experiments, and sorts by them", () => {
    const all: CaseRow[] = [];
    for (const experiment of [1, 2])
      for (const invocation of [2, 1]) {
        const rec = caseRecord({ id: `e${experiment}i${invocation}`, invocation, experiment });
        all.push(caseRow(rec.id, rec, passed(rec)));
      }
    const page = queryCases(all, { sort: "invocation" });
    expect(page.facets.invocations).toEqual([1, 2]);
    expect(page.facets.experiments).toEqual([1, 2]);
    expect(page.rows.map((r) => [r.invocation, r.experiment])).toEqual([
      [1, 1],
      [1, 2],
      [2, 1],
      [2, 2],
    ]);
    expect(queryCases(all, { sort: "experiment", desc: true }).rows[0]?.experiment).toBe(2);
    const one = caseRecord({ id: "one" });
    expect(queryCases([caseRow("one", one, undefined)], {}).facets).toMatchObject({
      invocations: [1],
      experiments: [1],
    });
  });
});
