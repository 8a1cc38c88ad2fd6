import { describe, expect, it } from "vitest";
import { ProviderError } from "../../../src/providers/errors.ts";
import { isRetryable, withRetry } from "../../../src/providers/retry.ts";

const settings = { maxAttempts: 4, baseMs: 2, capMs: 8, maxTotalMs: 1000 };
const failing = (errors: Error[]) => {
  let i = 0;
  return async () => {
    const e = errors[i++];
    if (e) throw e;
    return "ok";
  };
};
const stats = () => ({ attempts: 0, retries: 0, backoffMs: 0 });

describe("withRetry", () => {
  it("retries throttling and transient errors with full-jitter backoff, and records it", async () => {
    const s = stats();
    const draws = [0.5, 1, 0.25];
    const result = await withRetry(
      failing([
        new ProviderError("429", "throttling", 429),
        new ProviderError("503", "transient", 503),
        new ProviderError("reset", "transient"),
      ]),
      settings,
      s,
      undefined,
      () => draws.shift() ?? 0,
    );
    expect(result).toBe("ok");
    // Waits: 0.5·min(8, 2·2⁰) = 1, 1·min(8, 2·2¹) = 4, 0.25·min(8, 2·2²) = 2.
    expect(s).toEqual({ attempts: 4, retries: 3, backoffMs: 7 });
  });

  it("never retries auth or invalid requests", async () => {
    const s = stats();
    await expect(withRetry(failing([new ProviderError("no", "auth", 401)]), settings, s)).rejects.toThrow(
      "no",
    );
    expect(s).toEqual({ attempts: 1, retries: 0, backoffMs: 0 });
    expect(isRetryable(new ProviderError("bad", "invalid_request", 400))).toBe(false);
    expect(isRetryable(new Error("bug"))).toBe(false);
  });

  it("stops at maxAttempts and gives the last error", async () => {
    const s = stats();
    const errors = Array.from({ length: 9 }, (_, i) => new ProviderError(`t${i}`, "transient"));
    await expect(withRetry(failing(errors), settings, s, undefined, () => 0)).rejects.toThrow("t3");
    expect(s.attempts).toBe(4);
  });

  it("honours Retry-After as a floor, and the cap on total waiting", async () => {
    const s = stats();
    await withRetry(
      failing([new ProviderError("429", "throttling", 429, 0.02)]),
      settings,
      s,
      undefined,
      () => 0,
    );
    expect(s.backoffMs).toBe(20);
    const capped = stats();
    const slow = new ProviderError("429", "throttling", 429, 5);
    await expect(withRetry(failing([slow]), settings, capped, undefined, () => 0)).rejects.toBe(slow);
    expect(capped).toEqual({ attempts: 1, retries: 0, backoffMs: 0 });
  });
});
