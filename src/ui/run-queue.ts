// Runs started from the dashboard: a queue of startEvals() calls in this process, a few at a time, cancellable.
import { Writable } from "node:stream";
import { stripVTControlCharacters } from "node:util";
import { startEvals } from "../runner/start.ts";
import type { StartOptions } from "../types.ts";
import type { QueueEntry } from "./api-types.ts";

export interface RunQueue {
  /** Queues a run; it starts as soon as fewer than `concurrency` runs are going. */
  enqueue(label: string, options: StartOptions): QueueEntry;
  /** Cancels a queued run, or interrupts a running one like Ctrl-C (its results so far are kept). */
  cancel(id: string): boolean;
  list(): QueueEntry[];
  get(id: string): QueueEntry | undefined;
  /** Interrupts every run and waits for them to end. */
  close(): Promise<void>;
}

const LOG_LINES = 200;

/**
 * A queue of `startEvals()` runs in this process. Every run gets the project root and output dir of the
 * dashboard; `onChange` is called on every status change (for the live view).
 */
export function createRunQueue(opts: {
  root: string;
  outputDir: string;
  concurrency?: number;
  onChange?: (entry: QueueEntry) => void;
}): RunQueue {
  const concurrency = Math.max(1, opts.concurrency ?? 1);
  const entries: QueueEntry[] = [];
  const pending: { entry: QueueEntry; options: StartOptions }[] = [];
  const running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  let seq = 0;
  const changed = (e: QueueEntry) => opts.onChange?.(e);

  const logTo = (entry: QueueEntry) => {
    let partial = "";
    return new Writable({
      write(chunk, _enc, cb) {
        const lines = (partial + String(chunk)).split("\n");
        partial = lines.pop() ?? "";
        // Without terminal escapes (colours, cursor moves): logs are shown as text in the page.
        entry.log.push(...lines.map((l) => stripVTControlCharacters(l)));
        if (entry.log.length > LOG_LINES) entry.log.splice(0, entry.log.length - LOG_LINES);
        cb();
      },
    });
  };

  const pump = () => {
    while (running.size < concurrency && pending.length > 0) {
      const next = pending.shift() as (typeof pending)[number];
      const { entry, options } = next;
      const controller = new AbortController();
      entry.status = "running";
      entry.startedAt = new Date().toISOString();
      changed(entry);
      const out = logTo(entry);
      const done = startEvals({
        ...options,
        root: opts.root,
        outputDir: opts.outputDir,
        signal: controller.signal,
        stdout: out,
        stderr: out,
        reporterInstances: [
          ...(options.reporterInstances ?? []),
          {
            onInit(ctx) {
              entry.runId = ctx.runId;
              changed(entry);
            },
          },
        ],
      })
        .then((run) => {
          entry.runId = run.report.runId;
          entry.exitCode = run.exitCode;
          entry.status = controller.signal.aborted ? "cancelled" : "completed";
        })
        .catch((err: unknown) => {
          entry.status = controller.signal.aborted ? "cancelled" : "failed";
          entry.error = err instanceof Error ? err.message : String(err);
          entry.exitCode = (err as { exitCode?: number }).exitCode ?? 1;
        })
        .finally(() => {
          entry.finishedAt = new Date().toISOString();
          running.delete(entry.id);
          changed(entry);
          pump();
        });
      running.set(entry.id, { controller, done });
    }
  };

  return {
    enqueue(label, options) {
      const entry: QueueEntry = {
        id: `q${++seq}`,
        label,
        status: "queued",
        queuedAt: new Date().toISOString(),
        ...(options.config ? { config: options.config } : {}),
        log: [],
      };
      entries.push(entry);
      pending.push({ entry, options });
      changed(entry);
      pump();
      return entry;
    },
    cancel(id) {
      const i = pending.findIndex((p) => p.entry.id === id);
      if (i >= 0) {
        const [{ entry }] = pending.splice(i, 1) as [(typeof pending)[number]];
        entry.status = "cancelled";
        entry.finishedAt = new Date().toISOString();
        changed(entry);
        return true;
      }
      const run = running.get(id);
      if (!run) return false;
      run.controller.abort();
      return true;
    },
    list: () => [...entries],
    get: (id) => entries.find((e) => e.id === id),
    async close() {
      for (const p of pending.splice(0)) p.entry.status = "cancelled";
      for (const r of running.values()) r.controller.abort();
      await Promise.all([...running.values()].map((r) => r.done));
    },
  };
}
