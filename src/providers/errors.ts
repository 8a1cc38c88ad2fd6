import { currentEnv } from "../io-context.ts";
import type { ModelProfile } from "../types.ts";
import { maskUrlPasswords } from "./url-credentials.ts";

/**
 * How a provider failure should be treated: the retry policy retries throttling and transient ones only.
 * `refused`: the provider's content filter or safety system blocked the prompt or the answer (not retried: the
 * same prompt is blocked again).
 */
export type ProviderErrorKind = "throttling" | "transient" | "auth" | "invalid_request" | "fatal" | "refused";

/** A failed model call. Its message never contains key material (see `scrubSecrets`). */
export class ProviderError extends Error {
  override name = "ProviderError";
  constructor(
    message: string,
    readonly kind: ProviderErrorKind,
    readonly status?: number,
    /** Seconds the server asked us to wait (`Retry-After`), when it did. */
    readonly retryAfterS?: number,
    /** The provider's own code: `context_length_exceeded`, `content_filter`, `ThrottlingException`, `SAFETY` … */
    readonly code?: string,
  ) {
    super(scrubSecrets(message));
  }
}

/** Shapes of SDK errors we read: OpenAI (`status`, `headers`), AWS (`$metadata.httpStatusCode`, `name`), Gemini (`status`). */
interface SdkError {
  name?: string;
  message?: string;
  status?: number;
  code?: string | null;
  /** OpenAI SDK: the body's `error` object. */
  error?: {
    innererror?: { content_filter_result?: Record<string, { filtered?: boolean; severity?: string }> };
  };
  cause?: unknown;
  headers?: Headers | Record<string, string>;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
}

const AWS_KIND: Record<string, ProviderErrorKind> = {
  ThrottlingException: "throttling",
  ServiceQuotaExceededException: "throttling",
  TooManyRequestsException: "throttling",
  ModelNotReadyException: "transient",
  ServiceUnavailableException: "transient",
  InternalServerException: "transient",
  ModelStreamErrorException: "transient",
  ModelTimeoutException: "transient",
  AccessDeniedException: "auth",
  UnrecognizedClientException: "auth",
  ExpiredTokenException: "auth",
  CredentialsProviderError: "auth",
  ValidationException: "invalid_request",
  ResourceNotFoundException: "invalid_request",
  ModelErrorException: "fatal",
};

/** Classifies any SDK or network error into a ProviderError (aborts and our own errors pass through). */
export function classifyHttpError(err: unknown, profile: Pick<ModelProfile, "key">): Error {
  if (err instanceof ProviderError) return err;
  const e = (err ?? {}) as SdkError;
  if (e.name === "AbortError" || e.name === "TimeoutError" || e.name === "APIUserAbortError")
    return err as Error;
  const status = e.status ?? e.$metadata?.httpStatusCode;
  const google = e.name === "ApiError" ? googleStatus(e.message) : undefined;
  const message = `${profile.key}: ${google?.message ?? e.message ?? String(err)}`;
  const awsKind = e.name ? AWS_KIND[e.name] : undefined;
  if (awsKind) return new ProviderError(message, awsKind, status, undefined, e.name);
  const code = google?.status ?? (typeof e.code === "string" ? e.code : undefined);
  if (code === "content_filter")
    return new ProviderError(
      `${profile.key}: refused by the provider's content filter${filtered(e)}: ${e.message ?? ""}`,
      "refused",
      status,
      undefined,
      code,
    );
  const hint = google?.retryDelayS ?? retryAfter(e.headers);
  if (status === 429) return new ProviderError(message, "throttling", status, hint, code);
  if (status !== undefined && (status >= 500 || status === 408))
    return new ProviderError(message, "transient", status, hint, code);
  if (status === 401 || status === 403) return new ProviderError(message, "auth", status, undefined, code);
  if (status !== undefined && status >= 400)
    return new ProviderError(message, "invalid_request", status, undefined, code);
  // No status: a connection reset, a refused connection, a stream that ended early or failed mid-way.
  return new ProviderError(message, "transient", undefined, undefined, code);
}

/**
 * Anthropic's error types (`{"type":"error","error":{"type":…,"message":…}}`), for an error that came with no HTTP
 * status: an SSE `event: error` in a stream that had started (`overloaded_error` mostly). With a status, the status
 * decides, as for every provider: 529 (overloaded) and 500 are transient, 429 throttling with its `retry-after`.
 * https://docs.claude.com/en/api/errors
 */
const ANTHROPIC_KIND: Record<string, ProviderErrorKind> = {
  overloaded_error: "transient",
  api_error: "transient",
  timeout_error: "transient",
  rate_limit_error: "throttling",
  authentication_error: "auth",
  permission_error: "auth",
  billing_error: "auth",
  invalid_request_error: "invalid_request",
  not_found_error: "invalid_request",
  request_too_large: "invalid_request",
};

/**
 * Classifies an `@anthropic-ai/sdk` error as `classifyHttpError` does, with the body's error type as the code
 * (`overloaded_error`, `rate_limit_error`, `invalid_request_error` …) and as the kind of a mid-stream error.
 */
export function classifyAnthropicError(err: unknown, profile: Pick<ModelProfile, "key">): Error {
  const classified = classifyHttpError(err, profile);
  const type = (err as { type?: unknown } | null)?.type;
  if (!(classified instanceof ProviderError) || typeof type !== "string" || err instanceof ProviderError)
    return classified;
  const kind = classified.status === undefined ? (ANTHROPIC_KIND[type] ?? classified.kind) : classified.kind;
  return new ProviderError(classified.message, kind, classified.status, classified.retryAfterS, type);
}

/**
 * Finish reasons that mean the provider blocked the answer (Azure/OpenAI `content_filter`, Gemini's safety,
 * recitation and blocklist stops, Bedrock's content filter and guardrails): the meaning of each, for the message.
 */
const REFUSING_FINISH: Record<string, string> = {
  content_filter: "the provider's content filter",
  SAFETY: "Gemini's safety filters",
  RECITATION: "Gemini's recitation check (the answer repeated a source)",
  BLOCKLIST: "a blocklist of terms",
  PROHIBITED_CONTENT: "Gemini's prohibited-content policy",
  SPII: "Gemini's sensitive personal information filter",
  IMAGE_SAFETY: "Gemini's image safety filters",
  content_filtered: "Bedrock's content filter",
  guardrail_intervened: "a Bedrock guardrail",
  refusal: "Anthropic's safety classifiers",
};

/** The refusal a finish reason stands for (a ProviderError of kind `refused`, not retried), or undefined. */
export function refusalOf(reason: string, profile: Pick<ModelProfile, "key">): ProviderError | undefined {
  const by = REFUSING_FINISH[reason];
  return by === undefined
    ? undefined
    : new ProviderError(
        `${profile.key}: the answer was blocked by ${by} (finish reason ${reason})`,
        "refused",
        undefined,
        undefined,
        reason,
      );
}

/** Azure's content filter categories that fired, e.g. ` (violence: medium)`. */
function filtered(e: SdkError): string {
  const result = e.error?.innererror?.content_filter_result ?? {};
  const hits = Object.entries(result)
    .filter(([, r]) => r?.filtered)
    .map(([category, r]) => `${category}${r.severity ? `: ${r.severity}` : ""}`);
  return hits.length ? ` (${hits.join(", ")})` : "";
}

/**
 * A Google API error as `@google/genai` throws it (its message is the JSON body, a google.rpc.Status): the
 * readable message, the status name and the wait a RetryInfo detail asks for (`retryDelay`, e.g. "7s").
 */
function googleStatus(
  raw: string | undefined,
): { message: string; status?: string; retryDelayS?: number } | undefined {
  let body: { error?: { message?: string; status?: string; details?: Record<string, unknown>[] } };
  try {
    body = JSON.parse(raw ?? "");
  } catch {
    return undefined;
  }
  const error = body?.error;
  if (!error) return undefined;
  const info = error.details?.find((d) => String(d["@type"]).endsWith("google.rpc.RetryInfo"));
  const delay = /^(\d+(?:\.\d+)?)s$/.exec(String(info?.retryDelay ?? ""));
  return {
    message: [error.status, error.message].filter(Boolean).join(": "),
    ...(error.status ? { status: error.status } : {}),
    ...(delay ? { retryDelayS: Number(delay[1]) } : {}),
  };
}

/** Seconds to wait from `retry-after-ms` (OpenAI, Azure) or `retry-after` (seconds). */
function retryAfter(headers: SdkError["headers"]): number | undefined {
  const get = (name: string) => (headers instanceof Headers ? headers.get(name) : headers?.[name]);
  const ms = Number(get("retry-after-ms") ?? Number.NaN);
  if (Number.isFinite(ms)) return ms / 1000;
  const s = Number(get("retry-after") ?? Number.NaN);
  return Number.isFinite(s) ? s : undefined;
}

/**
 * Removes key material from a message: the values of credential env vars, strings shaped like keys, Bearer and
 * Basic tokens, and the password of a URL (`user:***@`).
 */
export function scrubSecrets(text: string): string {
  let out = text;
  for (const [name, value] of Object.entries(currentEnv())) {
    if (value && value.length >= 8 && /KEY|SECRET|TOKEN|PASSWORD|CREDENTIAL/i.test(name))
      out = out.split(value).join("[redacted]");
  }
  const scrubbed = out
    .replace(
      /\b(sk-[A-Za-z0-9_-]{8,}|AKIA[A-Z0-9]{12,}|ASIA[A-Z0-9]{12,}|AIza[A-Za-z0-9_-]{20,})/g,
      "[redacted]",
    )
    .replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, "$1[redacted]")
    // Base64 of `user:password` (a digit, `+`, `/`, `=` or mixed case in it: not a word like "Basic information").
    .replace(/(Basic\s+)(?=[A-Za-z0-9+/]*(?:[0-9+/=]|[a-z][A-Z]))[A-Za-z0-9+/]{4,}={0,2}/g, "$1[redacted]");
  return maskUrlPasswords(scrubbed);
}
