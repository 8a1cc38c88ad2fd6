import type { LiveHub } from "../live.ts";
import type { RunQueue } from "../run-queue.ts";
import type { RunStore } from "../run-store.ts";

/** What every route module of the dashboard's API works with. */
export interface UiContext {
  /** Project root (absolute). */
  root: string;
  /** The project's output dir (absolute): run dirs and reports; the only files the server serves. */
  outputDir: string;
  store: RunStore;
  queue: RunQueue;
  live: LiveHub;
}

/** A JSON error body with a status, for `c.json(...)`. */
export function apiError(message: string): { error: string } {
  return { error: message };
}
