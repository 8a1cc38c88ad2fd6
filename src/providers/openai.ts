import { currentEnv } from "../io-context.ts";
import type { GenerateRequest, ModelProfile, Provider, StreamEvent } from "../types.ts";
import { apiKeyFor } from "./credentials.ts";
import { classifyHttpError, ProviderError, refusalOf } from "./errors.ts";
import { IMAGE_LIMITS, loadImage } from "./media.ts";
import { urlCredentials } from "./url-credentials.ts";
import { warmUp } from "./warm-up.ts";

type Client = import("openai").OpenAI;
const clients = new Map<string, Client>();

/**
 * One client per endpoint and key source, SDK retries off (our retry policy is the only one). Credentials in the
 * base URL (`http://user:pass@host/v1`, e.g. a proxy in front of a local server) are sent as HTTP Basic auth.
 */
async function clientFor(profile: ModelProfile): Promise<Client> {
  const key = `${profile.provider}|${profile.baseUrl ?? ""}|${profile.apiKeyEnv ?? ""}|${profile.model}`;
  let client = clients.get(key);
  if (client) return client;
  const { OpenAI, AzureOpenAI } = await import("openai");
  if (profile.provider === "azure") {
    const endpoint = urlCredentials(profile.baseUrl ?? currentEnv().AZURE_OPENAI_ENDPOINT ?? "");
    if (!endpoint.url)
      throw new ProviderError(
        `no endpoint for ${profile.key}: set base_url in the profile or AZURE_OPENAI_ENDPOINT`,
        "auth",
      );
    // Azure's key goes in its own `api-key` header: Basic auth can go with it.
    client = new AzureOpenAI({
      endpoint: endpoint.url,
      apiKey: apiKeyFor(profile, "AZURE_OPENAI_API_KEY"),
      deployment: profile.model,
      apiVersion: currentEnv().OPENAI_API_VERSION ?? "2024-10-21",
      maxRetries: 0,
      ...(endpoint.basic ? { defaultHeaders: { Authorization: endpoint.basic } } : {}),
    });
  } else {
    const local = profile.provider === "openai-compatible";
    if (local && !profile.baseUrl)
      throw new ProviderError(
        `${profile.key} needs a base_url (e.g. http://localhost:11434/v1 for Ollama)`,
        "invalid_request",
      );
    const base = profile.baseUrl ? urlCredentials(profile.baseUrl) : undefined;
    // OpenAI's key is a Bearer token in the same Authorization header that Basic auth needs: one or the other.
    if (base?.basic && (!local || profile.apiKeyEnv))
      throw new ProviderError(
        `${profile.key}: credentials in base_url (user:password@) are sent as HTTP Basic auth, which takes the ` +
          `Authorization header an API key needs; ${local ? "remove api_key_env from the profile or " : ""}` +
          "remove them from base_url",
        "auth",
      );
    client = new OpenAI({
      // With Basic auth no key is sent: not OPENAI_API_KEY to a server that is not OpenAI's.
      apiKey: (base?.basic ? undefined : apiKeyFor(profile, "OPENAI_API_KEY", !local)) ?? "not-needed",
      ...(base ? { baseURL: base.url } : {}),
      maxRetries: 0,
      ...(base?.basic ? { defaultHeaders: { Authorization: base.basic } } : {}),
    });
  }
  clients.set(key, client);
  return client;
}

/**
 * OpenAI chat completions, also for Azure OpenAI (`azure/<deployment>`) and any OpenAI-compatible server
 * (`openai-compatible/<model>` with `base_url`: Ollama, vLLM, LM Studio, LiteLLM). Streams with
 * `include_usage`; a server that sends no usage leaves token counts to the caller's estimate.
 */
export const openaiProvider: Provider = {
  async prepare(profile) {
    await clientFor(profile);
    await warmUp(openaiProvider, profile);
  },
  async *stream(profile: ModelProfile, request: GenerateRequest): AsyncIterable<StreamEvent> {
    const client = await clientFor(profile);
    const imageUrl = request.image
      ? /^https?:\/\//i.test(request.image)
        ? request.image
        : await dataUrl(request.image, profile, request.signal)
      : undefined;
    const body = chatCompletionBody(profile, request, imageUrl);
    const options = request.signal ? { signal: request.signal } : {};
    yield { type: "request" };
    try {
      if (request.stream === false) {
        const res = await client.chat.completions.create({ ...body, stream: false }, options);
        yield { type: "meta" };
        const choice = res.choices[0];
        const refused = refusalOf(choice?.finish_reason ?? "stop", profile);
        if (refused) throw refused;
        const thought = choice ? reasoningOf(choice.message) : undefined;
        if (thought) yield { type: "reasoning", text: thought };
        yield { type: "text", text: choice?.message.content ?? "" };
        if (res.usage) yield usageEvent(res.usage);
        yield {
          type: "finish",
          reason: choice?.finish_reason ?? "stop",
          ...(res.service_tier ? { serviceTier: res.service_tier } : {}),
        };
        return;
      }
      const stream = await client.chat.completions.create(
        { ...body, stream: true, stream_options: { include_usage: true } },
        options,
      );
      let finish: string | undefined;
      let tier: string | undefined;
      for await (const chunk of stream) {
        yield { type: "meta" };
        const choice = chunk.choices[0];
        const thought = choice ? reasoningOf(choice.delta) : undefined;
        if (thought) yield { type: "reasoning", text: thought };
        if (choice?.delta.content) yield { type: "text", text: choice.delta.content };
        if (choice?.finish_reason) finish = choice.finish_reason;
        if (chunk.service_tier) tier = chunk.service_tier;
        if (chunk.usage) yield usageEvent(chunk.usage);
      }
      // A stream cut before its finish reason is a failure (retried from scratch), not a short answer.
      if (finish === undefined)
        throw new ProviderError(
          `${profile.key}: the stream ended before the response was complete`,
          "transient",
        );
      const refused = refusalOf(finish, profile);
      if (refused) throw refused;
      yield { type: "finish", reason: finish, ...(tier ? { serviceTier: tier } : {}) };
    } catch (err) {
      throw classifyHttpError(err, profile);
    }
  },
};

/**
 * The reasoning in a message or delta: `reasoning_content` (vLLM, DeepSeek, LM Studio) or `reasoning` (Ollama,
 * OpenRouter, newer vLLM). Neither is in OpenAI's own types.
 */
function reasoningOf(part: object): string | undefined {
  const { reasoning_content, reasoning } = part as { reasoning_content?: unknown; reasoning?: unknown };
  const text = reasoning_content ?? reasoning;
  return typeof text === "string" ? text : undefined;
}

/** The usage event; `completion_tokens` counts reasoning tokens, `completion_tokens_details` says how many. */
function usageEvent(usage: import("openai").OpenAI.CompletionUsage): StreamEvent {
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  return {
    type: "usage",
    inputTokens: usage.prompt_tokens,
    outputTokens: usage.completion_tokens,
    ...(typeof reasoning === "number" ? { reasoningTokens: reasoning } : {}),
  };
}

/**
 * The chat-completions request body (pure). OpenAI-compatible servers get `max_tokens` and no
 * `response_format` (many don't support json_schema); OpenAI and Azure get `max_completion_tokens` and, for
 * judges, a strict JSON schema.
 */
export function chatCompletionBody(profile: ModelProfile, request: GenerateRequest, imageUrl?: string) {
  const compatible = profile.provider === "openai-compatible";
  const text = request.messages.map((m) => m.content).join("\n");
  const content: string | import("openai").OpenAI.ChatCompletionContentPart[] = imageUrl
    ? [
        { type: "text", text },
        { type: "image_url", image_url: { url: imageUrl } },
      ]
    : text;
  return {
    model: profile.model,
    messages: [
      ...(request.system ? [{ role: "system" as const, content: request.system }] : []),
      { role: "user" as const, content },
    ],
    temperature: request.temperature,
    ...(compatible ? { max_tokens: request.maxTokens } : { max_completion_tokens: request.maxTokens }),
    ...(request.jsonSchema && !compatible
      ? {
          response_format: {
            type: "json_schema" as const,
            json_schema: { name: "verdict", schema: request.jsonSchema, strict: true },
          },
        }
      : {}),
  };
}

async function dataUrl(path: string, profile: ModelProfile, signal?: AbortSignal): Promise<string> {
  const img = await loadImage(path, IMAGE_LIMITS[profile.provider], signal);
  return `data:${img.mediaType};base64,${img.bytes.toString("base64")}`;
}
