import { enableCompileCache, flushCompileCache } from "../compile-cache.ts";
import { getProvider } from "../providers/registry.ts";
import { warmUpAgainst } from "../providers/warm-up.ts";
import type { ModelProfile } from "../types.ts";

/** What a worker thread is started with (Piscina's `workerData`): plain data, cloned to every thread. */
export interface ThreadStart {
  /** The profiles known when the pool was made: the thread loads their providers and warms their SDKs up. */
  warm: readonly ModelProfile[];
  /** Where the main thread publishes its warm-up server's port (`shareWarmUpServer`); absent: the thread starts its own. */
  warmUpServer?: Int32Array;
  /** The BroadcastChannel on which the pool sends profiles to warm up later (`WarmUpRequest`; pool-warm-up.ts). */
  warmUpChannel?: string;
}

/** Profiles to warm up, sent to the pool's threads. */
export interface WarmUpRequest {
  warm: readonly ModelProfile[];
}

/** What a thread says on the warm-up channel as it starts: the pool answers with what to warm up, if anything. */
export interface WarmUpHello {
  hello: true;
}

export function isWarmUpHello(data: unknown): data is WarmUpHello {
  return typeof data === "object" && data !== null && (data as WarmUpHello).hello === true;
}

function isWarmUpRequest(data: unknown): data is WarmUpRequest {
  return typeof data === "object" && data !== null && Array.isArray((data as WarmUpRequest).warm);
}

/**
 * Loads the providers of `start.warm`, and of what the pool sends later on `start.warmUpChannel`, and prepares each
 * profile (its client, the SDK's warm-up) in the background, as the thread starts: in parallel with the main thread's
 * access check and run set-up instead of on the first case. A case's own `prepare` awaits the same work (providers
 * keep it per thread: a profile sent twice is prepared once); a failure is that case's.
 */
export function warmUpThread(start: ThreadStart | undefined): void {
  // The SDKs are the bulk of what a thread compiles (Node 22+; the cache written once they are in).
  enableCompileCache();
  warmUpAgainst(start?.warmUpServer);
  warm(start?.warm ?? []);
  if (start?.warmUpChannel) {
    const channel = new BroadcastChannel(start.warmUpChannel);
    channel.onmessage = (event) => {
      const data = (event as MessageEvent).data;
      if (isWarmUpRequest(data)) warm(data.warm);
    };
    channel.unref();
    channel.postMessage({ hello: true } satisfies WarmUpHello);
  }
}

function warm(profiles: readonly ModelProfile[]): void {
  const prepared = profiles.map((profile) =>
    getProvider(profile.provider)
      .then((provider) => provider.prepare?.(profile))
      .catch(() => undefined),
  );
  if (prepared.length > 0) void Promise.all(prepared).then(flushCompileCache);
}
