import { describe, expect, it } from "vitest";
import { optimizationTarget } from "../../../src/optimize/model-map.ts";

const bedrock = (model: string, region = "us-east-1") => ({ provider: "bedrock" as const, model, region });

describe("optimizationTarget", () => {
  it("strips cross-region prefixes from supported models", () => {
    expect(optimizationTarget(bedrock("us.amazon.nova-pro-v1:0"))).toEqual({
      target: "amazon.nova-pro-v1:0",
    });
    expect(optimizationTarget(bedrock("eu.anthropic.claude-3-7-sonnet-20250219-v1:0", "eu-west-1"))).toEqual({
      target: "anthropic.claude-3-7-sonnet-20250219-v1:0",
    });
    expect(optimizationTarget(bedrock("meta.llama3-70b-instruct-v1:0"))).toEqual({
      target: "meta.llama3-70b-instruct-v1:0",
    });
  });

  it("maps newer models of a supported family to its nearest supported member", () => {
    expect(optimizationTarget(bedrock("us.amazon.nova-2-lite-v1:0"))).toEqual({
      target: "amazon.nova-lite-v1:0",
    });
    expect(optimizationTarget(bedrock("global.anthropic.claude-sonnet-4-5-20250929-v1:0"))).toEqual({
      target: "anthropic.claude-sonnet-4-20250514-v1:0",
    });
    expect(optimizationTarget(bedrock("us.anthropic.claude-haiku-4-5-20251001-v1:0"))).toEqual({
      target: "anthropic.claude-3-5-haiku-20241022-v1:0",
    });
  });

  it("skips other providers, unsupported regions and families, and ARNs, saying why", () => {
    expect(optimizationTarget({ provider: "openai", model: "gpt-4o" })).toEqual({
      skip: "not a Bedrock model: prompt optimization is a Bedrock feature",
    });
    expect(optimizationTarget(bedrock("us.amazon.nova-pro-v1:0", "us-east-2"))).toMatchObject({
      skip: expect.stringMatching(
        /^prompt optimization is not offered in us-east-2 \(it is in us-east-1, us-west-2/,
      ),
    });
    expect(optimizationTarget(bedrock("cohere.command-r-v1:0"))).toEqual({
      skip: "OptimizePrompt supports no model of the family of cohere.command-r-v1:0",
    });
    expect(optimizationTarget(bedrock("arn:aws:bedrock:us-east-1:123:inference-profile/x"))).toMatchObject({
      skip: expect.stringContaining("an ARN names no model family"),
    });
  });
});
