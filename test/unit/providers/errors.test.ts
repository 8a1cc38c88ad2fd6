import { describe, expect, it, vi } from "vitest";
import { classifyHttpError, ProviderError, scrubSecrets } from "../../../src/providers/errors.ts";

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
