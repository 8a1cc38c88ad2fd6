import { randomUUID } from "node:crypto";
import { shareWarmUpServer } from "../providers/warm-up.ts";
import type { ModelProfile } from "../types.ts";
import { isWarmUpHello, type ThreadStart, type WarmUpRequest } from "./thread-warm-up.ts";

/** What a pool's threads warm up, told to them as they start and whenever it changes. */
export interface PoolWarmUp {
  /** The threads' `workerData`. */
  start: ThreadStart;
  /**
   * Warms `profiles` up in every thread of the pool, those running and those started later: the pool of a project
   * with `.eval.ts` files is made to collect them, before the plan says which models will run.
   */
  warm(profiles: readonly ModelProfile[]): void;
  close(): Promise<void>;
}

/**
 * The main thread's side of the threads' warm-up (thread-warm-up.ts): the profiles to warm, sent on a
 * BroadcastChannel of the pool's own (Piscina fixes `workerData` when the pool is made, and takes every message on
 * a thread's parentPort as its own), and the simulator they warm up against, served here once there is something
 * to warm.
 */
export function poolWarmUp(initial: readonly ModelProfile[] = []): PoolWarmUp {
  let profiles = initial;
  const port = new Int32Array(new SharedArrayBuffer(4));
  let server: { close(): Promise<void> } | undefined;
  const channel = new BroadcastChannel(`jury warm-up ${randomUUID()}`);
  const send = () => {
    if (profiles.length === 0) return;
    server ??= shareWarmUpServer(port);
    channel.postMessage({ warm: profiles } satisfies WarmUpRequest);
  };
  // A thread says hello as it starts: it has `initial` from its workerData, and may have missed what came since.
  channel.onmessage = (event) => {
    if (isWarmUpHello((event as MessageEvent).data) && profiles !== initial) send();
  };
  // Never what keeps the process alive.
  channel.unref();
  if (profiles.length > 0) server = shareWarmUpServer(port);
  return {
    start: { warm: profiles, warmUpServer: port, warmUpChannel: channel.name },
    warm(next) {
      profiles = next;
      send();
    },
    close: async () => {
      channel.close();
      await server?.close();
    },
  };
}
