import { describe, expect, it } from "vitest";
import { callTokens } from "../../../src/providers/measure-stream.ts";

describe("callTokens: output and reasoning tokens of a call", () => {
  it("takes both from the usage when the provider reports the reasoning apart", () => {
    expect(callTokens("answer", "thinking", { outputTokens: 120, reasoningTokens: 100 })).toEqual({
      outputTokens: 120,
      reasoningTokens: 100,
      tokensEstimated: false,
    });
  });

  it("counts reasoning a provider reports even when it shows no reasoning text (OpenAI's hidden reasoning)", () => {
    expect(callTokens("answer", "", { outputTokens: 50, reasoningTokens: 40 })).toMatchObject({
      reasoningTokens: 40,
      tokensEstimated: false,
    });
  });

  it("leaves reasoning out when the model did not reason", () => {
    expect(callTokens("answer", "", { outputTokens: 7, reasoningTokens: 0 })).toEqual({
      outputTokens: 7,
      tokensEstimated: false,
    });
  });

  it("splits a reported output by characters when the usage has no reasoning count (Bedrock), and says so", () => {
    // 300 characters of thinking, 100 of answer: three quarters of the 80 output tokens.
    expect(callTokens("a".repeat(100), "r".repeat(300), { outputTokens: 80 })).toEqual({
      outputTokens: 80,
      reasoningTokens: 60,
      tokensEstimated: true,
    });
  });

  it("estimates both at 4 characters a token when there is no usage at all", () => {
    expect(callTokens("a".repeat(10), "r".repeat(41), undefined)).toEqual({
      outputTokens: 3 + 11,
      reasoningTokens: 11,
      tokensEstimated: true,
    });
    expect(callTokens("a".repeat(10), "", undefined)).toEqual({ outputTokens: 3, tokensEstimated: true });
  });
});
