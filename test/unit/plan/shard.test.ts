import { describe, expect, it } from "vitest";
import { parseShard, shardIds } from "../../../src/plan/shard.ts";

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
