import { describe, expect, it } from "vitest";
import { IdIndex } from "../../../src/metrics/id-index.ts";

describe("IdIndex", () => {
  // 5,000 ids in 16,384 slots: hundreds share a first slot and are found by probing.
  it("finds every id at its position, and no id it was not given", () => {
    const ids = Array.from({ length: 5000 }, (_, i) => (i * 2654435761).toString(16).padStart(16, "0"));
    const index = new IdIndex((i) => ids[i] as string, ids.length);
    for (const [i, id] of ids.entries()) expect(index.get(id)).toBe(i);
    expect(index.get("not an id")).toBeUndefined();
    expect(index.get("")).toBeUndefined();
  });

  it("finds an id listed twice at its last position, as a Map set in order would", () => {
    const ids = ["c1", "c2", "c1", "3f9a1c0b7d2e"];
    const index = new IdIndex((i) => ids[i] as string, ids.length);
    expect(["c1", "c2", "3f9a1c0b7d2e", "c3"].map((id) => index.get(id))).toEqual([2, 1, 3, undefined]);
    const empty = new IdIndex(() => "", 0);
    expect(empty.get("c1")).toBeUndefined();
  });
});
