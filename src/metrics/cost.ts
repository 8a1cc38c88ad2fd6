import type { ModelProfile } from "../types.ts";

/** Anthropic's prompt-cache prices as multiples of the input price: reads 0.1×, writes (5-minute TTL) 1.25×. */
export const CACHE_READ_MULTIPLIER = 0.1;
export const CACHE_WRITE_MULTIPLIER = 1.25;

/**
 * USD for a call: profile prices are per 1,000 tokens (the seed's unit). `input` counts every prompt token, those
 * read from or written to the provider's prompt cache (`cache`, e.g. the MeasuredCall) included; those are priced at the profile's
 * cache prices, else at Anthropic's multiples of the input price.
 */
export function callCost(
  profile: Pick<
    ModelProfile,
    "inputCostPer1k" | "outputCostPer1k" | "cacheReadCostPer1k" | "cacheWriteCostPer1k"
  >,
  input: number,
  output: number,
  cache: { cacheReadTokens?: number; cacheWriteTokens?: number } = {},
): number {
  const read = cache.cacheReadTokens ?? 0;
  const write = cache.cacheWriteTokens ?? 0;
  const readPrice = profile.cacheReadCostPer1k ?? profile.inputCostPer1k * CACHE_READ_MULTIPLIER;
  const writePrice = profile.cacheWriteCostPer1k ?? profile.inputCostPer1k * CACHE_WRITE_MULTIPLIER;
  return (
    ((input - read - write) / 1000) * profile.inputCostPer1k +
    (read / 1000) * readPrice +
    (write / 1000) * writePrice +
    (output / 1000) * profile.outputCostPer1k
  );
}
