// The run queue: list, cancel, and re-run a run's errored cases.
import { Hono } from "hono";
import { apiError, type UiContext } from "./context.ts";

/** GET /api/queue, POST /api/queue/:id/cancel, POST /api/runs/:id/rerun-failed, GET /api/progress */
export function queueRoutes(ctx: UiContext): Hono {
  const app = new Hono();

  app.get("/queue", (c) => c.json({ queue: ctx.queue.list() }));
  app.get("/progress", (c) => c.json({ progress: ctx.live.progress() }));

  app.post("/queue/:id/cancel", (c) => {
    const ok = ctx.queue.cancel(c.req.param("id"));
    return ok ? c.json({ ok }) : c.json(apiError("nothing to cancel: the run is not queued or running"), 409);
  });

  // Re-runs the errored cases of a run in a new run (`--retry-errors <runId>`): its own cases, planned from the
  // options its run.json records (config file, profiles, flags), however it was started.
  app.post("/runs/:id/rerun-failed", (c) => {
    const runId = c.req.param("id");
    const run = ctx.store.get(runId);
    if (!run) return c.json(apiError(`no run "${runId}"`), 404);
    if (run.status === "running") return c.json(apiError("the run is still running"), 409);
    const entry = ctx.queue.enqueue(`rerun errored of ${runId}`, { retryErrors: runId });
    return c.json({ entry });
  });

  return app;
}
