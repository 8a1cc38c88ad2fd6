import { describe, expect, it } from "vitest";
import { boundedMemo } from "../../src/bounded-memo.ts";

describe("boundedMemo", () => {
  it("answers a key asked again without calling fn, and starts over empty once it holds max keys", () => {
    const asked: string[] = [];
    const upper = boundedMemo((s: string) => {
      asked.push(s);
      return s.toUpperCase();
    }, 2);
    expect([upper("a"), upper("b"), upper("a"), upper("b")]).toEqual(["A", "B", "A", "B"]);
    expect(asked).toEqual(["a", "b"]);
    // Full: "c" empties it, so "a" is computed again, and "b" then too.
    expect([upper("c"), upper("c"), upper("a"), upper("b")]).toEqual(["C", "C", "A", "B"]);
    expect(asked).toEqual(["a", "b", "c", "a", "b"]);
  });
});
