import { describe, expect, it } from "vitest";
import { krippendorffAlpha, summarizeAgreement } from "../../../src/metrics/agreement.ts";
import type { CaseResult, Verdict } from "../../../src/types.ts";
import { abstained, caseRecord, errored, judged, passed, scored, skipped } from "../../support/records.ts";

/** Units (columns) of a coders × units table; `null` is a missing value. */
function unitsOf(table: readonly (readonly (number | null)[])[]): number[][] {
  const width = table[0]?.length ?? 0;
  return Array.from({ length: width }, (_, u) =>
    table.map((row) => row[u] ?? null).filter((x): x is number => x !== null),
  );
}

const _ = null;
// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers × 12 units, with
// missing values. The paper gives α = 0.743 (nominal), 0.815 (ordinal) and 0.849 (interval); the reference
// implementation (the `krippendorff` Python package) tests the same data for ordinal 0.815.
const KRIPPENDORFF_2011 = [
  [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
  [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
];
// The 3 coders × 15 units example of Wikipedia's article, tested by the same package: nominal 0.691358,
// interval 0.810845.
const WIKIPEDIA = [
  [_, _, _, _, _, 3, 4, 1, 2, 1, 1, 3, 3, _, 3],
  [1, _, 2, 1, 3, 3, 4, 3, _, _, _, _, _, _, _],
  [_, _, 2, 1, 3, 4, 4, _, 2, 1, 1, 3, 3, _, 4],
];

describe("krippendorffAlpha", () => {
  it("matches Krippendorff's own worked example for every metric", () => {
    const units = unitsOf(KRIPPENDORFF_2011);
    expect(krippendorffAlpha(units, "nominal")?.toFixed(3)).toBe("0.743");
    expect(krippendorffAlpha(units, "ordinal")?.toFixed(3)).toBe("0.815");
    expect(krippendorffAlpha(units)?.toFixed(3)).toBe("0.815");
    expect(krippendorffAlpha(units, "interval")?.toFixed(3)).toBe("0.849");
  });

  it("matches the reference implementation's tests to six decimals", () => {
    const units = unitsOf(WIKIPEDIA);
    expect(krippendorffAlpha(units, "nominal")?.toFixed(6)).toBe("0.691358");
    expect(krippendorffAlpha(units, "interval")?.toFixed(6)).toBe("0.810845");
  });

  it("is 1 for perfect agreement, undefined without variation or without a pairable unit", () => {
    expect(
      krippendorffAlpha([
        [1, 1, 1],
        [2, 2],
        [5, 5, 5],
      ]),
    ).toBe(1);
    expect(
      krippendorffAlpha([
        [4, 4],
        [4, 4, 4],
      ]),
    ).toBeUndefined();
    expect(krippendorffAlpha([[1], [5], []])).toBeUndefined();
    expect(krippendorffAlpha([])).toBeUndefined();
  });

  it("is negative when coders disagree systematically", () => {
    expect(
      krippendorffAlpha([
        [1, 5],
        [5, 1],
        [1, 5],
      ]) as number,
    ).toBeLessThan(0);
  });
});

/** A scored verdict that gives only `scores` (no other dimension). */
function only(judge: string, scores: Record<string, number>, sameFamily = false): Verdict {
  return { ...scored(judge, {}, { sameFamily }), scores, rationales: {} } as Verdict;
}

describe("summarizeAgreement", () => {
  it("computes the paper's ordinal alpha from verdicts, cases as units and abstaining judges as missing", () => {
    const judges = ["j1", "j2", "j3", "j4"];
    const results = KRIPPENDORFF_2011[0]?.map((_v, u) =>
      judged(
        caseRecord({ id: `k${u}`, scenarioKey: `L${u + 1}` }),
        judges.map((j, c) => {
          const x = KRIPPENDORFF_2011[c]?.[u];
          return x === null || x === undefined ? abstained(j) : scored(j, { correctness: x });
        }),
      ),
    ) as CaseResult[];
    const s = summarizeAgreement(results);
    const correctness = s.byDimension.find((d) => d.key === "correctness");
    // Unit 12 has one value: not pairable.
    expect(correctness?.n).toBe(11);
    expect(correctness?.alpha?.toFixed(3)).toBe("0.815");
    // The other dimensions: every judge gave 5 — no variation, alpha undefined.
    expect(s.byDimension.find((d) => d.key === "format")).toEqual({
      key: "format",
      alpha: null,
      contestedShare: 0,
      n: 11,
    });
    // Spreads ≥ 2: unit 6 (1..4) only.
    expect(correctness?.contestedShare).toBeCloseTo(1 / 11, 12);
    expect(s.contestedShare).toBeCloseTo(1 / 11, 12);
    expect(s.n).toBe(11);
  });

  it("lists every dimension in order, shares of contested cases and a run-wide contested share", () => {
    const r1 = judged(caseRecord({ id: "a" }), [
      scored("j1", { correctness: 1, format: 3 }),
      scored("j2", { correctness: 3, format: 4 }),
      scored("j3", { correctness: 2, format: 4 }),
    ]);
    const r2 = passed(caseRecord({ id: "b" }), { fill: 4 });
    const s = summarizeAgreement([
      r1,
      r2,
      errored(caseRecord({ id: "c" })),
      skipped(caseRecord({ id: "d" })),
    ]);
    expect(s.byDimension.map((d) => [d.key, d.n, d.contestedShare])).toEqual([
      ["correctness", 2, 0.5],
      ["completeness", 2, 0],
      ["relevance", 2, 0],
      ["format", 2, 0],
      ["coherence", 2, 0],
      ["following_instructions", 2, 0],
    ]);
    expect(s.contestedShare).toBe(0.5);
    expect(s.n).toBe(2);
  });

  it("measures each judge's bias against the jury mean, per dimension and on its own family", () => {
    // Case a: correctness 2, 3, 4 (jury mean 3); format 4, 4, 4. Case b (j1 judges its own family): 5, 3.
    const a = judged(caseRecord({ id: "a" }), [
      only("j1", { correctness: 2, format: 4 }),
      only("j2", { correctness: 3, format: 4 }),
      only("j3", { correctness: 4, format: 4 }),
    ]);
    const b = judged(caseRecord({ id: "b", model: "mock/j1-family" }), [
      only("j1", { correctness: 5 }, true),
      only("j2", { correctness: 3 }),
      abstained("j3"),
    ]);
    const s = summarizeAgreement([a, b]);
    expect(s.judges).toEqual([
      {
        judge: "j1",
        bias: (-1 + 0 + 1) / 3,
        byDimension: { correctness: (-1 + 1) / 2, format: 0 },
        biasOwnFamily: 1,
        n: 3,
        nOwnFamily: 1,
      },
      {
        judge: "j2",
        bias: (0 + 0 - 1) / 3,
        byDimension: { correctness: -0.5, format: 0 },
        n: 3,
        nOwnFamily: 0,
      },
      { judge: "j3", bias: 0.5, byDimension: { correctness: 1, format: 0 }, n: 2, nOwnFamily: 0 },
    ]);
  });

  it("leaves out scores where only one judge scored: nothing to agree or lean against", () => {
    const lone = judged(caseRecord({ id: "a" }), [
      scored("j1", { correctness: 1 }),
      abstained("j2"),
      abstained("j3"),
    ]);
    const s = summarizeAgreement([lone]);
    expect(s.judges).toEqual([]);
    expect(s.n).toBe(0);
    expect(s.contestedShare).toBe(0);
    expect(s.byDimension.every((d) => d.n === 0 && d.alpha === null && d.contestedShare === 0)).toBe(true);
    expect(summarizeAgreement([])).toEqual({ byDimension: [], judges: [], contestedShare: 0, n: 0 });
  });
});
