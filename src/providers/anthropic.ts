import { currentEnv } from "../io-context.ts";
import type { GenerateRequest, ModelProfile, Provider, StreamEvent } from "../types.ts";
import { apiKeyFor } from "./credentials.ts";
import { classifyAnthropicError, ProviderError, refusalOf } from "./errors.ts";
import { IMAGE_LIMITS, type LoadedImage, loadImage } from "./media.ts";
import { urlCredentials } from "./url-credentials.ts";
import { warmUp } from "./warm-up.ts";

type Client = import("@anthropic-ai/sdk").Anthropic;
type Params = import("@anthropic-ai/sdk").Anthropic.MessageCreateParamsNonStreaming;
type Usage = {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  output_tokens_details?: { thinking_tokens?: number | null } | null;
};

const clients = new Map<string, Client>();
const VERDICT_TOOL = "record_verdict";
/** The SDK's own default, as OpenAI's: set explicitly, so the SDK does not refuse long non-streamed calls. */
const TIMEOUT_MS = 10 * 60 * 1000;

/**
 * The Messages API request body (pure): text and a base64 image block, the system prompt, and — with the profile's
 * `thinking_budget_tokens` — extended thinking, whose budget comes on top of the answer's `max_tokens` and which
 * takes no temperature. Judges (a JSON schema) get a tool whose input is the verdict, forced through `tool_choice`;
 * with thinking on, the API allows only `auto`, and the prompt asks for the tool's JSON anyway.
 */
export function messagesBody(profile: ModelProfile, request: GenerateRequest, image?: LoadedImage): Params {
  const budget = profile.thinkingBudgetTokens;
  const content: import("@anthropic-ai/sdk").Anthropic.ContentBlockParam[] = request.messages.map((m) => ({
    type: "text",
    text: m.content,
  }));
  if (image)
    content.push({
      type: "image",
      source: {
        type: "base64",
        media_type: image.mediaType as "image/png",
        data: image.bytes.toString("base64"),
      },
    });
  return {
    model: profile.model,
    max_tokens: request.maxTokens + (budget ?? 0),
    messages: [{ role: "user", content }],
    ...(request.system ? { system: request.system } : {}),
    ...(budget === undefined
      ? { temperature: request.temperature }
      : { thinking: { type: "enabled", budget_tokens: budget } }),
    ...(request.jsonSchema
      ? {
          tools: [
            {
              name: VERDICT_TOOL,
              description: "Record the scores of the evaluation.",
              input_schema: request.jsonSchema as { type: "object" },
            },
          ],
          tool_choice: budget === undefined ? { type: "tool", name: VERDICT_TOOL } : { type: "auto" },
        }
      : {}),
  };
}

/**
 * One client per endpoint and key source, SDK retries off (our retry policy is the only one). `base_url` is the API
 * root (`https://api.anthropic.com`, a LiteLLM proxy…), else `ANTHROPIC_BASE_URL`. The SDK sends the key as a
 * Bearer token in the Authorization header, which HTTP Basic credentials in the URL would need: refused.
 */
async function clientFor(profile: ModelProfile): Promise<Client> {
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
    const { Anthropic } = await import("@anthropic-ai/sdk");
    client = new Anthropic({
      apiKey: apiKeyFor(profile, "ANTHROPIC_API_KEY"),
      // Read from the run's env above, never from process.env by the SDK (a CLI run in process has its own env).
      authToken: null,
      baseURL: base.url,
      maxRetries: 0,
      timeout: TIMEOUT_MS,
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
 * events: thinking deltas are the reasoning (timed as TTFR), text deltas the answer (TTFT), a forced tool's input
 * the judge's verdict; usage comes from `message_start` and `message_delta`, cache reads and writes included.
 */
export const anthropicProvider: Provider = {
  async prepare(profile) {
    await clientFor(profile);
    await warmUp(anthropicProvider, profile);
  },
  async *stream(profile: ModelProfile, request: GenerateRequest): AsyncIterable<StreamEvent> {
    const client = await clientFor(profile);
    const image = request.image
      ? await loadImage(request.image, IMAGE_LIMITS[profile.provider], request.signal)
      : undefined;
    const body = messagesBody(profile, request, image);
    const options = request.signal ? { signal: request.signal } : {};
    yield { type: "request" };
    try {
      if (request.stream === false) {
        const res = await client.messages.create(body, options);
        yield { type: "meta" };
        const reason = res.stop_reason ?? "end_turn";
        const refused = refusalOf(reason, profile);
        if (refused) throw refused;
        for (const block of res.content) {
          if (block.type === "thinking") yield { type: "reasoning", text: block.thinking };
          else if (block.type === "text") yield { type: "text", text: block.text };
          else if (block.type === "tool_use") yield { type: "text", text: JSON.stringify(block.input ?? {}) };
        }
        yield usageEvent(res.usage);
        yield {
          type: "finish",
          reason,
          ...(res.usage.service_tier ? { serviceTier: res.usage.service_tier } : {}),
        };
        return;
      }
      const stream = await client.messages.create({ ...body, stream: true }, options);
      let usage: Usage = {};
      let reason: string | undefined;
      let tier: string | undefined;
      let stopped = false;
      for await (const ev of stream) {
        yield { type: "meta" };
        if (ev.type === "content_block_delta") {
          const d = ev.delta;
          if (d.type === "thinking_delta") yield { type: "reasoning", text: d.thinking };
          else if (d.type === "text_delta") yield { type: "text", text: d.text };
          else if (d.type === "input_json_delta") yield { type: "text", text: d.partial_json };
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
