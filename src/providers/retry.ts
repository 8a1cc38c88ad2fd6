import { setTimeout as sleep } from "node:timers/promises";
import type { RetrySettings } from "../types.ts";
import { ProviderError } from "./errors.ts";

export interface RetryStats {
  attempts: number;
  retries: number;
  backoffMs: number;
}

/** Retried: throttling and transient failures (5xx, resets, timeouts, streams that died). Never auth or validation. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof ProviderError) return err.kind === "throttling" || err.kind === "transient";
  return err instanceof Error && err.name === "TimeoutError";
}

/**
 * The one retry policy (SDK retries are off): exponential backoff with full jitter — a wait drawn uniformly in
 * [0, min(cap, base·2^retry)] — but never less than the server's `Retry-After`; at most `maxAttempts` calls and
 * `maxTotalMs` of waiting. Each attempt starts from scratch: a stream that died mid-way is discarded whole.
 */
export async function withRetry<T>(
  call: (attempt: number) => Promise<T>,
  settings: RetrySettings,
  stats: RetryStats,
  signal?: AbortSignal,
  random: () => number = Math.random,
): Promise<T> {
  for (let retry = 0; ; retry++) {
    stats.attempts++;
    try {
      return await call(stats.attempts);
    } catch (err) {
      if (signal?.aborted || !isRetryable(err) || stats.attempts >= settings.maxAttempts) throw err;
      const ceiling = Math.min(settings.capMs, settings.baseMs * 2 ** retry);
      const serverAsked =
        err instanceof ProviderError && err.retryAfterS !== undefined ? err.retryAfterS * 1000 : 0;
      const wait = Math.max(serverAsked, random() * ceiling);
      if (stats.backoffMs + wait > settings.maxTotalMs) throw err;
      stats.retries++;
      stats.backoffMs += wait;
      await sleep(wait, undefined, signal ? { signal } : undefined);
    }
  }
}
