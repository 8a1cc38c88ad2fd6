/**
 * The shortest decode window (ms) from which decode throughput and inter-token latency are computed. Below it
 * the window measures the transport, not the model: two chunks delivered by one network read (or one burst of
 * an HTTP/2 frame) reach the reader microseconds apart, and Node's timers — which pace the simulator and
 * `mock/` — fire with about 1 ms resolution and a few ms of lateness under load. 5 ms is a few such reads or
 * ticks; a 400 tok/s model needs 2.5 ms per token, so its 2-token answers (one inter-token gap) have no figure
 * rather than one that may be off by a factor of 100 or 1,000,000.
 */
export const MIN_DECODE_WINDOW_MS = 5;

/**
 * Throughput figures from stream timings (DESIGN §7), by the definitions of NVIDIA GenAI-Perf and vLLM's
 * `benchmark_serving`: the first token's time is TTFT, so the decode phase produces the other N − 1 tokens.
 *
 * - `itlMs` = (TTLB − TTFT) ÷ (N − 1), `otps` = (N − 1) ÷ (TTLB − TTFT) in seconds: ITL × OTPS = 1,000.
 * - `e2eTps` = N ÷ TTLB in seconds.
 *
 * `otps` and `itlMs` are left out (null in reports) when N ≤ 1 or the decode window is under
 * `MIN_DECODE_WINDOW_MS` — one-chunk answers and `--no-stream`, where TTFT = TTLB, included.
 */
export function throughput(
  outputTokens: number,
  ttftMs: number | undefined,
  ttlbMs: number | undefined,
): { otps?: number; e2eTps?: number; itlMs?: number } {
  const out: { otps?: number; e2eTps?: number; itlMs?: number } = {};
  if (ttlbMs === undefined || outputTokens <= 0) return out;
  if (ttlbMs > 0) out.e2eTps = outputTokens / (ttlbMs / 1000);
  if (ttftMs === undefined || outputTokens <= 1) return out;
  const decode = ttlbMs - ttftMs;
  if (decode >= MIN_DECODE_WINDOW_MS) {
    out.otps = (outputTokens - 1) / (decode / 1000);
    out.itlMs = decode / (outputTokens - 1);
  }
  return out;
}
