import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { createRateLimits, reserve } from "../../../src/providers/rate-limit.ts";

describe("GCRA pacing (reserve)", () => {
  it("spaces requests exactly 60/rpm apart, at any rpm, and never bursts", () => {
    for (const rpm of [30, 59, 120, 600]) {
      const slot = createRateLimits([{ key: "m", rpm }]).get("m");
      if (!slot) throw new Error("no slot");
      const interval = BigInt(Math.round(60_000_000 / rpm));
      const now = 1_000_000n;
      // 10 requests arriving at the same instant: the first goes now, each next one interval later.
      const waits = Array.from({ length: 10 }, () => reserve(slot, now));
      expect(waits).toEqual(Array.from({ length: 10 }, (_, k) => BigInt(k) * interval));
    }
  });

  it("does not bank unused time: after a pause, the pace restarts from now", () => {
    const slot = createRateLimits([{ key: "m", rpm: 60 }]).get("m");
    if (!slot) throw new Error("no slot");
    expect(reserve(slot, 0n)).toBe(0n);
    expect(reserve(slot, 10_000_000n)).toBe(0n); // 10 s later: no wait…
    expect(reserve(slot, 10_000_000n)).toBe(1_000_000n); // …and the next one is a full second after it.
  });

  it("keeps keys independent", () => {
    const limits = createRateLimits([
      { key: "a", rpm: 60 },
      { key: "b", rpm: 60 },
    ]);
    const [a, b] = [limits.get("a"), limits.get("b")];
    if (!a || !b) throw new Error("no slot");
    expect([reserve(a, 0n), reserve(b, 0n), reserve(a, 0n)]).toEqual([0n, 0n, 1_000_000n]);
  });

  it("is shared across threads through the SharedArrayBuffer: no slot is handed out twice", async () => {
    const slot = createRateLimits([{ key: "m", rpm: 6000 }]).get("m");
    if (!slot) throw new Error("no slot");
    const source = `
      const { parentPort, workerData } = require("node:worker_threads");
      const table = new BigInt64Array(workerData.buffer);
      const interval = 10000n, out = [];
      for (let i = 0; i < 500; i++) {
        for (;;) {
          const tat = Atomics.load(table, 0);
          const start = tat > 0n ? tat : 0n;
          if (Atomics.compareExchange(table, 0, tat, start + interval) === tat) { out.push(start); break; }
        }
      }
      parentPort.postMessage(out);`;
    const run = () =>
      new Promise<bigint[]>((resolve, reject) => {
        const w = new Worker(source, { eval: true, workerData: { buffer: slot.buffer } });
        w.once("message", resolve);
        w.once("error", reject);
      });
    const starts = (await Promise.all([run(), run(), run()])).flat();
    expect(new Set(starts).size).toBe(1500);
    expect(starts.sort((x, y) => (x < y ? -1 : 1)).at(-1)).toBe(1499n * 10000n);
  });
});
