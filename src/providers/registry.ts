import { UsageError } from "../errors.ts";
import type { Provider, ProviderName } from "../types.ts";

/**
 * Providers by prefix. Real providers (and their SDKs) load lazily, only when a profile uses them, so the
 * default offline run never imports an SDK.
 */
const loaders: Record<ProviderName, () => Promise<Provider>> = {
  mock: async () => (await import("./mock.ts")).mockProvider,
  bedrock: notYet("bedrock"),
  openai: notYet("openai"),
  azure: notYet("azure"),
  gemini: notYet("gemini"),
  "openai-compatible": notYet("openai-compatible"),
};

const cache = new Map<ProviderName, Promise<Provider>>();

export function getProvider(name: ProviderName): Promise<Provider> {
  let p = cache.get(name);
  if (!p) {
    p = loaders[name]();
    cache.set(name, p);
  }
  return p;
}

function notYet(name: string): () => Promise<Provider> {
  return async () => {
    throw new UsageError(
      `the ${name}/ provider is not available in this build yet`,
      "Use mock/ models (config/models_profiles.jsonl) until real providers land.",
    );
  };
}
