import { bedrockEvent } from "./event-stream.ts";
import { json, type Res } from "./http.ts";

/**
 * Bedrock Agent Runtime's OptimizePrompt (`POST /optimize-prompt`): an analysis event, then the optimized prompt
 * (the original with explicit instructions around it — deterministic), as an event stream. A target id
 * containing "unknown-model" is refused like Bedrock does.
 */
export async function optimizePrompt(res: Res, raw: string, wait: () => Promise<void>): Promise<void> {
  let body: { input?: { textPrompt?: { text?: string } }; targetModelId?: string };
  try {
    body = JSON.parse(raw) as typeof body;
  } catch {
    return json(res, 400, { message: "request body is not JSON" });
  }
  const text = body.input?.textPrompt?.text;
  const target = body.targetModelId ?? "";
  if (!text)
    return json(
      res,
      400,
      { message: "input.textPrompt.text is required" },
      { "x-amzn-errortype": "ValidationException" },
    );
  if (/unknown-model/i.test(target))
    return json(
      res,
      400,
      { message: `The model ${target} is not supported for prompt optimization.` },
      { "x-amzn-errortype": "ValidationException" },
    );
  await wait();
  res.writeHead(200, { "content-type": "application/vnd.amazon.eventstream" });
  res.write(
    bedrockEvent("analyzePromptEvent", {
      message: `The prompt is clear; it would benefit from explicit output instructions for ${target} (simulated).`,
    }),
  );
  const optimized = `## Task\n${text}\n\n## Instructions\nAnswer precisely, completely and in the requested format.`;
  res.end(bedrockEvent("optimizedPromptEvent", { optimizedPrompt: { textPrompt: { text: optimized } } }));
}
