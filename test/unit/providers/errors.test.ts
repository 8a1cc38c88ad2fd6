import { describe, expect, it, vi } from "vitest";
import {
  classifyAnthropicError,
  classifyHttpError,
  ProviderError,
  refusalOf,
  scrubSecrets,
} from "../../../src/providers/errors.ts";

const p = { key: "openai/gpt-4o" };
const kindOf = (err: unknown) => {
  const e = classifyHttpError(err, p);
  return e instanceof ProviderError ? e.kind : e.name;
};

describe("classifyHttpError", () => {
  it.each([
    [{ status: 429, message: "Rate limit" }, "throttling"],
    [{ status: 500 }, "transient"],
    [{ status: 503 }, "transient"],
    [{ status: 408 }, "transient"],
    [{ status: 401 }, "auth"],
    [{ status: 403 }, "auth"],
    [{ status: 400 }, "invalid_request"],
    [{ status: 404 }, "invalid_request"],
    [{ name: "ThrottlingException", $metadata: { httpStatusCode: 429 } }, "throttling"],
    [{ name: "ServiceQuotaExceededException" }, "throttling"],
    [{ name: "ModelNotReadyException" }, "transient"],
    [{ name: "InternalServerException", $metadata: { httpStatusCode: 500 } }, "transient"],
    [{ name: "ModelStreamErrorException" }, "transient"],
    [{ name: "AccessDeniedException", $metadata: { httpStatusCode: 403 } }, "auth"],
    [{ name: "CredentialsProviderError" }, "auth"],
    [{ name: "ValidationException", $metadata: { httpStatusCode: 400 } }, "invalid_request"],
    [{ name: "ResourceNotFoundException" }, "invalid_request"],
    [{ name: "ModelErrorException" }, "fatal"],
    [new Error("socket hang up"), "transient"],
    [Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }), "transient"],
  ])("%o → %s", (err, kind) => {
    expect(kindOf(err)).toBe(kind);
  });

  it("lets aborts through untouched", () => {
    const abort = new DOMException("aborted", "AbortError");
    expect(classifyHttpError(abort, p)).toBe(abort);
  });

  it("reads Retry-After and names the profile", () => {
    const e = classifyHttpError(
      { status: 429, message: "slow down", headers: new Headers({ "retry-after": "7" }) },
      p,
    ) as ProviderError;
    expect(e.retryAfterS).toBe(7);
    expect(e.message).toBe("openai/gpt-4o: slow down");
  });
});

describe("providers' own error bodies", () => {
  const gemini = (status: number, error: object) =>
    Object.assign(new Error(JSON.stringify({ error })), { name: "ApiError", status });

  it("reads a Gemini google.rpc.Status: its status and message, and RetryInfo.retryDelay as the wait", () => {
    const e = classifyHttpError(
      gemini(429, {
        code: 429,
        message: "Resource has been exhausted (e.g. check quota).",
        status: "RESOURCE_EXHAUSTED",
        details: [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "1.5s" }],
      }),
      p,
    ) as ProviderError;
    expect(e).toMatchObject({ kind: "throttling", code: "RESOURCE_EXHAUSTED", retryAfterS: 1.5 });
    expect(e.message).toBe(
      "openai/gpt-4o: RESOURCE_EXHAUSTED: Resource has been exhausted (e.g. check quota).",
    );
  });

  it("keeps a Gemini message that is not JSON as it is, with no wait", () => {
    const e = classifyHttpError(Object.assign(new Error("boom"), { name: "ApiError", status: 503 }), p);
    expect(e).toMatchObject({ kind: "transient", message: "openai/gpt-4o: boom" });
    expect((e as ProviderError).retryAfterS).toBeUndefined();
  });

  it("an Azure content_filter 400 is a refusal naming the categories that fired, not a bad request", () => {
    const e = classifyHttpError(
      {
        status: 400,
        code: "content_filter",
        message: "400 The response was filtered",
        error: {
          innererror: {
            content_filter_result: {
              hate: { filtered: true, severity: "high" },
              violence: { filtered: false, severity: "safe" },
            },
          },
        },
      },
      p,
    );
    expect(e).toMatchObject({ kind: "refused", code: "content_filter", status: 400 });
    expect(e.message).toBe(
      "openai/gpt-4o: refused by the provider's content filter (hate: high): 400 The response was filtered",
    );
  });

  it("records OpenAI's and AWS's own codes", () => {
    expect(classifyHttpError({ status: 400, code: "context_length_exceeded" }, p)).toMatchObject({
      kind: "invalid_request",
      code: "context_length_exceeded",
    });
    expect(classifyHttpError({ name: "ModelTimeoutException" }, p)).toMatchObject({
      kind: "transient",
      code: "ModelTimeoutException",
    });
  });
});

describe("refusalOf", () => {
  it.each([
    ["content_filter", "the provider's content filter"],
    ["SAFETY", "Gemini's safety filters"],
    ["RECITATION", "Gemini's recitation check"],
    ["PROHIBITED_CONTENT", "prohibited-content"],
    ["content_filtered", "Bedrock's content filter"],
    ["guardrail_intervened", "a Bedrock guardrail"],
  ])("%s is a refusal by %s", (reason, by) => {
    const e = refusalOf(reason, p);
    expect(e).toMatchObject({ kind: "refused", code: reason });
    expect(e?.message).toContain(by);
    expect(e?.message).toContain(`(finish reason ${reason})`);
  });

  it.each(["stop", "length", "end_turn", "max_tokens", "tool_use", "STOP", "MAX_TOKENS"])(
    "%s is an answer",
    (reason) => {
      expect(refusalOf(reason, p)).toBeUndefined();
    },
  );
});

describe("scrubSecrets", () => {
  it("removes key-shaped strings and the values of credential variables", () => {
    vi.stubEnv("TEST_SCRUB_API_KEY", "very-secret-value-123");
    expect(
      scrubSecrets(
        "Incorrect API key provided: sk-proj-abcdefghijklmnop. very-secret-value-123 AKIAABCDEFGHIJKLMNOP Bearer abc.def.ghi-jkl",
      ),
    ).toBe("Incorrect API key provided: [redacted]. [redacted] [redacted] Bearer [redacted]");
    vi.unstubAllEnvs();
  });
});

describe("classifyAnthropicError", () => {
  const body = (type: string) => ({ type: "error", error: { type, message: "m" }, request_id: "req_1" });
  // The SDK's own error class, as its stream throws an SSE `event: error` (no status) or its client an HTTP error.
  const sdkError = async (status: number | undefined, type: string, headers = new Headers()) => {
    const { APIError } = await import("@anthropic-ai/sdk");
    return status === undefined
      ? new APIError(undefined, body(type), undefined, headers, type as never)
      : APIError.generate(status, body(type), undefined, headers);
  };
  it.each([
    [529, "overloaded_error", "transient"],
    [500, "api_error", "transient"],
    [429, "rate_limit_error", "throttling"],
    [401, "authentication_error", "auth"],
    [403, "permission_error", "auth"],
    [400, "invalid_request_error", "invalid_request"],
    [404, "not_found_error", "invalid_request"],
    [413, "request_too_large", "invalid_request"],
    // Mid-stream, no status: the body's type decides.
    [undefined, "overloaded_error", "transient"],
    [undefined, "rate_limit_error", "throttling"],
    [undefined, "invalid_request_error", "invalid_request"],
    [undefined, "billing_error", "auth"],
  ])("HTTP %s %s → %s, the type kept as the code", async (status, type, kind) => {
    const e = classifyAnthropicError(await sdkError(status, type), { key: "anthropic/claude" });
    expect(e).toBeInstanceOf(ProviderError);
    expect(e).toMatchObject({ kind, code: type, status });
  });

  it("a 429's retry-after (seconds) is the wait asked for", async () => {
    const e = classifyAnthropicError(
      await sdkError(429, "rate_limit_error", new Headers({ "retry-after": "7" })),
      { key: "anthropic/claude" },
    );
    expect(e).toMatchObject({ kind: "throttling", retryAfterS: 7 });
  });
});
