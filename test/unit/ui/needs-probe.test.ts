import { describe, expect, it } from "vitest";
import { needsProbe } from "../../../src/ui/api/setup.ts";

const nova = {
  provider: "bedrock",
  modelId: "bedrock/us.amazon.nova-pro-v1:0",
  model: "us.amazon.nova-pro-v1:0",
  region: "us-west-2",
} as const;
const probed = { [`${nova.modelId}@us-west-2`]: { tiers: { default: { available: true } } } };

describe("needsProbe", () => {
  it("is true only for a Bedrock model with a region that the capability cache does not know", () => {
    expect(needsProbe(nova, {})).toBe(true);
    expect(needsProbe(nova, probed)).toBe(false);
    expect(needsProbe({ ...nova, region: "eu-west-1" }, probed)).toBe(true);
    // What `evals probe` never probes: no region, or not Bedrock.
    expect(needsProbe({ ...nova, region: undefined }, {})).toBe(false);
    expect(needsProbe({ provider: "mock", modelId: "mock/good", model: "good", region: undefined }, {})).toBe(
      false,
    );
    expect(needsProbe({ ...nova, provider: "openai" }, {})).toBe(false);
  });
});
