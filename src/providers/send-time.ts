import { AsyncLocalStorage } from "node:async_hooks";
import { subscribe } from "node:diagnostics_channel";
import { performance } from "node:perf_hooks";

/** Where a call in progress records when its request reached the socket. */
export interface SendClock {
  sentAt?: number;
}

const current = new AsyncLocalStorage<SendClock>();
const clocks = new WeakMap<object, SendClock>();
let subscribed = false;

/**
 * Runs `fn` so that fetch-based SDKs (OpenAI, Azure, Gemini) report, through undici's diagnostics channels,
 * the moment the request's headers are written to the socket. Timing from there leaves out what happens before
 * in this thread — building the request, opening the connection, other calls' work in the same burst — which
 * is not the model's latency. Clients that do not use fetch (the AWS SDK) leave `sentAt` unset.
 */
export function withSendClock<T>(clock: SendClock, fn: () => T): T {
  if (!subscribed) {
    subscribed = true;
    subscribe("undici:request:create", (message) => {
      const clockOf = current.getStore();
      const request = (message as { request?: object }).request;
      if (clockOf && request) clocks.set(request, clockOf);
    });
    subscribe("undici:client:sendHeaders", (message) => {
      const request = (message as { request?: object }).request;
      const clockOf = request ? clocks.get(request) : undefined;
      if (clockOf) clockOf.sentAt = performance.now();
    });
  }
  return current.run(clock, fn);
}
