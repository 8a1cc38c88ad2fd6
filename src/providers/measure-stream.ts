import { performance } from "node:perf_hooks";
import type { StreamEvent, ToolCall } from "../types.ts";
import { offerSendClock, type SendClock } from "./send-time.ts";

export interface MeasuredCall {
  /** The answer: what the caller (and the judges) get. */
  text: string;
  /** A reasoning model's thinking, apart from the answer; absent when there was none. */
  reasoning?: string;
  /** First answer token. */
  ttftMs?: number;
  /** First reasoning token. */
  ttfrMs?: number;
  ttfbMs?: number;
  ttlbMs: number;
  inputTokens: number;
  /** Reasoning included. */
  outputTokens: number;
  /** The part of `outputTokens` spent reasoning; absent when the call did not reason. */
  reasoningTokens?: number;
  /** The part of `inputTokens` read from the provider's prompt cache (priced lower); absent when none. */
  cacheReadTokens?: number;
  /** The part of `inputTokens` written to the provider's prompt cache (priced higher); absent when none. */
  cacheWriteTokens?: number;
  tokensEstimated: boolean;
  finishReason?: string;
  serviceTierServed?: string;
  /** Chunks that carried text: decode throughput needs at least two. */
  contentChunks: number;
  /** Served from the call cache: its timings are the recorded ones, not measured now. */
  cached?: boolean;
  /** Answered by a provider batch engine (issue 21): no timing was measured (`ttlbMs` 0, the others absent); batch prices. */
  batched?: boolean;
  /** The tools the model called, in order; absent when it called none. */
  toolCalls?: ToolCall[];
  /** What the provider needs sent back with this turn (the assistant `ChatMessage`'s `replay`); absent when none. */
  replay?: unknown;
}

/**
 * Consumes a provider stream and times it (DESIGN §7) from the moment the request was written to its connection
 * (undici's diagnostics for the fetch-based SDKs, the HTTP/2 headers write for Bedrock's: see send-time.ts), else
 * the provider's `request` event (or the first pull, for providers that send none): TTFB at the first event of any
 * kind, TTFT at the first non-empty answer text, TTFR at the first non-empty reasoning text, TTLB at the end. Token counts come from the
 * provider's usage event; only when it sends none are they estimated (≈ 4 characters a token) and flagged. Reasoning
 * tokens, part of the output tokens, come from the usage when the provider reports them apart; else they are
 * estimated the same way (see `callTokens`) and flagged.
 */
export async function measureStream(
  events: AsyncIterable<StreamEvent>,
  estimateInput: () => number,
): Promise<MeasuredCall> {
  let t0 = performance.now();
  let ttfb: number | undefined;
  let ttft: number | undefined;
  let ttfr: number | undefined;
  let text = "";
  let reasoning = "";
  let contentChunks = 0;
  let usage: Extract<StreamEvent, { type: "usage" }> | undefined;
  let finishReason: string | undefined;
  let served: string | undefined;
  const toolCalls: ToolCall[] = [];
  let replay: unknown;
  // The provider's stream takes this clock as it starts and its SDK records on it when the request reached the
  // socket (see send-time.ts).
  const clock: SendClock = {};
  const iterator = events[Symbol.asyncIterator]();
  for (
    let step = await offerSendClock(clock, () => iterator.next());
    !step.done;
    step = await iterator.next()
  ) {
    const ev = step.value;
    if (ev.type === "request") {
      t0 = performance.now();
      continue;
    }
    // Once the request is on the wire, time from there (see send-time.ts).
    if (clock.sentAt !== undefined && clock.sentAt > t0) t0 = clock.sentAt;
    const now = performance.now() - t0;
    ttfb ??= now;
    if (ev.type === "text") {
      if (ev.text.length > 0) {
        ttft ??= now;
        contentChunks++;
      }
      text += ev.text;
    } else if (ev.type === "reasoning") {
      if (ev.text.length > 0) ttfr ??= now;
      reasoning += ev.text;
    } else if (ev.type === "tool_call") toolCalls.push(ev.call);
    else if (ev.type === "replay") replay = ev.data;
    else if (ev.type === "usage") usage = ev;
    else if (ev.type === "finish") {
      finishReason = ev.reason;
      served = ev.serviceTier;
    }
  }
  const ttlb = performance.now() - t0;
  const tokens = callTokens(text, reasoning, usage);
  return {
    text,
    ...(reasoning ? { reasoning } : {}),
    ...(ttft === undefined ? {} : { ttftMs: ttft }),
    ...(ttfr === undefined ? {} : { ttfrMs: ttfr }),
    ...(ttfb === undefined ? {} : { ttfbMs: ttfb }),
    ttlbMs: ttlb,
    inputTokens: usage?.inputTokens ?? estimateInput(),
    ...(usage?.cacheReadTokens ? { cacheReadTokens: usage.cacheReadTokens } : {}),
    ...(usage?.cacheWriteTokens ? { cacheWriteTokens: usage.cacheWriteTokens } : {}),
    ...tokens,
    contentChunks,
    ...(finishReason === undefined ? {} : { finishReason }),
    ...(served === undefined ? {} : { serviceTierServed: served }),
    ...(toolCalls.length > 0 ? { toolCalls } : {}),
    ...(replay === undefined ? {} : { replay }),
  };
}

/**
 * Output and reasoning tokens of a call (pure): the usage's where it gives them, else ≈ 4 characters a token.
 * When the usage gives the output but no reasoning count, the reasoning's share of the output is its share of
 * the characters (the same assumption, held to the reported total).
 */
export function callTokens(
  text: string,
  reasoning: string,
  usage: { outputTokens: number; reasoningTokens?: number } | undefined,
): { outputTokens: number; reasoningTokens?: number; tokensEstimated: boolean } {
  const guess = (s: string) => Math.ceil(s.length / 4);
  if (usage === undefined) {
    const reasoningTokens = guess(reasoning);
    return {
      outputTokens: guess(text) + reasoningTokens,
      ...(reasoningTokens > 0 ? { reasoningTokens } : {}),
      tokensEstimated: true,
    };
  }
  if (usage.reasoningTokens !== undefined && usage.reasoningTokens > 0)
    return {
      outputTokens: usage.outputTokens,
      reasoningTokens: usage.reasoningTokens,
      tokensEstimated: false,
    };
  if (!reasoning) return { outputTokens: usage.outputTokens, tokensEstimated: false };
  // The same characters-per-token assumption, held to the reported total: the output split by characters.
  const share = reasoning.length / (reasoning.length + text.length);
  return {
    outputTokens: usage.outputTokens,
    reasoningTokens: Math.round(usage.outputTokens * share),
    tokensEstimated: true,
  };
}
