import type { ModelProfile } from "../types.ts";

/** USD for a call: profile prices are per 1,000 tokens (the seed's unit). */
export function callCost(
  profile: Pick<ModelProfile, "inputCostPer1k" | "outputCostPer1k">,
  input: number,
  output: number,
): number {
  return (input / 1000) * profile.inputCostPer1k + (output / 1000) * profile.outputCostPer1k;
}
