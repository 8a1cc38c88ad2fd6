import { describe, expect, it } from "vitest";
import { modelFamily } from "../../../src/jury/family.ts";

describe("modelFamily", () => {
  it("an anthropic/ model is of Claude's family on Anthropic's API and on Bedrock alike", () => {
    const direct = modelFamily({ provider: "anthropic", model: "claude-sonnet-4-5" });
    expect(direct).toBe("anthropic");
    expect(modelFamily({ provider: "bedrock", model: "us.anthropic.claude-3-7-sonnet-20250219-v1:0" })).toBe(
      direct,
    );
    expect(modelFamily({ provider: "openai", model: "gpt-4o" })).not.toBe(direct);
  });
});
