// No event after an abort: a stream's events that arrive in one read (a whole answer at once, as a loaded machine or
// a fast server gives them) stop at the one being handled when the caller aborts. Before, the OpenAI and Anthropic
// paths went on with the rest of that read, and Bedrock's returned the whole answer, as if never aborted. The real
// SDKs against the simulator, which sends each answer in one go (tokensPerS 0).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeHttpAgent } from "../../../src/providers/sdk-fetch.ts";
import { type Simulator, startSimulator } from "../../../src/simulator/server.ts";
import type { ProviderName } from "../../../src/types.ts";
import { abortAtFirstText } from "../../support/abort-at-first-text.ts";
import { simulatedProfile, stubProviderCredentials } from "../../support/simulated-credentials.ts";

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 0, tokensPerS: 0, seed: "abort-mid-read" });
  stubProviderCredentials();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await closeHttpAgent();
  await sim.close();
});

describe.each([
  // OpenAI's stream ends when aborted, which the provider reads as cut short; the others fail with the abort.
  ["openai-compatible", "llama3.2", "ProviderError"],
  ["anthropic", "claude-sonnet-4-5", "AbortError"],
  ["gemini", "gemini-2.0-flash", "AbortError"],
  ["bedrock", "us.amazon.nova-lite-v1:0", "AbortError"],
] as [ProviderName, string, string][])("%s", (provider, model, failure) => {
  it("yields no text after the caller aborts, though the rest of the answer was already read", async () => {
    const { consumed, texts } = await abortAtFirstText(simulatedProfile(sim.url, provider, model), 100);
    await expect(consumed).rejects.toMatchObject({ name: failure });
    expect(texts()).toBe(1);
  });
});
