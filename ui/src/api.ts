// The dashboard's API client and live event stream.
import type { QueueEntry, RunProgress } from "../../src/ui/api-types.ts";

export class ApiError extends Error {}

async function parse<T>(res: Response): Promise<T> {
  const body = (await res.json().catch(() => ({}))) as { error?: string };
  if (!res.ok) throw new ApiError(body.error ?? `${res.status} ${res.statusText}`);
  return body as T;
}

export const api = {
  get: <T>(path: string) => fetch(path, { headers: { accept: "application/json" } }).then((r) => parse<T>(r)),
  post: <T>(path: string, body: unknown = {}) =>
    fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    }).then((r) => parse<T>(r)),
  /** DELETE with a JSON body: the server takes no state-changing request that is not JSON. */
  del: <T>(path: string, body: unknown = {}) =>
    fetch(path, {
      method: "DELETE",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    }).then((r) => parse<T>(r)),
};

type Listener = (event: string, data: unknown) => void;

/** Live state from /api/events: the queue and the progress of running runs, kept up to date. */
export const live = {
  queue: new Map<string, QueueEntry>(),
  progress: new Map<string, RunProgress>(),
  connected: false,
  listeners: new Set<Listener>(),
  on(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  },
};

/** Opens the event stream (reconnecting by itself, as EventSource does). */
export function connectLive(onStatus: (connected: boolean) => void): void {
  const es = new EventSource("/api/events");
  const emit = (event: string, data: unknown) => {
    for (const fn of live.listeners) fn(event, data);
  };
  es.addEventListener("open", () => {
    live.connected = true;
    onStatus(true);
  });
  es.addEventListener("error", () => {
    live.connected = false;
    onStatus(false);
  });
  es.addEventListener("hello", (e) => {
    const d = JSON.parse((e as MessageEvent).data) as { queue: QueueEntry[]; progress: RunProgress[] };
    for (const q of d.queue) live.queue.set(q.id, q);
    for (const p of d.progress) live.progress.set(p.runId, p);
    emit("hello", d);
  });
  es.addEventListener("queue", (e) => {
    const q = JSON.parse((e as MessageEvent).data) as QueueEntry;
    live.queue.set(q.id, q);
    emit("queue", q);
  });
  es.addEventListener("progress", (e) => {
    const p = JSON.parse((e as MessageEvent).data) as RunProgress;
    live.progress.set(p.runId, p);
    emit("progress", p);
  });
  es.addEventListener("removed", (e) => {
    const { runId } = JSON.parse((e as MessageEvent).data) as { runId: string };
    live.progress.delete(runId);
    emit("removed", runId);
  });
  es.addEventListener("runs", () => emit("runs", null));
}
