// Model and judge profiles, as read from their profile files.

export type ProviderName =
  | "bedrock"
  | "openai"
  | "azure"
  | "gemini"
  | "anthropic"
  | "openai-compatible"
  | "mock";
export type ServiceTier = "default" | "priority" | "flex";

/** Settings of a simulated `mock/` model. */
export interface MockSettings {
  /** 1 answers the golden answer exactly, 0 unrelated text, between a deterministic mix. @default 0.9 */
  quality: number;
  /** @default 150 */
  ttftMs: number;
  /** @default 80 */
  tokensPerS: number;
  /** Share of calls that fail. @default 0 */
  errorRate: number;
}

/** One line of a model or judge profile file, normalised. */
export interface ModelProfile {
  /** Unique, stable key: `model_id`, `@region` for Bedrock, `_tier` when a tier is set. Part of case ids. */
  key: string;
  /** As written, with the provider prefix (`bedrock/us.amazon.nova-pro-v1:0`). */
  modelId: string;
  provider: ProviderName;
  /** Model id without the provider prefix. */
  model: string;
  region?: string;
  /** USD per 1,000 tokens. */
  inputCostPer1k: number;
  outputCostPer1k: number;
  /** USD per 1,000 prompt tokens read from the provider's cache; absent: 0.1 × the input price (Anthropic's). */
  cacheReadCostPer1k?: number;
  /** USD per 1,000 prompt tokens written to the provider's cache; absent: 1.25 × the input price (Anthropic's). */
  cacheWriteCostPer1k?: number;
  targetRpm?: number;
  serviceTier?: ServiceTier;
  baseUrl?: string;
  apiKeyEnv?: string;
  /**
   * `anthropic/` models: extended thinking's `budget_tokens` (≥ 1024), from the profile's `thinking_budget_tokens`;
   * absent, the model does not think.
   */
  thinkingBudgetTokens?: number;
  mock?: MockSettings;
  source: { file: string; line: number };
}
