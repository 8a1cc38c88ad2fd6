// Probing with the real Bedrock SDK against the in-process simulator.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { formatProbeTable } from "../../../src/cli/commands/probe.ts";
import { FlagError } from "../../../src/errors.ts";
import { probeCapabilities } from "../../../src/probe/capabilities.ts";
import { capabilityCachePath, readCapabilityCache } from "../../../src/probe/capability-cache.ts";
import { type Simulator, startSimulator } from "../../../src/simulator/server.ts";
import { tempDir } from "../../support/temp-dir.ts";

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 0, tokensPerS: 0 });
  // Restored after the file (vi.unstubAllEnvs): other files may share this process.
  vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIASIMULATED0000000");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "simulated-secret-key-0000000000");
  vi.stubEnv("AWS_EC2_METADATA_DISABLED", "true");
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await sim.close();
});

function project(models: object[]): string {
  const root = tempDir("jury-probe-");
  mkdirSync(join(root, "config"));
  writeFileSync(join(root, "config/models_profiles.jsonl"), models.map((m) => JSON.stringify(m)).join("\n"));
  writeFileSync(join(root, "config/judge_profiles.jsonl"), '{"model_id": "mock/judge"}\n');
  return root;
}

describe("probeCapabilities", () => {
  it("probes only the missing tiers when the cache holds the others", async () => {
    const root = project([{ model_id: "bedrock/m-no-priority", region: "eu-west-1", base_url: sim.url }]);
    const first = await probeCapabilities({ root, tier: "flex" });
    expect(first).toMatchObject({
      requests: 1,
      fromCache: 0,
      reused: false,
      unsettled: 0,
      cacheWritten: true,
    });
    const second = await probeCapabilities({ root });
    expect(second).toMatchObject({ requests: 2, fromCache: 1, reused: false, cacheWritten: true });
    expect(second.rows).toEqual([
      {
        modelId: "bedrock/m-no-priority",
        region: "eu-west-1",
        tiers: {
          flex: { available: true, latencyMs: expect.any(Number), cached: true, settled: true },
          default: { available: true, latencyMs: expect.any(Number), cached: false, settled: true },
          priority: {
            available: false,
            reason:
              "The provided service tier (priority) is not supported for model m-no-priority (simulated).",
            latencyMs: expect.any(Number),
            cached: false,
            settled: true,
          },
        },
      },
    ]);
    expect(
      Object.keys(readCapabilityCache(root)?.entries["bedrock/m-no-priority@eu-west-1"]?.tiers ?? {}),
    ).toEqual(["default", "priority", "flex"]);
    const third = await probeCapabilities({ root });
    expect(third).toMatchObject({ requests: 0, fromCache: 3, reused: true, cacheWritten: false });
  });

  it("does not cache a probe that could not tell (the server is down)", async () => {
    const root = project([{ model_id: "bedrock/m", region: "us-east-1", base_url: "http://127.0.0.1:1" }]);
    const outcome = await probeCapabilities({ root, tier: "default", timeoutMs: 5000 });
    expect(outcome).toMatchObject({ requests: 1, unsettled: 1, cacheWritten: false });
    expect(outcome.rows[0]?.tiers.default).toMatchObject({ available: false, settled: false });
    expect(existsSync(capabilityCachePath(root))).toBe(false);
  });

  it("lists non-Bedrock models as not probed", async () => {
    const root = project([{ model_id: "openai/gpt-4o" }]);
    const outcome = await probeCapabilities({ root });
    expect(outcome).toMatchObject({ rows: [], notProbed: ["openai/gpt-4o", "mock/judge"], requests: 0 });
    expect(stripVTControlCharacters(formatProbeTable(outcome, ["default", "priority", "flex"]))).toBe(
      [
        " model          region  default     priority    flex",
        " openai/gpt-4o  –       not probed (tiers are a Bedrock feature)",
        " mock/judge     –       not probed (tiers are a Bedrock feature)",
        "",
      ].join("\n"),
    );
  });

  it("rejects an unknown tier and filters that match nothing", async () => {
    const root = project([{ model_id: "bedrock/m", region: "us-east-1", base_url: sim.url }]);
    await expect(probeCapabilities({ root, tier: "turbo" })).rejects.toThrow(
      new FlagError('--tier must be one of default, priority, flex (got "turbo")'),
    );
    await expect(probeCapabilities({ root, model: "nova", region: "us-west-2" })).rejects.toThrow(
      'no Bedrock profile matches --model "nova" --region us-west-2',
    );
  });
});
