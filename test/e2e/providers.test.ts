// The real Bedrock, OpenAI, Azure, Gemini and Anthropic SDK clients, talking to the local simulator.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { STANDARD_DIMENSIONS } from "../../src/discovery/metric-keys.ts";
import { runJudge } from "../../src/jury/judge.ts";
import { startEvals } from "../../src/node.ts";
import { measureStream } from "../../src/providers/measure-stream.ts";
import { getProvider } from "../../src/providers/registry.ts";
import { type Simulator, startSimulator } from "../../src/simulator/server.ts";
import type { GenerateRequest, ModelProfile, ProviderName } from "../../src/types.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";
import { simulatedProfile, stubProviderCredentials } from "../support/simulated-credentials.ts";
import { capture } from "../support/streams.ts";

const PIXEL = join(import.meta.dirname, "..", "..", "fixtures", "images", "pixel.png");
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 30, tokensPerS: 400, seed: "e2e" });
  // Restored after the file (vi.unstubAllEnvs): other files may share this process.
  stubProviderCredentials();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await sim.close();
});

const profile = (provider: ProviderName, model: string, extra: Partial<ModelProfile> = {}) =>
  simulatedProfile(sim.url, provider, model, extra);
const PROFILES: [string, () => ModelProfile][] = [
  ["openai", () => profile("openai", "gpt-4o-mini")],
  ["azure", () => profile("azure", "my-deployment", { baseUrl: sim.url })],
  ["openai-compatible", () => profile("openai-compatible", "llama3.2")],
  ["gemini", () => profile("gemini", "gemini-2.0-flash")],
  ["anthropic", () => profile("anthropic", "claude-sonnet-4-5")],
  ["bedrock", () => profile("bedrock", "us.amazon.nova-pro-v1:0", { serviceTier: "priority" })],
];

async function call(p: ModelProfile, extra: Partial<GenerateRequest> = {}) {
  const provider = await getProvider(p.provider);
  return measureStream(
    provider.stream(p, {
      messages: [{ role: "user", content: "What is edge computing?" }],
      system: "Be brief.",
      temperature: 0.5,
      maxTokens: 200,
      seed: "s",
      ...extra,
    }),
    () => 0,
  );
}

describe.each(PROFILES)("%s SDK against the simulator", (_name, make) => {
  it("streams text and usage, with TTFT after the first chunk", async () => {
    const p = make();
    const res = await call(p);
    expect(res.text).toBe(`Simulated answer from ${p.model}. You asked: What is edge computing?`);
    expect(res.tokensEstimated).toBe(false);
    expect(res.outputTokens).toBe(res.text.split(" ").length);
    expect(res.inputTokens).toBe(6);
    expect(res.ttftMs).toBeGreaterThanOrEqual(25);
    expect(res.ttlbMs).toBeGreaterThanOrEqual(res.ttftMs ?? 0);
    if (p.provider === "bedrock") expect(res.serviceTierServed).toBe("priority");
  });

  it("answers without streaming", async () => {
    const p = make();
    const res = await call(p, { stream: false });
    expect(res.text).toBe(`Simulated answer from ${p.model}. You asked: What is edge computing?`);
    expect(res.outputTokens).toBe(res.text.split(" ").length);
  });

  it("sends an image in the provider's native format, intact", async () => {
    const bytes = readFileSync(PIXEL);
    const res = await call(make(), { image: PIXEL });
    expect(res.text).toContain(
      `[image image/png ${bytes.length} bytes sha256:${createHash("sha256").update(bytes).digest("hex").slice(0, 12)}]`,
    );
  });

  it("judges with structured output: an exact answer scores 5 on every dimension", async () => {
    const judge = make();
    const candidate = profile("openai", "gpt-4o");
    const golden = "Edge computing processes data near where it is produced.";
    const verdict = await runJudge(
      judge,
      candidate,
      {
        taskType: "QA",
        criteria: "c",
        prompt: "What is edge computing?",
        golden,
        response: golden,
        dimensions: STANDARD_DIMENSIONS,
      },
      "seed",
    );
    expect(verdict.status).toBe("scored");
    if (verdict.status !== "scored") return;
    expect(Object.values(verdict.scores)).toEqual([5, 5, 5, 5, 5, 5]);
    expect(verdict.tokens.output).toBeGreaterThan(0);
    expect(verdict.cost).toBeGreaterThan(0);
    expect(verdict.sameFamily).toBe(judge.provider === "openai" || judge.provider === "azure");
  });
});

describe("errors from the simulator", () => {
  it("a 429 becomes a throttling ProviderError with the Retry-After, and no key leaks", async () => {
    const faulty = await startSimulator({ faultRate: 1, seed: "throttle-first", ttftMs: 0 });
    try {
      const kinds = new Set<string>();
      for (let i = 0; i < 12; i++) {
        const p = { ...profile("openai", "gpt-4o-mini"), baseUrl: `${faulty.url}/v1` };
        const err = await call(p).then(
          () => undefined,
          (e: unknown) => e as { kind?: string; message: string },
        );
        if (err) {
          kinds.add(err.kind ?? "none");
          expect(err.message).not.toContain("sk-simulated-openai-key-000");
        }
      }
      expect([...kinds].every((k) => k === "throttling" || k === "transient")).toBe(true);
      expect(Object.values(faulty.stats.faults).reduce((a, b) => a + (b ?? 0), 0)).toBe(12);
    } finally {
      await faulty.close();
    }
  });
});

describe("a full run on real SDKs", () => {
  it("runs OpenAI and Bedrock targets judged by Gemini, Bedrock and OpenAI judges through Piscina workers", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": [
        {
          model_id: "openai/gpt-4o-mini",
          base_url: `${sim.url}/v1`,
          input_token_cost: 0.00015,
          output_token_cost: 0.0006,
        },
        {
          model_id: "bedrock/us.amazon.nova-lite-v1:0",
          region: "us-west-2",
          base_url: sim.url,
          service_tier: "flex",
          input_token_cost: 0.00006,
          output_token_cost: 0.00024,
        },
      ]
        .map((x) => JSON.stringify(x))
        .join("\n"),
      "config/judge_profiles.jsonl": [
        {
          model_id: "gemini/gemini-2.0-flash",
          base_url: sim.url,
          input_cost_per_1k: 0.0001,
          output_cost_per_1k: 0.0004,
        },
        {
          model_id: "bedrock/us.anthropic.claude-3-7-sonnet-20250219-v1:0",
          region: "us-west-2",
          base_url: sim.url,
          input_cost_per_1k: 0.003,
          output_cost_per_1k: 0.015,
        },
        {
          model_id: "openai/gpt-4o",
          base_url: `${sim.url}/v1`,
          input_cost_per_1k: 0.0025,
          output_cost_per_1k: 0.01,
        },
      ]
        .map((x) => JSON.stringify(x))
        .join("\n"),
      "evals/sim.eval.jsonl": JSON.stringify({
        text_prompt: "Say hello.",
        expected_output_tokens: 50,
        task: { task_type: "Greeting", task_criteria: "friendly" },
        golden_answer: "Hello there!",
      }),
    });
    const sink = new Writable({ write: (_c, _e, cb) => cb() });
    const { report, results: reader } = await startEvals({ root, stdout: sink, stderr: sink });
    const results = await reader.all();
    expect(results).toHaveLength(2);
    for (const r of results) {
      expect(r.state === "passed" || r.state === "failed").toBe(true);
      expect(r.jury?.verdicts.map((v) => v.status)).toEqual(["scored", "scored", "scored"]);
      expect(r.metrics?.simulated).toBe(false);
      expect(r.metrics?.responseCost).toBeGreaterThan(0);
      expect(r.metrics?.judgeCost).toBeGreaterThan(0);
    }
    const bedrock = results.find((r) =>
      report.cases.find((c) => c.id === r.caseId)?.model.startsWith("bedrock/"),
    );
    expect(bedrock?.metrics).toMatchObject({
      serviceTierRequested: "flex",
      serviceTierServed: "flex",
      region: "us-west-2",
    });
    expect(JSON.stringify(report)).not.toContain("simulated-secret-key");
  });
});

describe("vision", () => {
  it("records an image sent to a model without vision as the seed does, and the run goes on", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": [
        { model_id: "openai/text-only-model", base_url: `${sim.url}/v1` },
        { model_id: "gemini/gemini-2.0-flash", base_url: sim.url },
      ]
        .map((x) => JSON.stringify(x))
        .join("\n"),
      "config/judge_profiles.jsonl": JSON.stringify({ model_id: "mock/judge" }),
      "evals/img/vision.eval.jsonl": JSON.stringify({
        text_prompt: "Describe the image.",
        task: { task_type: "Vision", task_criteria: "c" },
        golden_answer: "A pixel.",
        url_image: "../pixel.png",
      }),
      "evals/pixel.png": readFileSync(PIXEL),
    });
    const sink = new Writable({ write: (_c, _e, cb) => cb() });
    const { report, results } = await startEvals({ root, stdout: sink, stderr: sink, minPassRate: 0 });
    const byModel = new Map(
      (await results.all()).map((r) => [report.cases.find((c) => c.id === r.caseId)?.model, r]),
    );
    const textOnly = byModel.get("openai/text-only-model");
    expect(textOnly?.state).toBe("errored");
    expect(textOnly?.error?.message).toMatch(
      /^Model 'openai\/text-only-model' does not support vision capabilities \(/,
    );
    expect(textOnly?.error?.classification).toBe("api_failure");
    const vision = byModel.get("gemini/gemini-2.0-flash");
    expect(vision?.output).toContain("[image image/png 70 bytes");
  });
});

describe("preflight access check", () => {
  const setup = (judges: object[]) =>
    createFixtureProject({
      "config/models_profiles.jsonl": [
        { model_id: "openai/gpt-4o-mini", base_url: `${sim.url}/v1` },
        { model_id: "bedrock/unknown-model-v1:0", region: "eu-west-1", base_url: sim.url },
      ]
        .map((x) => JSON.stringify(x))
        .join("\n"),
      "config/judge_profiles.jsonl": judges.map((x) => JSON.stringify(x)).join("\n"),
      "evals/p.eval.jsonl": JSON.stringify({
        text_prompt: "Hi",
        task: { task_type: "T", task_criteria: "c" },
        golden_answer: "Hello",
      }),
    });

  it("drops an unreachable target with a warning and runs the rest", async () => {
    const root = setup([{ model_id: "mock/judge" }]);
    const out = capture();
    const err = capture();
    const { report } = await startEvals({ root, stdout: out.stream, stderr: err.stream, minPassRate: 0 });
    expect(report.cases.map((c) => c.model)).toEqual(["openai/gpt-4o-mini"]);
    expect(out.text()).toMatch(
      /Access check\n\s+openai\/gpt-4o-mini\s+model\s+✓ \d+ms\n\s+bedrock\/unknown-model-v1:0@eu-west-1\s+model\s+✗ unknown model \(or not offered in eu-west-1\)/,
    );
    expect(err.text()).toContain(
      "warning: model bedrock/unknown-model-v1:0@eu-west-1 is not reachable and its cases are dropped",
    );
  });

  it("refuses to run with --strict (exit 2, nothing run)", async () => {
    const root = setup([{ model_id: "mock/judge" }]);
    const sink = capture();
    await expect(
      startEvals({ root, stdout: sink.stream, stderr: sink.stream, strict: true }),
    ).rejects.toThrow(/^--strict: unreachable models: bedrock\/unknown-model-v1:0@eu-west-1 \(unknown model/);
  });

  it("a check that fails while the worker threads warm up stops the CLI: exit 2, the reason, no run written", async () => {
    // The probes run in a worker thread, beside the threads' warm-up of the plan's providers (OpenAI, Gemini).
    const root = setup([{ model_id: "gemini/unknown-model-pro", base_url: sim.url }]);
    const run = await runCli(root, ["--min-pass-rate", "0"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no judge is reachable: gemini\/unknown-model-pro \(unknown model/);
    expect(run.stdout).toMatch(/Access check\n\s+openai\/gpt-4o-mini\s+model\s+✓ \d+ms/);
    expect(existsSync(join(root, "outputs"))).toBe(false);
  });

  it("refuses to run when no judge is reachable", async () => {
    const root = setup([{ model_id: "gemini/unknown-model-pro", base_url: sim.url }]);
    const sink = capture();
    await expect(startEvals({ root, stdout: sink.stream, stderr: sink.stream })).rejects.toThrow(
      /^no judge is reachable: gemini\/unknown-model-pro \(unknown model/,
    );
  });
});

describe("servers that send no usage", () => {
  it.each([true, false])("estimates tokens and flags them (stream: %s)", async (stream) => {
    const res = await call(profile("openai-compatible", "no-usage-llm"), { stream });
    expect(res.text).toBe("Simulated answer from no-usage-llm. You asked: What is edge computing?");
    expect(res.tokensEstimated).toBe(true);
    expect(res.outputTokens).toBe(Math.ceil(res.text.length / 4));
  });
});

describe("OptimizePrompt (Bedrock Agent Runtime SDK against the simulator)", () => {
  it("streams an analysis and the optimized prompt; refuses an unsupported target", async () => {
    const { BedrockAgentRuntimeClient, OptimizePromptCommand } = await import(
      "@aws-sdk/client-bedrock-agent-runtime"
    );
    const client = new BedrockAgentRuntimeClient({ region: "us-east-1", endpoint: sim.url, maxAttempts: 1 });
    const res = await client.send(
      new OptimizePromptCommand({
        input: { textPrompt: { text: "Summarize this." } },
        targetModelId: "us.amazon.nova-pro-v1:0",
      }),
    );
    const events: string[] = [];
    for await (const ev of res.optimizedPrompt ?? []) {
      if (ev.analyzePromptEvent) events.push(`analysis: ${ev.analyzePromptEvent.message}`);
      if (ev.optimizedPromptEvent)
        events.push(`optimized: ${ev.optimizedPromptEvent.optimizedPrompt?.textPrompt?.text}`);
    }
    expect(events).toEqual([
      "analysis: The prompt is clear; it would benefit from explicit output instructions for us.amazon.nova-pro-v1:0 (simulated).",
      "optimized: ## Task\nSummarize this.\n\n## Instructions\nAnswer precisely, completely and in the requested format.",
    ]);
    await expect(
      client.send(
        new OptimizePromptCommand({ input: { textPrompt: { text: "x" } }, targetModelId: "unknown-model" }),
      ),
    ).rejects.toMatchObject({ name: "ValidationException" });
  });
});
