import { currentEnv } from "../io-context.ts";
import type { ModelProfile, Provider } from "../types.ts";

const warmed = new Map<string, Promise<void>>();

/**
 * A warm-up server another thread serves (`shareWarmUpServer`): its port in shared memory once it listens, `STARTING`
 * until then; 0 (none started) or -1 (it could not start) and absent (the inline pool, jury/vitest): this thread
 * starts a simulator of its own.
 */
let sharedPort: Int32Array | undefined;

const STARTING = -2;

/** How long a thread waits for the shared server before it starts its own. */
const SHARED_WAIT_MS = 5_000;

/** Warms this thread's SDKs up against the server whose port `port` publishes (see `sharedPort`). */
export function warmUpAgainst(port: Int32Array | undefined): void {
  sharedPort = port;
}

/**
 * The simulator the warm-up calls: the shared one, published by another thread, when there is one — importing and
 * starting the simulator here would put ~50–90 ms (its modules and node:http2) on this thread's way to its first
 * call (docs/performance.md) — else one of this thread's own.
 */
async function warmUpServer(): Promise<{ url: string; close(): Promise<void> }> {
  if (sharedPort) {
    if (Atomics.load(sharedPort, 0) === STARTING)
      await Atomics.waitAsync(sharedPort, 0, STARTING, SHARED_WAIT_MS).value;
    const port = Atomics.load(sharedPort, 0);
    if (port > 0) return { url: `http://127.0.0.1:${port}`, close: async () => undefined };
  }
  const { startSimulator } = await import("../simulator/server.ts");
  return startSimulator(WARM_UP_SIMULATOR);
}

/** The warm-up's simulator: every answer at once. */
const WARM_UP_SIMULATOR = { ttftMs: 0, tokensPerS: 0, seed: "warm-up" } as const;

/**
 * Starts a warm-up simulator in this thread for other threads to call (`warmUpAgainst` with `port`): the main
 * thread, idle while its worker threads start, serves their warm-up instead of each loading the simulator on its
 * way to its first call. `port` says it is starting at once (a thread that reads it then waits), then holds the
 * server's port once it listens, or -1 if it could not start (each thread then starts its own).
 */
export function shareWarmUpServer(port: Int32Array): { close(): Promise<void> } {
  const publish = (value: number) => {
    Atomics.store(port, 0, value);
    Atomics.notify(port, 0);
  };
  publish(STARTING);
  const started = import("../simulator/server.ts").then(({ startSimulator }) =>
    startSimulator({ ...WARM_UP_SIMULATOR, unref: true }),
  );
  started.then(
    (sim) => publish(Number(new URL(sim.url).port)),
    () => publish(-1),
  );
  return { close: async () => (await started.catch(() => undefined))?.close() };
}

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
      const sim = await warmUpServer();
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
