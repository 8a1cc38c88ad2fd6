import type { GenerateRequest, ModelProfile, Provider, StreamEvent } from "../types.ts";
import { awsClient } from "./aws-client.ts";
import { classifyHttpError, ProviderError, refusalOf } from "./errors.ts";
import { IMAGE_LIMITS, type LoadedImage, loadImage } from "./media.ts";
import { loadMessageImages } from "./message-images.ts";
import { clockHttp2Sends, takeSendClock, withOptionalSendClock } from "./send-time.ts";
import { parseToolArguments } from "./tool-arguments.ts";

type Runtime = typeof import("@aws-sdk/client-bedrock-runtime");
type Client = import("@aws-sdk/client-bedrock-runtime").BedrockRuntimeClient;
const clients = new Map<string, Client>();
/** The tool a judge is forced to call: its input is the verdict. */
export const VERDICT_TOOL = "record_verdict";
/** The tool a target asked for structured output is forced to call: its input is the answer (issue 20). */
export const OUTPUT_TOOL = "structured_output";

type ContentBlock = import("@aws-sdk/client-bedrock-runtime").ContentBlock;
type Message = import("@aws-sdk/client-bedrock-runtime").Message;
type ToolConfiguration = import("@aws-sdk/client-bedrock-runtime").ToolConfiguration;
type ConverseResponse = import("@aws-sdk/client-bedrock-runtime").ConverseResponse;

/**
 * The Converse / ConverseStream input (pure): the conversation (text, images, tool uses and tool results, a
 * turn per role), system prompt, inference config, the requested service tier, and the tool configuration.
 * `image` is the request's own image, in the last user turn; `turnImages` the messages' images, by the path or URL they name.
 */
export function converseInput(
  profile: ModelProfile,
  request: GenerateRequest,
  image?: LoadedImage,
  turnImages: ReadonlyMap<string, LoadedImage> = new Map(),
) {
  const lastUser = request.messages.findLastIndex((m) => m.role === "user");
  const messages: Message[] = [];
  request.messages.forEach((m, i) => {
    const role = m.role === "assistant" ? "assistant" : "user";
    const content: ContentBlock[] = [];
    if (m.role === "tool") content.push({ toolResult: toolResultOf(m.toolCallId, m.content) });
    else if (m.content || m.role === "user" || !m.toolCalls?.length) content.push({ text: m.content });
    for (const img of [
      m.role === "user" && m.image ? turnImages.get(m.image) : undefined,
      i === lastUser ? image : undefined,
    ])
      if (img) content.push({ image: { format: img.type, source: { bytes: img.bytes } } });
    if (m.role === "assistant")
      for (const call of m.toolCalls ?? [])
        content.push({ toolUse: { toolUseId: call.id, name: call.name, input: call.arguments as never } });
    // Bedrock wants the roles to alternate: consecutive messages of a role (tool results) share a turn.
    const previous = messages.at(-1);
    if (previous?.role === role) previous.content?.push(...content);
    else messages.push({ role, content });
  });
  const toolConfig = toolConfigOf(request);
  return {
    modelId: profile.model,
    messages,
    ...(request.system ? { system: [{ text: request.system }] } : {}),
    inferenceConfig: { maxTokens: request.maxTokens, temperature: request.temperature },
    ...(profile.serviceTier ? { serviceTier: { type: profile.serviceTier } } : {}),
    ...(toolConfig ? { toolConfig } : {}),
  };
}

/** A tool's result: its JSON when it is a JSON object, else its text. */
function toolResultOf(toolUseId: string, content: string) {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    // not JSON: sent as text
  }
  const isObject = typeof json === "object" && json !== null && !Array.isArray(json);
  return {
    toolUseId,
    content: [isObject ? { json: json as never } : { text: content }],
    status: "success" as const,
  };
}

/**
 * The tools and the tool choice. A judge (a JSON schema and `judging`) is forced to call the verdict tool; a
 * target asked for structured output to call `structured_output` (or, with tools of its own, any tool: its own or
 * that one, to answer); `toolChoice: "none"` sends no tools.
 */
function toolConfigOf(request: GenerateRequest): ToolConfiguration | undefined {
  const schema = request.jsonSchema;
  if (schema && request.judging) return forced(VERDICT_TOOL, "Record the scores of the evaluation.", schema);
  const tools = request.toolChoice === "none" ? [] : (request.tools ?? []);
  const specs = tools.map((t) => ({
    toolSpec: {
      name: t.name,
      ...(t.description ? { description: t.description } : {}),
      inputSchema: { json: t.parameters as never },
    },
  }));
  if (schema) {
    const output = forced(OUTPUT_TOOL, "Give the answer as JSON matching the schema.", schema);
    if (specs.length === 0) return output;
    return { tools: [...specs, ...(output.tools ?? [])], toolChoice: { any: {} } };
  }
  if (specs.length === 0) return undefined;
  const choice = request.toolChoice;
  return {
    tools: specs,
    toolChoice:
      typeof choice === "object"
        ? { tool: { name: choice.name } }
        : choice === "required"
          ? { any: {} }
          : { auto: {} },
  };
}

function forced(name: string, description: string, schema: Record<string, unknown>): ToolConfiguration {
  return {
    tools: [{ toolSpec: { name, description, inputSchema: { json: schema as never } } }],
    toolChoice: { tool: { name } },
  };
}

async function clientFor(profile: ModelProfile): Promise<{ sdk: Runtime; client: Client }> {
  const sdk = await import("@aws-sdk/client-bedrock-runtime");
  const client = awsClient(clients, profile, (config) => {
    const created = new sdk.BedrockRuntimeClient(config);
    // TTFT from when the request is written to the connection, as for the fetch-based SDKs (send-time.ts).
    clockHttp2Sends(created.config.requestHandler);
    return created;
  });
  return { sdk, client };
}

/**
 * The events of a whole (non-streamed) Converse answer (pure): reasoning, text, the answer tool's input as text,
 * any other tool use a tool call, usage and the finish with the served tier. Amazon Nova's InvokeModel answer has
 * the same shape: what Bedrock batch inference returns for a Nova request.
 */
export function converseEvents(
  res: Pick<ConverseResponse, "output" | "stopReason" | "usage" | "serviceTier">,
  answerTool: string | undefined,
): StreamEvent[] {
  const events: StreamEvent[] = [];
  for (const block of res.output?.message?.content ?? []) {
    const thought = block.reasoningContent?.reasoningText?.text;
    if (thought) events.push({ type: "reasoning", text: thought });
    if (block.text) events.push({ type: "text", text: block.text });
    const use = block.toolUse;
    if (use && use.name === answerTool) events.push({ type: "text", text: JSON.stringify(use.input ?? {}) });
    else if (use)
      events.push({
        type: "tool_call",
        call: { id: use.toolUseId ?? "", name: use.name ?? "", arguments: use.input ?? {} },
      });
  }
  if (res.usage)
    events.push({
      type: "usage",
      inputTokens: res.usage.inputTokens ?? 0,
      outputTokens: res.usage.outputTokens ?? 0,
    });
  events.push({
    type: "finish",
    reason: res.stopReason ?? "end_turn",
    ...(res.serviceTier?.type ? { serviceTier: res.serviceTier.type } : {}),
  });
  return events;
}

/** The tool whose input is the answer text (the verdict, a structured output), if the request asks for one. */
function answerToolOf(request: Pick<GenerateRequest, "jsonSchema" | "judging">): string | undefined {
  return request.jsonSchema ? (request.judging ? VERDICT_TOOL : OUTPUT_TOOL) : undefined;
}

/**
 * Amazon Bedrock through Converse / ConverseStream: any model id, cross-region inference profile (`us.`, `eu.`,
 * `global.` …) or ARN. `service_tier` is sent as `serviceTier` and the tier Bedrock served is reported back.
 * Judges (a JSON schema in the request) are forced to answer through a tool whose input is the verdict, and so is
 * a target asked for structured output; the request's tools are `toolSpec`s, their calls `tool_call` events.
 */
export const bedrockProvider: Provider = {
  async prepare(profile) {
    await clientFor(profile);
  },
  async *stream(profile: ModelProfile, request: GenerateRequest): AsyncIterable<StreamEvent> {
    const clock = takeSendClock();
    const { sdk, client } = await clientFor(profile);
    const limit = IMAGE_LIMITS[profile.provider];
    const image = request.image ? await loadImage(request.image, limit, request.signal) : undefined;
    const input = converseInput(profile, request, image, await loadMessageImages(request, profile.provider));
    const opts = request.signal ? { abortSignal: request.signal } : {};
    // The tool whose input is the answer text (the verdict, a structured output); any other tool use is a call.
    const answerTool = answerToolOf(request);
    yield { type: "request" };
    try {
      if (request.stream === false || (request.jsonSchema && request.judging)) {
        const res = await withOptionalSendClock(clock, () =>
          client.send(new sdk.ConverseCommand(input), opts),
        );
        const refused = refusalOf(res.stopReason ?? "end_turn", profile);
        if (refused) throw refused;
        yield { type: "meta" };
        yield* converseEvents(res, answerTool);
        return;
      }
      const res = await withOptionalSendClock(clock, () =>
        client.send(new sdk.ConverseStreamCommand(input), opts),
      );
      let reason: string | undefined;
      let tier: string | undefined;
      // Tool uses being received, by content block index: their input comes as JSON fragments until the block stops.
      const uses = new Map<number, { id: string; name: string; input: string }>();
      for await (const ev of res.stream ?? []) {
        // The SDK yields every event of a read before it notices an abort: none is delivered after it.
        request.signal?.throwIfAborted();
        yield { type: "meta" };
        const start = ev.contentBlockStart;
        if (start?.start?.toolUse)
          uses.set(start.contentBlockIndex ?? 0, {
            id: start.start.toolUse.toolUseId ?? "",
            name: start.start.toolUse.name ?? "",
            input: "",
          });
        const index = ev.contentBlockDelta?.contentBlockIndex ?? 0;
        const delta = ev.contentBlockDelta?.delta;
        if (delta?.reasoningContent?.text) yield { type: "reasoning", text: delta.reasoningContent.text };
        if (delta?.text) yield { type: "text", text: delta.text };
        const fragment = delta?.toolUse?.input;
        const use = uses.get(index);
        if (fragment && use?.name === answerTool) yield { type: "text", text: fragment };
        else if (fragment && use) use.input += fragment;
        const stopped = ev.contentBlockStop
          ? uses.get(ev.contentBlockStop.contentBlockIndex ?? 0)
          : undefined;
        if (stopped && stopped.name !== answerTool)
          yield {
            type: "tool_call",
            call: { id: stopped.id, name: stopped.name, arguments: parseToolArguments(stopped.input) },
          };
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
