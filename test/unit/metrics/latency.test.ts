import { describe, expect, it } from "vitest";
import { throughput } from "../../../src/metrics/latency.ts";

describe("throughput", () => {
  it("computes decode and end-to-end throughput and inter-token latency (DESIGN §7)", () => {
    // 101 tokens, first at 200 ms, last byte at 1,200 ms.
    expect(throughput(101, 200, 1200)).toEqual({ otps: 101, e2eTps: 101 / 1.2, itlMs: 10 });
  });

  it("has no decode figures without a decode phase (one chunk, or --no-stream where TTFT = TTLB)", () => {
    expect(throughput(50, 300, 300)).toEqual({ e2eTps: 50 / 0.3 });
    expect(throughput(0, 100, 300)).toEqual({});
    expect(throughput(5, undefined, undefined)).toEqual({});
  });
});
