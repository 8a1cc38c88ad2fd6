import { currentEnv } from "../io-context.ts";
import type { GenerateRequest, ModelProfile, Provider, StreamEvent } from "../types.ts";
import { vendored } from "../vendor.ts";
import { apiKeyFor } from "./credentials.ts";
import { classifyAnthropicError, ProviderError, refusalOf } from "./errors.ts";
import { IMAGE_LIMITS, type LoadedImage, loadImage } from "./media.ts";
import { loadMessageImages } from "./message-images.ts";
import { sdkFetch, sdkRequestOptions } from "./sdk-fetch.ts";
import { takeSendClock } from "./send-time.ts";
import { parseToolArguments } from "./tool-arguments.ts";
import { urlCredentials } from "./url-credentials.ts";
import { warmUp } from "./warm-up.ts";

type Client = import("@anthropic-ai/sdk").Anthropic;
type Params = import("@anthropic-ai/sdk").Anthropic.MessageCreateParamsNonStreaming;
type Message = import("@anthropic-ai/sdk").Anthropic.Message;
type Usage = {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  output_tokens_details?: { thinking_tokens?: number | null } | null;
};

const clients = new Map<string, Client>();
/** A judge's verdict tool. */
export const VERDICT_TOOL = "record_verdict";
/** A target's structured output tool (the simulator knows it by this name too). */
export const OUTPUT_TOOL = "structured_output";
/** The SDK's own default, as OpenAI's: set explicitly, so the SDK does not refuse long non-streamed calls. */
const TIMEOUT_MS = 10 * 60 * 1000;

type ContentBlock = import("@anthropic-ai/sdk").Anthropic.ContentBlockParam;
type MessageParam = import("@anthropic-ai/sdk").Anthropic.MessageParam;

/**
 * The Messages API request body (pure). Each turn maps to a message: a user turn's text then its image as a base64
 * block (the request's `image` goes with the last user turn; `images` holds the turns' images by path), an
 * assistant turn with a `tool_use` block per tool call, a tool result as a `tool_result` block in a user message
 * (consecutive results share one, as the API wants). The system prompt; with the profile's
 * `thinking_budget_tokens`, extended thinking, whose budget comes on top of the answer's `max_tokens` and which
 * takes no temperature. Tools map to `tools` and `toolChoice` to `tool_choice` (`required` is `any`; with thinking,
 * which forbids forcing a tool, `auto`). Structured
 * output is a tool whose input is the answer, forced through `tool_choice`: `record_verdict` for judges,
 * `structured_output` for a target's `output_schema` (offered beside the target's own tools, then not forced); with
 * thinking on, the API allows only `auto`, and the prompt asks for the tool's JSON anyway.
 */
export function messagesBody(
  profile: ModelProfile,
  request: GenerateRequest,
  image?: LoadedImage,
  images: ReadonlyMap<string, LoadedImage> = new Map(),
): Params {
  const budget = profile.thinkingBudgetTokens;
  const lastUser = request.messages.findLastIndex((m) => m.role === "user");
  const messages: MessageParam[] = [];
  for (const [i, m] of request.messages.entries()) {
    let role: "user" | "assistant" = "user";
    let content: ContentBlock[];
    if (m.role === "tool") {
      content = [{ type: "tool_result", tool_use_id: m.toolCallId, content: m.content }];
    } else if (m.role === "assistant") {
      role = "assistant";
      content = [
        // With thinking on, a tool-calling turn goes back starting with its thinking blocks, as they came.
        ...thinkingBlocksOf(m.replay),
        // A turn of only tool calls needs no (empty) text block; any other turn keeps its text.
        ...(m.content === "" && m.toolCalls?.length ? [] : [{ type: "text" as const, text: m.content }]),
        ...(m.toolCalls ?? []).map((c) => ({
          type: "tool_use" as const,
          id: c.id,
          name: c.name,
          input: c.arguments ?? {},
        })),
      ];
    } else {
      const attached = [
        ...(m.image === undefined ? [] : [images.get(m.image)]),
        ...(i === lastUser ? [image] : []),
      ].filter((img): img is LoadedImage => img !== undefined);
      content = [
        { type: "text", text: m.content },
        ...attached.map((img) => ({
          type: "image" as const,
          source: {
            type: "base64" as const,
            media_type: img.mediaType as "image/png",
            data: img.bytes.toString("base64"),
          },
        })),
      ];
    }
    const previous = messages.at(-1);
    // The API alternates roles: a tool result after another (or a user turn after a result) joins its message.
    if (previous?.role === role && Array.isArray(previous.content)) previous.content.push(...content);
    else messages.push({ role, content });
  }
  const answerTool = answerToolOf(request);
  const tools = [
    ...(answerTool && request.jsonSchema
      ? [
          {
            name: answerTool,
            description:
              answerTool === VERDICT_TOOL
                ? "Record the scores of the evaluation."
                : "Give your answer as this tool's input.",
            input_schema: request.jsonSchema as { type: "object" },
          },
        ]
      : []),
    ...(request.tools ?? []).map((t) => ({
      name: t.name,
      ...(t.description === undefined ? {} : { description: t.description }),
      input_schema: t.parameters as { type: "object" },
    })),
  ];
  const choice: Params["tool_choice"] | undefined =
    answerTool && !request.tools?.length
      ? budget === undefined
        ? { type: "tool", name: answerTool }
        : { type: "auto" }
      : request.tools?.length && request.toolChoice !== undefined
        ? toolChoiceOf(request.toolChoice, budget !== undefined)
        : undefined;
  return {
    model: profile.model,
    max_tokens: request.maxTokens + (budget ?? 0),
    messages,
    ...(request.system ? { system: request.system } : {}),
    ...(budget === undefined
      ? { temperature: request.temperature }
      : { thinking: { type: "enabled", budget_tokens: budget } }),
    ...(tools.length > 0 ? { tools } : {}),
    ...(choice ? { tool_choice: choice } : {}),
  };
}

/** A turn's thinking and redacted thinking blocks, signatures included (the provider's `replay` event). */
type ThinkingBlock =
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "redacted_thinking"; data: string };

/**
 * The Messages API body of a request, its images loaded (the request's own and its turns'): what a live call sends,
 * and a batch request's `params`.
 */
export async function messagesRequest(profile: ModelProfile, request: GenerateRequest): Promise<Params> {
  const image = request.image
    ? await loadImage(request.image, IMAGE_LIMITS[profile.provider], request.signal)
    : undefined;
  return messagesBody(profile, request, image, await loadMessageImages(request, profile.provider));
}

/**
 * A whole (non-streamed) Message as the stream's events (pure): thinking as reasoning, text, the answer tool's input
 * as the text, any other `tool_use` block a tool call, the thinking blocks as a `replay`, then usage and finish.
 * Throws the refusal a refusing stop reason stands for. `answerTool`: the tool whose input is the answer, if any.
 */
export function* messageEvents(
  profile: Pick<ModelProfile, "key">,
  res: Pick<Message, "content" | "stop_reason" | "usage">,
  answerTool: string | undefined,
): Generator<StreamEvent> {
  const reason = res.stop_reason ?? "end_turn";
  const refused = refusalOf(reason, profile);
  if (refused) throw refused;
  const thinking: ThinkingBlock[] = [];
  for (const block of res.content) {
    if (block.type === "thinking") {
      thinking.push({ type: "thinking", thinking: block.thinking, signature: block.signature });
      yield { type: "reasoning", text: block.thinking };
    } else if (block.type === "redacted_thinking")
      thinking.push({ type: "redacted_thinking", data: block.data });
    else if (block.type === "text") yield { type: "text", text: block.text };
    else if (block.type === "tool_use" && block.name === answerTool)
      yield { type: "text", text: JSON.stringify(block.input ?? {}) };
    else if (block.type === "tool_use")
      yield { type: "tool_call", call: { id: block.id, name: block.name, arguments: block.input ?? {} } };
  }
  if (thinking.length > 0) yield { type: "replay", data: thinking };
  yield usageEvent(res.usage);
  yield {
    type: "finish",
    reason,
    ...(res.usage.service_tier ? { serviceTier: res.usage.service_tier } : {}),
  };
}

/** The thinking blocks a turn's replay data holds (none when another provider made it). */
function thinkingBlocksOf(replay: unknown): ThinkingBlock[] {
  if (!Array.isArray(replay)) return [];
  return replay.filter(
    (b): b is ThinkingBlock =>
      (b?.type === "thinking" && typeof b.signature === "string") ||
      (b?.type === "redacted_thinking" && typeof b.data === "string"),
  );
}

/** The API's tool_choice; with extended thinking it refuses a forced tool, so `required` or a named tool is `auto`. */
function toolChoiceOf(
  choice: NonNullable<GenerateRequest["toolChoice"]>,
  thinking: boolean,
): NonNullable<Params["tool_choice"]> {
  if (thinking && choice !== "none") return { type: "auto" };
  if (typeof choice === "object") return { type: "tool", name: choice.name };
  return { type: choice === "required" ? "any" : choice };
}

/** The tool whose input is the answer (a judge's verdict, a target's structured output), if the request asks for one. */
function answerToolOf(request: GenerateRequest): string | undefined {
  if (request.jsonSchema === undefined) return undefined;
  return request.judging === undefined ? OUTPUT_TOOL : VERDICT_TOOL;
}

/**
 * One client per endpoint and key source, SDK retries off (our retry policy is the only one). `base_url` is the API
 * root (`https://api.anthropic.com`, a LiteLLM proxy…), else `ANTHROPIC_BASE_URL`. The SDK sends the key as a
 * Bearer token in the Authorization header, which HTTP Basic credentials in the URL would need: refused.
 */
export async function clientFor(profile: ModelProfile): Promise<Client> {
  const key = `${profile.baseUrl ?? ""}|${profile.apiKeyEnv ?? ""}`;
  let client = clients.get(key);
  if (!client) {
    const base = urlCredentials(
      profile.baseUrl ?? currentEnv().ANTHROPIC_BASE_URL ?? "https://api.anthropic.com",
    );
    if (base.basic)
      throw new ProviderError(
        `${profile.key}: credentials in base_url (user:password@) are sent as HTTP Basic auth, which takes the ` +
          "Authorization header the API key needs; remove them from base_url",
        "auth",
      );
    const { Anthropic } = (await import(vendored("@anthropic-ai/sdk"))) as typeof import("@anthropic-ai/sdk");
    client = new Anthropic({
      apiKey: apiKeyFor(profile, "ANTHROPIC_API_KEY"),
      // Read from the run's env above, never from process.env by the SDK (a CLI run in process has its own env).
      authToken: null,
      baseURL: base.url,
      maxRetries: 0,
      timeout: TIMEOUT_MS,
      fetch: sdkFetch,
    });
    clients.set(key, client);
  }
  return client;
}

/** The usage event: `input_tokens` leaves out the cached prompt tokens, which count as input too. */
function usageEvent(usage: Usage): StreamEvent {
  const read = usage.cache_read_input_tokens ?? 0;
  const write = usage.cache_creation_input_tokens ?? 0;
  const thinking = usage.output_tokens_details?.thinking_tokens ?? 0;
  return {
    type: "usage",
    inputTokens: (usage.input_tokens ?? 0) + read + write,
    outputTokens: usage.output_tokens ?? 0,
    ...(thinking > 0 ? { reasoningTokens: thinking } : {}),
    ...(read > 0 ? { cacheReadTokens: read } : {}),
    ...(write > 0 ? { cacheWriteTokens: write } : {}),
  };
}

/**
 * Anthropic's Messages API through `@anthropic-ai/sdk` (`anthropic/<model>`, `ANTHROPIC_API_KEY`). Streams SSE
 * events: thinking deltas are the reasoning (timed as TTFR), text deltas the answer (TTFT), the answer tool's input
 * the judge's verdict or a target's structured output, any other `tool_use` block a tool call; the thinking blocks,
 * signatures included, a `replay` event (sent back first in that assistant turn, as the API requires); usage comes from `message_start` and `message_delta`, cache reads and writes included.
 */
export const anthropicProvider: Provider = {
  async prepare(profile) {
    await clientFor(profile);
    await warmUp(anthropicProvider, profile);
  },
  async *stream(profile: ModelProfile, request: GenerateRequest): AsyncIterable<StreamEvent> {
    const options = sdkRequestOptions(request.signal, takeSendClock());
    const client = await clientFor(profile);
    const body = await messagesRequest(profile, request);
    const answerTool = answerToolOf(request);
    yield { type: "request" };
    try {
      if (request.stream === false) {
        const res = await client.messages.create(body, options);
        yield { type: "meta" };
        yield* messageEvents(profile, res, answerTool);
        return;
      }
      const stream = await client.messages.create({ ...body, stream: true }, options);
      let usage: Usage = {};
      let reason: string | undefined;
      let tier: string | undefined;
      let stopped = false;
      // The model's own tool calls, by block index: their input JSON comes in fragments until the block stops.
      const calls = new Map<number, { id: string; name: string; json: string }>();
      // The thinking blocks, by block index, assembled from their deltas: sent back with a tool call's turn.
      const thinking = new Map<number, ThinkingBlock>();
      for await (const ev of stream) {
        // The SDK yields every event of a read before it notices an abort: none is delivered after it.
        request.signal?.throwIfAborted();
        yield { type: "meta" };
        if (ev.type === "content_block_delta") {
          const d = ev.delta;
          const call = calls.get(ev.index);
          const block = thinking.get(ev.index);
          if (d.type === "thinking_delta") {
            if (block?.type === "thinking") block.thinking += d.thinking;
            yield { type: "reasoning", text: d.thinking };
          } else if (d.type === "signature_delta") {
            if (block?.type === "thinking") block.signature += d.signature;
          } else if (d.type === "text_delta") yield { type: "text", text: d.text };
          else if (d.type === "input_json_delta" && call) call.json += d.partial_json;
          else if (d.type === "input_json_delta") yield { type: "text", text: d.partial_json };
        } else if (ev.type === "content_block_start") {
          const b = ev.content_block;
          if (b.type === "tool_use" && b.name !== answerTool)
            calls.set(ev.index, { id: b.id, name: b.name, json: "" });
          else if (b.type === "thinking")
            thinking.set(ev.index, { type: "thinking", thinking: b.thinking, signature: b.signature });
          else if (b.type === "redacted_thinking")
            thinking.set(ev.index, { type: "redacted_thinking", data: b.data });
        } else if (ev.type === "content_block_stop") {
          const call = calls.get(ev.index);
          if (call)
            yield {
              type: "tool_call",
              call: { id: call.id, name: call.name, arguments: parseToolArguments(call.json) },
            };
        } else if (ev.type === "message_start") {
          usage = { ...ev.message.usage };
          tier = ev.message.usage.service_tier ?? undefined;
        } else if (ev.type === "message_delta") {
          // message_delta's counts are cumulative; the ones it leaves null stay message_start's.
          for (const [k, v] of Object.entries(ev.usage))
            if (v !== null) (usage as Record<string, unknown>)[k] = v;
          reason = ev.delta.stop_reason ?? reason;
        } else if (ev.type === "message_stop") stopped = true;
      }
      // A stream cut before message_stop is a failure (retried from scratch), not a short answer.
      if (!stopped || reason === undefined)
        throw new ProviderError(`${profile.key}: the stream ended before message_stop`, "transient");
      const refused = refusalOf(reason, profile);
      if (refused) throw refused;
      if (thinking.size > 0)
        yield { type: "replay", data: [...thinking.entries()].sort(([a], [b]) => a - b).map(([, t]) => t) };
      yield usageEvent(usage);
      yield { type: "finish", reason, ...(tier ? { serviceTier: tier } : {}) };
    } catch (err) {
      // An aborted call fails with its abort's reason (a deadline's TimeoutError, Ctrl-C): the SDK ends an aborted
      // stream quietly (read here as cut short) or throws its own APIUserAbortError.
      if (request.signal?.aborted) throw request.signal.reason;
      throw classifyAnthropicError(err, profile);
    }
  },
};
