// Live updates: run progress read from the run dirs themselves, so CLI runs and dashboard runs look the same.
import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import type { CaseResult } from "../types.ts";
import type { RunProgress } from "./api-types.ts";
import { readRunHead, runIds } from "./run-store.ts";

export type LiveEvent =
  | { event: "progress"; data: RunProgress }
  | { event: "removed"; data: { runId: string } }
  | { event: "runs" | "queue"; data: unknown };

export interface LiveHub {
  /** Calls `fn` for every event until the returned function is called. */
  subscribe(fn: (e: LiveEvent) => void): () => void;
  publish(e: LiveEvent): void;
  /** Progress of the runs that were running while this hub watched. */
  progress(): RunProgress[];
  /** Polls once now (tests; the timer does it every `intervalMs`). */
  poll(): void;
  /** Drops a deleted run: its progress is no longer listed, and `removed` then `runs` are published. */
  forget(runId: string): void;
  close(): void;
}

interface Tracked {
  progress: RunProgress;
  offset: number;
  partial: string;
  seen: Set<string>;
}

/**
 * Watches `<outputDir>/runs/*` by polling file sizes every `intervalMs` (500 ms): a run whose run.json says
 * `running` is followed by reading only the bytes appended to its results.jsonl since the last poll. A run that
 * finishes, or a new run dir, emits `runs`.
 */
export function createLiveHub(opts: { outputDir: string; intervalMs?: number }): LiveHub {
  const subscribers = new Set<(e: LiveEvent) => void>();
  const tracked = new Map<string, Tracked>();
  const known = new Set<string>();
  const finished = new Set<string>();
  let first = true;

  const publish = (e: LiveEvent) => {
    for (const fn of subscribers) fn(e);
  };

  const readAppended = (t: Tracked, file: string): boolean => {
    if (!existsSync(file)) return false;
    const size = statSync(file).size;
    if (size <= t.offset) return false;
    const fd = openSync(file, "r");
    let text: string;
    try {
      const buf = Buffer.alloc(size - t.offset);
      const n = readSync(fd, buf, 0, buf.length, t.offset);
      text = t.partial + buf.subarray(0, n).toString("utf8");
      t.offset += n;
    } finally {
      closeSync(fd);
    }
    const lines = text.split("\n");
    t.partial = lines.pop() ?? "";
    const p = t.progress;
    for (const line of lines) {
      if (!line.trim()) continue;
      let r: CaseResult;
      try {
        r = JSON.parse(line) as CaseResult;
      } catch {
        continue;
      }
      if (t.seen.has(r.caseId)) continue;
      t.seen.add(r.caseId);
      p.done++;
      p[r.state]++;
      p.cost += (r.metrics?.responseCost ?? 0) + (r.metrics?.judgeCost ?? 0);
    }
    const judged = p.passed + p.failed + p.errored;
    if (judged > 0) p.passRate = p.passed / judged;
    const elapsed = Date.now() - new Date(p.startedAt).getTime();
    if (p.done > 0 && elapsed > 0) p.etaMs = Math.max(0, Math.round(((p.total - p.done) * elapsed) / p.done));
    return true;
  };

  const poll = () => {
    let runsChanged = false;
    for (const id of runIds(opts.outputDir)) {
      if (finished.has(id)) continue;
      const dir = join(opts.outputDir, "runs", id);
      if (!known.has(id)) {
        known.add(id);
        if (!first) runsChanged = true;
      }
      let head: ReturnType<typeof readRunHead>;
      try {
        head = readRunHead(dir);
      } catch {
        continue;
      }
      let t = tracked.get(id);
      if (head.status !== "running") {
        finished.add(id);
        if (t) {
          readAppended(t, join(dir, "results.jsonl"));
          t.progress.status = head.status ?? "completed";
          t.progress.etaMs = 0;
          publish({ event: "progress", data: { ...t.progress } });
          runsChanged = true;
        }
        continue;
      }
      if (!t) {
        t = {
          progress: {
            runId: id,
            status: "running",
            total: head.total ?? 0,
            done: 0,
            passed: 0,
            failed: 0,
            errored: 0,
            skipped: 0,
            cost: 0,
            startedAt: head.startedAt ?? new Date().toISOString(),
          },
          offset: 0,
          partial: "",
          seen: new Set(),
        };
        tracked.set(id, t);
        readAppended(t, join(dir, "results.jsonl"));
        publish({ event: "progress", data: { ...t.progress } });
      } else if (readAppended(t, join(dir, "results.jsonl"))) {
        publish({ event: "progress", data: { ...t.progress } });
      }
    }
    first = false;
    if (runsChanged) publish({ event: "runs", data: null });
  };

  const timer = setInterval(() => {
    try {
      poll();
    } catch {
      // a run dir removed mid-poll: the next poll sees the new state
    }
  }, opts.intervalMs ?? 500);
  timer.unref();

  return {
    subscribe(fn) {
      subscribers.add(fn);
      return () => subscribers.delete(fn);
    },
    publish,
    progress: () => [...tracked.values()].map((t) => ({ ...t.progress })),
    poll,
    forget(runId) {
      tracked.delete(runId);
      known.delete(runId);
      finished.delete(runId);
      publish({ event: "removed", data: { runId } });
      publish({ event: "runs", data: null });
    },
    close() {
      clearInterval(timer);
      subscribers.clear();
    },
  };
}
