import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import {
  createServer as createHttp2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
} from "node:http2";
import {
  type AddressInfo,
  connect as connectTcp,
  createServer as createNetServer,
  type Socket,
} from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { seededRandom } from "../metrics/random.ts";
import { bedrockEvent } from "./event-stream.ts";
import { countTokens, type SimRequest, simulatedAnswer } from "./respond.ts";

export interface SimulatorOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Delay before the first content token. @default 100 */
  ttftMs?: number;
  /** Streaming rate; 0 sends everything at once. @default 400 */
  tokensPerS?: number;
  /** Share of requests that get a fault (429, 5xx, connection reset, truncated stream, malformed judge JSON). */
  faultRate?: number;
  /** What a simulated 429 asks the client to wait. @default 1000 */
  retryAfterMs?: number;
  seed?: string;
  /**
   * Record, per streamed prompt, the TTFT the simulator actually served (first content chunk written − request
   * arrival), in `stats.servedTtftMs`: the truth a TTFT-fidelity bench compares client measurements with.
   */
  recordTtft?: boolean;
}

export type FaultKind = "throttle" | "server_error" | "reset" | "truncate" | "malformed_judge";

export interface SimulatorStats {
  requests: Record<string, number>;
  faults: Partial<Record<FaultKind, number>>;
  /** Prompt text → served TTFT in ms (only with `recordTtft`). */
  servedTtftMs?: Record<string, number>;
}

export interface Simulator {
  /** Base URL, e.g. `http://127.0.0.1:4010`: use it as a profile's `base_url`. */
  url: string;
  stats: SimulatorStats;
  close(): Promise<void>;
}

type Req = IncomingMessage | Http2ServerRequest;
/** What the routes need of an HTTP/1.1 or HTTP/2 compatibility response. */
interface Res {
  writeHead(status: number, headers: Record<string, string>): unknown;
  write(chunk: string | Buffer): boolean;
  end(chunk?: string | Buffer): unknown;
  readonly headersSent: boolean;
  readonly destroyed: boolean;
}

const TICK_MS = 25;
const H2_PREFACE = "PRI * HTTP/2.0";

/**
 * A local LLM API simulator (DESIGN §9): OpenAI chat completions (also Azure's deployment paths), Bedrock
 * Converse/ConverseStream (AWS event-stream framing) and Gemini generateContent/streamGenerateContent (SSE), with
 * a latency profile and fault injection. One port serves HTTP/1.1 and h2c (HTTP/2 without TLS, which the AWS
 * SDK's default handler speaks), told apart by the HTTP/2 connection preface.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const ttftMs = options.ttftMs ?? 100;
  const tokensPerS = options.tokensPerS ?? 400;
  const faultRate = options.faultRate ?? 0;
  const retryAfterMs = options.retryAfterMs ?? 1000;
  const retryAfter = {
    "retry-after": String(Math.ceil(retryAfterMs / 1000)),
    "retry-after-ms": String(retryAfterMs),
  };
  const rng = seededRandom(options.seed ?? "simulator");
  const stats: SimulatorStats = {
    requests: {},
    faults: {},
    ...(options.recordTtft ? { servedTtftMs: {} } : {}),
  };
  let counter = 0;

  const handle = async (req: Req, res: Res) => {
    // Latency counts from the request's arrival, so the simulator's own parsing doesn't add to the TTFT it serves.
    const arrived = performance.now();
    const until = (ms: number) => sleep(Math.max(0, arrived + ms - performance.now()));
    const url = new URL(req.url ?? "/", "http://sim");
    if (req.method === "GET" && url.pathname === "/stats") return json(res, 200, stats);
    if (req.method === "POST" && url.pathname === "/optimize-prompt") {
      stats.requests["bedrock.optimize-prompt"] = (stats.requests["bedrock.optimize-prompt"] ?? 0) + 1;
      return optimizePrompt(res, await readBody(req), () => until(ttftMs));
    }
    const route = routeOf(req.method ?? "", url.pathname, retryAfter);
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
    if (/echo-headers/i.test(sim.model)) {
      // A careless server that echoes the request's headers (keys included) in its error: for leak tests.
      return route.error(
        res,
        400,
        "ValidationException",
        `Bad request; you sent headers ${JSON.stringify(req.headers)}`,
      );
    }
    if (/unknown-model/i.test(sim.model)) {
      return route.error(res, 404, "ResourceNotFoundException", `Model ${sim.model} not found (simulated).`);
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
    const usage = { input: countTokens(sim.system) + countTokens(sim.prompt), output: countTokens(text) };
    const chunks = chunk(text, tokensPerS);
    if (!route.stream(body, url)) {
      await until(ttftMs + streamMs(chunks.length, tokensPerS));
      return route.complete(res, { sim, text, usage, body });
    }
    await route.streamed(res, { sim, usage, body }, async (emit) => {
      // Each chunk is due at a fixed time from the request's arrival: late timers (a busy event loop) do not
      // add up over a stream, so 200 tokens at 400 tok/s take 0.5 s, not 0.5 s plus every timer's lateness.
      for (const [i, c] of chunks.entries()) {
        await until(ttftMs + i * tickMs(tokensPerS));
        if (fault === "truncate" && i >= Math.floor(chunks.length / 2)) return destroy(req);
        if (i === 0 && stats.servedTtftMs) stats.servedTtftMs[sim.prompt] = performance.now() - arrived;
        emit(c);
      }
    });
  };

  const serve = (req: Req, raw: ServerResponse | Http2ServerResponse) => {
    const res = raw as unknown as Res;
    handle(req, res).catch((err) => fail(res, err));
  };
  const h1 = createHttpServer(serve);
  const h2 = createHttp2Server(serve);
  // HTTP/2 sessions read from the socket's native handle, so bytes already read to sniff the preface can't be
  // handed back: h2c connections are instead piped to an internal h2c listener, preface first.
  await new Promise<void>((resolve) => h2.listen(0, "127.0.0.1", resolve));
  const h2Port = (h2.address() as AddressInfo).port;
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  };
  const net = createNetServer((socket) => {
    track(socket);
    socket.once("data", (first) => {
      if (first.subarray(0, H2_PREFACE.length).toString("latin1") !== H2_PREFACE) {
        socket.pause();
        socket.unshift(first);
        h1.emit("connection", socket);
        socket.resume();
        return;
      }
      const inner = connectTcp(h2Port, "127.0.0.1");
      track(inner);
      inner.write(first);
      socket.pipe(inner).pipe(socket);
      inner.on("error", () => socket.destroy());
      socket.on("error", () => inner.destroy());
    });
  });
  await new Promise<void>((resolve) => net.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const { port, address } = net.address() as AddressInfo;
  return {
    url: `http://${address.includes(":") ? `[${address}]` : address}:${port}`,
    stats,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => net.close(() => resolve()));
      h1.close();
      h2.close();
    },
  };
}

interface Exchange {
  sim: SimRequest;
  usage: { input: number; output: number };
  body: Record<string, unknown>;
}

interface Route {
  name: string;
  parse(body: Record<string, unknown>, url: URL): SimRequest;
  stream(body: Record<string, unknown>, url: URL): boolean;
  complete(res: Res, x: Exchange & { text: string }): void;
  streamed(res: Res, x: Exchange, run: (emit: (text: string) => void) => Promise<void>): Promise<void>;
  error(res: Res, status: number, awsType: string, message: string): void;
}

function routeOf(method: string, path: string, retryAfter: Record<string, string>): Route | undefined {
  if (method !== "POST") return undefined;
  if (path.endsWith("/chat/completions"))
    return openaiRoute(path.includes("/openai/deployments/") ? "azure.chat" : "openai.chat", retryAfter);
  const bedrock = /^\/model\/([^/]+)\/(converse|converse-stream)$/.exec(path);
  if (bedrock)
    return bedrockRoute(decodeURIComponent(bedrock[1] as string), bedrock[2] === "converse-stream");
  const gemini = /\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(path);
  if (gemini) return geminiRoute(gemini[1] as string, gemini[2] === "streamGenerateContent");
  return undefined;
}

// ─── OpenAI / Azure ───────────────────────────────────────────────────────────

function openaiRoute(name: string, retryAfter: Record<string, string>): Route {
  return {
    name,
    parse: (body) => {
      const messages = (body.messages as { role: string; content: unknown }[] | undefined) ?? [];
      const parts = (role: string) =>
        messages
          .filter((m) => m.role === role)
          .flatMap((m) =>
            typeof m.content === "string"
              ? [{ type: "text", text: m.content }]
              : ((m.content as { type: string; text?: string; image_url?: { url: string } }[]) ?? []),
          );
      return {
        model: String(body.model ?? "unknown"),
        system: parts("system")
          .concat(parts("developer"))
          .map((p) => p.text ?? "")
          .join("\n"),
        prompt: parts("user")
          .filter((p) => p.type === "text")
          .map((p) => p.text ?? "")
          .join("\n"),
        images: parts("user")
          .filter((p) => p.type === "image_url")
          .map((p) => dataUrlImage(p.image_url?.url ?? "")),
        maxTokens: Number(body.max_completion_tokens ?? body.max_tokens ?? 1024),
      };
    },
    stream: (body) => body.stream === true,
    complete: (res, { sim, text, usage }) =>
      json(res, 200, {
        id: "chatcmpl-sim",
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model: sim.model,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: text, refusal: null },
            finish_reason: "stop",
            logprobs: null,
          },
        ],
        // Like some OpenAI-compatible servers, a model named *no-usage* reports no token usage.
        ...(/no-usage/i.test(sim.model)
          ? {}
          : {
              usage: {
                prompt_tokens: usage.input,
                completion_tokens: usage.output,
                total_tokens: usage.input + usage.output,
              },
            }),
        service_tier: "default",
      }),
    streamed: async (res, { sim, usage, body }, run) => {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      const base = {
        id: "chatcmpl-sim",
        object: "chat.completion.chunk",
        created: Math.floor(Date.now() / 1000),
        model: sim.model,
      };
      const send = (o: unknown) => res.write(`data: ${JSON.stringify(o)}\n\n`);
      send({
        ...base,
        choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }],
      });
      await run((text) =>
        send({ ...base, choices: [{ index: 0, delta: { content: text }, finish_reason: null }] }),
      );
      if (res.destroyed) return;
      send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] });
      if (
        (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage &&
        !/no-usage/i.test(sim.model)
      )
        send({
          ...base,
          choices: [],
          usage: {
            prompt_tokens: usage.input,
            completion_tokens: usage.output,
            total_tokens: usage.input + usage.output,
          },
        });
      res.end("data: [DONE]\n\n");
    },
    error: (res, status, _aws, message) =>
      json(
        res,
        status,
        { error: { message, type: status === 429 ? "rate_limit_exceeded" : "server_error", code: null } },
        status === 429 ? retryAfter : {},
      ),
  };
}

// ─── Bedrock Converse / ConverseStream ────────────────────────────────────────

type BedrockContent = { text?: string; image?: { format?: string; source?: { bytes?: string } } };

function bedrockRoute(modelId: string, streaming: boolean): Route {
  return {
    name: streaming ? "bedrock.converse-stream" : "bedrock.converse",
    parse: (body) => {
      const messages = (body.messages as { role: string; content: BedrockContent[] }[] | undefined) ?? [];
      const user = messages.filter((m) => m.role === "user").flatMap((m) => m.content ?? []);
      return {
        model: modelId,
        system: joinText((body.system as { text?: string }[] | undefined) ?? []),
        prompt: joinText(user),
        images: user
          .filter((c) => c.image)
          .map((c) => ({
            mediaType: `image/${c.image?.format ?? "png"}`,
            bytes: Buffer.from(c.image?.source?.bytes ?? "", "base64"),
          })),
        maxTokens: Number((body.inferenceConfig as { maxTokens?: number } | undefined)?.maxTokens ?? 1024),
      };
    },
    stream: () => streaming,
    complete: (res, { text, usage, body }) => {
      const tool = forcedTool(body);
      const content = tool
        ? [{ toolUse: { toolUseId: "tooluse_sim", name: tool, input: safeJson(text) } }]
        : [{ text }];
      json(res, 200, {
        output: { message: { role: "assistant", content } },
        stopReason: tool ? "tool_use" : "end_turn",
        ...bedrockUsage(usage, body),
      });
    },
    streamed: async (res, { usage, body }, run) => {
      res.writeHead(200, { "content-type": "application/vnd.amazon.eventstream" });
      res.write(bedrockEvent("messageStart", { role: "assistant" }));
      await run((text) =>
        res.write(bedrockEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { text } })),
      );
      if (res.destroyed) return;
      res.write(bedrockEvent("contentBlockStop", { contentBlockIndex: 0 }));
      res.write(bedrockEvent("messageStop", { stopReason: "end_turn" }));
      res.end(bedrockEvent("metadata", bedrockUsage(usage, body)));
    },
    error: (res, status, awsType, message) =>
      json(
        res,
        status,
        { message },
        { "x-amzn-errortype": `${awsType}:http://internal.amazon.com/coral/com.amazon.bedrock/` },
      ),
  };
}

/** Bedrock's usage, metrics and served tier: the end of a Converse response and ConverseStream's metadata event. */
function bedrockUsage(usage: { input: number; output: number }, body: Record<string, unknown>) {
  return {
    usage: { inputTokens: usage.input, outputTokens: usage.output, totalTokens: usage.input + usage.output },
    metrics: { latencyMs: 1 },
    ...servedTier(body),
  };
}

/** The tier the simulator "served": the one asked for, as Bedrock reports it. */
function servedTier(body: Record<string, unknown>): { serviceTier?: { type: string } } {
  const asked = (body.serviceTier as { type?: string } | undefined)?.type;
  return asked ? { serviceTier: { type: asked } } : {};
}

function forcedTool(body: Record<string, unknown>): string | undefined {
  return (body.toolConfig as { toolChoice?: { tool?: { name?: string } } } | undefined)?.toolChoice?.tool
    ?.name;
}

// ─── Gemini ───────────────────────────────────────────────────────────────────

type GeminiPart = { text?: string; inlineData?: { mimeType?: string; data?: string } };

function geminiRoute(model: string, streaming: boolean): Route {
  const response = (
    text: string | undefined,
    usage: { input: number; output: number } | undefined,
    finish: boolean,
  ) => ({
    candidates: [
      {
        content: { parts: text === undefined ? [] : [{ text }], role: "model" },
        index: 0,
        ...(finish ? { finishReason: "STOP" } : {}),
      },
    ],
    ...(usage
      ? {
          usageMetadata: {
            promptTokenCount: usage.input,
            candidatesTokenCount: usage.output,
            totalTokenCount: usage.input + usage.output,
          },
        }
      : {}),
    modelVersion: model,
  });
  return {
    name: streaming ? "gemini.stream" : "gemini.generate",
    parse: (body) => {
      const contents = (body.contents as { role?: string; parts: GeminiPart[] }[] | undefined) ?? [];
      const parts = contents.filter((c) => c.role !== "model").flatMap((c) => c.parts ?? []);
      const config = (body.generationConfig as { maxOutputTokens?: number } | undefined) ?? {};
      const system = (body.systemInstruction as { parts?: GeminiPart[] } | undefined)?.parts ?? [];
      return {
        model,
        system: joinText(system),
        prompt: joinText(parts),
        images: parts
          .filter((p) => p.inlineData)
          .map((p) => ({
            mediaType: p.inlineData?.mimeType ?? "",
            bytes: Buffer.from(p.inlineData?.data ?? "", "base64"),
          })),
        maxTokens: Number(config.maxOutputTokens ?? 1024),
      };
    },
    stream: () => streaming,
    complete: (res, { text, usage }) => json(res, 200, response(text, usage, true)),
    streamed: async (res, { usage }, run) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      const chunks: string[] = [];
      await run(
        (text) =>
          chunks.push(text) && res.write(`data: ${JSON.stringify(response(text, undefined, false))}\r\n\r\n`),
      );
      if (res.destroyed) return;
      res.end(`data: ${JSON.stringify(response("", usage, true))}\r\n\r\n`);
    },
    error: (res, status, _aws, message) =>
      json(res, status, {
        error: { code: status, message, status: status === 429 ? "RESOURCE_EXHAUSTED" : "INTERNAL" },
      }),
  };
}

// ─── Bedrock Agent Runtime OptimizePrompt ─────────────────────────────────────

/**
 * OptimizePrompt: an analysis event, then the optimized prompt (the original with explicit instructions around
 * it — deterministic), as an event stream. A target id containing "unknown-model" is refused like Bedrock does.
 */
async function optimizePrompt(res: Res, raw: string, wait: () => Promise<void>): Promise<void> {
  let body: { input?: { textPrompt?: { text?: string } }; targetModelId?: string };
  try {
    body = JSON.parse(raw) as typeof body;
  } catch {
    return json(res, 400, { message: "request body is not JSON" });
  }
  const text = body.input?.textPrompt?.text;
  const target = body.targetModelId ?? "";
  if (!text)
    return json(
      res,
      400,
      { message: "input.textPrompt.text is required" },
      { "x-amzn-errortype": "ValidationException" },
    );
  if (/unknown-model/i.test(target))
    return json(
      res,
      400,
      { message: `The model ${target} is not supported for prompt optimization.` },
      { "x-amzn-errortype": "ValidationException" },
    );
  await wait();
  res.writeHead(200, { "content-type": "application/vnd.amazon.eventstream" });
  res.write(
    bedrockEvent("analyzePromptEvent", {
      message: `The prompt is clear; it would benefit from explicit output instructions for ${target} (simulated).`,
    }),
  );
  const optimized = `## Task\n${text}\n\n## Instructions\nAnswer precisely, completely and in the requested format.`;
  res.end(bedrockEvent("optimizedPromptEvent", { optimizedPrompt: { textPrompt: { text: optimized } } }));
}

// ─── helpers ──────────────────────────────────────────────────────────────────

/** The text of a list of content blocks or parts (Bedrock, Gemini), one per line; non-text ones skipped. */
function joinText(parts: readonly { text?: string | undefined }[]): string {
  return parts
    .filter((p) => p.text !== undefined)
    .map((p) => p.text)
    .join("\n");
}

function chunk(text: string, tokensPerS: number): string[] {
  const tokens = text.match(/\S+\s*/g) ?? [text];
  const per = tokensPerS > 0 ? Math.max(1, Math.round((tokensPerS * TICK_MS) / 1000)) : tokens.length;
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i += per) out.push(tokens.slice(i, i + per).join(""));
  return out;
}

function tickMs(tokensPerS: number): number {
  return tokensPerS > 0 ? (Math.max(1, Math.round((tokensPerS * TICK_MS) / 1000)) / tokensPerS) * 1000 : 0;
}

function streamMs(chunks: number, tokensPerS: number): number {
  return Math.max(0, chunks - 1) * tickMs(tokensPerS);
}

function dataUrlImage(url: string): { mediaType: string; bytes: Buffer } {
  const m = /^data:([^;]+);base64,(.*)$/s.exec(url);
  return m
    ? { mediaType: m[1] as string, bytes: Buffer.from(m[2] as string, "base64") }
    : { mediaType: "url", bytes: Buffer.from(url) };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { text };
  }
}

function readBody(req: Req): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function json(res: Res, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(text);
}

/** Drops the connection (HTTP/1.1) or resets just this stream (HTTP/2, where the socket carries other streams). */
function destroy(req: Req): void {
  if ("stream" in req) req.stream.close(0x2);
  else req.socket.destroy();
}

function fail(res: Res, err: unknown): void {
  if (!res.headersSent) json(res, 500, { message: `simulator bug: ${(err as Error).message}` });
  else res.end();
}
