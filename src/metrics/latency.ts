/**
 * Throughput figures from stream timings (DESIGN §7). Undefined where a figure has no meaning: decode throughput
 * and inter-token latency need a decode phase (ttlb > ttft), which one-chunk answers and --no-stream lack.
 */
export function throughput(
  outputTokens: number,
  ttftMs: number | undefined,
  ttlbMs: number | undefined,
): { otps?: number; e2eTps?: number; itlMs?: number } {
  const out: { otps?: number; e2eTps?: number; itlMs?: number } = {};
  if (ttlbMs === undefined || outputTokens <= 0) return out;
  if (ttlbMs > 0) out.e2eTps = outputTokens / (ttlbMs / 1000);
  if (ttftMs !== undefined) {
    const decode = ttlbMs - ttftMs;
    if (decode > 0) {
      out.otps = outputTokens / (decode / 1000);
      if (outputTokens > 1) out.itlMs = decode / (outputTokens - 1);
    }
  }
  return out;
}
