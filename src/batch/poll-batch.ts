// Following one submitted batch to its end: polled until it stops running, its progress recorded, its results
// downloaded to the run dir before anything relies on them (a resume then needs no provider call, whatever expires).
import { setTimeout as sleep } from "node:timers/promises";
import type { BatchAdapter, BatchItem, BatchProgress, ModelProfile } from "../types.ts";
import { type BatchInfo, type BatchStateFile, readBatchRecords } from "./state.ts";

/** What following a batch needs from its run. */
export interface PollContext {
  runDir: string;
  state: BatchStateFile;
  /** Between two polls of a running batch. */
  pollMs: number;
  log(line: string): void;
  signal?: AbortSignal;
}

/** How a batch ended: every item the provider returned (stored on disk), its final state and message. */
export interface BatchEnd {
  items: BatchItem[];
  state: BatchProgress["state"];
  message?: string;
}

/**
 * Polls a batch until it ends, recording its progress and storing its results (`info` updated as the records
 * are); undefined when the run was interrupted first. Failed polls and reads are retried after a poll interval.
 */
export async function pollToEnd(
  info: BatchInfo,
  adapter: BatchAdapter,
  profile: ModelProfile,
  ctx: PollContext,
): Promise<BatchEnd | undefined> {
  const handle = info.handle as NonNullable<BatchInfo["handle"]>;
  let shown = "";
  for (;;) {
    if (ctx.signal?.aborted) return undefined;
    let progress: BatchProgress;
    try {
      progress = await adapter.poll(profile, handle);
    } catch (err) {
      ctx.log(`batch ${info.label}: polling failed (${messageOf(err)}); trying again`);
      if (!(await pause(ctx))) return undefined;
      continue;
    }
    const key = `${progress.state} ${progress.done ?? "?"}/${progress.total ?? "?"}`;
    if (key !== shown) {
      shown = key;
      recordProgress(info, progress, profile, ctx);
    }
    if (progress.state === "running") {
      if (!(await pause(ctx))) return undefined;
      continue;
    }
    const items: BatchItem[] = [];
    try {
      for await (const item of adapter.results(profile, handle)) items.push(item);
    } catch (err) {
      if (progress.state === "ended") {
        ctx.log(`batch ${info.label}: reading its results failed (${messageOf(err)}); trying again`);
        if (!(await pause(ctx))) return undefined;
        continue;
      }
      // A failed or expired batch may have no results to read: its requests are resubmitted.
    }
    info.results = ctx.state.writeResults(info.label, items);
    if (progress.message !== undefined) info.message = progress.message;
    ctx.state.append({
      type: "ended",
      label: info.label,
      state: progress.state,
      ...(progress.message === undefined ? {} : { message: progress.message }),
      results: info.results,
      count: items.length,
      at: new Date().toISOString(),
    });
    if (progress.state === "cancelled")
      info.cancelled ||= readBatchRecords(ctx.runDir).some(
        (r) => r.type === "cancelled" && r.label === info.label,
      );
    return {
      items,
      state: progress.state,
      ...(progress.message === undefined ? {} : { message: progress.message }),
    };
  }
}

function recordProgress(
  info: BatchInfo,
  progress: BatchProgress,
  profile: ModelProfile,
  ctx: PollContext,
): void {
  info.state = progress.state;
  if (progress.done !== undefined) info.done = progress.done;
  if (progress.total !== undefined) info.total = progress.total;
  ctx.state.append({
    type: "progress",
    label: info.label,
    state: progress.state,
    ...(progress.done === undefined ? {} : { done: progress.done }),
    ...(progress.total === undefined ? {} : { total: progress.total }),
    at: new Date().toISOString(),
  });
  ctx.log(
    `batch ${info.label} (${profile.provider} ${profile.model}): ${progress.done ?? "?"}/${progress.total ?? info.customIds.length} done, ${progress.state}`,
  );
}

/** Waits one poll interval; false when the run was interrupted meanwhile. */
async function pause(ctx: PollContext): Promise<boolean> {
  try {
    await sleep(ctx.pollMs, undefined, ctx.signal ? { signal: ctx.signal } : undefined);
    return true;
  } catch {
    return false;
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
