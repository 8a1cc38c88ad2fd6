import { setTimeout as sleep } from "node:timers/promises";
import { boundedMemo } from "../bounded-memo.ts";
import { seededRandom } from "../metrics/random.ts";
import { judgeAnswer } from "../simulator/judge-answer.ts";
import {
  answerWithToolResults,
  exampleForSchema,
  type ScriptedStep,
  type ScriptMessage,
  scriptedStep,
} from "../simulator/tool-script.ts";
import type {
  GenerateRequest,
  MockSettings,
  ModelProfile,
  Provider,
  StreamEvent,
  ToolCall,
} from "../types.ts";
import { ProviderError } from "./errors.ts";

export const MOCK_DEFAULTS: MockSettings = { quality: 0.9, ttftMs: 150, tokensPerS: 80, errorRate: 0 };

/** Words a `mock/` model says instead of the golden answer's; none of them is likely to be in one. */
const FILLER =
  "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt labore magna aliqua enim minim veniam quis nostrud exercitation ullamco laboris nisi aliquip commodo consequat".split(
    " ",
  );

/** How often the simulated stream emits a chunk. */
const TICK_MS = 25;

/**
 * The in-process simulated provider. Deterministic by the request's seed (the case id): the same case gives the
 * same answer, timing model and verdicts on every run. As a model, `quality` 1 answers the golden answer exactly,
 * 0 answers unrelated text, in between each word is kept with probability `quality`. As a judge, it scores each
 * dimension from the word overlap of the response with the golden answer: exact → 5, unrelated → 1; a judge
 * answers at once (its latency is not what a benchmark measures) but fails at its `error_rate` like a model.
 * Given tools, it calls them by the simulator's rule (tool-script.ts) and then answers quoting their results; asked
 * for structured output, it answers a JSON value of the schema (`exampleForSchema`).
 */
export const mockProvider: Provider = {
  async *stream(profile: ModelProfile, request: GenerateRequest): AsyncIterable<StreamEvent> {
    const settings = profile.mock ?? MOCK_DEFAULTS;
    // Seeded lazily: hashing the seed is most of a zero-latency call's cost, and only an imperfect answer draws.
    const rng = lazyRandom(`${request.seed}|${profile.key}`);
    const step = request.judging ? undefined : toolStep(request);
    const calls: ToolCall[] =
      step?.kind === "tool_calls"
        ? step.calls.map((c, i) => ({ id: `mock_call_${request.messages.length}_${i}`, ...c }))
        : [];
    const text = request.judging
      ? judgeAnswer(profile.key, request.seed, request.judging)
      : calls.length > 0
        ? ""
        : request.jsonSchema
          ? JSON.stringify(exampleForSchema(request.jsonSchema, profile.model))
          : answerWithToolResults(
              answer(request, settings, rng),
              step?.kind === "answer" ? step.toolResults : [],
            );
    yield { type: "request" };
    // Failures are drawn per attempt, so a retry of a failed call can succeed (deterministically).
    if (
      settings.errorRate > 0 &&
      seededRandom(`${request.seed}|${profile.key}|attempt ${request.attempt ?? 1}`)() < settings.errorRate
    ) {
      await delay(request.judging ? 0 : settings.ttftMs, request.signal);
      throw new ProviderError(
        `simulated error from ${profile.key} (error_rate ${settings.errorRate})`,
        "transient",
        500,
      );
    }
    const inputTokens =
      countTokens(request.system ?? "") + request.messages.reduce((n, m) => n + countTokens(m.content), 0);
    const paced = settings.tokensPerS > 0 && !request.judging;
    // Unpaced (a judge, a zero-latency model), the answer is one chunk: its words counted, not split and joined.
    const tokens = paced ? (text.match(/\S+\s*/g) ?? []) : undefined;
    const outputTokens = tokens ? tokens.length : countWords(text);
    await delay(request.judging ? 0 : settings.ttftMs, request.signal);
    yield { type: "meta" };
    if (!tokens) {
      // The words and the spaces after each: the text from its first word on.
      if (outputTokens > 0) yield { type: "text", text: text.slice(text.search(/\S/)) };
    } else {
      const perTick = Math.max(1, Math.round((settings.tokensPerS * TICK_MS) / 1000));
      // The first token comes alone, then chunks of `perTick`, each sent when its last token is due at the pace
      // from the moment the first one was read: the decode window is (N − 1) ÷ pace, so OTPS is the pace, and a
      // late timer or reader only lengthens the window — chunks never bunch into a burst that would inflate it.
      const first = tokens.length > 1 ? 1 : perTick;
      if (tokens.length > 0) yield { type: "text", text: tokens.slice(0, first).join("") };
      const firstReadAt = performance.now();
      for (let i = first; i < tokens.length; i += perTick) {
        const last = Math.min(i + perTick, tokens.length) - 1;
        await delay(firstReadAt + (last / settings.tokensPerS) * 1000 - performance.now(), request.signal);
        yield { type: "text", text: tokens.slice(i, i + perTick).join("") };
      }
    }
    for (const call of calls) yield { type: "tool_call", call };
    const callTokens = calls.reduce((n, c) => n + countTokens(JSON.stringify(c.arguments)) + 1, 0);
    yield { type: "usage", inputTokens, outputTokens: outputTokens + callTokens };
    yield { type: "finish", reason: calls.length > 0 ? "tool_calls" : "stop" };
  },
};

function answer(request: GenerateRequest, settings: MockSettings, rng: () => number): string {
  const reference = referenceOf(request);
  if (settings.quality >= 1) return reference;
  const words = reference.split(/\s+/).filter(Boolean);
  return words
    .map((w) => (rng() < settings.quality ? w : (FILLER[Math.floor(rng() * FILLER.length)] as string)))
    .join(" ");
}

/** What a perfect mock answers: the golden answer when the prompt carries one, else the last user turn echoed. */
function referenceOf(request: GenerateRequest): string {
  const golden = request.mockGolden;
  if (golden !== undefined && golden.trim() !== "") return golden;
  return request.messages.findLast((m) => m.role === "user")?.content ?? "";
}

/** What the mock model does with the request's tools: the simulator's one rule (tool-script.ts). */
function toolStep(request: GenerateRequest): ScriptedStep | undefined {
  if (!request.tools?.length) return undefined;
  const history = request.messages.map(
    (m): ScriptMessage =>
      m.role === "assistant"
        ? { role: "assistant", text: m.content, toolCalls: (m.toolCalls ?? []).map((c) => c.name) }
        : m.role === "tool"
          ? { role: "tool", text: m.content, toolName: m.name }
          : { role: "user", text: m.content },
  );
  return scriptedStep(
    request.tools.map((t) => t.name),
    history,
    request.toolChoice,
  );
}

/** A random stream seeded on its first draw. */
function lazyRandom(seed: string): () => number {
  let rng: (() => number) | undefined;
  return () => {
    rng ??= seededRandom(seed);
    return rng();
  };
}

/** What JavaScript's `\s` matches: the whitespace between tokens. */
const SPACE = /\s/;

/** Token counts of recent long texts: a case's judges all count the same prompt. */
const countLong = boundedMemo(countWords, 64);

function countTokens(s: string): number {
  return s.length < 64 ? countWords(s) : countLong(s);
}

/** The words of `s` (runs of non-space, as `/\S+/g` finds them), counted without making them. */
function countWords(s: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // ASCII by table, the rest by the regex (rare: NBSP, ideographic space…).
    const space = c < 128 ? c === 32 || (c >= 9 && c <= 13) : SPACE.test(s[i] as string);
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}

async function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms > 0) await sleep(ms, undefined, signal ? { signal } : undefined);
  else signal?.throwIfAborted();
}
