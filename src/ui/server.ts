// The dashboard's HTTP server: a JSON API over the run dirs and profiles, live updates over SSE, the frontend,
// and the files of the output dir (reports) — for one project, on one origin.
import { existsSync, readFileSync, statSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { extname, resolve } from "node:path";
import { serve } from "@hono/node-server";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { streamSSE } from "hono/streaming";
import type { UiContext } from "./api/context.ts";
import { deleteRoutes } from "./api/delete.ts";
import { queueRoutes } from "./api/queue.ts";
import { reportsRoutes } from "./api/reports.ts";
import { logRoutes } from "./api/run-log.ts";
import { runsRoutes } from "./api/runs.ts";
import { setupRoutes } from "./api/setup.ts";
import { unprocessedRoutes } from "./api/unprocessed.ts";
import { resolveUiAssets } from "./assets.ts";
import { createLiveHub, type LiveEvent, type LiveHub } from "./live.ts";
import { createRunQueue, type RunQueue } from "./run-queue.ts";
import { RunStore } from "./run-store.ts";
import { allowedHosts, hostOriginGuard, safeJoin } from "./security.ts";

export interface UiServerOptions {
  /** Project root. */
  root: string;
  /** Where the runs are (absolute, or relative to root). @default "outputs" */
  outputDir?: string;
  /** @default "127.0.0.1" */
  host?: string;
  /** 0 picks a free port. @default 4173 */
  port?: number;
  /** Runs of the queue at once. @default 1 */
  concurrency?: number;
  /** Largest request body (uploads). @default 25 MB */
  maxBodyBytes?: number;
  /** How often the run dirs are polled for CLI runs' progress. @default 500 */
  pollMs?: number;
}

export interface UiServer {
  url: string;
  queue: RunQueue;
  live: LiveHub;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".jsonl": "text/plain; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

/** The app's policy: its own scripts and styles only; frames only from itself (the reports). */
export const APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * A served report runs its own inline scripts (vega) in a sandbox: an opaque origin that cannot call the API,
 * and no network at all.
 */
export const FILE_CSP = [
  "default-src 'none'",
  "script-src 'unsafe-inline' 'unsafe-eval'",
  "style-src 'unsafe-inline'",
  "img-src data: blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
  "sandbox allow-scripts allow-downloads allow-popups",
].join("; ");

/** Starts the dashboard server; resolves once it listens. */
export async function createUiServer(options: UiServerOptions): Promise<UiServer> {
  const root = resolve(options.root);
  const outputDir = resolve(root, options.outputDir ?? "outputs");
  const host = options.host ?? "127.0.0.1";
  const assets = await resolveUiAssets();
  const live = createLiveHub({ outputDir, intervalMs: options.pollMs ?? 500 });
  const queue = createRunQueue({
    root,
    outputDir,
    concurrency: options.concurrency ?? 1,
    onChange: (entry) => {
      // Read the run dir now, so a run's last results are in before the queue says it ended.
      if (entry.runId) live.poll();
      live.publish({ event: "queue", data: entry });
    },
  });
  const ctx: UiContext = { root, outputDir, store: new RunStore(outputDir), queue, live };
  let hosts: Set<string> = new Set();

  const app = new Hono();
  app.use("*", (c, next) => hostOriginGuard(hosts)(c, next));
  app.use("*", async (c, next) => {
    await next();
    c.header("x-content-type-options", "nosniff");
    c.header("referrer-policy", "no-referrer");
    if (!c.res.headers.has("content-security-policy")) c.header("content-security-policy", APP_CSP);
  });
  app.use(
    "/api/*",
    bodyLimit({
      maxSize: options.maxBodyBytes ?? 25 * 1024 * 1024,
      onError: (c) => c.json({ error: "request too large" }, 413),
    }),
  );
  app.use("/api/*", async (c, next) => {
    const method = c.req.method;
    // JSON only: a cross-site HTML form cannot send it without a CORS preflight, which this server never grants.
    if (
      method !== "GET" &&
      method !== "HEAD" &&
      !/^application\/json\b/.test(c.req.header("content-type") ?? "")
    )
      return c.json({ error: "send JSON (content-type: application/json)" }, 415);
    c.header("cache-control", "no-store");
    await next();
  });

  app.get("/api/events", (c) =>
    streamSSE(c, async (stream) => {
      const queueNow = queue.list();
      await stream.writeSSE({
        event: "hello",
        data: JSON.stringify({ queue: queueNow, progress: live.progress() }),
      });
      const pending: LiveEvent[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = live.subscribe((e) => {
        pending.push(e);
        wake?.();
      });
      let open = true;
      stream.onAbort(() => {
        open = false;
        wake?.();
      });
      try {
        while (open) {
          if (pending.length === 0)
            await new Promise<void>((r) => {
              wake = r;
              setTimeout(r, 15_000).unref();
            });
          wake = undefined;
          if (!open) break;
          if (pending.length === 0) await stream.writeSSE({ event: "ping", data: "" });
          for (const e of pending.splice(0))
            await stream.writeSSE({ event: e.event, data: JSON.stringify(e.data) });
        }
      } finally {
        unsubscribe();
      }
    }),
  );
  for (const routes of [
    runsRoutes,
    queueRoutes,
    setupRoutes,
    reportsRoutes,
    unprocessedRoutes,
    deleteRoutes,
    logRoutes,
  ])
    app.route("/api", routes(ctx));
  app.all("/api/*", (c) => c.json({ error: "no such API" }, 404));

  app.get("/files/*", (c) => {
    let rel: string;
    try {
      rel = decodeURIComponent(new URL(c.req.url).pathname.slice("/files/".length));
    } catch {
      return c.text("bad path", 400);
    }
    const file = safeJoin(outputDir, rel);
    if (!file || !existsSync(file) || !statSync(file).isFile()) return c.text("not found", 404);
    const type = TYPES[extname(file)] ?? "application/octet-stream";
    c.header("content-type", type);
    c.header("content-security-policy", FILE_CSP);
    if (c.req.query("download") === "1")
      c.header("content-disposition", `attachment; filename="${file.split("/").pop()?.replace(/"/g, "")}"`);
    return c.body(readFileSync(file));
  });

  const sendAsset = (c: Context, rel: string) => {
    const file = safeJoin(assets, rel);
    if (!file || !existsSync(file) || !statSync(file).isFile()) return c.text("not found", 404);
    c.header("content-type", TYPES[extname(file)] ?? "application/octet-stream");
    if (rel.startsWith("assets/")) c.header("cache-control", "public, max-age=31536000, immutable");
    return c.body(readFileSync(file));
  };
  app.get("/", (c) => sendAsset(c, "index.html"));
  app.get("/assets/*", (c) => sendAsset(c, new URL(c.req.url).pathname.slice(1)));

  const server = await new Promise<ReturnType<typeof serve>>((ok, fail) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 4173, hostname: host }, () => ok(s));
    s.once("error", fail);
  });
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(host, port);
  const shown = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}`,
    queue,
    live,
    async close() {
      live.close();
      await queue.close();
      await new Promise<void>((r) => {
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => r());
      });
    },
  };
}
