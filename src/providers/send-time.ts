import { AsyncLocalStorage } from "node:async_hooks";
import { subscribe } from "node:diagnostics_channel";
import type { ClientHttp2Session } from "node:http2";
import { performance } from "node:perf_hooks";

/** Where a call in progress records when its request reached the socket. */
export interface SendClock {
  sentAt?: number;
}

const current = new AsyncLocalStorage<SendClock>();
const clocks = new WeakMap<object, SendClock>();
let subscribed = false;
/** The clock measureStream offers a provider's stream as it starts (see offerSendClock). */
let offered: SendClock | undefined;
/** The clock of the request being dispatched right now, synchronously (see dispatchWithClock). */
let dispatching: SendClock | undefined;

function subscribeOnce(): void {
  if (subscribed) return;
  subscribed = true;
  subscribe("undici:request:create", (message) => {
    const clockOf = dispatching ?? current.getStore();
    const request = (message as { request?: object }).request;
    if (clockOf && request) clocks.set(request, clockOf);
  });
  subscribe("undici:client:sendHeaders", (message) => {
    const request = (message as { request?: object }).request;
    const clockOf = request ? clocks.get(request) : undefined;
    if (clockOf) clockOf.sentAt = performance.now();
  });
}

/**
 * Runs `fn` so that the SDKs report when the request is written to the connection: fetch-based ones (Gemini, and
 * any call sdk-fetch.ts hands to the global fetch) through undici's diagnostics channels, when the request's
 * headers are written to the socket; the AWS SDK's HTTP/2 client once its handler went through `clockHttp2Sends`.
 * Timing from there leaves out what happens before in this thread — building and signing the request, opening the
 * connection, other calls' work in the same burst — which is not the model's latency. Other clients leave `sentAt`
 * unset. An AsyncLocalStorage: on Node 20 its first use turns on promise hooks for the thread (several percent of a
 * worker's CPU at zero latency), so the SDKs that take sdk-fetch.ts's fetch get their clock without it.
 */
export function withSendClock<T>(clock: SendClock, fn: () => T): T {
  subscribeOnce();
  return current.run(clock, fn);
}

/** `fn` within `clock` (withSendClock), or simply `fn` without one. */
export function withOptionalSendClock<T>(clock: SendClock | undefined, fn: () => T): T {
  return clock ? withSendClock(clock, fn) : fn();
}

/**
 * measureStream: runs `fn` (the first step of a provider's stream) offering `clock` to the provider, which takes it
 * synchronously as its stream starts (takeSendClock) and hands it to its SDK's request.
 */
export function offerSendClock<T>(clock: SendClock, fn: () => T): T {
  offered = clock;
  try {
    return fn();
  } finally {
    offered = undefined;
  }
}

/** A provider's stream, first thing (before any await): the clock of the call it makes, when it is measured. */
export function takeSendClock(): SendClock | undefined {
  const clock = offered;
  offered = undefined;
  return clock;
}

/** sdk-fetch.ts: dispatches a request (`fn`, which creates it synchronously) as the one `clock` times. */
export function dispatchWithClock<T>(clock: SendClock | undefined, fn: () => T): T {
  if (!clock) return fn();
  subscribeOnce();
  dispatching = clock;
  try {
    return fn();
  } finally {
    dispatching = undefined;
  }
}

type Connect = (url: string) => ClientHttp2Session;

/**
 * Makes an AWS SDK client's HTTP/2 request handler (smithy's `NodeHttp2Handler`) record, for calls run inside
 * `withSendClock`, when each request's HEADERS frame is written to the socket: in the event loop's check phase
 * after its stream opens on a connected session — the HTTP/2 counterpart of undici's `sendHeaders`. Stamping
 * there, rather than in the SDK's middleware stack, leaves out what the handler does first: the TCP connection
 * each ConverseStream opens (the SDK gives every event stream a session of its own) and queueing behind other
 * calls. Node 20 has no HTTP/2 diagnostics channel, so this wraps the sessions opened by the handler's connection
 * manager (a private field of smithy's handler: test/unit/providers/ttft-clock.test.ts notices if it moves).
 * Returns false, changing nothing, for a handler of another shape (the call is then timed from the provider's
 * `request` event).
 */
export function clockHttp2Sends(handler: unknown): boolean {
  const manager = (handler as { connectionManager?: { connect?: Connect } } | undefined)?.connectionManager;
  const open = manager?.connect;
  if (!manager || typeof open !== "function") return false;
  manager.connect = (url) => {
    const session = open.call(manager, url);
    const request = session.request;
    session.request = function (this: ClientHttp2Session, ...args: Parameters<typeof request>) {
      const stream = request.apply(this, args);
      const clock = current.getStore();
      // The session writes the frames it was handed in the event loop's check phase (a native immediate, queued
      // before this one): stamping there is when the HEADERS reach the socket, as undici's sendHeaders comes
      // after its socket write. On a busy thread the phase can come milliseconds after `ready`.
      const stamp = () =>
        setImmediate(() => {
          if (clock) clock.sentAt = performance.now();
        });
      // On a session already connected (a pooled one) the stream is opened, and `ready` emitted, within request().
      if (stream.pending) stream.once("ready", stamp);
      else stamp();
      return stream;
    } as typeof request;
    return session;
  };
  return true;
}
