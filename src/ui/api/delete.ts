// Deleting a run dir or a report from the dashboard: only what the output dir holds, never a run in progress.
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { Hono } from "hono";
import type { Deleted } from "../api-types.ts";
import { readRunHead, runDirOf, runnerAlive } from "../run-store.ts";
import { safeJoin } from "../security.ts";
import { apiError, type UiContext } from "./context.ts";
import { listReports } from "./reports.ts";

/** Files and bytes under a path (a file or a dir, recursively). */
function sizeOf(path: string): { files: number; bytes: number } {
  const s = statSync(path);
  if (!s.isDirectory()) return { files: 1, bytes: s.size };
  let files = 0;
  let bytes = 0;
  for (const name of readdirSync(path)) {
    const sub = sizeOf(join(path, name));
    files += sub.files;
    bytes += sub.bytes;
  }
  return { files, bytes };
}

/**
 * Why a run dir must not be deleted now, or undefined: a dashboard run of it is going, its `run.lock` is held by
 * a live process, or its run.json says running and its process is alive.
 */
export function runInUse(ctx: Pick<UiContext, "queue">, runId: string, runDir: string): string | undefined {
  if (ctx.queue.list().some((e) => e.runId === runId && e.status === "running"))
    return "the dashboard is running it; cancel it in Monitor first";
  const lock = join(runDir, "run.lock");
  if (existsSync(lock)) {
    let holder: { pid?: number; host?: string } = {};
    try {
      holder = JSON.parse(readFileSync(lock, "utf8")) as typeof holder;
    } catch {
      // being written: a process is starting the run
    }
    if (runnerAlive(holder))
      return `it is in progress (run.lock held by pid ${holder.pid ?? "?"} on ${holder.host ?? "?"}); wait for it to end or stop it`;
  }
  const head = readRunHead(runDir);
  if (head.status === "running" && runnerAlive(head))
    return `it is in progress (pid ${head.pid ?? "?"}); wait for it to end or stop it`;
  return undefined;
}

/** DELETE /api/runs/:id, DELETE /api/reports {path} */
export function deleteRoutes(ctx: UiContext): Hono {
  const app = new Hono();

  app.delete("/runs/:id", (c) => {
    const runId = c.req.param("id");
    const dir = runDirOf(ctx.outputDir, runId);
    if (!dir) return c.json(apiError(`no run "${runId}" in the output dir`), 404);
    const busy = runInUse(ctx, runId, dir);
    if (busy) return c.json(apiError(`run ${runId} was not deleted: ${busy}`), 409);
    const size = sizeOf(dir);
    rmSync(dir, { recursive: true, force: true });
    ctx.live.forget(runId);
    return c.json({ deleted: `runs/${runId}`, ...size } satisfies Deleted);
  });

  app.delete("/reports", async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { path?: unknown };
    const path = typeof body.path === "string" ? body.path : "";
    // Only a report the Reports view lists (an .html at the output dir's top or in ui-reports/): nothing else.
    const file = safeJoin(ctx.outputDir, path);
    if (!file || !listReports(ctx.outputDir).some((r) => r.path === path))
      return c.json(apiError(`no report "${path}" in the output dir`), 404);
    const size = sizeOf(file);
    rmSync(file, { force: true });
    return c.json({ deleted: path, ...size } satisfies Deleted);
  });

  return app;
}
