import type { GenerateRequest, ModelProfile, Provider, StreamEvent } from "../types.ts";
import { vendored } from "../vendor.ts";
import { apiKeyFor } from "./credentials.ts";
import { classifyHttpError, ProviderError, refusalOf } from "./errors.ts";
import { IMAGE_LIMITS, type LoadedImage, loadImage } from "./media.ts";
import { loadMessageImages } from "./message-images.ts";
import { takeSendClock, withOptionalSendClock } from "./send-time.ts";
import { warmUp } from "./warm-up.ts";

type Client = import("@google/genai").GoogleGenAI;
const clients = new Map<string, Client>();

/**
 * Gemini 3 refuses a replayed function call without the `thoughtSignature` it came with (400 "Function call is
 * missing a thought_signature"). A ToolCall keeps no signature, so a model turn's first call carries Google's
 * documented placeholder (https://ai.google.dev/gemini-api/docs/thought-signatures); Gemini 1 and 2 get none.
 */
const SKIP_SIGNATURE = "skip_thought_signature_validator";

type Content = import("@google/genai").Content;
type Part = import("@google/genai").Part;
type GenerateContentResponse = import("@google/genai").GenerateContentResponse;

/**
 * The generateContent parameters (pure): the conversation as contents (a turn per role: text, inline images,
 * `functionCall` parts in the model's turns, `functionResponse` parts in the user's), config, the tools and the
 * function-calling mode, and a JSON response schema for structured output (judges' and targets').
 * `image` is the request's own image, in the last user turn; `turnImages` the messages' images, by the path or URL they name.
 */
export function generateParams(
  profile: ModelProfile,
  request: GenerateRequest,
  image?: LoadedImage,
  turnImages: ReadonlyMap<string, LoadedImage> = new Map(),
) {
  const lastUser = request.messages.findLastIndex((m) => m.role === "user");
  const signs = !/^gemini-[12][.-]/.test(profile.model);
  const contents: Content[] = [];
  request.messages.forEach((m, i) => {
    const role = m.role === "assistant" ? "model" : "user";
    const parts: Part[] = [];
    if (m.role === "tool")
      parts.push({ functionResponse: { name: m.name, response: responseOf(m.content) } });
    else if (m.content || m.role === "user" || !m.toolCalls?.length) parts.push({ text: m.content });
    for (const img of [
      m.role === "user" && m.image ? turnImages.get(m.image) : undefined,
      i === lastUser ? image : undefined,
    ])
      if (img) parts.push({ inlineData: { mimeType: img.mediaType, data: img.bytes.toString("base64") } });
    if (m.role === "assistant")
      for (const [n, call] of (m.toolCalls ?? []).entries())
        parts.push({
          functionCall: { name: call.name, args: call.arguments as Record<string, unknown> },
          ...(n === 0 && signs ? { thoughtSignature: SKIP_SIGNATURE } : {}),
        });
    // A turn per role: consecutive messages of a role (tool results) share one.
    const previous = contents.at(-1);
    if (previous?.role === role) previous.parts?.push(...parts);
    else contents.push({ role, parts });
  });
  const tools = request.toolChoice === "none" ? [] : (request.tools ?? []);
  return {
    model: profile.model,
    contents,
    config: {
      temperature: request.temperature,
      maxOutputTokens: request.maxTokens,
      ...(request.system ? { systemInstruction: request.system } : {}),
      ...(request.jsonSchema
        ? { responseMimeType: "application/json", responseJsonSchema: request.jsonSchema }
        : {}),
      ...(tools.length > 0
        ? {
            tools: [
              {
                functionDeclarations: tools.map((t) => ({
                  name: t.name,
                  ...(t.description ? { description: t.description } : {}),
                  parametersJsonSchema: t.parameters,
                })),
              },
            ],
            toolConfig: { functionCallingConfig: callingConfig(request.toolChoice) },
          }
        : {}),
      ...(request.signal ? { abortSignal: request.signal } : {}),
    },
  };
}

/**
 * The generateContent parameters of a request, its images loaded (the request's own and its turns'): what a live
 * call sends, and a batch's inlined request.
 */
export async function generateRequest(profile: ModelProfile, request: GenerateRequest) {
  const limit = IMAGE_LIMITS[profile.provider];
  const image = request.image ? await loadImage(request.image, limit, request.signal) : undefined;
  return generateParams(profile, request, image, await loadMessageImages(request, profile.provider));
}

/**
 * The tool calls already in a conversation. Gemini gives no call ids: `<name>#<n>`, n counting the conversation's
 * calls, so ids never repeat in it.
 */
export function callsIn(request: GenerateRequest): number {
  return request.messages.reduce((n, m) => n + (m.role === "assistant" ? (m.toolCalls?.length ?? 0) : 0), 0);
}

/** A response's (or a streamed chunk's) thinking, text and function calls as events; `nextCall` numbers the calls. */
export function* partEvents(res: GenerateContentResponse, nextCall: () => number): Generator<StreamEvent> {
  const parts = res.candidates?.[0]?.content?.parts ?? [];
  const join = (thought: boolean) =>
    parts
      .filter((p) => Boolean(p.thought) === thought)
      .map((p) => p.text ?? "")
      .join("");
  const thought = join(true);
  if (thought) yield { type: "reasoning", text: thought };
  const text = join(false);
  if (text) yield { type: "text", text };
  for (const { functionCall: fc } of parts)
    if (fc)
      yield {
        type: "tool_call",
        call: { id: `${fc.name ?? ""}#${nextCall()}`, name: fc.name ?? "", arguments: fc.args ?? {} },
      };
}

/** A response's usage event, when it carries the counts (a stream's last chunk does). */
export function usageOf(res: GenerateContentResponse): StreamEvent | undefined {
  const meta = res.usageMetadata;
  if (meta?.candidatesTokenCount === undefined) return undefined;
  // Gemini counts thoughts apart from the candidates and bills both as output.
  const thoughts = meta.thoughtsTokenCount ?? 0;
  return {
    type: "usage",
    inputTokens: meta.promptTokenCount ?? 0,
    outputTokens: meta.candidatesTokenCount + thoughts,
    ...(thoughts > 0 ? { reasoningTokens: thoughts } : {}),
  };
}

/** The usage, then the finish; no finish reason (a stream cut short, a blocked prompt) fails, a refusing one refuses. */
export function* finishEvents(
  profile: ModelProfile,
  reason: string | undefined,
  usage: StreamEvent | undefined,
): Generator<StreamEvent> {
  if (usage) yield usage;
  if (reason === undefined)
    throw new ProviderError(`${profile.key}: the stream ended before a finish reason`, "transient");
  const refused = refusalOf(reason, profile);
  if (refused) throw refused;
  yield { type: "finish", reason };
}

type Mode = import("@google/genai").FunctionCallingConfigMode;

/** `auto` → AUTO, `required` → ANY, `{ name }` → ANY restricted to that function. */
function callingConfig(choice: GenerateRequest["toolChoice"]) {
  if (typeof choice === "object") return { mode: "ANY" as Mode, allowedFunctionNames: [choice.name] };
  return { mode: (choice === "required" ? "ANY" : "AUTO") as Mode };
}

/** A tool's result as a functionResponse's `response`: its JSON object, else `{ result: <its text> }`. */
function responseOf(content: string): Record<string, unknown> {
  try {
    const json: unknown = JSON.parse(content);
    if (typeof json === "object" && json !== null && !Array.isArray(json))
      return json as Record<string, unknown>;
  } catch {
    // not JSON: wrapped as text
  }
  return { result: content };
}

/** One client per endpoint and key source, SDK retries off (our retry policy is the only one). */
export async function clientFor(profile: ModelProfile): Promise<Client> {
  const key = `${profile.baseUrl ?? ""}|${profile.apiKeyEnv ?? ""}`;
  let client = clients.get(key);
  if (!client) {
    const { GoogleGenAI } = (await import(vendored("@google/genai"))) as typeof import("@google/genai");
    client = new GoogleGenAI({
      apiKey: apiKeyFor(profile, "GEMINI_API_KEY"),
      // attempts 1: our retry policy is the only one.
      httpOptions: {
        retryOptions: { attempts: 1 },
        ...(profile.baseUrl ? { baseUrl: profile.baseUrl } : {}),
      },
    });
    clients.set(key, client);
  }
  return client;
}

/**
 * Gemini through `@google/genai` (generateContent / generateContentStream); judges and structured output get a
 * JSON response schema; tools are `functionDeclarations`, their calls `tool_call` events.
 */
export const geminiProvider: Provider = {
  async prepare(profile) {
    await clientFor(profile);
    await warmUp(geminiProvider, profile);
  },
  async *stream(profile: ModelProfile, request: GenerateRequest): AsyncIterable<StreamEvent> {
    const clock = takeSendClock();
    const client = await clientFor(profile);
    const params = await generateRequest(profile, request);
    let calls = callsIn(request);
    const nextCall = () => ++calls;
    yield { type: "request" };
    try {
      const responses = await withOptionalSendClock(clock, async () =>
        request.stream === false
          ? [await client.models.generateContent(params)]
          : await client.models.generateContentStream(params),
      );
      let reason: string | undefined;
      let usage: StreamEvent | undefined;
      for await (const res of responses) {
        // The SDK yields every event of a read before it notices an abort: none is delivered after it.
        request.signal?.throwIfAborted();
        yield { type: "meta" };
        yield* partEvents(res, nextCall);
        reason = res.candidates?.[0]?.finishReason ?? reason;
        usage = usageOf(res) ?? usage;
      }
      yield* finishEvents(profile, reason, usage);
    } catch (err) {
      throw classifyHttpError(err, profile);
    }
  },
};
