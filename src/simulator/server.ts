import type { ServerResponse } from "node:http";
import type { Http2ServerResponse } from "node:http2";
import { setTimeout as sleep } from "node:timers/promises";
import { seededRandom } from "../metrics/random.ts";
import { anthropicRoute } from "./anthropic.ts";
import { BatchJobs, type SimBatchOptions, type SimBatchStats } from "./batch-jobs.ts";
import { batchRoutes } from "./batch-routes.ts";
import { bedrockRoute } from "./bedrock.ts";
import { optimizePrompt } from "./bedrock-optimize-prompt.ts";
import { type ErrorShape, errorShapeOf, serveErrorShape } from "./error-shapes.ts";
import { geminiRoute } from "./gemini.ts";
import { destroy, fail, json, type Req, type Res, readBody } from "./http.ts";
import { listen } from "./listen.ts";
import { openaiRoute } from "./openai.ts";
import { countTokens, simulatedAnswer, simulatedReasoning } from "./respond.ts";
import type { Route } from "./route.ts";
import { ttftDraw } from "./ttft-draw.ts";

export interface SimulatorOptions extends SimBatchOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Delay before the first content token. @default 100 */
  ttftMs?: number;
  /**
   * Spread of the delay before the first token, drawn per request (seeded): `uniform` ±50% around `ttftMs`,
   * `lognormal` with median `ttftMs` and σ 0.5 (the long right tail of real providers). @default none: every
   * request waits `ttftMs` exactly, so a burst's first tokens all leave in the same millisecond (the worst case
   * for a client's timing).
   */
  ttftJitter?: "uniform" | "lognormal";
  /** Streaming rate; 0 sends everything at once. @default 400 */
  tokensPerS?: number;
  /** Share of requests that get a fault (429, 5xx, connection reset, truncated stream, malformed judge JSON). */
  faultRate?: number;
  /** What a simulated 429 asks the client to wait. @default 1000 */
  retryAfterMs?: number;
  seed?: string;
  /**
   * Record, per streamed prompt, the TTFT the simulator actually served (first answer chunk written − request
   * arrival), in `stats.servedTtftMs` (and the first reasoning chunk's in `stats.servedTtfrMs`): the truth a
   * TTFT-fidelity bench compares client measurements with.
   */
  recordTtft?: boolean;
  /** Its sockets never keep the process alive (a server for this process's own threads, closed with them). */
  unref?: boolean;
}

export type FaultKind = "throttle" | "server_error" | "reset" | "truncate" | "malformed_judge";

export interface SimulatorStats {
  requests: Record<string, number>;
  faults: Partial<Record<FaultKind, number>>;
  /** Providers' own error shapes served (models named `…err-<shape>…`, see error-shapes.ts). */
  errorShapes?: Partial<Record<ErrorShape, number>>;
  /** Prompt text → served TTFT in ms (only with `recordTtft`). */
  servedTtftMs?: Record<string, number>;
  /** Prompt text → served time to the first reasoning chunk in ms (only with `recordTtft`, reasoning models). */
  servedTtfrMs?: Record<string, number>;
  /** Provider batch jobs (issue 21): created, cancelled, and how many batches carried each custom id. */
  batches: SimBatchStats;
}

export interface Simulator {
  /** Base URL, e.g. `http://127.0.0.1:4010`: use it as a profile's `base_url`. */
  url: string;
  /** HTTP/2 only, straight to the simulator's h2c server (see `Listening.h2cUrl`): for timing benches. */
  h2cUrl: string;
  stats: SimulatorStats;
  close(): Promise<void>;
}

/**
 * A local LLM API simulator (DESIGN §9): OpenAI chat completions (also Azure's deployment paths), Bedrock
 * Converse/ConverseStream (AWS event-stream framing), Anthropic's Messages API (SSE) and Gemini
 * generateContent/streamGenerateContent (SSE), with a latency profile and fault injection. A model named `…reasoning…` (`…reasoning-<n>…`) thinks first: n tokens
 * of reasoning, paced like the answer, in the wire format's own reasoning field, then the answer. One port serves HTTP/1.1 and h2c (listen.ts). Each wire format is a
 * `Route` of its own file; this core routes, paces, injects faults and counts.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const drawTtft = ttftDraw(options.ttftMs ?? 100, options.ttftJitter, `${options.seed ?? "simulator"}#ttft`);
  const tokensPerS = options.tokensPerS ?? 400;
  const faultRate = options.faultRate ?? 0;
  const retryAfterMs = options.retryAfterMs ?? 1000;
  const retryAfter = {
    "retry-after": String(Math.ceil(retryAfterMs / 1000)),
    "retry-after-ms": String(retryAfterMs),
  };
  const rng = seededRandom(options.seed ?? "simulator");
  const routes = fixedRoutes(retryAfter);
  const answer = (path: string, body: Record<string, unknown>) => answerOne(path, body, routes);
  const jobs = new BatchJobs(options, answer, options.seed ?? "simulator");
  const batchContext = { jobs, answer };
  const stats: SimulatorStats = {
    requests: {},
    faults: {},
    batches: jobs.stats,
    ...(options.recordTtft ? { servedTtftMs: {}, servedTtfrMs: {} } : {}),
  };
  let counter = 0;
  const systemTokens = lastCounted();
  /** Requests so far per model named `…err-<shape>-x<N>…`: the first N get the shape. */
  const shapeRequests = new Map<string, number>();

  const handle = async (req: Req, res: Res) => {
    // Latency counts from the request's arrival, so the simulator's own parsing doesn't add to the TTFT it serves.
    const arrived = performance.now();
    const url = new URL(req.url ?? "/", "http://sim");
    if (req.method === "GET" && url.pathname === "/stats") return json(res, 200, stats);
    for (const batch of batchRoutes) if (await batch.handle(req, res, url, batchContext)) return;
    const ttftMs = drawTtft();
    if (req.method === "POST" && url.pathname === "/optimize-prompt") {
      stats.requests["bedrock.optimize-prompt"] = (stats.requests["bedrock.optimize-prompt"] ?? 0) + 1;
      return optimizePrompt(res, await readBody(req), async () => notBefore(arrived + ttftMs));
    }
    const route = routeOf(req.method ?? "", url.pathname, routes);
    if (!route)
      return json(res, 404, { message: `the simulator has no route for ${req.method} ${url.pathname}` });
    stats.requests[route.name] = (stats.requests[route.name] ?? 0) + 1;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    } catch {
      return json(res, 400, { message: "request body is not JSON" });
    }
    const seed = `${options.seed ?? "simulator"}#${counter++}`;
    const sim = route.parse(body, url);
    const refused = route.refuse?.(body, req.headers);
    if (refused) return route.error(res, refused[0], "ValidationException", refused[1]);
    if (/echo-headers/i.test(sim.model)) {
      // A careless server that echoes the request's headers (keys included) in its error: for leak tests.
      return route.error(
        res,
        400,
        "ValidationException",
        `Bad request; you sent headers ${JSON.stringify(req.headers)}`,
      );
    }
    if (
      /basic-auth/i.test(sim.model) &&
      basicCredentials(req.headers.authorization) !== SIMULATED_BASIC_AUTH
    ) {
      // A server behind HTTP Basic auth (a proxy in front of a local model): one simulated account.
      return route.error(res, 401, "UnauthorizedException", `${sim.model} needs HTTP Basic credentials`);
    }
    if (/unknown-model/i.test(sim.model)) {
      return route.error(res, 404, "ResourceNotFoundException", `Model ${sim.model} not found (simulated).`);
    }
    const shaped = errorShapeOf(sim.model);
    const seen = shapeRequests.get(sim.model) ?? 0;
    shapeRequests.set(sim.model, seen + 1);
    if (shaped && (shaped.times === undefined || seen < shaped.times)) {
      stats.errorShapes ??= {};
      stats.errorShapes[shaped.shape] = (stats.errorShapes[shaped.shape] ?? 0) + 1;
      await notBefore(arrived + ttftMs);
      return serveErrorShape(res, shaped.shape, {
        streaming: route.stream(body, url),
        model: sim.model,
        retryAfterMs,
      });
    }
    // A Bedrock model id containing "no-flex" (or "no-priority", "no-default") refuses that service tier.
    const tier = route.name.startsWith("bedrock.")
      ? (body.serviceTier as { type?: unknown } | undefined)?.type
      : undefined;
    if (typeof tier === "string" && sim.model.toLowerCase().includes(`no-${tier.toLowerCase()}`)) {
      return route.error(
        res,
        400,
        "ValidationException",
        `The provided service tier (${tier}) is not supported for model ${sim.model} (simulated).`,
      );
    }
    if (sim.images.length > 0 && /text-only/i.test(sim.model)) {
      return route.error(
        res,
        400,
        "ValidationException",
        `This model (${sim.model}) doesn't support image input.`,
      );
    }
    const answer = simulatedAnswer(sim, seed);
    let fault: FaultKind | undefined;
    if (rng() < faultRate) {
      const kinds: FaultKind[] = [
        "throttle",
        "server_error",
        "reset",
        "truncate",
        ...(answer.judge ? (["malformed_judge"] as const) : []),
      ];
      fault = kinds[Math.floor(rng() * kinds.length)] as FaultKind;
      stats.faults[fault] = (stats.faults[fault] ?? 0) + 1;
    }
    if (fault === "throttle")
      return route.error(res, 429, "ThrottlingException", "Too many requests (simulated)");
    if (fault === "server_error")
      return route.error(res, 500, "InternalServerException", "Internal error (simulated)");
    if (fault === "reset") return destroy(req);
    const text =
      fault === "malformed_judge"
        ? "I would rate this response as quite good overall, maybe a four."
        : answer.text;
    const reasoning = sim.thinks === false ? undefined : simulatedReasoning(sim.model);
    const thought = reasoning === undefined ? 0 : countTokens(reasoning);
    const usage = {
      input: systemTokens(sim.system) + countTokens(sim.prompt),
      output: countTokens(text) + thought,
      reasoning: thought,
    };
    // The thinking streams first, paced like the answer, which follows it on the same schedule.
    const chunks = paced(
      [...(reasoning === undefined ? [] : [[reasoning, "reasoning"] as const]), [text, "answer"] as const],
      tokensPerS,
    );
    if (!route.stream(body, url)) {
      await notBefore(arrived + ttftMs + (chunks.at(-1)?.atMs ?? 0));
      return route.complete(res, {
        sim,
        text,
        usage,
        body,
        ...(reasoning === undefined ? {} : { reasoning }),
        ...(answer.toolCalls ? { toolCalls: answer.toolCalls } : {}),
      });
    }
    const exchange = { sim, usage, body, ...(answer.toolCalls ? { toolCalls: answer.toolCalls } : {}) };
    await route.streamed(res, exchange, async (emit) => {
      // Each chunk is due at a fixed time from the request's arrival: late timers (a busy event loop) do not
      // add up over a stream, so 200 tokens at 400 tok/s take 0.5 s, not 0.5 s plus every timer's lateness.
      for (const [i, { text: c, kind, atMs }] of chunks.entries()) {
        await notBefore(arrived + ttftMs + atMs);
        if (fault === "truncate" && i >= Math.floor(chunks.length / 2)) return destroy(req);
        const first = chunks[i - 1]?.kind !== kind;
        const served = kind === "answer" ? stats.servedTtftMs : stats.servedTtfrMs;
        if (first && served) served[sim.prompt] = performance.now() - arrived;
        emit(c, kind);
      }
    });
  };

  const serve = (req: Req, raw: ServerResponse | Http2ServerResponse) => {
    const res = raw as unknown as Res;
    handle(req, res).catch((err) => fail(res, err));
  };
  const { url, h2cUrl, close } = await listen(serve, options.host ?? "127.0.0.1", options.port ?? 0, {
    unref: options.unref ?? false,
  });
  return { url, h2cUrl, stats, close };
}

/** The `user:password` a model named `…basic-auth…` accepts over HTTP Basic auth. */
export const SIMULATED_BASIC_AUTH = "jury:simulated-basic-pass";

/** The `user:password` of an `Authorization: Basic …` header; undefined for any other. */
function basicCredentials(header: string | string[] | undefined): string | undefined {
  const token = typeof header === "string" ? /^Basic\s+(\S+)$/i.exec(header)?.[1] : undefined;
  return token === undefined ? undefined : Buffer.from(token, "base64").toString("utf8");
}

/**
 * A live endpoint's non-streamed answer to one request, as a batch returns it: no latency and no injected faults,
 * but the same refusals (4xx) and the same answer as the live call.
 */
async function answerOne(
  path: string,
  body: Record<string, unknown>,
  routes: FixedRoutes,
): Promise<{ status: number; body: unknown }> {
  const route = routeOf("POST", path, routes);
  if (!route) return { status: 404, body: { message: `the simulator has no route for POST ${path}` } };
  const url = new URL(path, "http://sim");
  const captured = { status: 200, text: "" };
  const res: Res = {
    writeHead(status) {
      captured.status = status;
      return res;
    },
    write(chunk) {
      captured.text += String(chunk);
      return true;
    },
    end(chunk) {
      if (chunk !== undefined) captured.text += String(chunk);
      return res;
    },
    headersSent: false,
    destroyed: false,
  };
  const sim = route.parse(body, url);
  const shaped = errorShapeOf(sim.model);
  // The batch's own request was authenticated: its requests pass the live route's key check.
  const refused = route.refuse?.(body, { authorization: "batch" });
  if (refused) route.error(res, refused[0], "ValidationException", refused[1]);
  else if (/unknown-model/i.test(sim.model))
    route.error(res, 404, "ResourceNotFoundException", `Model ${sim.model} not found (simulated).`);
  else if (shaped && shaped.times === undefined)
    // A model named `…err-<shape>…` gets its error shape in a batch too (content filters, refusals, 4xx/5xx).
    serveErrorShape(res, shaped.shape, { streaming: false, model: sim.model, retryAfterMs: 0 });
  else {
    const answer = simulatedAnswer(sim, `batch#${JSON.stringify(body).length}#${sim.prompt.length}`);
    const reasoning = sim.thinks === false ? undefined : simulatedReasoning(sim.model);
    const thought = reasoning === undefined ? 0 : countTokens(reasoning);
    route.complete(res, {
      sim,
      text: answer.text,
      usage: {
        input: countTokens(sim.system) + countTokens(sim.prompt),
        output: countTokens(answer.text) + thought,
        reasoning: thought,
      },
      body,
      ...(reasoning === undefined ? {} : { reasoning }),
      ...(answer.toolCalls ? { toolCalls: answer.toolCalls } : {}),
    });
  }
  return { status: captured.status, body: captured.text === "" ? null : JSON.parse(captured.text) };
}

/** The routes whose behaviour does not depend on the request's path: made once per simulator, not per request. */
interface FixedRoutes {
  anthropic: Route;
  openai: Route;
  azure: Route;
}

function fixedRoutes(retryAfter: Record<string, string>): FixedRoutes {
  return {
    anthropic: anthropicRoute(retryAfter),
    openai: openaiRoute("openai.chat", retryAfter),
    azure: openaiRoute("azure.chat", retryAfter),
  };
}

function routeOf(method: string, path: string, routes: FixedRoutes): Route | undefined {
  if (method !== "POST") return undefined;
  if (path.endsWith("/v1/messages")) return routes.anthropic;
  if (path.endsWith("/chat/completions"))
    return path.includes("/openai/deployments/") ? routes.azure : routes.openai;
  const bedrock = /^\/model\/([^/]+)\/(converse|converse-stream)$/.exec(path);
  if (bedrock)
    return bedrockRoute(decodeURIComponent(bedrock[1] as string), bedrock[2] === "converse-stream");
  const gemini = /\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(path);
  if (gemini) return geminiRoute(gemini[1] as string, gemini[2] === "streamGenerateContent");
  return undefined;
}

/**
 * countTokens remembering its last long text: a run's judges send the same system prompt (the rubric, ~1,000
 * characters) on every call, and counting it again on each was a visible share of the simulator's CPU per call.
 */
function lastCounted(): (text: string) => number {
  let last = "";
  let tokens = 0;
  return (text) => {
    // A short text (a target's, often none) is counted as it comes, and leaves the long one remembered.
    if (text.length < 256) return countTokens(text);
    if (text !== last) {
      last = text;
      tokens = countTokens(text);
    }
    return tokens;
  };
}

// ─── pacing ───────────────────────────────────────────────────────────────────

/**
 * Resolves at `at` (a `performance.now()` time) or just after, never before: a timer may fire up to ~1 ms early
 * (libuv's millisecond clock), and what the simulator serves must never be sooner than what it says it served.
 * Nothing to wait for (zero latency, a chunk already due) gives undefined, not a promise: awaiting it goes on at once.
 */
function notBefore(at: number): Promise<void> | undefined {
  return at > performance.now() ? sleepUntil(at) : undefined;
}

async function sleepUntil(at: number): Promise<void> {
  for (let left = at - performance.now(); left > 0; left = at - performance.now()) await sleep(left);
}

const TICK_MS = 25;

/** One chunk of a paced stream: its text, what it is, and when it is due after the first token (ms). */
interface Chunk {
  text: string;
  kind: "reasoning" | "answer";
  atMs: number;
}

/**
 * The parts' tokens as a real server streams them at `tokensPerS`: each part's first token alone (so a client
 * measures TTFT, and decode speed from the tokens after it), then chunks of one 25 ms tick's worth of tokens, each
 * due when its last token is, counting every token of the stream from the first. 0 tokens/s sends each part at once.
 */
function paced(parts: readonly (readonly [string, Chunk["kind"]])[], tokensPerS: number): Chunk[] {
  const per = Math.max(1, Math.round((tokensPerS * TICK_MS) / 1000));
  const out: Chunk[] = [];
  let index = 0; // of the stream's last token so far
  for (const [text, kind] of parts) {
    if (tokensPerS <= 0) {
      // What the tokens joined give: the text from its first non-space (all of it when it has none).
      const from = text.search(/\S/);
      out.push({ text: from <= 0 ? text : text.slice(from), kind, atMs: 0 });
      continue;
    }
    const tokens = text.match(/\S+\s*/g) ?? [text];
    for (let i = 0; i < tokens.length; ) {
      const n = i === 0 ? 1 : per;
      const last = index + (out.length === 0 ? 0 : Math.min(n, tokens.length - i));
      out.push({ text: tokens.slice(i, i + n).join(""), kind, atMs: (last * 1000) / tokensPerS });
      index = last;
      i += n;
    }
  }
  return out;
}
