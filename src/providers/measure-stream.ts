import { performance } from "node:perf_hooks";
import type { StreamEvent } from "../types.ts";
import { type SendClock, withSendClock } from "./send-time.ts";

export interface MeasuredCall {
  text: string;
  ttftMs?: number;
  ttfbMs?: number;
  ttlbMs: number;
  inputTokens: number;
  outputTokens: number;
  tokensEstimated: boolean;
  finishReason?: string;
  serviceTierServed?: string;
  /** Chunks that carried text: decode throughput needs at least two. */
  contentChunks: number;
  /** Served from the call cache: its timings are the recorded ones, not measured now. */
  cached?: boolean;
}

/**
 * Consumes a provider stream and times it (DESIGN §7) from the moment the request reached the socket (fetch-based
 * SDKs), else the provider's `request` event (or the first pull, for providers that send none): TTFB at the first event of any kind, TTFT at the first
 * non-empty text, TTLB at the end. Token counts come from the provider's usage event; only when it sends none
 * are they estimated (≈ 4 characters a token) and flagged.
 */
export async function measureStream(
  events: AsyncIterable<StreamEvent>,
  estimateInput: () => number,
): Promise<MeasuredCall> {
  let t0 = performance.now();
  let ttfb: number | undefined;
  let ttft: number | undefined;
  let text = "";
  let contentChunks = 0;
  let usage: { inputTokens: number; outputTokens: number } | undefined;
  let finishReason: string | undefined;
  let served: string | undefined;
  // The iteration runs inside a send clock: fetch-based SDKs record when the request reached the socket.
  const clock: SendClock = {};
  const iterator = events[Symbol.asyncIterator]();
  const next = () => withSendClock(clock, () => iterator.next());
  for (let step = await next(); !step.done; step = await next()) {
    const ev = step.value;
    if (ev.type === "request") {
      t0 = performance.now();
      continue;
    }
    // Once the request is on the wire, time from there (see send-time.ts).
    if (clock.sentAt !== undefined && clock.sentAt > t0) t0 = clock.sentAt;
    const now = performance.now() - t0;
    ttfb ??= now;
    if (ev.type === "text") {
      if (ev.text.length > 0) {
        ttft ??= now;
        contentChunks++;
      }
      text += ev.text;
    } else if (ev.type === "usage") usage = { inputTokens: ev.inputTokens, outputTokens: ev.outputTokens };
    else if (ev.type === "finish") {
      finishReason = ev.reason;
      served = ev.serviceTier;
    }
  }
  const ttlb = performance.now() - t0;
  return {
    text,
    ...(ttft === undefined ? {} : { ttftMs: ttft }),
    ...(ttfb === undefined ? {} : { ttfbMs: ttfb }),
    ttlbMs: ttlb,
    inputTokens: usage?.inputTokens ?? estimateInput(),
    outputTokens: usage?.outputTokens ?? Math.ceil(text.length / 4),
    tokensEstimated: usage === undefined,
    contentChunks,
    ...(finishReason === undefined ? {} : { finishReason }),
    ...(served === undefined ? {} : { serviceTierServed: served }),
  };
}
