// `evals probe` with the real Bedrock SDK against the simulator, then `evals validate` reading its cache.
import { createHash } from "node:crypto";
import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CapabilityCache } from "../../src/probe/capability-cache.ts";
import { type Simulator, startSimulator } from "../../src/simulator/server.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";

const AWS_ENV = {
  AWS_ACCESS_KEY_ID: "AKIASIMULATED0000000",
  AWS_SECRET_ACCESS_KEY: "simulated-secret-key-0000000000",
  AWS_REGION: "us-east-1",
  AWS_PROFILE: "",
  AWS_EC2_METADATA_DISABLED: "true",
};
const NOVA = "bedrock/us.amazon.nova-pro-v1:0";
const NO_FLEX = "bedrock/us.amazon.nova-lite-no-flex-v1:0";

let sim: Simulator;
let root: string;
const converse = async () => {
  const stats = (await (await fetch(`${sim.url}/stats`)).json()) as { requests: Record<string, number> };
  return stats.requests["bedrock.converse"] ?? 0;
};
const readCache = () =>
  JSON.parse(readFileSync(join(root, ".cache", "model_capabilities.json"), "utf8")) as CapabilityCache;
const probe = (...args: string[]) => runCli(root, ["probe", ...args], AWS_ENV);

beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 0, tokensPerS: 0 });
  const line = (o: object) => JSON.stringify({ input_token_cost: 0.001, output_token_cost: 0.002, ...o });
  root = createFixtureProject({
    "config/models_profiles.jsonl": `${[
      line({ model_id: NOVA, region: "us-east-1", base_url: sim.url }),
      line({ model_id: NO_FLEX, region: "us-west-2", base_url: sim.url, service_tier: "flex" }),
      line({ model_id: "openai/gpt-4o", base_url: `${sim.url}/v1` }),
    ].join("\n")}\n`,
    "config/judge_profiles.jsonl": '{"model_id": "mock/judge"}\n',
  });
});
afterAll(async () => {
  await sim.close();
});

describe("evals probe", () => {
  it("probes every Bedrock model × region in each tier and caches what it found", async () => {
    const res = await probe();
    // stderr may carry the AWS SDK's Node-version notice (Node 20), never an error.
    expect(res.stderr).not.toMatch(/error/i);
    expect(res.code).toBe(0);
    expect(await converse()).toBe(6);
    const cache = readCache();
    const models = readFileSync(join(root, "config/models_profiles.jsonl"), "utf8");
    const judges = readFileSync(join(root, "config/judge_profiles.jsonl"), "utf8");
    expect(cache.profilesHash).toBe(
      createHash("sha256").update(models).update("\0").update(judges).digest("hex"),
    );
    expect(Date.parse(cache.probedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(Object.keys(cache.entries)).toEqual([`${NO_FLEX}@us-west-2`, `${NOVA}@us-east-1`]);
    const available = (key: string) =>
      Object.fromEntries(Object.entries(cache.entries[key]?.tiers ?? {}).map(([t, r]) => [t, r.available]));
    expect(available(`${NOVA}@us-east-1`)).toEqual({ default: true, priority: true, flex: true });
    expect(available(`${NO_FLEX}@us-west-2`)).toEqual({ default: true, priority: true, flex: false });
    expect(cache.entries[`${NO_FLEX}@us-west-2`]?.tiers.flex?.reason).toBe(
      "The provided service tier (flex) is not supported for model us.amazon.nova-lite-no-flex-v1:0 (simulated).",
    );
    for (const entry of Object.values(cache.entries))
      for (const r of Object.values(entry.tiers)) expect(r.latencyMs).toBeGreaterThanOrEqual(0);

    const rows = res.stdout.split("\n");
    expect(rows).toContain(
      " model                                     region     default     priority    flex",
    );
    expect(rows.find((l) => l.startsWith(` ${NO_FLEX}`))).toMatch(/us-west-2\s+✓ \d+ms\s+✓ \d+ms\s+✗$/);
    expect(rows).toContain(
      "     flex: The provided service tier (flex) is not supported for model us.amazon.nova-lite-no-flex-v1:0 (simulated).",
    );
    expect(rows).toContain(
      " openai/gpt-4o                             –          not probed (tiers are a Bedrock feature)",
    );
    expect(rows).toContain("Wrote .cache/model_capabilities.json");
  });

  it("reuses the cache while the profiles are unchanged: no request", async () => {
    const before = readCache();
    const res = await probe();
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(
      `Using the cached capabilities in .cache/model_capabilities.json (probed ${before.probedAt}; profiles unchanged).`,
    );
    expect(res.stdout).not.toContain("Wrote");
    expect(await converse()).toBe(6);
    expect(readCache()).toEqual(before);
  });

  it("probes again with --force, and only what the filters select", async () => {
    expect((await probe("--force")).code).toBe(0);
    expect(await converse()).toBe(12);
    const res = await probe("--force", "--model", "no-flex", "--tier", "flex");
    expect(res.code).toBe(0);
    expect(await converse()).toBe(13);
    expect(res.stdout).toContain(" model                                     region     flex");
    expect(res.stdout).not.toContain(`${NOVA} `);
    expect(Object.keys(readCache().entries)).toHaveLength(2);
  });

  it("probes again when the profiles file changes", async () => {
    const before = readCache().profilesHash;
    appendFileSync(join(root, "config/models_profiles.jsonl"), '{"model_id": "mock/extra"}\n');
    const res = await probe();
    expect(res.code).toBe(0);
    expect(res.stdout).not.toContain("Using the cached capabilities");
    expect(await converse()).toBe(19);
    expect(readCache().profilesHash).not.toBe(before);
  });

  it("rejects an unknown tier", async () => {
    const res = await probe("--tier", "turbo");
    expect(res.code).toBe(2);
    expect(res.stderr).toBe('error: --tier must be one of default, priority, flex (got "turbo")\n');
  });

  it("makes evals validate warn about a service tier the cache says is unavailable", async () => {
    const res = await runCli(root, ["validate", "config/models_profiles.jsonl"], AWS_ENV);
    expect(res.code).toBe(0);
    const cache = readCache();
    expect(res.stdout).toBe(
      [
        `warning: config/models_profiles.jsonl:2: service_tier: "flex" is not available for ${NO_FLEX} in us-west-2 (evals probe, ${cache.probedAt}: The provided service tier (flex) is not supported for model us.amazon.nova-lite-no-flex-v1:0 (simulated).); calls will fail — run evals probe --force to re-check`,
        "",
        "✓ 1 file valid (1 warning)",
        "",
      ].join("\n"),
    );
  });
});
