// A finished case's figures from its measured calls: what results.jsonl records of its timings, tokens, cost,
// turns and reasoning (DESIGN §7).
import { callCost } from "../metrics/cost.ts";
import { throughput } from "../metrics/latency.ts";
import type { MeasuredCall } from "../providers/measure-stream.ts";
import type { RetryStats } from "../providers/retry.ts";
import type { CacheStats } from "../store/cache.ts";
import type { CaseMetrics, CaseTask, TurnMetrics } from "../types.ts";

/**
 * A case's metrics from its target calls (DESIGN §7): the first call's timings, every call's tokens and cost.
 */
export function caseMetrics(
  task: CaseTask,
  calls: MeasuredCall[],
  retry: RetryStats & {
    throttleWaitMs: number;
    throttled: number;
    firstRequestAt?: number;
    lastRequestAt?: number;
  },
  cache: CacheStats,
  startedAt: string,
  durationMs: number,
  judgeCost: number,
): CaseMetrics {
  const first = calls[0];
  const inputTokens = calls.reduce((n, c) => n + c.inputTokens, 0);
  const outputTokens = calls.reduce((n, c) => n + c.outputTokens, 0);
  const reasoningTokens = calls.reduce((n, c) => n + (c.reasoningTokens ?? 0), 0);
  const cacheReadTokens = calls.reduce((n, c) => n + (c.cacheReadTokens ?? 0), 0);
  const cacheWriteTokens = calls.reduce((n, c) => n + (c.cacheWriteTokens ?? 0), 0);
  const ttftMs = first?.ttftMs;
  const ttlbMs = first?.ttlbMs;
  // Not streamed, TTFT is TTLB (DESIGN §7), as each turn records it: also when the first call answered only with
  // tool calls (no answer token to time).
  const caseTtft = task.stream ? ttftMs : ttlbMs;
  const last = calls.at(-1);
  const { model } = task;
  // A provider's batch engine answered: nothing was timed (its `ttlbMs` 0 is no latency), so the case has no
  // latency figure at all — absent, never 0 — and says so.
  const batched = calls.some((c) => c.batched);
  return {
    ...(batched
      ? { batched: true }
      : {
          ...(caseTtft === undefined ? {} : { ttftMs: caseTtft }),
          ...(first?.ttfbMs === undefined ? {} : { ttfbMs: first.ttfbMs }),
          ...(ttlbMs === undefined ? {} : { ttlbMs }),
          ...(task.stream && first?.ttfrMs !== undefined ? { ttfrMs: first.ttfrMs } : {}),
          // Decode throughput and ITL need the text spread over at least two chunks; one chunk has no decode
          // phase. A reasoning model's thinking came before the TTFT: the decode window holds the answer's tokens.
          ...throughput(
            (first?.outputTokens ?? 0) - (first?.reasoningTokens ?? 0),
            task.stream && (first?.contentChunks ?? 0) > 1 ? ttftMs : ttlbMs,
            ttlbMs,
          ),
        }),
    inputTokens,
    outputTokens,
    ...(reasoningTokens > 0 ? { reasoningTokens } : {}),
    ...(cacheReadTokens > 0 ? { cacheReadTokens } : {}),
    ...(cacheWriteTokens > 0 ? { cacheWriteTokens } : {}),
    tokensEstimated: calls.some((c) => c.tokensEstimated),
    attempts: retry.attempts,
    retries: retry.retries,
    backoffMs: retry.backoffMs,
    throttleWaitMs: retry.throttleWaitMs,
    throttled: retry.throttled,
    ...(retry.firstRequestAt === undefined ? {} : { firstRequestAt: retry.firstRequestAt }),
    ...(retry.lastRequestAt === undefined ? {} : { lastRequestAt: retry.lastRequestAt }),
    // Replayed calls cost nothing now (their price shows as cacheCostSaved).
    responseCost: calls.reduce(
      (sum, c) => sum + (c.cached ? 0 : callCost(model, c.inputTokens, c.outputTokens, c)),
      0,
    ),
    judgeCost,
    startedAt,
    durationMs,
    ...(model.region === undefined ? {} : { region: model.region }),
    ...(model.serviceTier === undefined ? {} : { serviceTierRequested: model.serviceTier }),
    ...(first?.serviceTierServed === undefined ? {} : { serviceTierServed: first.serviceTierServed }),
    // The judged answer's: the last call's (a tool loop's first calls end in `tool_calls`).
    ...(last?.finishReason === undefined ? {} : { finishReason: last.finishReason }),
    // A batch engine answers whole, never as a stream.
    streamed: task.stream && !batched,
    simulated: model.provider === "mock",
    ...(first?.cached ? { cached: true } : {}),
    ...(cache.hits
      ? { cacheHits: cache.hits, cacheTimeSavedMs: cache.timeSavedMs, cacheCostSaved: cache.costSaved }
      : {}),
  };
}

/**
 * Per user turn (scripted turns, or a tool loop of several calls): the TTFT and TTLB of the turn's first call, its
 * calls' tokens and cost summed. The case's own metrics stay the first call's timings and every call's sums.
 */
export function turnMetrics(
  task: CaseTask,
  calls: MeasuredCall[],
  callTurns: (number | undefined)[],
  scripted: boolean,
): { turns?: TurnMetrics[] } {
  const exchangeCalls = callTurns.filter((t) => t !== undefined).length;
  if (exchangeCalls === 0 || (!scripted && exchangeCalls < 2)) return {};
  const turns: TurnMetrics[] = [];
  for (const [i, call] of calls.entries()) {
    const turn = callTurns[i];
    if (turn === undefined) continue;
    let t = turns.find((x) => x.turn === turn);
    if (!t) {
      const ttft = task.stream ? call.ttftMs : call.ttlbMs;
      t = {
        turn,
        ...(ttft === undefined || call.batched ? {} : { ttftMs: ttft }),
        ...(call.batched ? {} : { ttlbMs: call.ttlbMs }),
        inputTokens: 0,
        outputTokens: 0,
        cost: 0,
        calls: 0,
      };
      turns.push(t);
    }
    t.inputTokens += call.inputTokens;
    t.outputTokens += call.outputTokens;
    t.cost += call.cached ? 0 : callCost(task.model, call.inputTokens, call.outputTokens, call);
    t.calls++;
  }
  return { turns };
}

/** Longest reasoning text kept in a result: enough to read, not a results.jsonl of megabytes. */
const REASONING_KEPT = 20_000;

/** The case's reasoning (its calls' thinking, in order) for the drill-down, cut at `REASONING_KEPT` characters. */
export function caseReasoning(calls: MeasuredCall[]): { reasoning?: string } {
  const text = calls
    .map((c) => c.reasoning ?? "")
    .filter(Boolean)
    .join("\n\n");
  if (!text) return {};
  return {
    reasoning:
      text.length > REASONING_KEPT
        ? `${text.slice(0, REASONING_KEPT)}… [${text.length - REASONING_KEPT} more characters cut]`
        : text,
  };
}
