import { currentEnv } from "../io-context.ts";
import type { ModelProfile } from "../types.ts";
import { ProviderError } from "./errors.ts";

/** The seed's env names, accepted as aliases of the standard ones. */
const ALIASES: Record<string, string[]> = {
  OPENAI_API_KEY: ["OPENAI_API"],
  GEMINI_API_KEY: ["GOOGLE_API_KEY", "GOOGLE_API"],
  AZURE_OPENAI_API_KEY: ["AZURE_API_KEY"],
};

/**
 * The API key for a profile: the env var named by its `api_key_env`, else the provider's standard variable or
 * its seed alias. The error names the variables, never a value.
 */
export function apiKeyFor(profile: ModelProfile, standard: string, required = true): string | undefined {
  const names = profile.apiKeyEnv ? [profile.apiKeyEnv] : [standard, ...(ALIASES[standard] ?? [])];
  const env = currentEnv();
  for (const n of names) {
    const v = env[n];
    if (v) return v;
  }
  if (!required) return undefined;
  throw new ProviderError(
    `no API key for ${profile.key}: set ${names.join(" or ")} (in the environment or .env)`,
    "auth",
  );
}
