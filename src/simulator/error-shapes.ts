import { anthropicErrorBody, sseEvent } from "./anthropic.ts";
import { bedrockEvent, bedrockException } from "./event-stream.ts";
import { json, type Res } from "./http.ts";

/**
 * The providers' own error shapes the simulator serves, each as that provider documents it. A model named
 * `…err-<shape>…` gets the shape on every request, `…err-<shape>-x<N>…` on its first N requests only (then it
 * answers normally: a retry that succeeds).
 */
export const ERROR_SHAPES = [
  // OpenAI / Azure chat completions.
  "429-ms",
  "429-s",
  "context-length",
  "content-filter",
  "filtered-stream",
  "stream-error",
  // Bedrock Converse / ConverseStream.
  "throttling",
  "unavailable",
  "model-timeout",
  "not-ready",
  "input-too-long",
  "access-denied",
  "stream-throttling",
  "stream-unavailable",
  "stream-model-error",
  "guardrail",
  // Gemini generateContent / streamGenerateContent.
  "resource-exhausted",
  "safety",
  "recitation",
  // Anthropic Messages API.
  "overloaded",
  "rate-limit",
  "stream-overloaded",
  "prompt-too-long",
  "authentication",
  "permission",
  "not-found",
  "api-error",
  "refusal",
] as const;
export type ErrorShape = (typeof ERROR_SHAPES)[number];

const SHAPE_NAME = new RegExp(`err-(${ERROR_SHAPES.join("|")})(?:-x(\\d+))?`);

/** The shape a model name asks for, and on how many of its first requests (undefined: all). */
export function errorShapeOf(model: string): { shape: ErrorShape; times?: number } | undefined {
  const m = SHAPE_NAME.exec(model);
  if (!m) return undefined;
  return { shape: m[1] as ErrorShape, ...(m[2] === undefined ? {} : { times: Number(m[2]) }) };
}

export interface ShapeContext {
  streaming: boolean;
  model: string;
  /** The wait the server asks for (retry-after-ms, retry-after, RetryInfo.retryDelay). */
  retryAfterMs: number;
}

/** Writes `shape` the way its provider's wire format carries it. */
export function serveErrorShape(res: Res, shape: ErrorShape, x: ShapeContext): void {
  const write =
    (OPENAI as Record<string, Writer>)[shape] ??
    (GEMINI as Record<string, Writer>)[shape] ??
    (ANTHROPIC as Record<string, Writer>)[shape];
  if (write) write(res, x);
  else bedrock(res, shape, x);
}

type Writer = (res: Res, x: ShapeContext) => void;

/** A partial answer sent before a stream fails or is filtered: the retry must discard it. */
const PARTIAL = "Partial answer that";

// ─── OpenAI / Azure ──────────────────────────────────────────────────────────
// Error body {error: {message, type, param, code}}: https://platform.openai.com/docs/guides/error-codes.
// 429 headers: `x-ratelimit-limit-requests`, `x-ratelimit-remaining-requests`, `x-ratelimit-reset-requests` (and
// the same for tokens) https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers; Azure adds
// `retry-after-ms` and `retry-after` (seconds), which the OpenAI SDKs honour in that order.
// Azure's content filter: 400 with error.code "content_filter" and innererror {code:
// "ResponsibleAIPolicyViolation", content_filter_result}, or a 200 whose choice ends with finish_reason
// "content_filter": https://learn.microsoft.com/azure/ai-services/openai/concepts/content-filter.
// A failure after a stream started comes as an SSE `data: {"error": …}` event (what openai-node's Stream throws on).

const rateLimitHeaders = (ms: number) => ({
  "x-ratelimit-limit-requests": "60",
  "x-ratelimit-remaining-requests": "0",
  "x-ratelimit-reset-requests": `${ms}ms`,
  "x-ratelimit-limit-tokens": "150000",
  "x-ratelimit-remaining-tokens": "149000",
  "x-ratelimit-reset-tokens": "6ms",
});

const rateLimited = (res: Res, x: ShapeContext, headers: Record<string, string>) =>
  json(
    res,
    429,
    {
      error: {
        message: `Rate limit reached for ${x.model} in organization org-sim on requests per min (RPM): Limit 60, Used 60, Requested 1. Please try again in ${x.retryAfterMs}ms.`,
        type: "requests",
        param: null,
        code: "rate_limit_exceeded",
      },
    },
    { ...rateLimitHeaders(x.retryAfterMs), ...headers },
  );

function openaiChunk(x: ShapeContext, delta: object, finish: string | null): string {
  const chunk = {
    id: "chatcmpl-sim",
    object: "chat.completion.chunk",
    created: Math.floor(Date.now() / 1000),
    model: x.model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

const OPENAI = {
  "429-ms": (res: Res, x: ShapeContext) =>
    rateLimited(res, x, {
      "retry-after-ms": String(x.retryAfterMs),
      "retry-after": String(Math.ceil(x.retryAfterMs / 1000)),
    }),
  "429-s": (res: Res, x: ShapeContext) =>
    rateLimited(res, x, { "retry-after": String(Math.ceil(x.retryAfterMs / 1000)) }),
  "context-length": (res: Res) =>
    json(res, 400, {
      error: {
        message:
          "This model's maximum context length is 128000 tokens. However, your messages resulted in 130532 tokens. Please reduce the length of the messages.",
        type: "invalid_request_error",
        param: "messages",
        code: "context_length_exceeded",
      },
    }),
  "content-filter": (res: Res) =>
    json(res, 400, {
      error: {
        message:
          "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry.",
        type: null,
        param: "prompt",
        code: "content_filter",
        status: 400,
        innererror: {
          code: "ResponsibleAIPolicyViolation",
          content_filter_result: {
            hate: { filtered: false, severity: "safe" },
            self_harm: { filtered: false, severity: "safe" },
            sexual: { filtered: false, severity: "safe" },
            violence: { filtered: true, severity: "medium" },
          },
        },
      },
    }),
  "filtered-stream": (res: Res, x: ShapeContext) => {
    if (!x.streaming)
      return json(res, 200, {
        id: "chatcmpl-sim",
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model: x.model,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: PARTIAL, refusal: null },
            finish_reason: "content_filter",
          },
        ],
      });
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.write(openaiChunk(x, { role: "assistant", content: PARTIAL }, null));
    res.write(openaiChunk(x, {}, "content_filter"));
    res.end("data: [DONE]\n\n");
  },
  "stream-error": (res: Res, x: ShapeContext) => {
    const error = {
      message: "The server had an error while processing your request. Sorry about that!",
      type: "server_error",
      param: null,
      code: null,
    };
    if (!x.streaming) return json(res, 500, { error });
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.write(openaiChunk(x, { role: "assistant", content: PARTIAL }, null));
    res.end(`data: ${JSON.stringify({ error })}\n\n`);
  },
};

// ─── Gemini ──────────────────────────────────────────────────────────────────
// Errors are google.rpc.Status {error: {code, message, status, details}}; a 429 RESOURCE_EXHAUSTED carries a
// `type.googleapis.com/google.rpc.RetryInfo` detail whose `retryDelay` (a Duration, "7s") is the wait:
// https://ai.google.dev/gemini-api/docs/troubleshooting. A blocked answer is a candidate whose finishReason is
// SAFETY (with safetyRatings) or RECITATION (with citationMetadata):
// https://ai.google.dev/api/generate-content#FinishReason.

function geminiFinish(res: Res, x: ShapeContext, finish: object) {
  const last = { candidates: [{ index: 0, ...finish }], modelVersion: x.model };
  if (!x.streaming) return json(res, 200, last);
  res.writeHead(200, { "content-type": "text/event-stream" });
  const partial = { candidates: [{ content: { parts: [{ text: PARTIAL }], role: "model" }, index: 0 }] };
  res.write(`data: ${JSON.stringify(partial)}\r\n\r\n`);
  res.end(`data: ${JSON.stringify(last)}\r\n\r\n`);
}

const GEMINI = {
  "resource-exhausted": (res: Res, x: ShapeContext) =>
    json(res, 429, {
      error: {
        code: 429,
        message: "Resource has been exhausted (e.g. check quota).",
        status: "RESOURCE_EXHAUSTED",
        details: [
          {
            "@type": "type.googleapis.com/google.rpc.QuotaFailure",
            violations: [{ quotaMetric: "generativelanguage.googleapis.com/generate_content_requests" }],
          },
          { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: `${x.retryAfterMs / 1000}s` },
        ],
      },
    }),
  safety: (res: Res, x: ShapeContext) =>
    geminiFinish(res, x, {
      finishReason: "SAFETY",
      safetyRatings: [
        { category: "HARM_CATEGORY_DANGEROUS_CONTENT", probability: "HIGH", blocked: true },
        { category: "HARM_CATEGORY_HARASSMENT", probability: "NEGLIGIBLE" },
      ],
    }),
  recitation: (res: Res, x: ShapeContext) =>
    geminiFinish(res, x, {
      finishReason: "RECITATION",
      citationMetadata: {
        citationSources: [{ startIndex: 0, endIndex: 19, uri: "https://example.com/book" }],
      },
    }),
};

// ─── Anthropic ───────────────────────────────────────────────────────────────
// Errors are {"type":"error","error":{"type","message"},"request_id"} at the status the API reference gives
// (https://docs.claude.com/en/api/errors): 400 invalid_request_error (a prompt over the context window too), 401
// authentication_error, 403 permission_error, 404 not_found_error, 429 rate_limit_error with `retry-after` (seconds)
// and the `anthropic-ratelimit-*` headers (https://docs.claude.com/en/api/rate-limits#response-headers), 500
// api_error, 529 overloaded_error. Once a stream has started, a failure comes as an SSE `event: error` with the
// same body.

const anthropicError =
  (status: number, type: string, message: string, headers: Record<string, string> = {}) =>
  (res: Res) =>
    json(res, status, anthropicErrorBody(type, message), { "request-id": "req_sim_error", ...headers });

const ANTHROPIC = {
  overloaded: anthropicError(529, "overloaded_error", "Overloaded"),
  "rate-limit": (res: Res, x: ShapeContext) =>
    anthropicError(
      429,
      "rate_limit_error",
      "This request would exceed the rate limit for your organization of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits.",
      {
        "retry-after": String(Math.ceil(x.retryAfterMs / 1000)),
        "anthropic-ratelimit-requests-limit": "50",
        "anthropic-ratelimit-requests-remaining": "0",
        "anthropic-ratelimit-requests-reset": new Date(Date.now() + x.retryAfterMs).toISOString(),
      },
    )(res),
  "stream-overloaded": (res: Res, x: ShapeContext) => {
    if (!x.streaming) return anthropicError(529, "overloaded_error", "Overloaded")(res);
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    sseEvent(res, {
      type: "message_start",
      message: {
        id: "msg_sim_error",
        type: "message",
        role: "assistant",
        model: x.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 5, output_tokens: 1 },
      },
    });
    sseEvent(res, { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
    sseEvent(res, { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: PARTIAL } });
    res.end(
      `event: error\ndata: ${JSON.stringify(anthropicErrorBody("overloaded_error", "Overloaded"))}\n\n`,
    );
  },
  "prompt-too-long": anthropicError(
    400,
    "invalid_request_error",
    "prompt is too long: 215304 tokens > 200000 maximum",
  ),
  authentication: anthropicError(401, "authentication_error", "invalid x-api-key"),
  permission: anthropicError(
    403,
    "permission_error",
    "Your API key does not have permission to use the specified resource.",
  ),
  "not-found": (res: Res, x: ShapeContext) =>
    anthropicError(404, "not_found_error", `model: ${x.model}`)(res),
  "api-error": anthropicError(500, "api_error", "Internal server error"),
  // Claude's safety classifiers stop an answer with stop_reason "refusal" (a 200):
  // https://docs.claude.com/en/docs/test-and-evaluate/strengthen-guardrails/handle-streaming-refusals.
  refusal: (res: Res, x: ShapeContext) => {
    const message = {
      id: "msg_sim_refusal",
      type: "message",
      role: "assistant",
      model: x.model,
      stop_sequence: null,
    };
    const usage = { input_tokens: 5, output_tokens: 3 };
    if (!x.streaming)
      return json(res, 200, {
        ...message,
        content: [{ type: "text", text: PARTIAL }],
        stop_reason: "refusal",
        usage,
      });
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    sseEvent(res, { type: "message_start", message: { ...message, content: [], stop_reason: null, usage } });
    sseEvent(res, { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
    sseEvent(res, { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: PARTIAL } });
    sseEvent(res, { type: "content_block_stop", index: 0 });
    sseEvent(res, { type: "message_delta", delta: { stop_reason: "refusal", stop_sequence: null }, usage });
    sseEvent(res, { type: "message_stop" });
    res.end();
  },
};

// ─── Bedrock ─────────────────────────────────────────────────────────────────
// Errors: the exception's name in `x-amzn-errortype` and {message} in the body, at the status the Converse API
// reference gives (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_Errors).
// In a ConverseStream, a failure after the stream started is an event-stream message of type `exception`
// named throttlingException, serviceUnavailableException or modelStreamErrorException
// (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStreamOutput.html).
// A guardrail that blocks the answer ends it with stopReason "guardrail_intervened" and the guardrail's message as
// the text (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_ResponseSyntax).

const GUARDRAIL_TEXT = "Sorry, the model cannot answer this question.";

function guardrail(res: Res, x: ShapeContext): void {
  const usage = { inputTokens: 5, outputTokens: 0, totalTokens: 5 };
  if (!x.streaming) {
    json(res, 200, {
      output: { message: { role: "assistant", content: [{ text: GUARDRAIL_TEXT }] } },
      stopReason: "guardrail_intervened",
      usage,
      metrics: { latencyMs: 1 },
    });
    return;
  }
  res.writeHead(200, { "content-type": "application/vnd.amazon.eventstream" });
  res.write(bedrockEvent("messageStart", { role: "assistant" }));
  res.write(bedrockEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { text: GUARDRAIL_TEXT } }));
  res.write(bedrockEvent("contentBlockStop", { contentBlockIndex: 0 }));
  res.write(bedrockEvent("messageStop", { stopReason: "guardrail_intervened" }));
  res.end(bedrockEvent("metadata", { usage, metrics: { latencyMs: 1 } }));
}

const BEDROCK: Record<string, [status: number, type: string, message: string]> = {
  throttling: [429, "ThrottlingException", "Too many requests, please wait before trying again."],
  unavailable: [503, "ServiceUnavailableException", "Bedrock is unable to process your request."],
  "model-timeout": [
    408,
    "ModelTimeoutException",
    "Model has timed out in processing the request. Try your request again.",
  ],
  "not-ready": [
    429,
    "ModelNotReadyException",
    "Model is not ready to serve inference requests. The AWS SDK will automatically retry the operation.",
  ],
  "input-too-long": [400, "ValidationException", "Input is too long for requested model."],
  "access-denied": [
    403,
    "AccessDeniedException",
    "You don't have access to the model with the specified model ID.",
  ],
  "stream-throttling": [429, "throttlingException", "Too many tokens, please wait before trying again."],
  "stream-unavailable": [503, "serviceUnavailableException", "Bedrock is unable to process your request."],
  "stream-model-error": [424, "modelStreamErrorException", "The model stream was interrupted."],
};

function bedrock(res: Res, shape: ErrorShape, x: ShapeContext): void {
  if (shape === "guardrail") {
    guardrail(res, x);
    return;
  }
  const [status, type, message] = BEDROCK[shape] ?? [500, "InternalServerException", "Internal error"];
  if (shape.startsWith("stream-") && x.streaming) {
    res.writeHead(200, { "content-type": "application/vnd.amazon.eventstream" });
    res.write(bedrockEvent("messageStart", { role: "assistant" }));
    res.write(bedrockEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { text: PARTIAL } }));
    res.end(bedrockException(type, { message }));
    return;
  }
  // Before a stream starts (or without one) the same failure is a plain error response.
  const name = type[0]?.toUpperCase() + type.slice(1);
  json(
    res,
    status,
    { message },
    { "x-amzn-errortype": `${name}:http://internal.amazon.com/coral/com.amazon.bedrock/` },
  );
}
