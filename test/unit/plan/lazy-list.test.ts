import { describe, expect, it } from "vitest";
import { concatLists, filterList, lazyList, mapList } from "../../../src/plan/lazy-list.ts";

describe("lazyList", () => {
  const eager = Array.from({ length: 5 }, (_, i) => ({ i, name: `c${i}` }));
  const reads: number[] = [];
  const lazy = lazyList(5, (i) => {
    reads.push(i);
    return { i, name: `c${i}` };
  });

  it("behaves as the read-only array of its elements", () => {
    expect(Array.isArray(lazy)).toBe(true);
    expect(lazy).toHaveLength(5);
    expect(lazy[2]).toEqual(eager[2]);
    expect(lazy[5]).toBeUndefined();
    expect(lazy.at(-1)).toEqual(eager[4]);
    expect([...lazy]).toEqual(eager);
    expect(lazy).toEqual(eager);
    expect(JSON.stringify(lazy)).toBe(JSON.stringify(eager));
    expect(JSON.stringify({ cases: lazy })).toBe(JSON.stringify({ cases: eager }));
    expect(lazy.map((c) => c.name)).toEqual(["c0", "c1", "c2", "c3", "c4"]);
    expect(lazy.filter((c) => c.i % 2 === 0)).toEqual([eager[0], eager[2], eager[4]]);
    expect(lazy.slice(1, 3)).toEqual(eager.slice(1, 3));
    expect(lazy.some((c) => c.i === 4)).toBe(true);
    expect(Object.keys(lazy)).toEqual(["0", "1", "2", "3", "4"]);
    expect(Array.from(lazy.entries(), ([k]) => k)).toEqual([0, 1, 2, 3, 4]);
    const seen: string[] = [];
    for (const c of lazy) seen.push(c.name);
    expect(seen).toEqual(["c0", "c1", "c2", "c3", "c4"]);
  });

  it("makes an element each time it is read, and refuses writes", () => {
    reads.length = 0;
    expect(lazy[1]).not.toBe(lazy[1]);
    expect(reads).toEqual([1, 1]);
    expect(() => {
      (lazy as { i: number; name: string }[])[0] = { i: 9, name: "x" };
    }).toThrow(TypeError);
    expect(() => (lazy as unknown[]).push(1)).toThrow(TypeError);
    expect(lazy).toHaveLength(5);
  });

  it("maps, filters and concatenates as views", () => {
    const names = mapList(lazy, (c, i) => `${c.name}@${i}`);
    expect(names).toEqual(["c0@0", "c1@1", "c2@2", "c3@3", "c4@4"]);
    const odd = filterList(lazy, (c) => c.i % 2 === 1);
    expect(odd).toEqual([eager[1], eager[3]]);
    expect(filterList(lazy, () => true)).toBe(lazy);
    expect(concatLists(odd, [{ i: 7, name: "x" }])).toEqual([eager[1], eager[3], { i: 7, name: "x" }]);
    expect(concatLists(odd, [])).toBe(odd);
  });
});
