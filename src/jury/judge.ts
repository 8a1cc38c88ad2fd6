import { activeCollector } from "../batch/collector.ts";
import { callCost } from "../metrics/cost.ts";
import { ProviderError } from "../providers/errors.ts";
import { measureStream } from "../providers/measure-stream.ts";
import { getProvider } from "../providers/registry.ts";
import { withRetry } from "../providers/retry.ts";
import { type CacheSettings, type CacheStats, cachedCall } from "../store/cache.ts";
import type { ModelProfile, RetrySettings, Verdict } from "../types.ts";
import { modelFamily } from "./family.ts";
import { parseVerdict } from "./parse-verdict.ts";
import { buildJudgePrompt, type JudgePromptInput, verdictSchema } from "./prompt.ts";

const NO_RETRY: RetrySettings = { maxAttempts: 1, baseMs: 0, capMs: 0, maxTotalMs: 0 };

/** Max tokens of a judge's answer: room for a rationale per dimension. */
const JUDGE_MAX_TOKENS = 2048;

// A case's judges read the same prompt and answer the same schema: built once per case, not once per judge.
const prompts = new WeakMap<JudgePromptInput, ReturnType<typeof buildJudgePrompt>>();
const schemas = new WeakMap<JudgePromptInput["dimensions"], Record<string, unknown>>();

function judgePrompt(input: JudgePromptInput): ReturnType<typeof buildJudgePrompt> {
  let prompt = prompts.get(input);
  if (!prompt) {
    prompt = buildJudgePrompt(input);
    prompts.set(input, prompt);
  }
  return prompt;
}

function judgeSchema(dimensions: JudgePromptInput["dimensions"]): Record<string, unknown> {
  let schema = schemas.get(dimensions);
  if (!schema) {
    schema = verdictSchema(dimensions);
    schemas.set(dimensions, schema);
  }
  return schema;
}

/**
 * One judge's verdict on one response. Never throws for the judge's own failure: a provider error or an
 * unreadable answer is an abstention, with the tokens it cost still counted.
 */
export async function runJudge(
  judge: ModelProfile,
  candidate: ModelProfile,
  input: JudgePromptInput,
  seed: string,
  signal?: AbortSignal,
  retry: RetrySettings = NO_RETRY,
  cache?: { settings: CacheSettings | undefined; stats: CacheStats; invocation: number },
  /**
   * The signal of one live call (its per-call deadline), made when the call starts; default `signal`. Under
   * batching `signal` has no per-call deadline (a batch may take hours), but a judge call the collector sends live
   * keeps its deadline, and its own signal: the SDKs add a listener per request to the signal they are given.
   */
  callSignal?: () => AbortSignal,
): Promise<Verdict> {
  const sameFamily = modelFamily(judge) === modelFamily(candidate);
  const { system, user, version } = judgePrompt(input);
  try {
    const provider = await getProvider(judge.provider);
    await provider.prepare?.(judge);
    const stats = { attempts: 0, retries: 0, backoffMs: 0 };
    // The call cache's key parts, made only when there is a cache to key.
    const parts = cache?.settings && {
      provider: judge.provider,
      model: judge.model,
      baseUrl: judge.baseUrl ?? null,
      region: judge.region ?? null,
      ...(judge.thinkingBudgetTokens === undefined
        ? {}
        : { thinkingBudgetTokens: judge.thinkingBudgetTokens }),
      system,
      user,
      maxTokens: JUDGE_MAX_TOKENS,
      promptVersion: version,
      invocation: cache?.invocation ?? 1,
    };
    const noStats: CacheStats = {
      hits: 0,
      timeSavedMs: 0,
      tokensSaved: { input: 0, output: 0 },
      costSaved: 0,
    };
    const request = {
      system,
      messages: [{ role: "user" as const, content: user }],
      temperature: 0,
      maxTokens: JUDGE_MAX_TOKENS,
      stream: false,
      seed,
      judging: {
        prompt: input.prompt,
        response: input.response,
        dimensions: input.dimensions,
        ...(input.golden === undefined ? {} : { golden: input.golden }),
      },
      jsonSchema: judgeSchema(input.dimensions),
    };
    const live = () => {
      const callSig = callSignal?.() ?? signal;
      return withRetry(
        (attempt) =>
          measureStream(
            provider.stream(judge, { ...request, attempt, ...(callSig ? { signal: callSig } : {}) }),
            () => Math.ceil((system.length + user.length) / 4),
          ),
        retry,
        stats,
        callSig,
      );
    };
    // Under batching the verdict waits for the judges' batch (the case id is every judge's seed: the custom id
    // adds the judge's profile).
    const collector = activeCollector();
    const batched = collector?.applies(judge)
      ? () => collector.call({ caseId: seed, role: "judge", profile: judge, request, retry, live })
      : undefined;
    const call = await cachedCall(
      cache?.settings,
      "judge",
      parts || {},
      batched ?? live,
      cache?.stats ?? noStats,
    );
    const tokens = { input: call.inputTokens, output: call.outputTokens };
    // A replayed call costs nothing now: its price is counted as saved instead.
    const price = callCost(judge, call.inputTokens, call.outputTokens, call);
    const cost = call.cached ? 0 : price;
    if (call.cached && cache) cache.stats.costSaved += price;
    const parsed = parseVerdict(call.text, input.dimensions);
    if (!parsed.ok) {
      return {
        judge: judge.key,
        status: "abstained",
        reason: parsed.reason,
        detail: parsed.detail,
        raw: call.text.slice(0, 2000),
        tokens,
        cost,
        sameFamily,
      };
    }
    return {
      judge: judge.key,
      status: "scored",
      scores: parsed.scores,
      rationales: parsed.rationales,
      tokens,
      cost,
      // A batched judge call was not timed: no latency rather than its 0.
      ...(call.batched ? { batched: true } : { latencyMs: call.ttlbMs }),
      sameFamily,
      ...(judge.provider === "mock" ? { simulated: true } : {}),
    };
  } catch (err) {
    signal?.throwIfAborted();
    return {
      judge: judge.key,
      status: "abstained",
      // A content filter or safety stop that blocked the verdict is the judge refusing, not failing.
      reason: err instanceof ProviderError && err.kind === "refused" ? "refused" : "provider_error",
      detail: err instanceof Error ? err.message : String(err),
      cost: 0,
      sameFamily,
    };
  }
}
