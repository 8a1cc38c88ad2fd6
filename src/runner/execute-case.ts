import { setMaxListeners } from "node:events";
import { dirname, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { activeCollector } from "../batch/collector.ts";
import { declarativeChecks } from "../declarative-checks.ts";
import { importEvalFile } from "../discovery/collect.ts";
import { resolveDimensions } from "../discovery/metric-keys.ts";
import { schemaProblem, validateJsonText } from "../json-schema.ts";
import { aggregateVerdicts } from "../jury/aggregate.ts";
import { runJudge } from "../jury/judge.ts";
import { type JudgePromptInput, judgePromptVersion } from "../jury/prompt.ts";
import { callCost } from "../metrics/cost.ts";
import { plural } from "../number-text.ts";
import { DEFAULT_MAX_TOKENS } from "../plan/expand.ts";
import { ProviderError } from "../providers/errors.ts";
import { type MeasuredCall, measureStream } from "../providers/measure-stream.ts";
import { acquire } from "../providers/rate-limit.ts";
import { getProvider } from "../providers/registry.ts";
import { type RetryStats, withRetry } from "../providers/retry.ts";
import { type CacheStats, cachedCall } from "../store/cache.ts";
import type {
  CaseMetrics,
  CaseResult,
  CaseTask,
  ChatMessage,
  CheckResult,
  ConversationTurn,
  EvalDefinitionInput,
  EvalScenario,
  FailureReason,
  GenerateOptions,
  GenerateRequest,
  ModelProfile,
  Scenario,
  UnprocessedClass,
  Verdict,
} from "../types.ts";
import { abandonOnAbort } from "./abandon-on-abort.ts";
import { errored, serializeError } from "./case-errors.ts";
import { caseMetrics, caseReasoning, turnMetrics } from "./case-metrics.ts";
import { answerToolCall, type ExchangeRecord, type ExchangeRequest, runExchange } from "./run-exchange.ts";
import { type TaskOutput, taskOutput } from "./task-output.ts";

/**
 * Runs one case: task → provider (measured) → checks → jury → CaseResult. Never rejects for a case-level
 * failure: an API error, a throwing task or a jury without quorum is an `errored` result. Every phase is bounded
 * by the case deadline (`--case-timeout`): a task or check that never settles is abandoned and the case errored.
 * `given.definition` (jury/vitest) is used instead of importing the case's eval file.
 */
export async function executeCase(
  task: CaseTask,
  signal?: AbortSignal,
  given?: { definition: EvalDefinitionInput },
): Promise<CaseResult> {
  // The case's call deadlines end with it: a pending timer would keep its signals alive for `timeoutMs`, a
  // listener on a long-lived signal for ever.
  const ends = new Set<() => void>();
  try {
    return await runCaseBounded(task, ends, signal, given);
  } finally {
    for (const end of ends) end();
  }
}

async function runCaseBounded(
  task: CaseTask,
  ends: Set<() => void>,
  signal?: AbortSignal,
  given?: { definition: EvalDefinitionInput },
): Promise<CaseResult> {
  const { case: record, scenario, model } = task;
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const calls: MeasuredCall[] = [];
  const cacheStats: CacheStats = {
    hits: 0,
    timeSavedMs: 0,
    tokensSaved: { input: 0, output: 0 },
    costSaved: 0,
  };
  let sentImage = false;
  // A whole-case deadline (task, checks and jury), and a per-call one inside it.
  const caseSignal =
    anySignal(signal, task.caseTimeoutMs > 0 ? caseDeadline(task.caseTimeoutMs, ends) : undefined) ??
    new AbortController().signal;
  // Each call in flight listens on the case's signal (removed when the case ends, see `ends`). Without a case
  // deadline (--case-timeout 0, or batching) that signal is the run's, shared by every case in flight: as many
  // listeners as calls in flight is expected there, not a leak to warn about.
  setMaxListeners(0, caseSignal);
  const deadlines: { call?: Deadline } = {};
  // Not AbortSignal.timeout + AbortSignal.any: those stay alive long after the call (~1.2 KB a call, found at 1M
  // cases); a controller aborted by a timer or by the case holds nothing once the case ends.
  const callSignal = () => {
    const deadline: Deadline = { aborted: false };
    const call = new AbortController();
    const timer = setTimeout(() => {
      const reason = timeoutReason();
      deadline.aborted = true;
      deadline.reason = reason;
      call.abort(reason);
    }, task.timeoutMs);
    timer.unref?.();
    const onCaseAbort = () => call.abort(caseSignal.reason);
    if (caseSignal.aborted) onCaseAbort();
    else caseSignal.addEventListener("abort", onCaseAbort, { once: true });
    ends.add(() => {
      clearTimeout(timer);
      caseSignal.removeEventListener("abort", onCaseAbort);
    });
    deadlines.call = deadline;
    return call.signal;
  };
  /** A judge's signal: no per-call deadline while it waits for a batch (a batch may take hours). */
  const judgeSignal = (judge: ModelProfile) =>
    activeCollector()?.applies(judge) ? caseSignal : callSignal();
  /** User code (and our calls) as a promise that rejects when the case deadline passes, settled or not. */
  const bounded = <T>(run: () => T | Promise<T>): Promise<T> =>
    abandonOnAbort((async () => run())(), caseSignal);
  let callsInFlight = 0;
  const retry: RetryStats & {
    throttleWaitMs: number;
    throttled: number;
    firstRequestAt?: number;
    lastRequestAt?: number;
  } = {
    attempts: 0,
    retries: 0,
    backoffMs: 0,
    throttleWaitMs: 0,
    throttled: 0,
  };

  // Local image paths are relative to the eval file; URLs pass through.
  const resolveImage = (raw: string) => {
    sentImage = true;
    return /^https?:\/\//i.test(raw) ? raw : resolve(dirname(task.evalRef.absFile), raw);
  };

  let issued = 0;
  /** One measured, cached, retried model call. */
  const callModel = async (
    request: ExchangeRequest,
    sampling: { temperature?: number; maxTokens?: number } = {},
  ): Promise<MeasuredCall> => {
    // Counted before any await: calls a task starts at once get distinct batch custom ids, in the order it asked.
    const index = issued++;
    const provider = await getProvider(model.provider);
    const { system, image, messages } = request;
    const temperature = sampling.temperature ?? record.temperature;
    const maxTokens = sampling.maxTokens ?? scenario.maxTokens ?? DEFAULT_MAX_TOKENS;
    const last = messages.at(-1);
    const prompt = last?.content ?? "";
    // A conversation, tools or a schema are part of the key only when there are some: the keys of one-prompt
    // calls stay what they were.
    const onePrompt = messages.length === 1 && last?.role === "user" && last.image === undefined;
    // What the request asks beyond one prompt, sent and keyed alike.
    const asks = {
      ...(request.tools === undefined ? {} : { tools: request.tools }),
      ...(request.toolChoice === undefined ? {} : { toolChoice: request.toolChoice }),
      ...(request.jsonSchema === undefined ? {} : { jsonSchema: request.jsonSchema }),
    };
    // The call cache's key parts, made only when there is a cache to key.
    const cacheParts = task.cache && {
      provider: model.provider,
      model: model.model,
      baseUrl: model.baseUrl ?? null,
      region: model.region ?? null,
      serviceTier: model.serviceTier ?? null,
      // Only when set: the keys of calls cached before this field existed stay the same.
      ...(model.thinkingBudgetTokens === undefined
        ? {}
        : { thinkingBudgetTokens: model.thinkingBudgetTokens }),
      system: system ?? null,
      prompt,
      image: image ?? null,
      // A turn's replay data (thinking signatures) follows from the calls before it: keys stay what they were.
      ...(onePrompt
        ? {}
        : { messages: messages.map((m) => (m.role === "assistant" ? withoutReplay(m) : m)) }),
      ...asks,
      temperature,
      maxTokens,
      stream: task.stream,
      invocation: record.invocation,
      experiment: record.experiment,
      call: calls.length,
    };
    callsInFlight++;
    const seed = `${record.id}#${calls.length}`;
    // What the call sends, live or batched.
    const sent: GenerateRequest = {
      ...(system === undefined ? {} : { system }),
      messages,
      temperature,
      maxTokens,
      ...(image === undefined ? {} : { image }),
      ...asks,
      stream: task.stream,
      seed,
      ...(request.mockGolden === undefined ? {} : { mockGolden: request.mockGolden }),
    };
    const live = () =>
      withRetry(
        async (attempt) => {
          // Every attempt is a request: it waits for its turn under target_rpm, outside the timed call.
          const waited = await acquire(task.rateLimit, caseSignal);
          if (waited > 0) {
            retry.throttled++;
            retry.throttleWaitMs += waited;
          }
          const at = Date.now();
          retry.firstRequestAt ??= at;
          retry.lastRequestAt = at;
          return measureStream(provider.stream(model, { ...sent, attempt, signal: callSignal() }), () =>
            Math.ceil(((system ?? "").length + messages.reduce((n, m) => n + m.content.length, 0)) / 4),
          ).catch((err: unknown) => {
            // This attempt's own deadline (not the case's, not Ctrl-C): a timeout, which is retried.
            const mine = deadlines.call?.aborted && !caseSignal?.aborted;
            throw mine
              ? new ProviderError(`${model.key}: no response within ${task.timeoutMs} ms`, "transient")
              : err;
          });
        },
        task.retry,
        retry,
        caseSignal,
      );
    // Under batching the call waits for its batch (no per-call deadline: a batch may take hours).
    const collector = activeCollector();
    const batched = collector?.applies(model)
      ? () =>
          collector.call({
            caseId: record.id,
            role: "target",
            profile: model,
            request: { ...sent, stream: false, seed: `${record.id}#${index}` },
            retry: task.retry,
            live,
          })
      : undefined;
    const call = await cachedCall(
      task.cache,
      "target",
      cacheParts || {},
      batched ?? live,
      cacheStats,
    ).finally(() => callsInFlight--);
    if (call.cached) cacheStats.costSaved += callCost(model, call.inputTokens, call.outputTokens, call);
    calls.push(call);
    return call;
  };

  // User code sees the scenario's id by the name its rows gave it.
  const evalScenario: EvalScenario = { ...scenario, id: scenario.key };
  // What the exchange recorded (the default task's, or a task's `ctx.generate` with a conversation or tools): its
  // messages, tool calls and each call's turn.
  const exchange: ExchangeRecord = { transcript: [], toolCalls: [] };
  // Each exchange call's user turn, by call: a task may also make one-prompt calls, which have none.
  const turnOf = new WeakMap<MeasuredCall, number>();
  let definition = given?.definition;
  /** The scenario's exchange, or one `ctx.generate` asks for: its tool results the scenario's, then the eval's. */
  const exchangeOf = (
    s: Scenario,
    sampling?: Parameters<typeof callModel>[1],
    toolResults?: GenerateOptions["toolResults"],
  ) =>
    runExchange(
      s,
      {
        call: async (request, turn) => {
          const call = await callModel(request, sampling);
          turnOf.set(call, turn);
          return call;
        },
        answerTool: (call, turn, step) =>
          answerToolCall(
            call,
            toolResults === undefined
              ? { canned: scenario.toolResults, fromEval: definition?.toolResults }
              : { fromEval: toolResults },
            { scenario: evalScenario, turn, step, signal: caseSignal },
            bounded,
          ),
        resolveImage,
      },
      exchange,
    );

  const generate = async (opts: GenerateOptions): Promise<string> => {
    const system = opts.system ?? scenario.system;
    const image = opts.image ?? scenario.image;
    const sampling = {
      ...(opts.temperature === undefined ? {} : { temperature: opts.temperature }),
      ...(opts.maxTokens === undefined ? {} : { maxTokens: opts.maxTokens }),
    };
    if (opts.messages || opts.tools || opts.outputSchema) {
      // The scenario's exchange, run on what the task asks: recorded as the scenario's would be.
      const messages: ConversationTurn[] = [
        ...(opts.messages ?? []),
        ...(opts.prompt === undefined
          ? []
          : [{ role: "user" as const, content: opts.prompt, ...(image ? { image } : {}) }]),
      ];
      const last = messages.at(-1);
      if (last?.role !== "user") throw new Error(NO_PROMPT);
      return exchangeOf(
        {
          ...scenario,
          prompt: last.content,
          system,
          messages,
          turns: undefined,
          tools: opts.tools,
          toolChoice: opts.toolChoice,
          maxToolSteps: opts.maxToolSteps,
          outputSchema: opts.outputSchema,
        },
        sampling,
        opts.toolResults,
      );
    }
    if (opts.prompt === undefined) throw new Error(NO_PROMPT);
    const call = await callModel(
      {
        ...(system === undefined ? {} : { system }),
        messages: [{ role: "user", content: opts.prompt }],
        ...(image ? { image: resolveImage(image) } : {}),
        ...(scenario.golden === undefined ? {} : { mockGolden: scenario.golden }),
      },
      sampling,
    );
    return call.text;
  };

  const metricsNow = (judgeCost: number): CaseMetrics => ({
    ...caseMetrics(task, calls, retry, cacheStats, startedAt, performance.now() - t0, judgeCost),
    ...turnMetrics(
      task,
      calls,
      calls.map((c) => turnOf.get(c)),
      scenario.turns !== undefined,
    ),
  });
  /** The exchange as a result shows it: the transcript when there was more than one prompt and its answer. */
  const exchangeRecorded = (): Pick<CaseResult, "transcript" | "toolCalls"> => ({
    ...(exchange.transcript.filter((m) => m.role !== "system").length > 2
      ? { transcript: exchange.transcript }
      : {}),
    ...(exchange.toolCalls.length > 0 ? { toolCalls: exchange.toolCalls } : {}),
  });

  /** The `errored` result of a phase that threw or ran out of time. */
  const failed = (err: unknown, phase: CasePhase): CaseResult => {
    const timeout = timeoutError(task, caseSignal, deadlines.call, phase);
    let classification: UnprocessedClass;
    if (phase === "the jury") classification = "judge_failure";
    else if (timedOut(caseSignal))
      // Stuck in a model call is the API's failure; stuck anywhere else, in the user's code.
      classification = callsInFlight > 0 ? "api_failure" : "processing_exception";
    else
      classification = err instanceof ProviderError || isAbort(err) ? "api_failure" : "processing_exception";
    return {
      ...errored(
        record.id,
        serializeError(visionError(err, model.key, sentImage) ?? timeout ?? err, classification),
        metricsNow(0),
      ),
      ...exchangeRecorded(),
    };
  };

  // Load every SDK and client this case will use (target and judges) before any call is timed: a lazy load
  // later, in the jury phase, would block the thread and land on the TTFT of other cases in flight.
  await Promise.all(
    [model, ...task.judges].map(async (p) => (await getProvider(p.provider)).prepare?.(p)),
  ).catch(() => undefined);
  // Its output schema too: compiled now (and ajv loaded, the first time in a thread: tens of ms), not once the
  // target has answered, while other cases' calls are in flight. Kept by its text: later cases only look it up.
  if (scenario.outputSchema) schemaProblem(scenario.outputSchema);

  let answer: TaskOutput;
  try {
    answer = await bounded(async () => {
      if (task.evalRef.kind === "ts" && !given) {
        const registered = await importEvalFile(task.evalRef.absFile);
        definition = registered[task.evalRef.index]?.input;
        if (!definition)
          throw new Error(`eval "${task.evalRef.name}" is no longer defined in ${record.file}`);
      }
      return definition?.task
        ? taskOutput(
            await definition.task({
              scenario: evalScenario,
              model: model.key,
              temperature: record.temperature,
              generate,
              signal: caseSignal,
            }),
            task.evalRef.name,
          )
        : { output: await exchangeOf(scenario) };
    });
  } catch (err) {
    return failed(err, "the task");
  }
  const { output, structured } = answer;
  const recorded = exchangeRecorded();
  const structuredOutput = scenario.outputSchema
    ? { structuredOutput: validateJsonText(scenario.outputSchema, output) }
    : {};

  const reasons: FailureReason[] = [];
  const checks: CheckResult[] = [];
  for (const check of [...declarativeChecks(scenario), ...(definition?.checks ?? [])]) {
    let result: CheckResult;
    try {
      const r = await bounded(() =>
        check.run({
          output,
          structured,
          scenario: evalScenario,
          metrics: metricsNow(0),
          toolCalls: exchange.toolCalls,
          ...(recorded.transcript ? { transcript: recorded.transcript } : {}),
          ...structuredOutput,
          signal: caseSignal,
        }),
      );
      result = typeof r === "boolean" ? { name: check.name, passed: r } : { name: check.name, ...r };
    } catch (err) {
      if (caseSignal.aborted) return failed(err, `check "${check.name}"`);
      result = {
        name: check.name,
        passed: false,
        message: `threw: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
    checks.push(result);
    if (!result.passed)
      reasons.push({ kind: "check", check: result.name, message: result.message ?? "failed" });
  }

  const dimensions = resolveDimensions(task.jury.metrics, scenario.metrics);
  // Scripted turns: the last answer is judged, against the last turn's reference when the scenario gives none.
  const judgedGolden = scenario.golden ?? scenario.turns?.at(-1)?.golden;
  const judgeInput: JudgePromptInput = {
    taskType: scenario.taskType,
    criteria: scenario.criteria,
    prompt: scenario.prompt,
    ...(judgedGolden === undefined ? {} : { golden: judgedGolden }),
    response: output,
    dimensions,
    ...recorded,
  };
  let verdicts: Verdict[];
  try {
    verdicts = await bounded(() =>
      Promise.all(
        task.judges.map((judge) =>
          runJudge(
            judge,
            model,
            judgeInput,
            record.id,
            judgeSignal(judge),
            task.retry,
            {
              settings: task.cache,
              stats: cacheStats,
              invocation: record.invocation,
            },
            // A batched judge's call the collector sends live still gets a per-call deadline.
            activeCollector()?.applies(judge) ? callSignal : undefined,
          ),
        ),
      ),
    );
  } catch (err) {
    return failed(err, "the jury");
  }
  const judgeCost = verdicts.reduce((sum, v) => sum + v.cost, 0);
  const metrics = metricsNow(judgeCost);
  const { jury, reasons: juryReasons } = aggregateVerdicts(verdicts, dimensions, {
    rule: task.jury.aggregate,
    threshold: task.threshold,
    quorum: task.jury.quorum,
    promptVersion: judgePromptVersion(judgeInput),
  });

  if (task.judges.length > 0 && !jury.quorumMet) {
    const abstained = verdicts.filter((v) => v.status === "abstained");
    const why = abstained.map(
      (v) =>
        `${v.judge}: ${v.status === "abstained" ? `${v.reason}${v.detail ? ` (${v.detail})` : ""}` : ""}`,
    );
    return {
      caseId: record.id,
      state: "errored",
      reasons,
      output,
      ...caseReasoning(calls),
      metrics,
      jury,
      checks,
      ...recorded,
      ...structuredOutput,
      error: {
        name: "JuryError",
        message: `jury without quorum: ${jury.scored} of ${plural(verdicts.length, "judge")} scored, ${jury.quorum} needed; ${why.join("; ")}`,
        classification: "judge_failure",
      },
    };
  }
  reasons.push(...juryReasons);
  return {
    caseId: record.id,
    state: reasons.length ? "failed" : "passed",
    reasons,
    output,
    ...caseReasoning(calls),
    metrics,
    jury,
    checks,
    ...recorded,
    ...structuredOutput,
  };
}

const NO_PROMPT = "ctx.generate needs a prompt, or messages ending with a user turn";

/** The seed's message for an image sent to a model without vision (the provider's own words are kept after it). */
function visionError(err: unknown, model: string, sentImage: boolean): Error | undefined {
  if (!sentImage || !(err instanceof ProviderError) || err.kind !== "invalid_request") return undefined;
  // "doesn't support image input" is about the model; "unsupported image format" is about the file.
  if (!/image|vision|multimodal/i.test(err.message) || /format|media type|mime/i.test(err.message))
    return undefined;
  return new ProviderError(
    `Model '${model}' does not support vision capabilities (${err.message})`,
    "invalid_request",
    err.status,
  );
}

/**
 * Says which deadline ran out, and which flag sets it, instead of the SDK's "The operation was aborted": the
 * signals tell, whatever shape of error each SDK throws on abort.
 */
function timeoutError(
  task: CaseTask,
  caseSignal: AbortSignal,
  call: Deadline | undefined,
  phase: CasePhase,
): Error | undefined {
  let message: string | undefined;
  if (timedOut(caseSignal))
    message = `the case timed out after ${task.caseTimeoutMs} ms (--case-timeout) during ${phase}`;
  else if (timedOut(call)) message = `the model call timed out after ${task.timeoutMs} ms (--timeout)`;
  if (!message) return undefined;
  const e = new Error(message);
  e.name = "TimeoutError";
  // Where the deadline was noticed says nothing about the user's code: no stack in the result.
  e.stack = "";
  return e;
}

/** What `AbortSignal.timeout` aborts with. */
const timeoutReason = () => new DOMException("The operation was aborted due to timeout", "TimeoutError");

/**
 * A signal that aborts as `AbortSignal.timeout(ms)` does, its timer cleared when the case ends (`ends`):
 * `AbortSignal.timeout`'s stays pending for its whole span (a case's, 10 minutes by default) and costs ~3× as much
 * to make and drop (13 against 5 µs).
 */
function caseDeadline(ms: number, ends: Set<() => void>): AbortSignal {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(timeoutReason()), ms);
  timer.unref?.();
  ends.add(() => clearTimeout(timer));
  return deadline.signal;
}

/** Whether a call's own deadline passed (a flag: an AbortController per call was enough). */
interface Deadline {
  aborted: boolean;
  reason?: unknown;
}

/** Whether a deadline ran out (not Ctrl-C, which aborts with an AbortError). */
function timedOut(s: Deadline | undefined): boolean {
  return s?.aborted === true && (s.reason as Error | undefined)?.name === "TimeoutError";
}

/** Where a case was when it failed, as its timeout message names it. */
type CasePhase = "the task" | "the jury" | `check "${string}"`;

function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((x): x is AbortSignal => x !== undefined);
  return present.length <= 1 ? present[0] : AbortSignal.any(present);
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === "AbortError" || err.name === "TimeoutError");
}

/** An assistant turn as the call cache keys it: without the provider's replay data. */
function withoutReplay(m: Extract<ChatMessage, { role: "assistant" }>): ChatMessage {
  const { replay: _, ...rest } = m;
  return rest;
}
