import { currentEnv } from "../io-context.ts";
import type { GenerateRequest, ModelProfile, Provider, StreamEvent } from "../types.ts";
import { vendored } from "../vendor.ts";
import { apiKeyFor } from "./credentials.ts";
import { classifyHttpError, ProviderError, refusalOf } from "./errors.ts";
import { IMAGE_LIMITS, loadImage } from "./media.ts";
import { loadMessageImages } from "./message-images.ts";
import { sdkFetch, sdkRequestOptions } from "./sdk-fetch.ts";
import { takeSendClock } from "./send-time.ts";
import { sseJson } from "./sse-parser.ts";
import { parseToolArguments } from "./tool-arguments.ts";
import { urlCredentials } from "./url-credentials.ts";
import { warmUp } from "./warm-up.ts";

type Client = import("openai").OpenAI;
const clients = new Map<string, Client>();
/** The SDK's module, loaded with the first client. */
let sdk: typeof import("openai") | undefined;

/**
 * One client per endpoint and key source (per thread), calling through this thread's keep-alive pool
 * (sdk-fetch.ts), SDK retries off (our retry policy is the only one). Credentials in the base URL
 * (`http://user:pass@host/v1`, e.g. a proxy in front of a local server) are sent as HTTP Basic auth.
 * `batch`: the client of the Batch and Files APIs, which for Azure names no deployment (Azure serves them at
 * `/openai/batches` and `/openai/files`; the SDK would put a client's deployment in the path of `POST /batches`).
 */
export async function clientFor(profile: ModelProfile, batch = false): Promise<Client> {
  const key = `${profile.provider}|${profile.baseUrl ?? ""}|${profile.apiKeyEnv ?? ""}|${profile.model}|${batch}`;
  let client = clients.get(key);
  if (client) return client;
  sdk ??= (await import(vendored("openai"))) as typeof import("openai");
  const { OpenAI, AzureOpenAI } = sdk;
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
      ...(batch ? {} : { deployment: profile.model }),
      apiVersion: currentEnv().OPENAI_API_VERSION ?? "2024-10-21",
      maxRetries: 0,
      fetch: sdkFetch,
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
      fetch: sdkFetch,
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
    const options = sdkRequestOptions(request.signal, takeSendClock());
    const client = await clientFor(profile);
    const body = await requestBody(profile, request);
    yield { type: "request" };
    try {
      if (request.stream === false) {
        const res = await client.chat.completions.create({ ...body, stream: false }, options);
        yield { type: "meta" };
        yield* completionEvents(res, profile);
        return;
      }
      // The SDK builds and sends the request and throws its errors; the chunks are read here, straight from the body
      // (sse-parser.ts), where the SDK's Stream takes three generators and a copy of the bytes per chunk.
      const res = await client.chat.completions
        .create({ ...body, stream: true, stream_options: { include_usage: true } }, options)
        .asResponse();
      const { APIError } = sdk as typeof import("openai");
      let finish: string | undefined;
      let tier: string | undefined;
      let first = true;
      // A call's id and name come in its first fragment, its arguments over several: gathered by index.
      const calls: { id: string; name: string; arguments: string }[] = [];
      for await (const value of sseJson(
        res.body as AsyncIterable<Uint8Array> | null,
        (error) => new APIError(undefined, error as object, undefined, res.headers),
        request.signal,
      )) {
        const chunk = value as import("openai").OpenAI.ChatCompletionChunk;
        // The first chunk times the first byte (measureStream reads no later `meta`).
        if (first) yield { type: "meta" };
        first = false;
        const choice = chunk.choices[0];
        const thought = choice ? reasoningOf(choice.delta) : undefined;
        if (thought) yield { type: "reasoning", text: thought };
        if (choice?.delta.content) yield { type: "text", text: choice.delta.content };
        for (const part of choice?.delta.tool_calls ?? []) {
          const call = calls[part.index] ?? { id: "", name: "", arguments: "" };
          calls[part.index] = call;
          if (part.id) call.id = part.id;
          if (part.function?.name) call.name = part.function.name;
          if (part.function?.arguments) call.arguments += part.function.arguments;
        }
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
      for (const call of calls)
        if (call)
          yield {
            type: "tool_call",
            call: { id: call.id, name: call.name, arguments: parseToolArguments(call.arguments) },
          };
      yield { type: "finish", reason: finish, ...(tier ? { serviceTier: tier } : {}) };
    } catch (err) {
      throw classifyHttpError(err, profile);
    }
  },
};

/**
 * What a call sends for `request` but its `stream` flag: its images loaded (a local file as a `data:` URL) and the
 * body built by `chatCompletionBody`. A batch line's body is exactly this (not streamed, the API's default).
 */
export async function requestBody(profile: ModelProfile, request: GenerateRequest) {
  const imageUrl = request.image
    ? /^https?:\/\//i.test(request.image)
      ? request.image
      : await dataUrl(request.image, profile, request.signal)
    : undefined;
  const imageUrls = new Map<string, string>();
  for (const [path, img] of await loadMessageImages(request, profile.provider, true))
    imageUrls.set(path, `data:${img.mediaType};base64,${img.bytes.toString("base64")}`);
  return chatCompletionBody(profile, request, imageUrl, imageUrls);
}

/**
 * A non-streamed chat completion's events, as a live call yields them after its `meta` (and a batch's answer is
 * read): reasoning, text, tool calls, usage, finish. A refusing finish reason (`content_filter`) throws the refusal.
 */
export function* completionEvents(
  res: import("openai").OpenAI.ChatCompletion,
  profile: ModelProfile,
): Generator<StreamEvent> {
  const choice = res.choices[0];
  const refused = refusalOf(choice?.finish_reason ?? "stop", profile);
  if (refused) throw refused;
  const thought = choice ? reasoningOf(choice.message) : undefined;
  if (thought) yield { type: "reasoning", text: thought };
  yield { type: "text", text: choice?.message.content ?? "" };
  for (const call of choice?.message.tool_calls ?? [])
    if (call.type === "function")
      yield {
        type: "tool_call",
        call: {
          id: call.id,
          name: call.function.name,
          arguments: parseToolArguments(call.function.arguments),
        },
      };
  if (res.usage) yield usageEvent(res.usage);
  yield {
    type: "finish",
    reason: choice?.finish_reason ?? "stop",
    ...(res.service_tier ? { serviceTier: res.service_tier } : {}),
  };
}

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

type OpenAIMessage = import("openai").OpenAI.ChatCompletionMessageParam;

/**
 * The chat-completions request body (pure). Each turn maps to its message: a user turn with its image as an
 * `image_url` part after the text (the request's `image` goes with the last user turn; `imageUrls` holds the
 * turns' images by path, as `data:` or http URLs), an assistant turn with its `tool_calls`, a tool result as a
 * `tool` message. Tools become `function` tools. OpenAI-compatible servers get `max_tokens` and no `response_format`
 * (many don't support json_schema): judges' prompts ask for the JSON already, and a target asked for structured
 * output gets the schema in its system prompt instead. OpenAI and Azure get `max_completion_tokens` and a JSON
 * schema: strict for judges (their schema is built for it), not for a target's own `output_schema`, which strict
 * mode's rules (every property required, no additional ones) would refuse.
 */
export function chatCompletionBody(
  profile: ModelProfile,
  request: GenerateRequest,
  imageUrl?: string,
  imageUrls: ReadonlyMap<string, string> = new Map(),
) {
  const compatible = profile.provider === "openai-compatible";
  const lastUser = request.messages.findLastIndex((m) => m.role === "user");
  const messages: OpenAIMessage[] = request.messages.map((m, i): OpenAIMessage => {
    if (m.role === "tool") return { role: "tool", tool_call_id: m.toolCallId, content: m.content };
    if (m.role === "assistant")
      return m.toolCalls?.length
        ? {
            role: "assistant",
            content: m.content === "" ? null : m.content,
            tool_calls: m.toolCalls.map((c) => ({
              id: c.id,
              type: "function" as const,
              function: {
                name: c.name,
                arguments: typeof c.arguments === "string" ? c.arguments : JSON.stringify(c.arguments ?? {}),
              },
            })),
          }
        : { role: "assistant", content: m.content };
    const urls = [
      ...(m.image === undefined ? [] : [imageUrls.get(m.image) ?? m.image]),
      ...(i === lastUser && imageUrl ? [imageUrl] : []),
    ];
    return {
      role: "user",
      content:
        urls.length === 0
          ? m.content
          : [
              { type: "text", text: m.content },
              ...urls.map((url) => ({ type: "image_url" as const, image_url: { url } })),
            ],
    };
  });
  const structured = request.jsonSchema !== undefined && request.judging === undefined;
  const system =
    structured && compatible && request.jsonSchema
      ? [request.system, schemaInstruction(request.jsonSchema)].filter(Boolean).join("\n\n")
      : request.system;
  return {
    model: profile.model,
    messages: [...(system ? [{ role: "system" as const, content: system }] : []), ...messages],
    temperature: request.temperature,
    ...(compatible ? { max_tokens: request.maxTokens } : { max_completion_tokens: request.maxTokens }),
    ...(request.tools?.length
      ? {
          tools: request.tools.map((t) => ({
            type: "function" as const,
            function: {
              name: t.name,
              ...(t.description === undefined ? {} : { description: t.description }),
              parameters: t.parameters,
            },
          })),
        }
      : {}),
    ...(request.tools?.length && request.toolChoice !== undefined
      ? { tool_choice: toolChoiceOf(request.toolChoice) }
      : {}),
    ...(request.jsonSchema && !compatible
      ? {
          response_format: {
            type: "json_schema" as const,
            json_schema: structured
              ? { name: "output", schema: request.jsonSchema, strict: false }
              : { name: "verdict", schema: request.jsonSchema, strict: true },
          },
        }
      : {}),
  };
}

function toolChoiceOf(
  choice: NonNullable<GenerateRequest["toolChoice"]>,
): import("openai").OpenAI.ChatCompletionToolChoiceOption {
  return typeof choice === "object" ? { type: "function", function: { name: choice.name } } : choice;
}

/**
 * What an OpenAI-compatible server is told instead of `response_format` when a target is asked for structured
 * output (the simulator reads the schema back from this sentence).
 */
export function schemaInstruction(schema: Record<string, unknown>): string {
  return `Answer with only a JSON value valid for this JSON Schema, and no other text:\n${JSON.stringify(schema)}`;
}

async function dataUrl(path: string, profile: ModelProfile, signal?: AbortSignal): Promise<string> {
  const img = await loadImage(path, IMAGE_LIMITS[profile.provider], signal);
  return `data:${img.mediaType};base64,${img.bytes.toString("base64")}`;
}
