import { json } from "./http.ts";
import type { Exchange, Route } from "./route.ts";

/**
 * OpenAI chat completions (`/chat/completions`; `name` tells Azure's deployment paths apart): SSE chunks, usage
 * in a last chunk when `stream_options.include_usage` asks, and a 429 with OpenAI's `retry-after` headers.
 * A reasoning model's thinking goes in `reasoning_content` (vLLM, DeepSeek), or `reasoning` for a model named
 * `…ollama…` (Ollama), with `completion_tokens_details.reasoning_tokens` in the usage.
 */
export function openaiRoute(name: string, retryAfter: Record<string, string>): Route {
  return {
    name,
    parse: (body) => {
      const messages = (body.messages as { role: string; content: unknown }[] | undefined) ?? [];
      const parts = (role: string) =>
        messages
          .filter((m) => m.role === role)
          .flatMap((m) =>
            typeof m.content === "string"
              ? [{ type: "text", text: m.content }]
              : ((m.content as { type: string; text?: string; image_url?: { url: string } }[]) ?? []),
          );
      return {
        model: String(body.model ?? "unknown"),
        system: parts("system")
          .concat(parts("developer"))
          .map((p) => p.text ?? "")
          .join("\n"),
        prompt: parts("user")
          .filter((p) => p.type === "text")
          .map((p) => p.text ?? "")
          .join("\n"),
        images: parts("user")
          .filter((p) => p.type === "image_url")
          .map((p) => dataUrlImage(p.image_url?.url ?? "")),
        maxTokens: Number(body.max_completion_tokens ?? body.max_tokens ?? 1024),
      };
    },
    stream: (body) => body.stream === true,
    complete: (res, { sim, text, usage, reasoning }) =>
      json(res, 200, {
        id: "chatcmpl-sim",
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model: sim.model,
        choices: [
          {
            index: 0,
            message: {
              role: "assistant",
              content: text,
              refusal: null,
              ...(reasoning === undefined ? {} : { [reasoningField(sim.model)]: reasoning }),
            },
            finish_reason: "stop",
            logprobs: null,
          },
        ],
        // Like some OpenAI-compatible servers, a model named *no-usage* reports no token usage.
        ...(/no-usage/i.test(sim.model) ? {} : { usage: openaiUsage(usage) }),
        service_tier: "default",
      }),
    streamed: async (res, { sim, usage, body }, run) => {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      const base = {
        id: "chatcmpl-sim",
        object: "chat.completion.chunk",
        created: Math.floor(Date.now() / 1000),
        model: sim.model,
      };
      const send = (o: unknown) => res.write(`data: ${JSON.stringify(o)}\n\n`);
      send({
        ...base,
        choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }],
      });
      const field = reasoningField(sim.model);
      await run((text, kind) =>
        send({
          ...base,
          choices: [
            {
              index: 0,
              delta: kind === "reasoning" ? { [field]: text } : { content: text },
              finish_reason: null,
            },
          ],
        }),
      );
      if (res.destroyed) return;
      send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] });
      if (
        (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage &&
        !/no-usage/i.test(sim.model)
      )
        send({ ...base, choices: [], usage: openaiUsage(usage) });
      res.end("data: [DONE]\n\n");
    },
    error: (res, status, _aws, message) =>
      json(
        res,
        status,
        { error: { message, type: status === 429 ? "rate_limit_exceeded" : "server_error", code: null } },
        status === 429 ? retryAfter : {},
      ),
  };
}

/** OpenAI's usage: `completion_tokens` counts the reasoning tokens, which the details give apart. */
function openaiUsage(usage: Exchange["usage"]) {
  return {
    prompt_tokens: usage.input,
    completion_tokens: usage.output,
    total_tokens: usage.input + usage.output,
    ...(usage.reasoning > 0 ? { completion_tokens_details: { reasoning_tokens: usage.reasoning } } : {}),
  };
}

function reasoningField(model: string): string {
  return /ollama/i.test(model) ? "reasoning" : "reasoning_content";
}

function dataUrlImage(url: string): { mediaType: string; bytes: Buffer } {
  const m = /^data:([^;]+);base64,(.*)$/s.exec(url);
  return m
    ? { mediaType: m[1] as string, bytes: Buffer.from(m[2] as string, "base64") }
    : { mediaType: "url", bytes: Buffer.from(url) };
}
