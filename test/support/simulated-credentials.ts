import { vi } from "vitest";
import type { ModelProfile, ProviderName } from "../../src/types.ts";

/**
 * Fake credentials for every provider's real SDK, stubbed in the process env; undo with `vi.unstubAllEnvs()` after
 * the file (other files may share the process).
 */
export function stubProviderCredentials(): void {
  vi.stubEnv("OPENAI_API_KEY", "sk-simulated-openai-key-000");
  vi.stubEnv("AZURE_OPENAI_API_KEY", "simulated-azure-key-000");
  vi.stubEnv("GEMINI_API_KEY", "simulated-gemini-key-000");
  vi.stubEnv("ANTHROPIC_API_KEY", "sk-ant-simulated-anthropic-key-000");
  vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIASIMULATED0000000");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "simulated-secret-key-0000000000");
  vi.stubEnv("AWS_REGION", "us-east-1");
}

/** A `provider/model` profile pointed at the simulator at `simUrl`, with small prices. */
export function simulatedProfile(
  simUrl: string,
  provider: ProviderName,
  model: string,
  extra: Partial<ModelProfile> = {},
): ModelProfile {
  return {
    key: `${provider}/${model}`,
    modelId: `${provider}/${model}`,
    provider,
    model,
    inputCostPer1k: 0.001,
    outputCostPer1k: 0.002,
    baseUrl:
      provider === "bedrock" || provider === "gemini" || provider === "anthropic" ? simUrl : `${simUrl}/v1`,
    ...(provider === "bedrock" ? { region: "us-east-1" } : {}),
    source: { file: "t", line: 1 },
    ...extra,
  };
}
