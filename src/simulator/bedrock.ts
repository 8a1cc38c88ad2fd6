import { bedrockEvent } from "./event-stream.ts";
import { json } from "./http.ts";
import { type Exchange, joinText, type Route } from "./route.ts";

type BedrockContent = { text?: string; image?: { format?: string; source?: { bytes?: string } } };

/**
 * Bedrock Converse and ConverseStream (`/model/{id}/converse[-stream]`): the stream in AWS event-stream framing,
 * a forced tool answered as `toolUse`, the requested service tier echoed, errors typed by `x-amzn-errortype`.
 * A reasoning model's thinking is a `reasoningContent` block (index 0, with its signature) before the answer's,
 * its tokens counted in `outputTokens` only, as Bedrock reports them.
 */
export function bedrockRoute(modelId: string, streaming: boolean): Route {
  return {
    name: streaming ? "bedrock.converse-stream" : "bedrock.converse",
    parse: (body) => {
      const messages = (body.messages as { role: string; content: BedrockContent[] }[] | undefined) ?? [];
      const user = messages.filter((m) => m.role === "user").flatMap((m) => m.content ?? []);
      return {
        model: modelId,
        system: joinText((body.system as { text?: string }[] | undefined) ?? []),
        prompt: joinText(user),
        images: user
          .filter((c) => c.image)
          .map((c) => ({
            mediaType: `image/${c.image?.format ?? "png"}`,
            bytes: Buffer.from(c.image?.source?.bytes ?? "", "base64"),
          })),
        maxTokens: Number((body.inferenceConfig as { maxTokens?: number } | undefined)?.maxTokens ?? 1024),
      };
    },
    stream: () => streaming,
    complete: (res, { text, usage, body, reasoning }) => {
      const tool = forcedTool(body);
      const content = [
        ...(reasoning === undefined
          ? []
          : [{ reasoningContent: { reasoningText: { text: reasoning, signature: SIGNATURE } } }]),
        tool ? { toolUse: { toolUseId: "tooluse_sim", name: tool, input: safeJson(text) } } : { text },
      ];
      json(res, 200, {
        output: { message: { role: "assistant", content } },
        stopReason: tool ? "tool_use" : "end_turn",
        ...bedrockUsage(usage, body),
      });
    },
    streamed: async (res, { usage, body }, run) => {
      res.writeHead(200, { "content-type": "application/vnd.amazon.eventstream" });
      res.write(bedrockEvent("messageStart", { role: "assistant" }));
      // Block 0 is the thinking when there is some (closed by its signature), the answer's block follows it.
      let block = 0;
      let thinking = false;
      await run((text, kind) => {
        if (kind === "reasoning") thinking = true;
        else if (thinking) {
          res.write(bedrockEvent("contentBlockDelta", { contentBlockIndex: block, delta: SIGNATURE_DELTA }));
          res.write(bedrockEvent("contentBlockStop", { contentBlockIndex: block }));
          thinking = false;
          block++;
        }
        const delta = kind === "reasoning" ? { reasoningContent: { text } } : { text };
        res.write(bedrockEvent("contentBlockDelta", { contentBlockIndex: block, delta }));
      });
      if (res.destroyed) return;
      res.write(bedrockEvent("contentBlockStop", { contentBlockIndex: block }));
      res.write(bedrockEvent("messageStop", { stopReason: "end_turn" }));
      res.end(bedrockEvent("metadata", bedrockUsage(usage, body)));
    },
    error: (res, status, awsType, message) =>
      json(
        res,
        status,
        { message },
        { "x-amzn-errortype": `${awsType}:http://internal.amazon.com/coral/com.amazon.bedrock/` },
      ),
  };
}

const SIGNATURE = "c2ltdWxhdGVkLXNpZ25hdHVyZQ==";
const SIGNATURE_DELTA = { reasoningContent: { signature: SIGNATURE } };

/** Bedrock's usage, metrics and served tier: the end of a Converse response and ConverseStream's metadata event. */
function bedrockUsage(usage: Exchange["usage"], body: Record<string, unknown>) {
  return {
    usage: { inputTokens: usage.input, outputTokens: usage.output, totalTokens: usage.input + usage.output },
    metrics: { latencyMs: 1 },
    ...servedTier(body),
  };
}

/** The tier the simulator "served": the one asked for, as Bedrock reports it. */
function servedTier(body: Record<string, unknown>): { serviceTier?: { type: string } } {
  const asked = (body.serviceTier as { type?: string } | undefined)?.type;
  return asked ? { serviceTier: { type: asked } } : {};
}

function forcedTool(body: Record<string, unknown>): string | undefined {
  return (body.toolConfig as { toolChoice?: { tool?: { name?: string } } } | undefined)?.toolChoice?.tool
    ?.name;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { text };
  }
}
