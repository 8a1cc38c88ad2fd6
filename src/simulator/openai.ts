import { json } from "./http.ts";
import type { Route } from "./route.ts";

/**
 * OpenAI chat completions (`/chat/completions`; `name` tells Azure's deployment paths apart): SSE chunks, usage
 * in a last chunk when `stream_options.include_usage` asks, and a 429 with OpenAI's `retry-after` headers.
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
    complete: (res, { sim, text, usage }) =>
      json(res, 200, {
        id: "chatcmpl-sim",
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model: sim.model,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: text, refusal: null },
            finish_reason: "stop",
            logprobs: null,
          },
        ],
        // Like some OpenAI-compatible servers, a model named *no-usage* reports no token usage.
        ...(/no-usage/i.test(sim.model)
          ? {}
          : {
              usage: {
                prompt_tokens: usage.input,
                completion_tokens: usage.output,
                total_tokens: usage.input + usage.output,
              },
            }),
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
      await run((text) =>
        send({ ...base, choices: [{ index: 0, delta: { content: text }, finish_reason: null }] }),
      );
      if (res.destroyed) return;
      send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] });
      if (
        (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage &&
        !/no-usage/i.test(sim.model)
      )
        send({
          ...base,
          choices: [],
          usage: {
            prompt_tokens: usage.input,
            completion_tokens: usage.output,
            total_tokens: usage.input + usage.output,
          },
        });
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

function dataUrlImage(url: string): { mediaType: string; bytes: Buffer } {
  const m = /^data:([^;]+);base64,(.*)$/s.exec(url);
  return m
    ? { mediaType: m[1] as string, bytes: Buffer.from(m[2] as string, "base64") }
    : { mediaType: "url", bytes: Buffer.from(url) };
}
