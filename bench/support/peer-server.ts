// The OpenAI-compatible server of bench:peers: a harness none of the compared tools wrote (not jury's simulator),
// plain node:http, run in a process of its own (peer-server-main.ts). POST /v1/chat/completions answers
// streamed (SSE) or not, after a configurable TTFT and at a configurable rate:
//   - a model named `judge…` gets a verdict in the shape its prompt asks for: jury's judge prompt names its JSON shape
//     ("exactly in this shape: {…}"), answered with every dimension at 5; any other judge (promptfoo's llm-rubric,
//     the evalite scorers the bench writes) gets `{"reason": …, "pass": true, "score": 1}`;
//   - jury's access check ("Reply with OK.") gets "OK" (1 token);
//   - anything else (the target) gets a fixed reply.
// A reply of n tokens is cut into n pieces: the first leaves at TTFT, one more every 1/tokensPerS s; a non-streamed
// reply leaves whole when its last piece would. With ttftMs = 0 and tokensPerS = 0 every reply leaves at once.
// GET /stats counts the calls since the last reset (POST /stats/reset); POST /config changes the timing.
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface PeerServerTiming {
  /** Time to the first token, ms. */
  ttftMs: number;
  /** Tokens per second after the first; 0: all at once. */
  tokensPerS: number;
  /** Tokens (pieces) of the target's reply. */
  targetTokens: number;
  /** Tokens (pieces) of a judge's reply. */
  judgeTokens: number;
}

/** The replies' lengths of bench:peers' work: a target answers 50 tokens, a judge 25. */
export const REPLY_TOKENS = { targetTokens: 50, judgeTokens: 25 } as const;

/** Calls since the last reset. */
export interface PeerServerStats {
  target: number;
  judge: number;
  /** jury's access check. */
  check: number;
  streamed: number;
  notStreamed: number;
  /** Calls by the request's `model`. */
  byModel: Record<string, number>;
  /** Requests the server could not read (bad JSON, unknown path). */
  bad: number;
}

const TARGET_REPLY =
  "The capital of France is Paris, a city on the Seine known for its museums, its cafés and its long history as a centre of art, science and government; it has been the seat of the French state for most of the last thousand years.";
const RUBRIC_VERDICT = JSON.stringify({ reason: "The output meets the rubric.", pass: true, score: 1 });
const JURY_SHAPE = "exactly in this shape: ";

/** Starts the server on 127.0.0.1 (a free port) and resolves with its base URL and a close(). */
export async function startPeerServer(
  initial: PeerServerTiming,
): Promise<{ url: string; close(): Promise<void> }> {
  let timing = { ...initial };
  let stats = emptyStats();
  let seq = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      if (req.method === "POST" && req.url === "/v1/chat/completions") return complete(body, res);
      if (req.method === "GET" && req.url === "/stats") return json(res, 200, stats);
      if (req.method === "POST" && req.url === "/stats/reset") {
        stats = emptyStats();
        return json(res, 200, stats);
      }
      if (req.method === "POST" && req.url === "/config") {
        timing = { ...timing, ...(JSON.parse(body) as Partial<PeerServerTiming>) };
        return json(res, 200, timing);
      }
      stats.bad++;
      json(res, 404, { error: { message: `no route ${req.method} ${req.url}`, type: "not_found" } });
    });
  });
  // Clients keep their connections: never close an idle one under a run.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;

  function complete(raw: string, res: ServerResponse): void {
    let body: ChatBody;
    try {
      body = JSON.parse(raw) as ChatBody;
    } catch {
      stats.bad++;
      json(res, 400, { error: { message: "body is not JSON", type: "invalid_request_error" } });
      return;
    }
    const model = String(body.model ?? "");
    stats.byModel[model] = (stats.byModel[model] ?? 0) + 1;
    const last = body.messages?.at(-1);
    let text: string;
    let tokens: number;
    if (typeof last?.content === "string" && last.content === "Reply with OK.") {
      stats.check++;
      [text, tokens] = ["OK", 1];
    } else if (model.startsWith("judge")) {
      stats.judge++;
      [text, tokens] = [verdictFor(body), timing.judgeTokens];
    } else {
      stats.target++;
      [text, tokens] = [TARGET_REPLY, timing.targetTokens];
    }
    const pieces = cut(text, tokens);
    const id = `chatcmpl-${++seq}`;
    const created = Math.floor(Date.now() / 1000);
    const usage = {
      prompt_tokens: Math.ceil(raw.length / 4),
      completion_tokens: pieces.length,
      total_tokens: Math.ceil(raw.length / 4) + pieces.length,
    };
    const at = (i: number) => timing.ttftMs + (timing.tokensPerS > 0 ? (i * 1000) / timing.tokensPerS : 0);
    const t0 = performance.now();
    const later = (ms: number, fn: () => void) => {
      const wait = t0 + ms - performance.now();
      if (wait <= 0) fn();
      else setTimeout(fn, wait);
    };

    if (!body.stream) {
      stats.notStreamed++;
      later(at(pieces.length - 1), () =>
        json(res, 200, {
          id,
          object: "chat.completion",
          created,
          model,
          choices: [
            {
              index: 0,
              message: { role: "assistant", content: text },
              finish_reason: "stop",
              logprobs: null,
            },
          ],
          usage,
        }),
      );
      return;
    }
    stats.streamed++;
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    const chunk = (delta: object, finish: string | null) =>
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const tail = () =>
      `${chunk({}, "stop")}${
        body.stream_options?.include_usage
          ? `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [], usage })}\n\n`
          : ""
      }data: [DONE]\n\n`;
    const send = (i: number) => {
      const piece = chunk(i === 0 ? { role: "assistant", content: pieces[i] } : { content: pieces[i] }, null);
      if (i === pieces.length - 1) res.end(piece + tail());
      else {
        res.write(piece);
        later(at(i + 1), () => send(i + 1));
      }
    };
    if (at(pieces.length - 1) === 0) {
      // Zero latency: every piece now, in one write.
      res.end(
        pieces
          .map((p, i) => chunk(i === 0 ? { role: "assistant", content: p } : { content: p }, null))
          .join("") + tail(),
      );
      return;
    }
    later(at(0), () => send(0));
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface ChatBody {
  model?: string;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  messages?: { role: string; content: unknown }[];
}

function emptyStats(): PeerServerStats {
  return { target: 0, judge: 0, check: 0, streamed: 0, notStreamed: 0, byModel: {}, bad: 0 };
}

/** jury's verdict shape (every dimension 5) when a message names it, else promptfoo's `{reason, pass, score}`. */
function verdictFor(body: ChatBody): string {
  for (const m of body.messages ?? []) {
    if (typeof m.content !== "string") continue;
    const at = m.content.indexOf(JURY_SHAPE);
    if (at < 0) continue;
    const line = m.content.slice(at + JURY_SHAPE.length).split("\n", 1)[0] ?? "";
    const shape = JSON.parse(line) as { scores: Record<string, unknown> };
    const scores = Object.fromEntries(
      Object.keys(shape.scores).map((k) => [k, { score: 5, rationale: "Fully meets it." }]),
    );
    return JSON.stringify({ scores });
  }
  return RUBRIC_VERDICT;
}

/** `text` in n pieces of near-equal length (n at most its length). */
function cut(text: string, n: number): string[] {
  const count = Math.max(1, Math.min(n, text.length));
  const size = text.length / count;
  return Array.from({ length: count }, (_, i) =>
    text.slice(Math.round(i * size), Math.round((i + 1) * size)),
  );
}

function json(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}
