import { createRequire } from "node:module";
import { dispatchWithClock, type SendClock, withOptionalSendClock } from "./send-time.ts";

type Undici = typeof import("undici");
type Dispatcher = import("undici").Dispatcher;
type RawResponse = import("undici").Dispatcher.ResponseData;

/**
 * This thread's keep-alive connection pool (module state is per worker thread), following redirects as fetch does
 * (up to 20). Connections per origin are not capped: a thread never has more requests in flight than the cases it
 * holds (its share of the concurrency) times their calls, and each finished call leaves its connection open for the
 * next one. Idle sockets do not keep a thread or the process alive (undici unrefs them).
 */
let pool: { agent: import("undici").Agent; dispatcher: Dispatcher } | undefined;

/** Kept open between calls for this long, unless the server says less (a judge's calls come in bursts). */
const KEEP_ALIVE_MS = 30_000;

/**
 * undici's Agent, its request API and its redirect interceptor, loaded by the first call (the CLI's start does not
 * pay for them) without undici's index, which also loads fetch, WebSocket, EventSource, the caches and the mocks:
 * 34 modules in 26–32 ms against 110 in 120–164 ms, on a worker thread's path to its first call (measured). undici
 * is pinned in package.json: a release that moves these files fails every HTTP test.
 */
function leanUndici(): { Agent: Undici["Agent"]; redirect: Undici["interceptors"]["redirect"] } {
  const load = createRequire(import.meta.url);
  // As undici's index does: the request API (dispatcher.request) on every dispatcher.
  Object.assign(load("undici/lib/dispatcher/dispatcher").prototype, load("undici/lib/api"));
  return { Agent: load("undici/lib/dispatcher/agent"), redirect: load("undici/lib/interceptor/redirect") };
}

function httpDispatcher(): Dispatcher {
  if (!pool) {
    const { Agent, redirect } = leanUndici();
    const agent = new Agent({ keepAliveTimeout: KEEP_ALIVE_MS, keepAliveMaxTimeout: 10 * KEEP_ALIVE_MS });
    pool = { agent, dispatcher: agent.compose(redirect({ maxRedirections: 20 })) };
  }
  return pool.dispatcher;
}

/** Closes this thread's connections (a later call opens new ones). */
export async function closeHttpAgent(): Promise<void> {
  const open = pool;
  pool = undefined;
  await open?.agent.close();
}

/**
 * A proxy in the environment: Node's fetch honours it (Node 24 with NODE_USE_ENV_PROXY, or a global dispatcher the
 * user set), this pool would not, so calls keep going through fetch then.
 */
const PROXIED = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NODE_USE_ENV_PROXY"].some(
  (name) => process.env[name],
);

/**
 * The `fetch` the SDKs built on Stainless's client (OpenAI, Azure, Anthropic) are given: a request through undici's
 * `request` API on this thread's keep-alive pool, answered with a small Response whose `body` is undici's Node
 * readable — an async iterable, which those SDKs read as it is — instead of a WHATWG Request, Response and web
 * streams built per call (the bulk of a worker's CPU per call at zero latency, docs/performance.md). Behaves as
 * `fetch` where the SDKs look: `ok`, `status`, a real `Headers`, `json()`/`text()`, an abort through `signal`
 * rejecting with the signal's reason, a network failure as fetch's `TypeError("fetch failed")` with the cause.
 * undici publishes the same diagnostics channels as fetch (send-time.ts times calls from them). A request `fetch`
 * takes that this does not (a Request object, a multipart or streamed body: the Files API), and every call when a
 * proxy is configured, goes to the global fetch.
 */
export async function sdkFetch(
  input: string | URL | Request,
  init: RequestInit & { sendClock?: SendClock } = {},
): Promise<Response> {
  const { body, sendClock: clock } = init;
  if (
    PROXIED ||
    (typeof input !== "string" && !(input instanceof URL)) ||
    (body != null && typeof body !== "string" && !(body instanceof Uint8Array))
  )
    return withOptionalSendClock(clock, () => fetch(input, init));
  const dispatcher = httpDispatcher();
  let res: RawResponse;
  try {
    const url = new URL(input);
    res = await dispatchWithClock(clock, () =>
      dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: (init.method ?? "GET") as "GET",
        headers: headerObject(init.headers),
        body: body ?? null,
        signal: init.signal ?? undefined,
      }),
    );
  } catch (err) {
    if (init.signal?.aborted) throw init.signal.reason;
    throw new TypeError("fetch failed", { cause: err });
  }
  return new LeanResponse(String(input), res) as unknown as Response;
}

/**
 * A call's options for an SDK given sdkFetch: its abort signal, and the send clock of the call (measureStream's,
 * taken by the provider with takeSendClock), which the SDK passes on to sdkFetch with the request.
 */
export function sdkRequestOptions(
  signal: AbortSignal | undefined,
  clock: SendClock | undefined,
): { signal?: AbortSignal; fetchOptions?: never } {
  return {
    ...(signal ? { signal } : {}),
    // Each SDK types its own RequestInit; the key is read by sdkFetch alone.
    ...(clock ? { fetchOptions: { sendClock: clock } as never } : {}),
  };
}

/** The request's headers as undici's `request` takes them: an object (an array would be flat name, value, …). */
function headerObject(headers: RequestInit["headers"]): Record<string, string> | undefined {
  if (headers === undefined || headers === null) return undefined;
  if (!(headers instanceof Headers) && !Array.isArray(headers)) return headers as Record<string, string>;
  const out: Record<string, string> = {};
  for (const [name, value] of headers as Iterable<[string, string]>) out[name] = value;
  return out;
}

/** What the SDKs read of a fetch Response, over undici's answer. The Headers are built when first read. */
class LeanResponse {
  readonly status: number;
  readonly statusText = "";
  readonly ok: boolean;
  readonly redirected = false;
  readonly type = "basic";
  readonly body: RawResponse["body"];
  #raw: RawResponse["headers"];
  #headers: Headers | undefined;

  constructor(
    readonly url: string,
    res: RawResponse,
  ) {
    this.status = res.statusCode;
    this.ok = res.statusCode >= 200 && res.statusCode < 300;
    this.body = res.body;
    this.#raw = res.headers;
  }

  get headers(): Headers {
    if (!this.#headers) {
      const headers = new Headers();
      for (const [name, value] of Object.entries(this.#raw))
        if (Array.isArray(value)) for (const v of value) headers.append(name, v);
        else if (value !== undefined) headers.append(name, value);
      this.#headers = headers;
    }
    return this.#headers;
  }

  get bodyUsed(): boolean {
    return this.body.bodyUsed;
  }

  json(): Promise<unknown> {
    return this.body.json();
  }

  text(): Promise<string> {
    return this.body.text();
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.body.arrayBuffer();
  }

  blob(): Promise<Blob> {
    return this.body.blob();
  }
}
