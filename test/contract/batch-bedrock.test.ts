// Issue 21 contract, Bedrock batch inference: the real @aws-sdk/client-bedrock and @aws-sdk/client-s3 run model
// invocation jobs over S3 through our adapter against the simulator (its control plane and S3 subset).

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { bedrockBatch, bedrockJobName } from "../../src/providers/batch/bedrock.ts";
import { getBatchAdapter } from "../../src/providers/batch/registry.ts";
import { type Simulator, startSimulator } from "../../src/simulator/server.ts";
import type { GenerateRequest, ModelProfile } from "../../src/types.ts";
import { type Entry, pollUntilDone, resultsById, submitBatch } from "../support/batch-adapter.ts";
import { simulatedProfile, stubProviderCredentials } from "../support/simulated-credentials.ts";

const PIXEL = join(import.meta.dirname, "..", "..", "fixtures", "images", "pixel.png");
const CLAUDE = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
const NOVA = "us.amazon.nova-pro-v1:0";
const PLACE = {
  batchS3Uri: "s3://jury-batches/evals",
  batchRoleArn: "arn:aws:iam::123456789012:role/jury-batch",
};
const WEATHER = {
  name: "get_weather",
  description: "The weather in a city.",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};
const SCHEMA = {
  type: "object",
  properties: { city: { type: "string" }, celsius: { type: "integer" } },
  required: ["city", "celsius"],
};

let sim: Simulator;
beforeAll(async () => {
  // Jobs stay in progress for a while, so a poll right after submission sees one running.
  sim = await startSimulator({ seed: "batch-bedrock", batchCompleteMs: 1500 });
  stubProviderCredentials();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await sim.close();
});

const profileOf = (s: Simulator, model: string, extra: Partial<ModelProfile> = PLACE) =>
  simulatedProfile(s.url, "bedrock", model, extra);

/** A plain question whose answer quotes it (the simulator's way), so each answer shows which request it is. */
function ask(id: string, extra: Partial<GenerateRequest> = {}): GenerateRequest {
  return {
    messages: [{ role: "user", content: `Question ${id}` }],
    temperature: 0,
    maxTokens: 64,
    seed: "s",
    ...extra,
  };
}

/** One record per id (its question from the id), as one job under `label`. */
const submit = (
  p: ModelProfile,
  ids: string[],
  label: string,
  extra: Record<string, Partial<GenerateRequest>> = {},
) =>
  submitBatch(
    bedrockBatch,
    p,
    ids.map((id): Entry => [id, ask(id, extra[id])]),
    label,
  );

const ids = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, "0")}`);

describe.each([
  ["Claude", CLAUDE, "end_turn"],
  ["Nova", NOVA, "end_turn"],
])("%s through a model invocation job", (family, model, stop) => {
  it("submits the records to S3 and a job, polls it running then ended, and maps every answer back by record id", async () => {
    const p = profileOf(sim, model);
    const all = ids(`${family}-qa`, 120);
    const [tool, structured, pictured] = all as [string, string, string];
    const handle = await submit(p, all, `run1-${family}-targets-0`, {
      [tool]: {
        messages: [{ role: "user", content: 'Weather? Use get_weather {"city": "Paris"} please.' }],
        tools: [WEATHER],
      },
      [structured]: { jsonSchema: SCHEMA },
      [pictured]: { image: PIXEL },
    });
    expect(handle).toMatchObject({
      provider: "bedrock",
      profileKey: p.key,
      id: expect.stringMatching(/^arn:aws:bedrock:us-east-1:\d{12}:model-invocation-job\/\w+$/),
      label: `run1-${family}-targets-0`,
    });
    expect(await getBatchAdapter("bedrock")).toBe(bedrockBatch);
    const seen = await pollUntilDone(bedrockBatch, p, handle);
    expect(seen[0]).toMatchObject({ state: "running", done: 0, total: 120 });
    expect(seen.at(-1)).toEqual({ state: "ended", done: 120, total: 120 });

    const got = await resultsById(bedrockBatch, p, handle);
    expect([...got.keys()].sort()).toEqual([...all].sort());
    for (const id of all.slice(3)) {
      const item = got.get(id);
      expect(item?.ok).toBe(true);
      if (!item?.ok) continue;
      expect(item.answer.text).toBe(`Simulated answer from ${model}. You asked: Question ${id}`);
      expect(item.answer).toMatchObject({
        inputTokens: 2,
        outputTokens: item.answer.text.split(" ").length,
        finishReason: stop,
      });
      expect(item.answer.toolCalls).toBeUndefined();
    }
    // A tool call comes back as one, and a structured output's tool input as the answer text.
    expect(got.get(tool)).toMatchObject({
      ok: true,
      answer: {
        text: "",
        finishReason: "tool_use",
        toolCalls: [{ id: expect.any(String), name: "get_weather", arguments: { city: "Paris" } }],
      },
    });
    // The image went as base64 in the family's own block, byte for byte: the simulator describes what it got.
    const png = readFileSync(PIXEL);
    const digest = createHash("sha256").update(png).digest("hex").slice(0, 12);
    expect(got.get(pictured)).toMatchObject({
      ok: true,
      answer: {
        text: `Simulated answer from ${model}. [image image/png ${png.length} bytes sha256:${digest}] You asked: Question ${pictured}`,
      },
    });
    const json = got.get(structured);
    expect(json?.ok && JSON.parse(json.answer.text)).toEqual({
      city: expect.any(String),
      celsius: expect.any(Number),
    });
  });
});

describe("records", () => {
  it("are each family's InvokeModel body: Claude's Messages API with anthropic_version, Nova's messages-v1", async () => {
    const claude = await bedrockBatch.encode({
      customId: "c1",
      profile: profileOf(sim, CLAUDE),
      request: ask("c1", { system: "Be brief." }),
    });
    expect(claude).toEqual({
      recordId: "c1",
      modelInput: {
        anthropic_version: "bedrock-2023-05-31",
        max_tokens: 64,
        system: "Be brief.",
        temperature: 0,
        messages: [{ role: "user", content: [{ type: "text", text: "Question c1" }] }],
      },
    });
    const nova = await bedrockBatch.encode({
      customId: "n1",
      profile: profileOf(sim, NOVA),
      request: ask("n1", { system: "Be brief." }),
    });
    expect(nova).toEqual({
      recordId: "n1",
      modelInput: {
        schemaVersion: "messages-v1",
        system: [{ text: "Be brief." }],
        messages: [{ role: "user", content: [{ text: "Question n1" }] }],
        inferenceConfig: { maxTokens: 64, temperature: 0 },
      },
    });
  });

  it("of a model family jury does not map are refused, naming the profile line and what to do", async () => {
    const p = profileOf(sim, "meta.llama3-70b-instruct-v1:0");
    await expect(bedrockBatch.encode({ customId: "x", profile: p, request: ask("x") })).rejects.toThrow(
      /^t:1: bedrock\/meta\.llama3-70b-instruct-v1:0: Bedrock batch inference .* Anthropic Claude and Amazon Nova .*"meta\.llama3-70b-instruct-v1:0"; run this profile without batch/,
    );
  });
});

describe("jobs", () => {
  it("with failed records end partly completed: those come back transient, and a job of only them succeeds", async () => {
    const failing = await startSimulator({ seed: "batch-bedrock-fail", batchFailRate: 0.5 });
    try {
      const p = profileOf(failing, CLAUDE);
      const all = ids("pf", 260);
      const first = await submit(p, all, "run2-targets-0");
      expect((await pollUntilDone(bedrockBatch, p, first)).at(-1)).toMatchObject({
        state: "ended",
        done: 260,
        total: 260,
      });
      const got = await resultsById(bedrockBatch, p, first);
      expect(got.size).toBe(260);
      const failed = [...got.values()].filter((i) => !i.ok).map((i) => i.customId);
      expect(failed.length).toBe(failing.stats.batches.failed);
      expect(failed.length).toBeGreaterThanOrEqual(100);
      for (const id of failed)
        expect(got.get(id)).toMatchObject({
          ok: false,
          error: {
            kind: "transient",
            status: 500,
            message: expect.stringContaining("simulated batch partial failure"),
          },
        });

      const again = await submit(p, failed, "run2-targets-0-retry-1");
      await pollUntilDone(bedrockBatch, p, again);
      const retried = await resultsById(bedrockBatch, p, again);
      expect([...retried.keys()].sort()).toEqual([...failed].sort());
      expect([...retried.values()].every((i) => i.ok)).toBe(true);
      // Only the failed requests were sent twice.
      const submitted = failing.stats.batches.submitted;
      for (const id of all) expect(submitted[id]).toBe(failed.includes(id) ? 2 : 1);
      expect(failing.stats.batches.created.bedrock).toBe(2);
    } finally {
      await failing.close();
    }
  });

  it("stop: a stopped job is cancelled, with no results", async () => {
    const p = profileOf(sim, NOVA);
    const handle = await submit(p, ids("stop", 100), "run3-targets-0");
    const before = sim.stats.batches.cancelled;
    await bedrockBatch.cancel(p, handle);
    expect(await bedrockBatch.poll(p, handle)).toMatchObject({ state: "cancelled" });
    expect(sim.stats.batches.cancelled).toBe(before + 1);
    expect((await resultsById(bedrockBatch, p, handle)).size).toBe(0);
  });

  it("are found by label, and a second submission under the same label is refused by Bedrock, not run twice", async () => {
    const p = profileOf(sim, CLAUDE);
    const label = "run4-judges-0";
    expect(await bedrockBatch.find?.(p, label, [])).toBeUndefined();
    const handle = await submit(p, ids("dup", 100), label);
    expect(await bedrockBatch.find?.(p, label, [])).toEqual(handle);
    expect(await bedrockBatch.find?.(p, "run4-judges", [])).toBeUndefined();
    const created = sim.stats.batches.created.bedrock;
    await expect(submit(p, ids("dup", 100), label)).rejects.toMatchObject({
      kind: "invalid_request",
      status: 400,
      message: expect.stringMatching(/already exists/),
    });
    expect(sim.stats.batches.created.bedrock).toBe(created);
    // The refused submission's input file is gone: the bucket holds the job's own only.
    const s3 = new S3Client({ region: "us-east-1", endpoint: sim.url, forcePathStyle: true });
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: "jury-batches", Prefix: `evals/${bedrockJobName(label)}-` }),
    );
    s3.destroy();
    expect(listed.Contents?.map((o) => o.Key)).toEqual([expect.stringMatching(/\.jsonl$/)]);
    expect(
      Object.keys(sim.stats.batches.submitted)
        .filter((id) => id.startsWith("dup-"))
        .map((id) => sim.stats.batches.submitted[id]),
    ).toEqual(Array(100).fill(1));
  });

  it("of fewer than 100 records are refused, as Bedrock does", async () => {
    const p = profileOf(sim, NOVA);
    expect(bedrockBatch.limits(p)).toMatchObject({ minRequests: 100 });
    await expect(submit(p, ids("few", 99), "run5-targets-0")).rejects.toMatchObject({
      kind: "invalid_request",
      message: expect.stringMatching(/below the minimum number of records per batch inference job \(100\)/),
    });
  });

  it("need the profile's batch_s3_uri and batch_role_arn: the error names the profile line and the fields", async () => {
    const items = [{ customId: "a", encoded: {} }];
    await expect(bedrockBatch.submit(profileOf(sim, NOVA, {}), items, "run6-0")).rejects.toThrow(
      /^t:1: bedrock\/us\.amazon\.nova-pro-v1:0 runs as a Bedrock batch and needs batch_s3_uri .* and batch_role_arn .*: add them to this profile$/,
    );
    await expect(
      bedrockBatch.submit(profileOf(sim, NOVA, { batchS3Uri: PLACE.batchS3Uri }), items, "run6-0"),
    ).rejects.toThrow(/^t:1: .* needs batch_role_arn \(.*\): add it to this profile$/);
    await expect(
      bedrockBatch.encode({
        customId: "a",
        profile: profileOf(sim, NOVA, { batchRoleArn: PLACE.batchRoleArn }),
        request: ask("a"),
      }),
    ).rejects.toThrow(/^t:1: .* needs batch_s3_uri \(.*\): add it to this profile$/);
    await expect(
      bedrockBatch.encode({
        customId: "a",
        profile: profileOf(sim, NOVA, { ...PLACE, batchS3Uri: "jury-batches/evals" }),
        request: ask("a"),
      }),
    ).rejects.toThrow(
      /^t:1: .*'s batch_s3_uri "jury-batches\/evals" is not an S3 URI: write s3:\/\/bucket\/prefix$/,
    );
  });
});
