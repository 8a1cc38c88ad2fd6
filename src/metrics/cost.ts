import type { ModelProfile, TierPrice } from "../types.ts";

/** What pricing reads of a profile. */
export type PricedProfile = Pick<
  ModelProfile,
  | "inputCostPer1k"
  | "outputCostPer1k"
  | "serviceTier"
  | "tierPricing"
  | "cacheReadCostPer1k"
  | "cacheWriteCostPer1k"
>;

/** Anthropic's prompt-cache prices as multiples of the input price: reads 0.1×, writes (5-minute TTL) 1.25×. */
export const CACHE_READ_MULTIPLIER = 0.1;
export const CACHE_WRITE_MULTIPLIER = 1.25;

/**
 * The prices a profile's calls are charged at, USD per 1,000 tokens: its service tier's (`default` when it names
 * none) from `tier_pricing` when that tier has one, else its own `*_token_cost`.
 */
export function callPrices(profile: PricedProfile): TierPrice {
  const tier = profile.tierPricing?.[profile.serviceTier ?? "default"];
  return tier ?? { inputPer1k: profile.inputCostPer1k, outputPer1k: profile.outputCostPer1k };
}

/**
 * USD for a call at the profile's prices (`callPrices`). `input` counts every prompt token, those read from or
 * written to the provider's prompt cache (`cache`, e.g. the MeasuredCall) included; those are priced at the
 * profile's cache prices, else at Anthropic's multiples of the input price.
 */
export function callCost(
  profile: PricedProfile,
  input: number,
  output: number,
  cache: { cacheReadTokens?: number; cacheWriteTokens?: number } = {},
): number {
  const price = callPrices(profile);
  const read = cache.cacheReadTokens ?? 0;
  const write = cache.cacheWriteTokens ?? 0;
  const readPrice = profile.cacheReadCostPer1k ?? price.inputPer1k * CACHE_READ_MULTIPLIER;
  const writePrice = profile.cacheWriteCostPer1k ?? price.inputPer1k * CACHE_WRITE_MULTIPLIER;
  return (
    ((input - read - write) / 1000) * price.inputPer1k +
    (read / 1000) * readPrice +
    (write / 1000) * writePrice +
    (output / 1000) * price.outputPer1k
  );
}
