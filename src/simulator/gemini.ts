import { json } from "./http.ts";
import { type Exchange, joinText, type Route } from "./route.ts";

type GeminiPart = { text?: string; thought?: boolean; inlineData?: { mimeType?: string; data?: string } };

/**
 * Gemini generateContent and streamGenerateContent (`/models/{model}:…`, SSE with CRLF framing). A reasoning
 * model's thinking comes as parts marked `thought: true`, its tokens as `thoughtsTokenCount`, apart from
 * `candidatesTokenCount`.
 */
export function geminiRoute(model: string, streaming: boolean): Route {
  const response = (parts: GeminiPart[], usage: Exchange["usage"] | undefined, finish: boolean) => ({
    candidates: [
      {
        content: { parts, role: "model" },
        index: 0,
        ...(finish ? { finishReason: "STOP" } : {}),
      },
    ],
    ...(usage
      ? {
          usageMetadata: {
            promptTokenCount: usage.input,
            candidatesTokenCount: usage.output - usage.reasoning,
            totalTokenCount: usage.input + usage.output,
            ...(usage.reasoning > 0 ? { thoughtsTokenCount: usage.reasoning } : {}),
          },
        }
      : {}),
    modelVersion: model,
  });
  return {
    name: streaming ? "gemini.stream" : "gemini.generate",
    parse: (body) => {
      const contents = (body.contents as { role?: string; parts: GeminiPart[] }[] | undefined) ?? [];
      const parts = contents.filter((c) => c.role !== "model").flatMap((c) => c.parts ?? []);
      const config = (body.generationConfig as { maxOutputTokens?: number } | undefined) ?? {};
      const system = (body.systemInstruction as { parts?: GeminiPart[] } | undefined)?.parts ?? [];
      return {
        model,
        system: joinText(system),
        prompt: joinText(parts),
        images: parts
          .filter((p) => p.inlineData)
          .map((p) => ({
            mediaType: p.inlineData?.mimeType ?? "",
            bytes: Buffer.from(p.inlineData?.data ?? "", "base64"),
          })),
        maxTokens: Number(config.maxOutputTokens ?? 1024),
      };
    },
    stream: () => streaming,
    complete: (res, { text, usage, reasoning }) =>
      json(
        res,
        200,
        response(
          [...(reasoning === undefined ? [] : [{ text: reasoning, thought: true }]), { text }],
          usage,
          true,
        ),
      ),
    streamed: async (res, { usage }, run) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      await run((text, kind) => {
        const part = kind === "reasoning" ? { text, thought: true } : { text };
        res.write(`data: ${JSON.stringify(response([part], undefined, false))}\r\n\r\n`);
      });
      if (res.destroyed) return;
      res.end(`data: ${JSON.stringify(response([{ text: "" }], usage, true))}\r\n\r\n`);
    },
    error: (res, status, _aws, message) =>
      json(res, status, {
        error: { code: status, message, status: status === 429 ? "RESOURCE_EXHAUSTED" : "INTERNAL" },
      }),
  };
}
