import type { Provider, ProviderName } from "../types.ts";

/**
 * Providers by prefix. Real providers (and their SDKs) load lazily, only when a profile uses them, so the
 * default offline run never imports an SDK.
 */
const loaders: Record<ProviderName, () => Promise<Provider>> = {
  mock: async () => (await import("./mock.ts")).mockProvider,
  bedrock: async () => (await import("./bedrock.ts")).bedrockProvider,
  openai: async () => (await import("./openai.ts")).openaiProvider,
  azure: async () => (await import("./openai.ts")).openaiProvider,
  gemini: async () => (await import("./gemini.ts")).geminiProvider,
  anthropic: async () => (await import("./anthropic.ts")).anthropicProvider,
  "openai-compatible": async () => (await import("./openai.ts")).openaiProvider,
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
