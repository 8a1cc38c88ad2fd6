import type { GenerateRequest, ModelProfile, Provider, StreamEvent } from "../types.ts";
import { withoutNodeVersionWarning } from "./aws-node-support.ts";
import { awsCredentials } from "./credentials.ts";
import { classifyHttpError, ProviderError, refusalOf } from "./errors.ts";
import { IMAGE_LIMITS, type LoadedImage, loadImage } from "./media.ts";
import { clockHttp2Sends } from "./send-time.ts";

type Runtime = typeof import("@aws-sdk/client-bedrock-runtime");
type Client = import("@aws-sdk/client-bedrock-runtime").BedrockRuntimeClient;
const clients = new Map<string, Client>();
const VERDICT_TOOL = "record_verdict";

/**
 * The Converse / ConverseStream input (pure): text and image blocks, system prompt, inference config, the
 * requested service tier, and — for judges — a tool the model is forced to call with the verdict as input.
 */
export function converseInput(profile: ModelProfile, request: GenerateRequest, image?: LoadedImage) {
  const content: import("@aws-sdk/client-bedrock-runtime").ContentBlock[] = request.messages.map((m) => ({
    text: m.content,
  }));
  if (image) content.push({ image: { format: image.type, source: { bytes: image.bytes } } });
  return {
    modelId: profile.model,
    messages: [{ role: "user" as const, content }],
    ...(request.system ? { system: [{ text: request.system }] } : {}),
    inferenceConfig: { maxTokens: request.maxTokens, temperature: request.temperature },
    ...(profile.serviceTier ? { serviceTier: { type: profile.serviceTier } } : {}),
    ...(request.jsonSchema
      ? {
          toolConfig: {
            tools: [
              {
                toolSpec: {
                  name: VERDICT_TOOL,
                  description: "Record the scores of the evaluation.",
                  inputSchema: { json: request.jsonSchema as never },
                },
              },
            ],
            toolChoice: { tool: { name: VERDICT_TOOL } },
          },
        }
      : {}),
  };
}

async function clientFor(profile: ModelProfile): Promise<{ sdk: Runtime; client: Client }> {
  const sdk = await import("@aws-sdk/client-bedrock-runtime");
  const credentials = awsCredentials();
  const key = `${profile.region}|${profile.baseUrl ?? ""}|${credentials?.accessKeyId ?? ""}`;
  let client = clients.get(key);
  if (!client) {
    // maxAttempts 1: our retry policy is the only one. Credentials: the AWS default chain (env, profiles, SSO),
    // or a Bedrock API key in AWS_BEARER_TOKEN_BEDROCK, which the SDK picks up itself.
    client = withoutNodeVersionWarning(
      () =>
        new sdk.BedrockRuntimeClient({
          region: profile.region,
          maxAttempts: 1,
          ...(profile.baseUrl ? { endpoint: profile.baseUrl } : {}),
          ...(credentials ? { credentials } : {}),
        }),
    );
    // TTFT from when the request is written to the connection, as for the fetch-based SDKs (send-time.ts).
    clockHttp2Sends(client.config.requestHandler);
    clients.set(key, client);
  }
  return { sdk, client };
}

/**
 * Amazon Bedrock through Converse / ConverseStream: any model id, cross-region inference profile (`us.`, `eu.`,
 * `global.` …) or ARN. `service_tier` is sent as `serviceTier` and the tier Bedrock served is reported back.
 * Judges (a JSON schema in the request) are forced to answer through a tool whose input is the verdict.
 */
export const bedrockProvider: Provider = {
  async prepare(profile) {
    await clientFor(profile);
  },
  async *stream(profile: ModelProfile, request: GenerateRequest): AsyncIterable<StreamEvent> {
    const { sdk, client } = await clientFor(profile);
    const image = request.image
      ? await loadImage(request.image, IMAGE_LIMITS[profile.provider], request.signal)
      : undefined;
    const input = converseInput(profile, request, image);
    const opts = request.signal ? { abortSignal: request.signal } : {};
    yield { type: "request" };
    try {
      if (request.stream === false || request.jsonSchema) {
        const res = await client.send(new sdk.ConverseCommand(input), opts);
        const refused = refusalOf(res.stopReason ?? "end_turn", profile);
        if (refused) throw refused;
        yield { type: "meta" };
        for (const block of res.output?.message?.content ?? []) {
          const thought = block.reasoningContent?.reasoningText?.text;
          if (thought) yield { type: "reasoning", text: thought };
          if (block.text) yield { type: "text", text: block.text };
          if (block.toolUse) yield { type: "text", text: JSON.stringify(block.toolUse.input ?? {}) };
        }
        if (res.usage)
          yield {
            type: "usage",
            inputTokens: res.usage.inputTokens ?? 0,
            outputTokens: res.usage.outputTokens ?? 0,
          };
        yield {
          type: "finish",
          reason: res.stopReason ?? "end_turn",
          ...(res.serviceTier?.type ? { serviceTier: res.serviceTier.type } : {}),
        };
        return;
      }
      const res = await client.send(new sdk.ConverseStreamCommand(input), opts);
      let reason: string | undefined;
      let tier: string | undefined;
      for await (const ev of res.stream ?? []) {
        yield { type: "meta" };
        const delta = ev.contentBlockDelta?.delta;
        if (delta?.reasoningContent?.text) yield { type: "reasoning", text: delta.reasoningContent.text };
        if (delta?.text) yield { type: "text", text: delta.text };
        if (ev.messageStop?.stopReason) reason = ev.messageStop.stopReason;
        if (ev.metadata) {
          if (ev.metadata.usage)
            yield {
              type: "usage",
              inputTokens: ev.metadata.usage.inputTokens ?? 0,
              outputTokens: ev.metadata.usage.outputTokens ?? 0,
            };
          tier = ev.metadata.serviceTier?.type ?? tier;
        }
        const failure =
          ev.internalServerException ??
          ev.modelStreamErrorException ??
          ev.throttlingException ??
          ev.serviceUnavailableException ??
          ev.validationException;
        if (failure) throw failure;
      }
      if (reason === undefined)
        throw new ProviderError(`${profile.key}: the stream ended before messageStop`, "transient");
      const refused = refusalOf(reason, profile);
      if (refused) throw refused;
      yield { type: "finish", reason, ...(tier ? { serviceTier: tier } : {}) };
    } catch (err) {
      throw classifyHttpError(err, profile);
    }
  },
};
