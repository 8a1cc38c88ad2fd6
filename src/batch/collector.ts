// The batch engine (issue 21): model calls of batching profiles are collected instead of sent, and submitted to the
// provider's batch engine when every case in flight waits on one, grouped by profile and split by the provider's
// limits. Durable (state.ts): a resumed run submits nothing twice. See docs/batch.md.
import { AsyncLocalStorage } from "node:async_hooks";
import { getBatchAdapter } from "../providers/batch/registry.ts";
import { ProviderError } from "../providers/errors.ts";
import type { MeasuredCall } from "../providers/measure-stream.ts";
import type {
  BatchAdapter,
  BatchHandle,
  BatchItem,
  BatchProgress,
  GenerateRequest,
  ModelProfile,
  RetrySettings,
} from "../types.ts";
import { batchedCall } from "./batched-call.ts";
import { customIdOf } from "./custom-id.ts";
import { pollToEnd } from "./poll-batch.ts";
import { splitByLimits } from "./split.ts";
import { type BatchInfo, BatchStateFile, batchInfos, readBatchRecords, readResults } from "./state.ts";

/** One model call handed to the collector. */
export interface BatchCall {
  /** The case the call belongs to (`enter`ed before). */
  caseId: string;
  role: "target" | "judge";
  profile: ModelProfile;
  /** As a live call would send it; its `seed` makes the custom id. */
  request: GenerateRequest;
  /** How many batches may carry the call when its item keeps failing transiently (`maxAttempts`). */
  retry: Pick<RetrySettings, "maxAttempts">;
  /** The same call made live: used when a profile's group is too small to be a batch (`minRequests`). */
  live(): Promise<MeasuredCall>;
}

export interface CollectorOptions {
  runId: string;
  runDir: string;
  /** `--batch`: every profile's calls; else only those of `batch: true` profiles. */
  all: boolean;
  /** The run's targets and judges: a resumed run's open batches are polled with their profile. */
  profiles: readonly ModelProfile[];
  /** Between two polls of a running batch. */
  pollMs: number;
  /** Fewer requests per batch than the provider allows (tests, or a provider's undocumented cap). */
  maxRequests?: number;
  /** How long the collector waits for no new call before it checks whether every case waits on it. */
  quietMs?: number;
  /** A line for the console (progress, resubmissions). */
  log(line: string): void;
  signal?: AbortSignal;
}

interface Waiter {
  call: BatchCall;
  customId: string;
  /** Sent as a live call: its case no longer waits on the collector (it may make more calls before this returns). */
  live?: boolean;
  resolve(call: MeasuredCall): void;
  reject(err: unknown): void;
}

/** The collector of the case running in this async context: two runs in one process each have theirs. */
const current = new AsyncLocalStorage<BatchCollector>();

/** The collector of the run whose case is running here, when that run batches (cases run inline, `within` it). */
export function activeCollector(): BatchCollector | undefined {
  return current.getStore();
}

/** The collector of a run, and the profiles whose calls it takes. One per run (its cases run inline, `within` it). */
export class BatchCollector {
  private readonly state: BatchStateFile;
  private readonly infos = new Map<string, BatchInfo>();
  /** Custom id → batches that carried it (the intents the provider accepted, or may have). */
  private readonly submissions = new Map<string, number>();
  /** Custom id → its outcome in the last batch that ended with it. */
  private readonly outcomes = new Map<string, BatchItem>();
  /** Custom id → the open batch carrying it. */
  private readonly inBatch = new Map<string, string>();
  private readonly waiters = new Map<string, Waiter>();
  private queue: Waiter[] = [];
  /** Case in flight → its calls waiting on the collector. */
  private readonly cases = new Map<string, number>();
  private readonly watching = new Set<Promise<void>>();
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;

  private constructor(private readonly options: CollectorOptions) {
    this.state = new BatchStateFile(options.runDir);
  }

  /**
   * The run's collector: a resumed run's batches read back, those still open
   * watched again, and each intent the provider may have accepted before a kill looked up by its label.
   */
  static async open(options: CollectorOptions): Promise<BatchCollector> {
    const c = new BatchCollector(options);
    const records = readBatchRecords(options.runDir);
    if (!records.some((r) => r.type === "run"))
      c.state.append({ type: "run", runId: options.runId, all: options.all, at: now() });
    const infos = batchInfos(records);
    c.seq = infos.length;
    for (const info of infos) {
      c.infos.set(info.label, info);
      if (info.abandoned) continue;
      for (const id of info.customIds) c.submissions.set(id, (c.submissions.get(id) ?? 0) + 1);
      if (info.results !== undefined) {
        const items = readResults(options.runDir, info.results);
        c.record(info, items, info.state ?? "ended", info.message);
      } else if (info.handle) for (const id of info.customIds) c.inBatch.set(id, info.label);
    }
    for (const info of infos) {
      if (info.abandoned || info.results !== undefined) continue;
      const profile = options.profiles.find((p) => p.key === info.profileKey);
      if (!profile) {
        c.abandon(
          info,
          `its profile ${info.profileKey} is no longer in the run: its requests go live or in a new batch`,
        );
        continue;
      }
      const adapter = await getBatchAdapter(profile.provider);
      if (!adapter) continue;
      if (!info.handle) {
        const found = await adapter.find?.(profile, info.label, info.customIds);
        if (found) {
          c.submitted(info, found);
          options.log(
            `batch ${info.label}: found at ${profile.provider} (${found.id}), submitted before the last run stopped: waiting for it`,
          );
        } else {
          c.abandon(
            info,
            adapter.find
              ? "not found at the provider: submitted again"
              : `${profile.provider} cannot look batches up by label: submitted again (if the provider accepted it just before the run stopped, that batch runs unused)`,
          );
          continue;
        }
      } else
        options.log(
          `batch ${info.label}: still ${info.state ?? "running"} at ${profile.provider} (${info.handle.id}): waiting for it`,
        );
      c.watch(info, adapter, profile);
    }
    return c;
  }

  /** Whether a profile's calls go through the collector. */
  applies(profile: ModelProfile): boolean {
    return this.options.all || profile.batch === true;
  }

  /** A case starts: the collector submits only when every case in flight waits on it. */
  enter(caseId: string): void {
    this.cases.set(caseId, 0);
  }

  leave(caseId: string): void {
    this.cases.delete(caseId);
    this.schedule();
  }

  /** One call answered through a batch (or from a batch an earlier process of the run submitted). */
  call(call: BatchCall): Promise<MeasuredCall> {
    const customId = customIdOf(call.role, call.profile.key, call.request.seed);
    return new Promise<MeasuredCall>((resolve, reject) => {
      if (this.waiters.has(customId)) {
        reject(
          new Error(
            `two calls of case ${call.caseId} asked for the same batch request (${customId}) at once`,
          ),
        );
        return;
      }
      const waiter: Waiter = { call, customId, resolve, reject };
      const n = this.cases.get(call.caseId);
      if (n !== undefined) this.cases.set(call.caseId, n + 1);
      const done = () => {
        this.waiters.delete(customId);
        if (!waiter.live) this.release(call.caseId);
      };
      waiter.resolve = (v) => {
        done();
        resolve(v);
      };
      waiter.reject = (e) => {
        done();
        reject(e);
      };
      this.waiters.set(customId, waiter);
      const known = this.outcomes.get(customId);
      if (this.inBatch.has(customId)) return; // its batch's watcher settles it
      if (known) this.settle(waiter, known);
      else this.enqueue(waiter);
    });
  }

  /** Batches submitted and not ended (still running at the provider, as far as the run knows). */
  openBatches(): BatchInfo[] {
    return [...this.infos.values()].filter((b) => b.handle && b.results === undefined && !b.abandoned);
  }

  /** Runs one case's work with this collector as the one its calls see (`activeCollector()`). */
  within<T>(fn: () => T): T {
    return current.run(this, fn);
  }

  /** Stops watching (the run ended or was interrupted). */
  close(): void {
    clearTimeout(this.timer);
  }

  private enqueue(waiter: Waiter): void {
    this.queue.push(waiter);
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.queue.length === 0 || this.options.signal?.aborted) return;
    this.timer = setTimeout(() => this.check(), this.options.quietMs ?? 20);
  }

  /** Submits what is queued once nothing else can add to it: every case in flight waits on the collector. */
  private check(): void {
    if (this.flushing || this.queue.length === 0) return;
    for (const waiting of this.cases.values()) if (waiting === 0) return;
    this.flushing = true;
    const queued = this.queue;
    this.queue = [];
    this.flush(queued)
      .catch((err: unknown) => {
        for (const w of queued)
          if (this.waiters.get(w.customId) === w && !this.inBatch.has(w.customId)) w.reject(err);
      })
      .finally(() => {
        this.flushing = false;
        this.schedule();
      });
  }

  private async flush(queued: Waiter[]): Promise<void> {
    const groups = new Map<string, Waiter[]>();
    for (const w of queued) {
      const group = groups.get(w.call.profile.key) ?? [];
      group.push(w);
      groups.set(w.call.profile.key, group);
    }
    await Promise.all([...groups.values()].map((g) => this.submitGroup(g)));
  }

  /** One profile's queued calls: split by the provider's limits, each part a batch (or live calls when too few). */
  private async submitGroup(group: Waiter[]): Promise<void> {
    const profile = (group[0] as Waiter).call.profile;
    const adapter = await getBatchAdapter(profile.provider);
    if (!adapter) {
      for (const w of group) this.goLive(w);
      return;
    }
    const limits = adapter.limits(profile);
    const maxRequests = Math.max(1, Math.min(limits.maxRequests, this.options.maxRequests ?? Infinity));
    const encoded: { value: { waiter: Waiter; encoded: unknown }; bytes: number }[] = [];
    for (const waiter of group) {
      let value: unknown;
      try {
        value = await adapter.encode({ customId: waiter.customId, profile, request: waiter.call.request });
      } catch (err) {
        waiter.reject(err);
        continue;
      }
      const bytes = Buffer.byteLength(JSON.stringify(value)) + 1;
      if (bytes > limits.maxBytes) {
        waiter.reject(
          new ProviderError(
            `${profile.key}: the request is ${bytes} bytes, more than a ${profile.provider} batch takes (${limits.maxBytes})`,
            "invalid_request",
          ),
        );
        continue;
      }
      encoded.push({ value: { waiter, encoded: value }, bytes });
    }
    const parts = splitByLimits(encoded, { maxRequests, maxBytes: limits.maxBytes });
    for (const part of parts) {
      if (part.length < (limits.minRequests ?? 1)) {
        this.state.append({
          type: "live",
          profileKey: profile.key,
          customIds: part.map((p) => p.waiter.customId),
          reason: `${part.length} requests, fewer than a ${profile.provider} batch takes (${limits.minRequests})`,
          at: now(),
        });
        this.options.log(
          `${profile.key}: ${part.length} requests are fewer than a ${profile.provider} batch takes (${limits.minRequests}): sent as live calls`,
        );
        for (const { waiter } of part) this.goLive(waiter);
        continue;
      }
      await this.submitPart(adapter, profile, part);
    }
  }

  /**
   * The call made live. Its case stops counting as waiting on the collector: until the answer comes, the case is
   * busy, so the collector does not submit the calls of cases that answered first in batches too small (a group
   * below `minRequests` would otherwise turn every next phase into live calls, one case at a time).
   */
  private goLive(waiter: Waiter): void {
    waiter.live = true;
    this.release(waiter.call.caseId);
    waiter.call.live().then(waiter.resolve, waiter.reject);
  }

  /** One call of a case no longer waits on the collector. */
  private release(caseId: string): void {
    const n = this.cases.get(caseId);
    if (n !== undefined) this.cases.set(caseId, n - 1);
  }

  private async submitPart(
    adapter: BatchAdapter,
    profile: ModelProfile,
    part: { waiter: Waiter; encoded: unknown }[],
  ): Promise<void> {
    const label = `jury-${this.options.runId}-b${++this.seq}`;
    const customIds = part.map((p) => p.waiter.customId);
    const info: BatchInfo = {
      label,
      provider: profile.provider,
      profileKey: profile.key,
      model: profile.model,
      customIds,
      intentAt: now(),
    };
    this.infos.set(label, info);
    // On disk before the provider is asked: a run killed after its accept finds the batch by label.
    this.state.append({
      type: "intent",
      label,
      provider: profile.provider,
      profileKey: profile.key,
      model: profile.model,
      customIds,
      at: info.intentAt,
    });
    for (const id of customIds) this.submissions.set(id, (this.submissions.get(id) ?? 0) + 1);
    let handle: BatchHandle;
    try {
      handle = await adapter.submit(
        profile,
        part.map((p) => ({ customId: p.waiter.customId, encoded: p.encoded })),
        label,
      );
    } catch (err) {
      this.abandon(info, `submit failed: ${err instanceof Error ? err.message : String(err)}`);
      for (const { waiter } of part) waiter.reject(err);
      return;
    }
    this.submitted(info, handle);
    const roles = new Set(part.map((p) => p.waiter.call.role));
    this.options.log(
      `batch ${label}: ${customIds.length} ${[...roles].join(" and ")} requests submitted to ${profile.provider} ${profile.model} (${handle.id})`,
    );
    this.watch(info, adapter, profile);
  }

  private submitted(info: BatchInfo, handle: BatchHandle): void {
    info.handle = handle;
    info.submittedAt = now();
    info.state = "running";
    for (const id of info.customIds) this.inBatch.set(id, info.label);
    this.state.append({ type: "submitted", label: info.label, handle, at: info.submittedAt });
  }

  private abandon(info: BatchInfo, reason: string): void {
    info.abandoned = true;
    for (const id of info.customIds) {
      this.submissions.set(id, Math.max(0, (this.submissions.get(id) ?? 1) - 1));
      if (this.inBatch.get(id) === info.label) this.inBatch.delete(id);
    }
    this.state.append({ type: "abandoned", label: info.label, reason, at: now() });
    this.options.log(`batch ${info.label}: ${reason}`);
  }

  /** Follows a batch to its end (poll-batch.ts), then settles (or resubmits) its calls. */
  private watch(info: BatchInfo, adapter: BatchAdapter, profile: ModelProfile): void {
    const { runDir, pollMs, log, signal } = this.options;
    const run = pollToEnd(info, adapter, profile, {
      runDir,
      state: this.state,
      pollMs,
      log,
      ...(signal ? { signal } : {}),
    }).then((end) => {
      if (end) this.record(info, end.items, end.state, end.message);
    });
    this.watching.add(run);
    run
      .catch((err: unknown) =>
        this.options.log(`batch ${info.label}: ${err instanceof Error ? err.message : String(err)}`),
      )
      .finally(() => this.watching.delete(run));
  }

  /** A batch's outcome per custom id (the requests it never ran fail transiently), settling the calls waiting. */
  private record(
    info: BatchInfo,
    items: readonly BatchItem[],
    state: BatchProgress["state"],
    message?: string,
  ): void {
    const byId = new Map(items.map((i) => [i.customId, i]));
    const why = `batch ${info.label} ${state === "ended" ? "ended" : `was ${state}`}${message ? ` (${message})` : ""} without answering it`;
    for (const customId of info.customIds) {
      const item: BatchItem = byId.get(customId) ?? {
        customId,
        ok: false,
        error: info.cancelled
          ? { message: `batch ${info.label} was cancelled (evals batch cancel)`, kind: "permanent" }
          : { message: why, kind: "transient" },
      };
      if (this.inBatch.get(customId) === info.label) this.inBatch.delete(customId);
      this.outcomes.set(customId, item);
      const waiter = this.waiters.get(customId);
      if (waiter) this.settle(waiter, item);
    }
  }

  private settle(waiter: Waiter, item: BatchItem): void {
    if (item.ok) {
      waiter.resolve(batchedCall(item.answer));
      return;
    }
    const { error } = item;
    const { profile } = waiter.call;
    const carried = this.submissions.get(waiter.customId) ?? 0;
    if (error.kind === "transient" && carried < waiter.call.retry.maxAttempts) {
      this.outcomes.delete(waiter.customId);
      this.enqueue(waiter);
      return;
    }
    waiter.reject(
      new ProviderError(
        `${profile.key}: ${error.message}${error.kind === "transient" ? ` (in ${carried} batches)` : ""}`,
        error.kind === "transient" ? "transient" : error.kind === "refused" ? "refused" : "invalid_request",
        error.status,
      ),
    );
  }
}

function now(): string {
  return new Date().toISOString();
}
