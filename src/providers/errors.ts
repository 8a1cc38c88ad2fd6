/** How a provider failure should be treated; the retry policy (and its classes) grows in the reliability work. */
export type ProviderErrorKind = "throttling" | "transient" | "auth" | "invalid_request" | "fatal";

/** A failed model call. The message must never contain key material. */
export class ProviderError extends Error {
  override name = "ProviderError";
  constructor(
    message: string,
    readonly kind: ProviderErrorKind,
    readonly status?: number,
  ) {
    super(message);
  }
}
