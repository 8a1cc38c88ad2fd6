import { totalmem } from "node:os";
import { describe, expect, it } from "vitest";
import { defaultWorkerMemoryMb } from "../../../src/runner/piscina-pool.ts";

describe("defaultWorkerMemoryMb", () => {
  it("shares half the machine's memory among the workers, between 256 and 4096 MB", () => {
    const halfMb = totalmem() / 2 ** 20 / 2;
    for (const workers of [1, 2, 4, 64, 100_000]) {
      const mb = defaultWorkerMemoryMb(workers);
      expect(mb).toBe(Math.min(4096, Math.max(256, Math.floor(halfMb / workers))));
      expect(mb * workers <= halfMb || mb === 256).toBe(true);
    }
    expect(defaultWorkerMemoryMb(100_000)).toBe(256);
  });
});
