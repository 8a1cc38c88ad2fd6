import type { ModelProfile, TierPrice } from "../types.ts";

/** What pricing reads of a profile. */
export type PricedProfile = Pick<
  ModelProfile,
  "inputCostPer1k" | "outputCostPer1k" | "serviceTier" | "tierPricing"
>;

/**
 * The prices a profile's calls are charged at, USD per 1,000 tokens: its service tier's (`default` when it names
 * none) from `tier_pricing` when that tier has one, else its own `*_token_cost`.
 */
export function callPrices(profile: PricedProfile): TierPrice {
  const tier = profile.tierPricing?.[profile.serviceTier ?? "default"];
  return tier ?? { inputPer1k: profile.inputCostPer1k, outputPer1k: profile.outputCostPer1k };
}

/** USD for a call of `input` and `output` tokens, at the profile's prices (`callPrices`). */
export function callCost(profile: PricedProfile, input: number, output: number): number {
  const price = callPrices(profile);
  return (input / 1000) * price.inputPer1k + (output / 1000) * price.outputPer1k;
}
