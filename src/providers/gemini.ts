import type { GenerateRequest, ModelProfile, Provider, StreamEvent } from "../types.ts";
import { apiKeyFor } from "./credentials.ts";
import { classifyHttpError, ProviderError, refusalOf } from "./errors.ts";
import { IMAGE_LIMITS, type LoadedImage, loadImage } from "./media.ts";
import { warmUp } from "./warm-up.ts";

type Client = import("@google/genai").GoogleGenAI;
const clients = new Map<string, Client>();

/** The generateContent parameters (pure): parts with inline image data, config, and a JSON schema for judges. */
export function generateParams(profile: ModelProfile, request: GenerateRequest, image?: LoadedImage) {
  const parts: import("@google/genai").Part[] = request.messages.map((m) => ({ text: m.content }));
  if (image) parts.push({ inlineData: { mimeType: image.mediaType, data: image.bytes.toString("base64") } });
  return {
    model: profile.model,
    contents: [{ role: "user", parts }],
    config: {
      temperature: request.temperature,
      maxOutputTokens: request.maxTokens,
      ...(request.system ? { systemInstruction: request.system } : {}),
      ...(request.jsonSchema
        ? { responseMimeType: "application/json", responseJsonSchema: request.jsonSchema }
        : {}),
      ...(request.signal ? { abortSignal: request.signal } : {}),
    },
  };
}

async function clientFor(profile: ModelProfile): Promise<Client> {
  const key = `${profile.baseUrl ?? ""}|${profile.apiKeyEnv ?? ""}`;
  let client = clients.get(key);
  if (!client) {
    const { GoogleGenAI } = await import("@google/genai");
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

/** Gemini through `@google/genai` (generateContent / generateContentStream); judges get a JSON response schema. */
export const geminiProvider: Provider = {
  async prepare(profile) {
    await clientFor(profile);
    await warmUp(geminiProvider, profile);
  },
  async *stream(profile: ModelProfile, request: GenerateRequest): AsyncIterable<StreamEvent> {
    const client = await clientFor(profile);
    const image = request.image
      ? await loadImage(request.image, IMAGE_LIMITS[profile.provider], request.signal)
      : undefined;
    const params = generateParams(profile, request, image);
    yield { type: "request" };
    try {
      const responses =
        request.stream === false
          ? [await client.models.generateContent(params)]
          : await client.models.generateContentStream(params);
      let reason: string | undefined;
      let usage: StreamEvent | undefined;
      for await (const res of responses) {
        yield { type: "meta" };
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
        reason = res.candidates?.[0]?.finishReason ?? reason;
        const meta = res.usageMetadata;
        if (meta?.candidatesTokenCount !== undefined) {
          // Gemini counts thoughts apart from the candidates and bills both as output.
          const thoughts = meta.thoughtsTokenCount ?? 0;
          usage = {
            type: "usage",
            inputTokens: meta.promptTokenCount ?? 0,
            outputTokens: meta.candidatesTokenCount + thoughts,
            ...(thoughts > 0 ? { reasoningTokens: thoughts } : {}),
          };
        }
      }
      if (usage) yield usage;
      if (reason === undefined)
        throw new ProviderError(`${profile.key}: the stream ended before a finish reason`, "transient");
      const refused = refusalOf(reason, profile);
      if (refused) throw refused;
      yield { type: "finish", reason };
    } catch (err) {
      throw classifyHttpError(err, profile);
    }
  },
};
