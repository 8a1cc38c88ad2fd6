import { setTimeout as sleep } from "node:timers/promises";

/**
 * Request pacing per `model@region@tier` key, shared by every worker thread: GCRA ("virtual scheduling") over a
 * BigInt64Array on a SharedArrayBuffer. Each slot holds a key's theoretical arrival time (TAT) in µs since the
 * epoch; a request reserves `start = max(now, TAT)` and moves TAT to `start + 60e6/rpm` with one compare-and-swap,
 * then sleeps until `start`. Exact at any RPM (the seed's token bucket gave 20 RPM when asked for 30), no round
 * trip to the main thread, no burst above the pace.
 */
export interface RateLimitSlot {
  buffer: SharedArrayBuffer;
  index: number;
  rpm: number;
}

/** Creates the shared table for the given keys (main thread); slots are handed to cases as plain data. */
export function createRateLimits(
  entries: readonly { key: string; rpm: number }[],
): Map<string, RateLimitSlot> {
  const buffer = new SharedArrayBuffer(Math.max(1, entries.length) * BigInt64Array.BYTES_PER_ELEMENT);
  return new Map(entries.map((e, index) => [e.key, { buffer, index, rpm: e.rpm }]));
}

/** Wall-clock µs, comparable across threads (performance.now() alone has a per-thread origin). */
export function nowMicros(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
}

/** Reserves the next slot of a key (pure on the shared state): returns how long to wait, in µs. */
export function reserve(slot: RateLimitSlot, now: bigint): bigint {
  const table = new BigInt64Array(slot.buffer);
  const interval = BigInt(Math.round(60_000_000 / slot.rpm));
  for (;;) {
    const tat = Atomics.load(table, slot.index);
    const start = tat > now ? tat : now;
    if (Atomics.compareExchange(table, slot.index, tat, start + interval) === tat) return start - now;
  }
}

/** Waits for this request's turn. Returns the wait in ms (0 when not throttled). */
export async function acquire(slot: RateLimitSlot | undefined, signal?: AbortSignal): Promise<number> {
  if (!slot) return 0;
  const waitUs = reserve(slot, nowMicros());
  if (waitUs <= 0n) return 0;
  const ms = Number(waitUs) / 1000;
  await sleep(ms, undefined, signal ? { signal } : undefined);
  return ms;
}
