// Unprocessed cases: the lines of every run's unprocessed.jsonl, grouped, inspectable, exportable as CSV.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Hono } from "hono";
import type { UnprocessedItem } from "../api-types.ts";
import { runIds } from "../run-store.ts";
import type { UiContext } from "./context.ts";

const MAX_ITEMS = 20_000;

/** The unprocessed cases of one run, or of every run (newest first), at most 20,000. */
export function readUnprocessed(outputDir: string, runId?: string): UnprocessedItem[] {
  const ids = runIds(outputDir).filter((id) => !runId || id === runId);
  const out: UnprocessedItem[] = [];
  for (const id of ids) {
    const file = join(outputDir, "runs", id, "unprocessed.jsonl");
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, "utf8").split("\n")) {
      if (!line.trim()) continue;
      try {
        out.push({ runId: id, ...(JSON.parse(line) as Omit<UnprocessedItem, "runId">) });
      } catch {
        // a line being written
      }
      if (out.length >= MAX_ITEMS) return out;
    }
  }
  return out;
}

/** Counts by a key, largest first. */
export function countBy<T>(items: readonly T[], key: (t: T) => string): { key: string; count: number }[] {
  const m = new Map<string, number>();
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
  return [...m]
    .map(([k, count]) => ({ key: k, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

/** RFC 4180 CSV; a cell starting with = + - @ is prefixed with ' so a spreadsheet never runs it as a formula. */
export function toCsv(items: readonly UnprocessedItem[]): string {
  const cols: (keyof UnprocessedItem)[] = [
    "runId",
    "caseId",
    "file",
    "evalName",
    "scenarioKey",
    "model",
    "taskType",
    "classification",
    "reason",
    "at",
  ];
  const cell = (v: unknown) => {
    let s = v === undefined || v === null ? "" : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[cols.join(","), ...items.map((i) => cols.map((c) => cell(i[c])).join(","))].join("\r\n")}\r\n`;
}

/** GET /api/unprocessed?run=, GET /api/unprocessed.csv?run= */
export function unprocessedRoutes(ctx: UiContext): Hono {
  const app = new Hono();
  const filtered = (q: Record<string, string>) =>
    readUnprocessed(ctx.outputDir, q.run || undefined).filter(
      (i) =>
        (!q.classification || i.classification === q.classification) &&
        (!q.model || i.model === q.model) &&
        (!q.task || i.taskType === q.task),
    );

  app.get("/unprocessed", (c) => {
    const all = readUnprocessed(ctx.outputDir, c.req.query("run") || undefined);
    const items = filtered(c.req.query());
    return c.json({
      total: items.length,
      items: items.slice(0, 1000),
      groups: {
        classification: countBy(all, (i) => i.classification),
        reason: countBy(all, (i) => i.reason.slice(0, 160)),
        model: countBy(all, (i) => i.model),
        taskType: countBy(all, (i) => i.taskType),
      },
    });
  });

  app.get("/unprocessed.csv", (c) => {
    c.header("content-type", "text/csv; charset=utf-8");
    c.header("content-disposition", 'attachment; filename="unprocessed.csv"');
    return c.body(toCsv(filtered(c.req.query())));
  });

  return app;
}
