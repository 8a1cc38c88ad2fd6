import { currentEnv } from "../io-context.ts";
import type { ModelProfile } from "../types.ts";
import { maskUrlPasswords } from "./url-credentials.ts";

/** How a provider failure should be treated: the retry policy retries throttling and transient ones only. */
export type ProviderErrorKind = "throttling" | "transient" | "auth" | "invalid_request" | "fatal";

/** A failed model call. Its message never contains key material (see `scrubSecrets`). */
export class ProviderError extends Error {
  override name = "ProviderError";
  constructor(
    message: string,
    readonly kind: ProviderErrorKind,
    readonly status?: number,
    /** Seconds the server asked us to wait (`Retry-After`), when it did. */
    readonly retryAfterS?: number,
  ) {
    super(scrubSecrets(message));
  }
}

/** Shapes of SDK errors we read: OpenAI (`status`, `headers`), AWS (`$metadata.httpStatusCode`, `name`), Gemini (`status`). */
interface SdkError {
  name?: string;
  message?: string;
  status?: number;
  code?: string;
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
  const message = `${profile.key}: ${e.message ?? String(err)}`;
  const awsKind = e.name ? AWS_KIND[e.name] : undefined;
  if (awsKind) return new ProviderError(message, awsKind, status);
  if (status === 429) return new ProviderError(message, "throttling", status, retryAfter(e.headers));
  if (status !== undefined && (status >= 500 || status === 408))
    return new ProviderError(message, "transient", status, retryAfter(e.headers));
  if (status === 401 || status === 403) return new ProviderError(message, "auth", status);
  if (status !== undefined && status >= 400) return new ProviderError(message, "invalid_request", status);
  // No status: a connection reset, a refused connection or a stream that ended early.
  return new ProviderError(message, "transient");
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
