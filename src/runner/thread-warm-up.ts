import { enableCompileCache, flushCompileCache } from "../compile-cache.ts";
import { getProvider } from "../providers/registry.ts";
import { warmUpAgainst } from "../providers/warm-up.ts";
import type { ModelProfile } from "../types.ts";

/** What a worker thread is started with (Piscina's `workerData`): plain data, cloned to every thread. */
export interface ThreadStart {
  /** The run's profiles: the thread loads their providers and warms their SDKs up as it starts. */
  warm: readonly ModelProfile[];
  /** The port of the warm-up server the main thread shares (`shareWarmUpServer`); absent: the thread starts its own. */
  warmUpServer?: Int32Array;
}

/**
 * Loads the providers of `start.warm` and prepares each profile (its client, the SDK's warm-up) in the background,
 * as the thread starts: in parallel with the main thread's access check and run set-up instead of on the first
 * case. A case's own `prepare` awaits the same work (providers keep it per thread); a failure is that case's.
 */
export function warmUpThread(start: ThreadStart | undefined): void {
  // The SDKs are the bulk of what a thread compiles (Node 22+; the cache written once they are in).
  enableCompileCache();
  warmUpAgainst(start?.warmUpServer);
  const prepared = (start?.warm ?? []).map((profile) =>
    getProvider(profile.provider)
      .then((provider) => provider.prepare?.(profile))
      .catch(() => undefined),
  );
  if (prepared.length > 0) void Promise.all(prepared).then(flushCompileCache);
}
