import { describe, expect, it } from "vitest";
import { keepCases } from "../../../src/plan/keep-cases.ts";
import { parseShard, shardIds, shardPlan } from "../../../src/plan/shard.ts";
import { samplePlan } from "../../support/plan.ts";

const ids = Array.from({ length: 100 }, (_, i) => (i * 2654435761).toString(16).padStart(16, "0"));

describe("sharding", () => {
  it("splits ids into disjoint, balanced shards that cover the plan", () => {
    const shards = [1, 2, 3].map((index) => shardIds(ids, { index, count: 3 }));
    expect(shards.map((s) => s.size)).toEqual([34, 33, 33]);
    const all = shards.flatMap((s) => [...s]);
    expect(new Set(all).size).toBe(100);
    expect(all.sort()).toEqual([...ids].sort());
  });

  it("is deterministic whatever the order the plan lists ids in", () => {
    const reversed = [...ids].reverse();
    expect([...shardIds(reversed, { index: 2, count: 3 })].sort()).toEqual(
      [...shardIds(ids, { index: 2, count: 3 })].sort(),
    );
  });

  it("parses i/n and rejects the rest with the flag's rule", () => {
    expect(parseShard("2/3")).toEqual({ index: 2, count: 3 });
    expect(() => parseShard("0/3")).toThrow(
      '--shard must be i/n with 1 ≤ i ≤ n, e.g. --shard 2/3 (got "0/3")',
    );
    expect(() => parseShard("4/3")).toThrow("--shard must be i/n");
    expect(() => parseShard("abc")).toThrow("--shard must be i/n");
  });
});

describe("shardPlan", () => {
  it("splits a plan's cases and skipped cases into shards that cover it once, the input untouched", () => {
    const plan = samplePlan();
    const before = JSON.stringify(plan);
    const shards = [1, 2, 3].map((index) => shardPlan(plan, { index, count: 3 }));
    const ran = shards.flatMap((s) => s.cases.map((c) => c.record.id));
    const skipped = shards.flatMap((s) => s.skipped.map((r) => r.id));
    expect(ran.sort()).toEqual(plan.cases.map((c) => c.record.id).sort());
    expect(skipped.sort()).toEqual(plan.skipped.map((r) => r.id).sort());
    // Shards differ in size by at most one, counting cases to run and skipped alike.
    expect(shards.map((s) => s.cases.length + s.skipped.length)).toEqual([3, 3, 2]);
    // Each keeps plan order.
    for (const s of shards) {
      const order = s.cases.map((c) => plan.cases.findIndex((p) => p.record.id === c.record.id));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
    expect(JSON.stringify(plan)).toBe(before);
  });

  it("records which shard of which whole plan each shard is: one plan id for all its shards, another for another plan", () => {
    const plan = samplePlan();
    const specs = [1, 2, 3].map((index) => shardPlan(plan, { index, count: 3 }).shard);
    const id = specs[0]?.plan;
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(specs).toEqual([1, 2, 3].map((index) => ({ index, count: 3, plan: id })));
    const smaller = keepCases(plan, (caseId) => caseId !== plan.cases[0]?.record.id);
    expect(shardPlan(smaller, { index: 1, count: 3 }).shard?.plan).not.toBe(id);
  });
});
