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

/**
 * Runs `fn` so that the SDKs report when the request is written to the connection: fetch-based ones (OpenAI,
 * Azure, Gemini) through undici's diagnostics channels, when the request's headers are written to the socket;
 * the AWS SDK's HTTP/2 client once its handler went through `clockHttp2Sends`. Timing from there leaves out what
 * happens before in this thread — building and signing the request, opening the connection, other calls' work in
 * the same burst — which is not the model's latency. Other clients leave `sentAt` unset.
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
