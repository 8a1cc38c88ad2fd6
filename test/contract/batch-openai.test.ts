// Issue 21, OpenAI Batch API (also Azure OpenAI global batch and an OpenAI-compatible service): the real `openai`
// SDK through our batch adapter against the simulator's files and batches endpoints. Each answer must read back
// as the live non-streamed call reads the same request.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getBatchAdapter } from "../../src/providers/batch/registry.ts";
import { type Simulator, startSimulator } from "../../src/simulator/server.ts";
import type {
  BatchAdapter,
  BatchAnswer,
  BatchItem,
  GenerateRequest,
  ModelProfile,
  ProviderName,
} from "../../src/types.ts";
import { ask, liveAnswer, pollUntilDone, resultsById, submitBatch } from "../support/batch-adapter.ts";
import { simulatedProfile, stubProviderCredentials } from "../support/simulated-credentials.ts";

/** Completes batches at the first poll after 50 ms. */
let sim: Simulator;
/** Fails ~40% of the requests of a first batch (500s), deterministically by custom id. */
let flaky: Simulator;
/** Batches never complete within a test: for running, cancel and find. */
let slow: Simulator;
let adapter: BatchAdapter;

beforeAll(async () => {
  [sim, flaky, slow] = await Promise.all([
    startSimulator({ batchCompleteMs: 50, seed: "batch-openai" }),
    startSimulator({ batchFailRate: 0.4, seed: "batch-openai-flaky" }),
    startSimulator({ batchCompleteMs: 3_600_000, seed: "batch-openai-slow" }),
  ]);
  stubProviderCredentials();
  adapter = (await getBatchAdapter("openai")) as BatchAdapter;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await Promise.all([sim.close(), flaky.close(), slow.close()]);
});

const profileOn = (s: Simulator, provider: ProviderName, model: string): ModelProfile =>
  simulatedProfile(s.url, provider, model, provider === "azure" ? { baseUrl: s.url } : {});

const PIXEL = join(import.meta.dirname, "..", "..", "fixtures", "images", "pixel.png");
const WEATHER = {
  name: "get_weather",
  description: "The current weather in a city.",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};
const SCHEMA = {
  type: "object",
  properties: { city: { type: "string" }, temp_c: { type: "number" } },
  required: ["city", "temp_c"],
};

/** A plain question, an image, a tool call and a structured answer, by custom id. */
const MIXED: Record<string, GenerateRequest> = {
  "case-plain": ask("What is the capital of France?"),
  "case-image": ask("What is in this picture?", { image: PIXEL }),
  "case-tool": ask('What should I wear? Call get_weather {"city": "Paris"} first.', { tools: [WEATHER] }),
  "case-schema": ask("Describe the weather in Paris as JSON.", { jsonSchema: SCHEMA }),
};

/** The requests, by custom id, as one batch under `label`. */
const submit = (profile: ModelProfile, requests: Record<string, GenerateRequest>, label: string) =>
  submitBatch(adapter, profile, Object.entries(requests), label);

/** Batch and live answers agree on everything but the tool calls' ids (they are per conversation step). */
function withoutCallIds(a: BatchAnswer) {
  return { ...a, toolCalls: a.toolCalls?.map(({ id: _id, ...call }) => call) };
}

function answerOf(item: BatchItem | undefined): BatchAnswer {
  if (!item?.ok) throw new Error(`expected an answer, got ${JSON.stringify(item)}`);
  return item.answer;
}

describe.each([
  ["openai", "gpt-4o-mini", "/v1/chat/completions"],
  ["azure", "my-batch-deployment", "/chat/completions"],
  ["openai-compatible", "llama-reasoning-8", "/v1/chat/completions"],
] as const)("%s batch", (provider, model, url) => {
  it("submits, runs and returns each answer by custom id, as the live non-streamed call reads it", async () => {
    const p = profileOn(sim, provider, model);
    const encoded = (await adapter.encode({
      customId: "case-schema",
      profile: p,
      request: MIXED["case-schema"] as GenerateRequest,
    })) as {
      custom_id: string;
      method: string;
      url: string;
      body: Record<string, unknown>;
    };
    // The line carries the live call's body: Azure's deployment as the model, its own path.
    expect(encoded).toMatchObject({
      custom_id: "case-schema",
      method: "POST",
      url,
      body: { model },
    });
    expect(encoded.body).not.toHaveProperty("stream");
    expect(encoded.body[provider === "openai-compatible" ? "max_tokens" : "max_completion_tokens"]).toBe(200);
    if (provider !== "openai-compatible")
      expect(encoded.body.response_format).toMatchObject({
        type: "json_schema",
        json_schema: { schema: SCHEMA },
      });

    const created = sim.stats.batches.created[provider === "azure" ? "azure" : "openai"] ?? 0;
    const handle = await submit(p, MIXED, `run-1-${provider}-targets-0`);
    expect(handle).toMatchObject({ provider, profileKey: p.key, label: `run-1-${provider}-targets-0` });
    expect(handle.id).toMatch(/^batch_/);
    expect(handle.refs?.inputFileId).toMatch(/^file-/);
    // Through the provider's own paths: Azure's under /openai, counted apart.
    expect(sim.stats.batches.created[provider === "azure" ? "azure" : "openai"]).toBe(created + 1);

    const progress = await pollUntilDone(adapter, p, handle);
    expect(progress.at(-1)).toEqual({ state: "ended", done: 4, total: 4 });

    const items = await resultsById(adapter, p, handle);
    expect([...items.keys()].sort()).toEqual(Object.keys(MIXED).sort());
    for (const [customId, request] of Object.entries(MIXED)) {
      const batched = answerOf(items.get(customId));
      expect(withoutCallIds(batched)).toEqual(withoutCallIds(await liveAnswer(p, request)));
      expect(batched.inputTokens).toBeGreaterThan(0);
      expect(batched.outputTokens).toBeGreaterThan(0);
    }
    const plain = answerOf(items.get("case-plain"));
    expect(plain.text).toContain(`Simulated answer from ${model}. You asked: What is the capital of France?`);
    expect(plain.finishReason).toBe("stop");
    // The image went in the line as the live call sends it, intact.
    expect(answerOf(items.get("case-image")).text).toContain(
      `[image image/png ${readFileSync(PIXEL).length} bytes`,
    );
    const tool = answerOf(items.get("case-tool"));
    expect(tool.text).toBe("");
    expect(tool.finishReason).toBe("tool_calls");
    expect(tool.toolCalls).toEqual([
      { id: expect.stringMatching(/^call_[0-9a-f]{16}$/), name: "get_weather", arguments: { city: "Paris" } },
    ]);
    expect(JSON.parse(answerOf(items.get("case-schema")).text)).toEqual({ city: "simulated", temp_c: 1 });
    if (model.includes("reasoning")) {
      // A reasoning model's thinking and its share of the output tokens, as the live call reads them.
      expect(plain.reasoning).toMatch(/\w/);
      expect(plain.reasoningTokens).toBe(8);
    }
  });
});

describe("openai batch: failures", () => {
  it("returns a batch's partial failures as transient, and a batch of only those succeeds", async () => {
    const p = profileOn(flaky, "openai", "gpt-4o-mini");
    const requests = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [`case-${i}`, ask(`Question number ${i}?`)]),
    );
    const first = await submit(p, requests, "run-2-targets-0");
    expect((await pollUntilDone(adapter, p, first)).at(-1)).toEqual({ state: "ended", done: 10, total: 10 });
    const items = await resultsById(adapter, p, first);
    expect(items.size).toBe(10);
    const failed = [...items.values()].filter((i) => !i.ok).map((i) => i.customId);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length).toBeLessThan(10);
    for (const id of failed)
      expect(items.get(id)).toMatchObject({ ok: false, error: { kind: "transient", status: 500 } });

    const again = await submit(
      p,
      Object.fromEntries(failed.map((id) => [id, requests[id] as GenerateRequest])),
      "run-2-targets-1",
    );
    expect((await pollUntilDone(adapter, p, again)).at(-1)?.state).toBe("ended");
    const retried = await resultsById(adapter, p, again);
    expect([...retried.keys()].sort()).toEqual([...failed].sort());
    for (const id of failed)
      expect(answerOf(retried.get(id)).text).toContain(`You asked: Question number ${id.slice(5)}?`);
    for (const id of Object.keys(requests))
      expect(flaky.stats.batches.submitted[id]).toBe(failed.includes(id) ? 2 : 1);
  });

  it("returns a request the API refuses (4xx) as permanent", async () => {
    const p = profileOn(sim, "openai", "unknown-model-x");
    const handle = await submit(p, { "case-a": ask("Hello?"), "case-b": ask("Bye?") }, "run-3-targets-0");
    expect((await pollUntilDone(adapter, p, handle)).at(-1)).toEqual({ state: "ended", done: 2, total: 2 });
    const items = await resultsById(adapter, p, handle);
    for (const id of ["case-a", "case-b"])
      expect(items.get(id)).toMatchObject({
        ok: false,
        error: {
          kind: "permanent",
          status: 404,
          message: expect.stringContaining("unknown-model-x not found"),
        },
      });
  });

  it.each([
    ["err-content-filter", "refused", 400],
    ["err-filtered-stream", "refused", undefined],
    ["err-context-length", "permanent", 400],
    ["err-429-ms", "transient", 429],
    ["err-stream-error", "transient", 500],
  ] as const)(
    "returns a request answered with %s as %s, as the live call classifies it",
    async (shape, kind, status) => {
      const p = profileOn(sim, "azure", `dep-${shape}`);
      const handle = await submit(p, { "case-a": ask("Hello?") }, `run-6-${shape}`);
      expect((await pollUntilDone(adapter, p, handle)).at(-1)?.state).toBe("ended");
      const item = (await resultsById(adapter, p, handle)).get("case-a");
      expect(item).toMatchObject({ ok: false, error: { kind } });
      expect(item?.ok === false ? item.error.status : "answered").toBe(status);
    },
  );

  it("reads an expired batch's finished answers, and returns the requests it never ran as transient", async () => {
    const p = profileOn(sim, "openai", "gpt-expire-batch");
    const requests = Object.fromEntries(
      ["a", "b", "c", "d"].map((x) => [`case-${x}`, ask(`Question ${x}?`)]),
    );
    const handle = await submit(p, requests, "run-7-targets-0");
    expect((await pollUntilDone(adapter, p, handle)).at(-1)).toEqual({ state: "expired", done: 4, total: 4 });
    const items = await resultsById(adapter, p, handle);
    expect([...items.keys()].sort()).toEqual(Object.keys(requests));
    const answered = [...items.values()].filter((i) => i.ok).map((i) => i.customId);
    expect(answered).toEqual(["case-a", "case-b"]);
    for (const id of ["case-c", "case-d"])
      expect(items.get(id)).toMatchObject({
        ok: false,
        error: { kind: "transient", message: expect.stringContaining("completion window expired") },
      });
  });

  it.each([
    ["openai", "gpt-4o-mini"],
    ["azure", "my-batch-deployment"],
  ] as const)(
    "reports a %s batch whose input fails validation as failed, in the API's words",
    async (provider, model) => {
      const p = profileOn(sim, provider, model);
      const line = await adapter.encode({ customId: "case-dup", profile: p, request: ask("Hello?") });
      const handle = await adapter.submit(
        p,
        [
          { customId: "case-dup", encoded: line },
          { customId: "case-dup", encoded: line },
        ],
        `run-4-${provider}-targets-0`,
      );
      const last = (await pollUntilDone(adapter, p, handle)).at(-1);
      expect(last?.state).toBe("failed");
      // Azure's counts are nulls then: nothing ran.
      expect(last?.done).toBe(0);
      expect(last?.message).toContain("duplicate_custom_id: line 2");
      expect((await resultsById(adapter, p, handle)).size).toBe(0);
    },
  );
});

describe.each(["openai", "azure"] as const)("%s batch: running, cancel and find", (provider) => {
  it("shows a running batch, finds it by its label, and cancels it", async () => {
    const p = profileOn(slow, provider, provider === "azure" ? "my-batch-deployment" : "gpt-4o-mini");
    const label = `run-5-${provider}-judges-0`;
    const handle = await submit(p, { "case-a": ask("One?"), "case-b": ask("Two?") }, label);
    expect(await adapter.poll(p, handle)).toEqual({ state: "running", done: 0, total: 2 });

    // A run killed between the provider's accept and its own record finds the batch again, by label only.
    await submit(p, { "case-c": ask("Three?") }, `${label}-other`);
    expect(await adapter.find?.(p, label, [])).toEqual(handle);
    expect(await adapter.find?.(p, "run-5-never-submitted", [])).toBeUndefined();

    await adapter.cancel(p, handle);
    expect((await pollUntilDone(adapter, p, handle)).at(-1)?.state).toBe("cancelled");
    expect(slow.stats.batches.cancelled).toBeGreaterThan(0);
    // The requests it never ran come back as transient: the engine may submit them again.
    const items = await resultsById(adapter, p, handle);
    expect([...items.keys()].sort()).toEqual(["case-a", "case-b"]);
    for (const item of items.values())
      expect(item).toMatchObject({ ok: false, error: { kind: "transient" } });
  });
});

describe("openai batch: limits", () => {
  it("states OpenAI's and Azure's documented per-batch limits", () => {
    const limits = (provider: ProviderName) => adapter.limits(profileOn(sim, provider, "m"));
    expect(limits("openai").maxRequests).toBe(50_000);
    expect(limits("azure").maxRequests).toBe(100_000);
    for (const provider of ["openai", "azure", "openai-compatible"] as const) {
      expect(limits(provider).maxBytes).toBeLessThanOrEqual(200_000_000);
      expect(limits(provider).maxBytes).toBeGreaterThan(199_000_000);
    }
  });
});
