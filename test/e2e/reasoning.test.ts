// Reasoning models through the real OpenAI, Bedrock, Gemini and Anthropic SDKs against the simulator: the thinking is timed
// (TTFR), counted and kept apart from the answer, which alone is timed as TTFT and handed to the judges.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { stripVTControlCharacters } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startEvals } from "../../src/node.ts";
import { measureStream } from "../../src/providers/measure-stream.ts";
import { getProvider } from "../../src/providers/registry.ts";
import { simulatedReasoning } from "../../src/simulator/respond.ts";
import { type Simulator, startSimulator } from "../../src/simulator/server.ts";
import type { CaseMetrics, ModelProfile, ProviderName } from "../../src/types.ts";
import { HAS_CHROMIUM, launchChromium } from "../support/chromium.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { simulatedProfile, stubProviderCredentials } from "../support/simulated-credentials.ts";
import { capture } from "../support/streams.ts";

// 200 reasoning tokens at 400 tok/s, 10 a chunk: the first answer chunk is served 20 ticks (500 ms) after the
// first reasoning chunk, itself served 60 ms after the request arrived.
const TTFT = 60;
const REASONING_TOKENS = 200;
const GAP = 500;
// The SDK's parsing, a busy 2-core machine's scheduling (load average 18 seen): measured times trail served ones
// by this much at most. Half the gap: a TTFT taken at the thinking's first token could not pass for the answer's.
const SLACK = 250;
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ ttftMs: TTFT, tokensPerS: 400, seed: "reasoning", recordTtft: true });
  stubProviderCredentials();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await sim.close();
});

const profile = (provider: ProviderName, model: string, extra: Partial<ModelProfile> = {}) =>
  simulatedProfile(sim.url, provider, model, extra);

// Each wire format's own reasoning field; `reasons`: the usage reports the reasoning tokens apart.
const CASES: { name: string; make: () => ModelProfile; reports: boolean }[] = [
  {
    name: "openai-compatible, reasoning_content (vLLM, DeepSeek)",
    make: () => profile("openai-compatible", `qwq-reasoning-${REASONING_TOKENS}`),
    reports: true,
  },
  {
    name: "openai-compatible, reasoning (Ollama)",
    make: () => profile("openai-compatible", `ollama-reasoning-${REASONING_TOKENS}`),
    reports: true,
  },
  { name: "openai", make: () => profile("openai", `o-reasoning-${REASONING_TOKENS}`), reports: true },
  {
    name: "azure",
    make: () => profile("azure", `o-reasoning-${REASONING_TOKENS}`, { baseUrl: sim.url }),
    reports: true,
  },
  { name: "gemini", make: () => profile("gemini", `gemini-reasoning-${REASONING_TOKENS}`), reports: true },
  // Extended thinking, turned on by the profile's budget: thinking_delta events, thinking_tokens in the usage.
  {
    name: "anthropic",
    make: () => profile("anthropic", `claude-reasoning-${REASONING_TOKENS}`, { thinkingBudgetTokens: 1024 }),
    reports: true,
  },
  // Bedrock's usage has no reasoning split: the count is estimated from the text, within the output tokens.
  {
    name: "bedrock",
    make: () => profile("bedrock", `us.anthropic.claude-reasoning-${REASONING_TOKENS}`),
    reports: false,
  },
];

async function call(p: ModelProfile, prompt: string, stream = true) {
  const provider = await getProvider(p.provider);
  return measureStream(
    provider.stream(p, {
      messages: [{ role: "user", content: prompt }],
      temperature: 0.5,
      maxTokens: 200,
      seed: "s",
      stream,
    }),
    () => 0,
  );
}

describe.each(CASES)("reasoning model: $name", ({ make, reports }) => {
  it("times the first reasoning token as TTFR and the first answer token as TTFT, as the simulator served them", async () => {
    const p = make();
    const prompt = `Why is the sky blue? (${p.key})`;
    const res = await call(p, prompt);
    const servedTtfr = sim.stats.servedTtfrMs?.[prompt] as number;
    const servedTtft = sim.stats.servedTtftMs?.[prompt] as number;
    // Chunks are due at fixed times from the request's arrival; a timer may fire late, never more than 2 ms early.
    expect(servedTtfr).toBeGreaterThanOrEqual(TTFT - 2);
    expect(servedTtft).toBeGreaterThanOrEqual(TTFT + GAP - 2);

    // The answer alone is the text; the thinking is kept apart, whole.
    expect(res.text).toBe(`Simulated answer from ${p.model}. You asked: ${prompt}`);
    expect(res.reasoning).toBe(simulatedReasoning(p.model));
    expect(res.text).not.toContain("step by step");

    const { ttfrMs, ttftMs } = res as { ttfrMs: number; ttftMs: number };
    // The client sees each chunk after the simulator wrote it (timers may fire 2 ms early), and not long after.
    expect(ttfrMs).toBeGreaterThanOrEqual(servedTtfr - 2);
    expect(ttfrMs).toBeLessThan(servedTtfr + SLACK);
    expect(ttftMs).toBeGreaterThanOrEqual(servedTtft - 2);
    expect(ttftMs).toBeLessThan(servedTtft + SLACK);
    // The gap between them is the reasoning phase the simulator served.
    expect(ttftMs - ttfrMs).toBeGreaterThan(servedTtft - servedTtfr - SLACK);
    expect(ttftMs - ttfrMs).toBeLessThan(servedTtft - servedTtfr + SLACK);
    expect(res.ttlbMs).toBeGreaterThanOrEqual(ttftMs);

    // Reasoning tokens are part of the billed output tokens, and counted apart.
    const answerTokens = res.text.split(" ").length;
    expect(res.outputTokens).toBe(answerTokens + REASONING_TOKENS);
    if (reports) {
      expect(res.reasoningTokens).toBe(REASONING_TOKENS);
      expect(res.tokensEstimated).toBe(false);
    } else {
      // The reported output split by characters: near the count served, not exact.
      const chars = (res.reasoning as string).length;
      expect(res.reasoningTokens).toBe(Math.round((res.outputTokens * chars) / (chars + res.text.length)));
      expect(Math.abs((res.reasoningTokens as number) - REASONING_TOKENS)).toBeLessThan(
        REASONING_TOKENS / 10,
      );
      expect(res.tokensEstimated).toBe(true);
    }
  });

  it("keeps the reasoning of a non-streamed call apart from its answer", async () => {
    const p = make();
    const prompt = `Why is grass green? (${p.key})`;
    const res = await call(p, prompt, false);
    expect(res.text).toBe(`Simulated answer from ${p.model}. You asked: ${prompt}`);
    expect(res.reasoning).toBe(simulatedReasoning(p.model));
    expect(res.outputTokens).toBe(res.text.split(" ").length + REASONING_TOKENS);
    if (reports) expect(res.reasoningTokens).toBe(REASONING_TOKENS);
  });
});

describe("a model that does not reason", () => {
  it("has no TTFR, no reasoning and no reasoning tokens", async () => {
    const res = await call(profile("openai-compatible", "llama3.2"), "Plain question.");
    expect(res.ttftMs).toBeGreaterThanOrEqual(TTFT - 2);
    expect(res.ttfrMs).toBeUndefined();
    expect(res.reasoning).toBeUndefined();
    expect(res.reasoningTokens).toBeUndefined();
    expect(sim.stats.servedTtfrMs?.["Plain question."]).toBeUndefined();
  });
});

describe("a run of a reasoning model, judged by a reasoning judge", () => {
  it("records TTFR, reasoning tokens and the thinking in the result, summary, console and HTML; the jury sees the answer only", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": JSON.stringify({
        model_id: `openai-compatible/qwq-reasoning-${REASONING_TOKENS}`,
        base_url: `${sim.url}/v1`,
        input_token_cost: 0.001,
        output_token_cost: 0.002,
      }),
      // A judge that reasons too, and quotes back the response it was given in its rationales.
      "config/judge_profiles.jsonl": JSON.stringify({
        model_id: "gemini/quote-response-reasoning-30",
        base_url: sim.url,
        input_cost_per_1k: 0.0001,
        output_cost_per_1k: 0.0004,
      }),
      "evals/think.eval.jsonl": JSON.stringify({
        text_prompt: "Think, then say hello.",
        task: { task_type: "Greeting", task_criteria: "friendly" },
        golden_answer: "Hello there!",
      }),
    });
    const out = capture();
    const { report, results: reader } = await startEvals({
      root,
      reporters: ["default", "html"],
      stdout: out.stream,
      stderr: out.stream,
    });
    const [r] = await reader.all();
    const model = `qwq-reasoning-${REASONING_TOKENS}`;
    const answer = `Simulated answer from ${model}. You asked: Think, then say hello.`;
    expect(r?.output).toBe(answer);
    expect(r?.reasoning).toBe(simulatedReasoning(model));
    const m = r?.metrics as CaseMetrics;
    // Timed in a worker thread: against what the simulator served for this prompt, with the same margins.
    const servedTtfr = sim.stats.servedTtfrMs?.["Think, then say hello."] as number;
    const servedTtft = sim.stats.servedTtftMs?.["Think, then say hello."] as number;
    expect(m.ttfrMs).toBeGreaterThanOrEqual(servedTtfr - 2);
    expect(m.ttfrMs).toBeLessThan(servedTtfr + SLACK);
    expect(m.ttftMs).toBeGreaterThanOrEqual(servedTtft - 2);
    expect(m.ttftMs).toBeLessThan(servedTtft + SLACK);
    expect((m.ttftMs as number) - (m.ttfrMs as number)).toBeGreaterThan(GAP - SLACK);
    expect(m.reasoningTokens).toBe(REASONING_TOKENS);
    expect(m.outputTokens).toBe(answer.split(" ").length + REASONING_TOKENS);
    // Reasoning tokens are billed as output.
    expect(m.responseCost).toBeCloseTo((m.inputTokens * 0.001 + m.outputTokens * 0.002) / 1000, 12);

    // The judge was given the answer, never the thinking (its own thinking is not read as its verdict either).
    const verdict = r?.jury?.verdicts[0];
    expect(verdict?.status).toBe("scored");
    const rationales = Object.values(verdict?.status === "scored" ? verdict.rationales : {});
    expect(rationales.length).toBeGreaterThan(0);
    for (const why of rationales) expect(why).toBe(`You wrote: ${answer}`);

    const overall = report.summaries.overall;
    expect(overall.reasoningTokens).toBe(REASONING_TOKENS);
    expect(overall.ttfrMs?.p50).toBe(m.ttfrMs);
    // Colours follow the environment (on under CI=true): the line is read without them.
    expect(stripVTControlCharacters(out.text())).toMatch(
      new RegExp(`Reasoning\\s+${REASONING_TOKENS} of ${m.outputTokens} output tokens · TTFR p50 \\d+ms`),
    );

    const html = join(root, "outputs", "report.html");
    expect(readFileSync(html, "utf8")).toContain("Let me think this through");
    if (!HAS_CHROMIUM) return;
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(html).href);
      await page.click('#cases-body tr[data-case="0"]');
      expect(await page.textContent("#case-detail pre.output")).toBe(answer);
      expect(await page.textContent("#case-detail pre.reasoning")).toBe(simulatedReasoning(model));
      const detail = (await page.textContent("#case-detail")) ?? "";
      expect(detail).toContain(`Reasoning tokens (in the output)${REASONING_TOKENS}`);
      // The page shows whole ms of the report's stored (rounded) figure: within 1 ms of the result's.
      const shown = /Time to first reasoning token(\d+) ms/.exec(detail)?.[1];
      expect(Math.abs(Number(shown) - (m.ttfrMs as number))).toBeLessThanOrEqual(1);
    } finally {
      await browser.close();
    }
  });
});
