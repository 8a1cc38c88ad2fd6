import { describe, expect, it } from "vitest";
import { aggregateVerdicts } from "../../../src/jury/aggregate.ts";
import { parseVerdict } from "../../../src/jury/parse-verdict.ts";
import type { Verdict } from "../../../src/types.ts";

const dims = [
  { key: "correctness", name: "Correctness" },
  { key: "format", name: "Format" },
];
const scored = (judge: string, correctness: number, format: number): Verdict => ({
  judge,
  status: "scored",
  scores: { correctness, format },
  rationales: { correctness: `${judge} on correctness`, format: `${judge} on format` },
  tokens: { input: 10, output: 5 },
  cost: 0.001,
  latencyMs: 5,
  sameFamily: false,
});
const abstained = (judge: string): Verdict => ({
  judge,
  status: "abstained",
  reason: "unparseable",
  cost: 0,
  sameFamily: false,
});
const settings = { rule: "mean" as const, threshold: 3, promptVersion: "v" };

describe("aggregateVerdicts", () => {
  it("averages each dimension and fails the ones below the threshold", () => {
    const { jury, reasons } = aggregateVerdicts(
      [scored("a", 2, 5), scored("b", 3, 4), scored("c", 2, 3)],
      dims,
      settings,
    );
    expect(jury.dimensions.map((d) => [d.key, d.score, d.spread, d.passed])).toEqual([
      ["correctness", 7 / 3, 1, false],
      ["format", 4, 2, true],
    ]);
    expect(jury.passed).toBe(false);
    expect(reasons).toEqual([
      {
        kind: "dimension",
        dimension: "correctness",
        name: "Correctness",
        score: 7 / 3,
        threshold: 3,
        judges: [
          { judge: "a", score: 2, rationale: "a on correctness" },
          { judge: "b", score: 3, rationale: "b on correctness" },
          { judge: "c", score: 2, rationale: "c on correctness" },
        ],
      },
    ]);
  });

  it("passes at exactly the threshold", () => {
    const { jury } = aggregateVerdicts([scored("a", 3, 3), scored("b", 3, 3)], dims, settings);
    expect(jury.passed).toBe(true);
  });

  it("uses the median when asked", () => {
    const { jury } = aggregateVerdicts([scored("a", 1, 5), scored("b", 4, 5), scored("c", 5, 5)], dims, {
      ...settings,
      rule: "median",
    });
    expect(jury.dimensions[0]?.score).toBe(4);
    expect(jury.passed).toBe(true);
  });

  it("majority: a strict majority of judges must pass every dimension", () => {
    const two = aggregateVerdicts([scored("a", 5, 5), scored("b", 5, 5), scored("c", 1, 1)], dims, {
      ...settings,
      rule: "majority",
    });
    expect(two.jury.passed).toBe(true);
    expect(two.reasons).toEqual([]);
    const tie = aggregateVerdicts([scored("a", 5, 5), scored("b", 1, 1)], dims, {
      ...settings,
      rule: "majority",
    });
    expect(tie.jury.passed).toBe(false);
    expect(tie.reasons.at(-1)).toEqual({
      kind: "majority",
      message: "1 of 2 judges passed; a strict majority is needed",
    });
  });

  it("ignores abstentions and keeps the verdict with quorum", () => {
    const { jury } = aggregateVerdicts(
      [scored("a", 4, 4), scored("b", 5, 5), abstained("c")],
      dims,
      settings,
    );
    expect(jury.quorum).toBe(2);
    expect(jury.scored).toBe(2);
    expect(jury.quorumMet).toBe(true);
    expect(jury.dimensions[0]?.score).toBe(4.5);
    expect(jury.passed).toBe(true);
  });

  it("has no verdict below quorum (default ceil(n/2))", () => {
    const { jury, reasons } = aggregateVerdicts(
      [scored("a", 5, 5), abstained("b"), abstained("c")],
      dims,
      settings,
    );
    expect(jury.quorum).toBe(2);
    expect(jury.quorumMet).toBe(false);
    expect(jury.passed).toBe(false);
    expect(jury.dimensions).toEqual([]);
    expect(reasons).toEqual([]);
  });

  it("honours an explicit quorum", () => {
    const { jury } = aggregateVerdicts([scored("a", 5, 5), abstained("b"), abstained("c")], dims, {
      ...settings,
      quorum: 1,
    });
    expect(jury.quorumMet).toBe(true);
    expect(jury.passed).toBe(true);
  });

  it("dimensions named like Object.prototype's members: a judge's missing rationale is not the prototype's", () => {
    const protoDims = [
      { key: "constructor", name: "constructor" },
      { key: "valueof", name: "valueOf" },
    ];
    const parsed = parseVerdict('{"constructor": 2, "valueOf": 4}', protoDims);
    if (!parsed.ok) throw new Error(parsed.detail);
    const verdict: Verdict = {
      judge: "a",
      status: "scored",
      scores: parsed.scores,
      rationales: parsed.rationales,
      tokens: { input: 10, output: 5 },
      cost: 0,
      latencyMs: 5,
      sameFamily: false,
    };
    const result = aggregateVerdicts([verdict], protoDims, settings);
    expect(result.jury.dimensions.map((d) => [d.key, d.score])).toEqual([
      ["constructor", 2],
      ["valueof", 4],
    ]);
    expect(result.reasons).toEqual([
      expect.objectContaining({ dimension: "constructor", judges: [{ judge: "a", score: 2 }] }),
    ]);
    // What crosses from the worker to the main thread: plain data only.
    expect(structuredClone(result)).toEqual(result);
  });
});
