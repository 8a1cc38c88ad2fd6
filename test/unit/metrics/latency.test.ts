import { describe, expect, it } from "vitest";
import { MIN_DECODE_WINDOW_MS, throughput } from "../../../src/metrics/latency.ts";

describe("throughput", () => {
  it("computes decode throughput and inter-token latency over the N − 1 tokens after the first (GenAI-Perf, vLLM)", () => {
    // 101 tokens, first at 200 ms, last at 1,200 ms: 100 gaps in 1 s.
    expect(throughput(101, 200, 1200)).toEqual({ otps: 100, e2eTps: 101 / 1.2, itlMs: 10 });
    // 16 tokens at 400 tok/s: the 15 after the first take 37.5 ms — 400 tok/s, not 16 ÷ 37.5 ms = 427.
    const t = throughput(16, 100, 137.5);
    expect(t.otps).toBeCloseTo(400, 9);
    expect((t.itlMs as number) * (t.otps as number)).toBeCloseTo(1000, 9);
  });

  it("has no decode figures without a decode phase (one token, one chunk, or --no-stream where TTFT = TTLB)", () => {
    expect(throughput(50, 300, 300)).toEqual({ e2eTps: 50 / 0.3 });
    expect(throughput(1, 100, 300)).toEqual({ e2eTps: 1 / 0.3 });
    expect(throughput(0, 100, 300)).toEqual({});
    expect(throughput(5, undefined, undefined)).toEqual({});
  });

  it("has no decode figures for a window shorter than the floor, never a huge number", () => {
    // Two chunks read microseconds apart: 16 tokens in 5 µs would be 3,000,000 tok/s.
    expect(throughput(16, 100, 100.005)).toEqual({ e2eTps: 16 / 0.100005 });
    expect(throughput(2, 100, 100 + MIN_DECODE_WINDOW_MS - 0.01).otps).toBeUndefined();
    expect(throughput(2, 100, 100 + MIN_DECODE_WINDOW_MS).otps).toBe(1000 / MIN_DECODE_WINDOW_MS);
  });
});
