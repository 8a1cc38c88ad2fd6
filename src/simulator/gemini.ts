import { json } from "./http.ts";
import { joinText, type Route } from "./route.ts";

type GeminiPart = { text?: string; inlineData?: { mimeType?: string; data?: string } };

/** Gemini generateContent and streamGenerateContent (`/models/{model}:…`, SSE with CRLF framing). */
export function geminiRoute(model: string, streaming: boolean): Route {
  const response = (
    text: string | undefined,
    usage: { input: number; output: number } | undefined,
    finish: boolean,
  ) => ({
    candidates: [
      {
        content: { parts: text === undefined ? [] : [{ text }], role: "model" },
        index: 0,
        ...(finish ? { finishReason: "STOP" } : {}),
      },
    ],
    ...(usage
      ? {
          usageMetadata: {
            promptTokenCount: usage.input,
            candidatesTokenCount: usage.output,
            totalTokenCount: usage.input + usage.output,
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
    complete: (res, { text, usage }) => json(res, 200, response(text, usage, true)),
    streamed: async (res, { usage }, run) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      const chunks: string[] = [];
      await run(
        (text) =>
          chunks.push(text) && res.write(`data: ${JSON.stringify(response(text, undefined, false))}\r\n\r\n`),
      );
      if (res.destroyed) return;
      res.end(`data: ${JSON.stringify(response("", usage, true))}\r\n\r\n`);
    },
    error: (res, status, _aws, message) =>
      json(res, status, {
        error: { code: status, message, status: status === 429 ? "RESOURCE_EXHAUSTED" : "INTERNAL" },
      }),
  };
}
