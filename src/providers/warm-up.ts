import { currentEnv } from "../io-context.ts";
import type { ModelProfile, Provider } from "../types.ts";

const warmed = new Map<string, Promise<void>>();

/**
 * Runs a few calls of a provider's SDK, once per thread, against the local simulator on loopback (never the real
 * service): the first calls of a thread load and compile the SDK's request, HTTP and stream-parsing code, and
 * done inside measured calls that work blocks the thread and lands on the TTFT of every call in flight.
 */
export function warmUp(provider: Provider, profile: ModelProfile): Promise<void> {
  const kind = profile.provider;
  let p = warmed.get(kind);
  if (!p) {
    p = (async () => {
      const { startSimulator } = await import("../simulator/server.ts");
      const sim = await startSimulator({ ttftMs: 0, tokensPerS: 0, seed: "warm-up" });
      try {
        const stub: ModelProfile = {
          ...profile,
          key: `${profile.key} (warm-up)`,
          baseUrl: kind === "openai" || kind === "openai-compatible" ? `${sim.url}/v1` : sim.url,
          apiKeyEnv: "JURY_WARM_UP_KEY",
        };
        currentEnv().JURY_WARM_UP_KEY ??= "warm-up";
        for (let round = 0; round < 3; round++) {
          await Promise.all(
            Array.from({ length: 4 }, async () => {
              for await (const _ of provider.stream(stub, {
                messages: [{ role: "user", content: "warm up" }],
                temperature: 0,
                maxTokens: 8,
                seed: "warm-up",
              })) {
                // drain
              }
            }),
          );
        }
      } finally {
        await sim.close();
      }
    })().catch(() => undefined);
    warmed.set(kind, p);
  }
  return p;
}
