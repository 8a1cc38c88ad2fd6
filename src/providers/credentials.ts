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

/**
 * Static AWS keys from the current env (see io-context.ts), for the AWS SDK clients: the SDK's default chain
 * reads process.env itself, which is not the CLI call's env when a test runs the CLI in process. Undefined when
 * the env has none: the default chain (profiles, SSO, instance roles) applies.
 */
export function awsCredentials():
  | { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
  | undefined {
  const env = currentEnv();
  if (!env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) return undefined;
  return {
    accessKeyId: env.AWS_ACCESS_KEY_ID,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
    ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
  };
}
