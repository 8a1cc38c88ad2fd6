// A run's log for the log viewer: the log file of its run dir when it has one (`logs/*.log`, `*.log`), else the
// output the dashboard captured of a run it started; read from an offset so a running run's log is followed.
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { Hono } from "hono";
import type { RunLog } from "../api-types.ts";
import { readRunHead, runDirOf, runnerAlive } from "../run-store.ts";
import { apiError, type UiContext } from "./context.ts";

/** Bytes sent at most per read (a first read of a longer log gets its tail). */
export const LOG_CHUNK = 256 * 1024;

/** The newest `.log` file of a run dir, in `logs/` or at its top, relative to it; undefined when none. */
export function newestLogFile(runDir: string): string | undefined {
  let best: { rel: string; t: number } | undefined;
  for (const sub of ["logs", ""]) {
    const dir = join(runDir, sub);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      if (!name.endsWith(".log")) continue;
      const s = statSync(join(dir, name));
      if (s.isFile() && (!best || s.mtimeMs > best.t))
        best = { rel: sub ? `${sub}/${name}` : name, t: s.mtimeMs };
    }
  }
  return best?.rel;
}

/**
 * Reads a log file from `offset` (at most LOG_CHUNK bytes), or its last LOG_CHUNK bytes when `offset` is
 * undefined or past its end (a new or truncated file). A multi-byte character cut at the chunk's end is left
 * for the next read.
 */
export function readLogFile(
  file: string,
  offset: number | undefined,
): Pick<RunLog, "text" | "next" | "reset" | "skipped"> {
  const size = statSync(file).size;
  const reset = offset === undefined || offset > size;
  const from = reset ? Math.max(0, size - LOG_CHUNK) : offset;
  const length = Math.min(LOG_CHUNK, size - from);
  const buf = Buffer.alloc(length);
  const fd = openSync(file, "r");
  try {
    readSync(fd, buf, 0, length, from);
  } finally {
    closeSync(fd);
  }
  let end = length;
  // Back off an incomplete UTF-8 sequence at the end (continuation bytes 10xxxxxx after its lead byte).
  let i = end - 1;
  while (i >= 0 && i > end - 4 && (buf[i] as number) >> 6 === 2) i--;
  if (i >= 0 && i < end) {
    const lead = buf[i] as number;
    const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (end - i < need) end = i;
  }
  return {
    text: stripVTControlCharacters(buf.subarray(0, end).toString("utf8")),
    next: from + end,
    reset,
    skipped: reset ? from : 0,
  };
}

/** GET /api/runs/:id/log?offset=n */
export function logRoutes(ctx: UiContext): Hono {
  const app = new Hono();

  app.get("/runs/:id/log", (c) => {
    const runId = c.req.param("id");
    const dir = runDirOf(ctx.outputDir, runId);
    const entry = ctx.queue
      .list()
      .filter((e) => e.runId === runId)
      .at(-1);
    if (!dir && !entry) return c.json(apiError(`no run "${runId}"`), 404);
    const head = dir ? readRunHead(dir) : {};
    const running =
      entry?.status === "running" || (head.status === "running" && runnerAlive(head as { pid?: number }));
    const rel = dir ? newestLogFile(dir) : undefined;
    if (dir && rel) {
      const raw = c.req.query("offset");
      const offset = raw === undefined || !/^\d+$/.test(raw) ? undefined : Number(raw);
      return c.json({ source: rel, ...readLogFile(join(dir, rel), offset), running } satisfies RunLog);
    }
    if (entry)
      return c.json({
        source: "dashboard",
        text: entry.log.join("\n"),
        next: 0,
        reset: true,
        skipped: 0,
        running,
      } satisfies RunLog);
    return c.json({ source: null, text: "", next: 0, reset: true, skipped: 0, running } satisfies RunLog);
  });

  return app;
}
