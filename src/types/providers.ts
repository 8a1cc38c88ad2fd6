// What a provider implements: one streamed completion per request.
import type { ModelProfile } from "./profiles.ts";

export interface ChatMessage {
  role: "user" | "assistant";
  content: string;
}

export interface GenerateRequest {
  system?: string;
  messages: ChatMessage[];
  temperature: number;
  maxTokens: number;
  image?: string;
  /** Stream the answer (the default) or make one blocking call; judges don't stream. @default true */
  stream?: boolean;
  /** 1 for the first call, 2 for its first retry…: lets simulated failures differ between attempts. */
  attempt?: number;
  /** Deterministic seed for simulated providers (the case id). */
  seed: string;
  signal?: AbortSignal;
  /** The scenario's golden answer. Only `mock/` reads it, to imitate a model of a given quality. */
  mockGolden?: string;
  /** Set when the call is a judge's; lets `mock/` score without an LLM. Real providers ignore it. */
  judging?: JudgeContext;
  /** Asks for JSON matching this schema where the provider supports structured output. */
  jsonSchema?: Record<string, unknown>;
}

export interface JudgeContext {
  prompt: string;
  golden?: string;
  response: string;
  dimensions: readonly { key: string; name: string }[];
}

/** A streamed chunk from a provider. */
export type StreamEvent =
  /** The request is about to go on the wire: timing starts here (client setup and image loading excluded). */
  | { type: "request" }
  /** Answer text: what the task (and the judges) get. */
  | { type: "text"; text: string }
  /** A reasoning model's thinking (reasoning_content, reasoningContent, thought parts): timed, kept, never judged. */
  | { type: "reasoning"; text: string }
  | { type: "meta" }
  /**
   * Token usage as the provider reports it. `outputTokens` is every billed output token, reasoning included;
   * `reasoningTokens` is the reasoning part of it, when the provider reports it apart. `inputTokens` counts every
   * prompt token; `cacheReadTokens` / `cacheWriteTokens` are the part read from / written to the prompt cache.
   */
  | {
      type: "usage";
      inputTokens: number;
      outputTokens: number;
      reasoningTokens?: number;
      cacheReadTokens?: number;
      cacheWriteTokens?: number;
    }
  | { type: "finish"; reason: string; serviceTier?: string };

export interface Provider {
  /**
   * Readies the client for a profile (SDK import, client, lazily loaded HTTP stack) outside any timing, so
   * the first measured call of a worker is not slower than the rest.
   */
  prepare?(profile: ModelProfile): Promise<void>;
  /** Streams a completion; timing is measured by the caller on these events. */
  stream(profile: ModelProfile, request: GenerateRequest): AsyncIterable<StreamEvent>;
}
