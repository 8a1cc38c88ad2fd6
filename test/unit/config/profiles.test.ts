import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadProfiles, parseProfiles, providerOf } from "../../../src/config/profiles.ts";
import { formatProblem } from "../../../src/errors.ts";

const FIXTURES = join(import.meta.dirname, "..", "..", "..", "fixtures", "profiles");
const SEED = join(FIXTURES, "seed");
const jsonl = (...rows: object[]) => rows.map((r) => JSON.stringify(r)).join("\n");
const parse = (text: string) => parseProfiles(text, "config/models.jsonl", "jsonl");
const problems = (text: string) => parse(text).problems.map(formatProblem);
const warnings = (text: string) => parse(text).warnings.map(formatProblem);

describe("the seed's profile files load as they are", () => {
  // Copies of every model/judge profile file under data/360-eval-samples (similarity_profiles.jsonl is not one).
  const expected: Record<string, number> = {
    "migrations-default-config-judge_profiles.jsonl": 3,
    "migrations-default-config-models_profiles.jsonl": 8,
    "poc-to-prod-config-judge_profiles.jsonl": 3,
    "poc-to-prod-config-models_profiles.jsonl": 10,
    "poc-to-prod-prompt-evaluations-judge_profiles.jsonl": 3,
    "poc-to-prod-prompt-evaluations-model_profiles.jsonl": 4,
    "sample-bedrock-migration-and-modernization-tools-config-judge_profiles.jsonl": 3,
    "sample-bedrock-migration-and-modernization-tools-config-models_profiles.jsonl": 27,
  };
  const load = (name: string) => loadProfiles(join(SEED, name), name);

  it("covers every seed profile file", () => {
    expect(readdirSync(SEED).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))("%s: %i profiles, no problems", async (name, count) => {
    const r = await load(name);
    expect(r.problems).toEqual([]);
    expect(r.profiles).toHaveLength(count);
    expect(new Set(r.profiles.map((p) => p.key)).size).toBe(count);
  });

  it("reads the model files' input/output_token_cost as USD per 1,000 tokens", async () => {
    const r = await load("poc-to-prod-config-models_profiles.jsonl");
    expect(r.warnings).toEqual([]);
    expect(r.profiles[0]).toEqual({
      key: "bedrock/us.amazon.nova-pro-v1:0@us-west-2",
      modelId: "bedrock/us.amazon.nova-pro-v1:0",
      provider: "bedrock",
      model: "us.amazon.nova-pro-v1:0",
      region: "us-west-2",
      inputCostPer1k: 0.0008,
      outputCostPer1k: 0.0032,
      source: { file: "poc-to-prod-config-models_profiles.jsonl", line: 1 },
    });
    expect(
      r.profiles.slice(7).map((p) => [p.key, p.provider, p.model, p.inputCostPer1k, p.outputCostPer1k]),
    ).toEqual([
      ["openai/gpt-4o", "openai", "gpt-4o", 0.005, 0.02],
      ["openai/gpt-4o-mini", "openai", "gpt-4o-mini", 0.0006, 0.0024],
      ["gemini/gemini-2.0-flash", "gemini", "gemini-2.0-flash", 0.00015, 0.0006],
    ]);
  });

  it("reads the judge files' input/output_cost_per_1k", async () => {
    const r = await load("migrations-default-config-judge_profiles.jsonl");
    expect(r.profiles.map((p) => [p.key, p.inputCostPer1k, p.outputCostPer1k])).toEqual([
      ["bedrock/us.anthropic.claude-3-7-sonnet-20250219-v1:0@us-west-2", 0.003, 0.015],
      ["bedrock/us.meta.llama4-maverick-17b-instruct-v1:0@us-east-2", 0.00024, 0.00097],
      ["bedrock/us.amazon.nova-premier-v1:0@us-east-2", 0.0025, 0.0125],
    ]);
  });

  it("keys the same Bedrock model in several regions as separate variants", async () => {
    const r = await load("sample-bedrock-migration-and-modernization-tools-config-models_profiles.jsonl");
    expect(
      r.profiles.filter((p) => p.model === "us.amazon.nova-2-lite-v1:0").map((p) => [p.key, p.source.line]),
    ).toEqual([
      ["bedrock/us.amazon.nova-2-lite-v1:0@us-west-2", 1],
      ["bedrock/us.amazon.nova-2-lite-v1:0@us-east-1", 14],
      ["bedrock/us.amazon.nova-2-lite-v1:0@sa-east-1", 27],
    ]);
  });

  it("loads the older unprefixed format as Bedrock, and says so", async () => {
    const name = "poc-to-prod-prompt-evaluations-model_profiles.jsonl";
    const r = await load(name);
    expect(r.profiles.map((p) => p.key)).toEqual([
      "bedrock/us.amazon.nova-pro-v1:0@us-east-1",
      "bedrock/us.amazon.nova-lite-v1:0@us-east-1",
      "bedrock/us.anthropic.claude-3-haiku-20240307-v1:0@us-east-1",
      "openai/gpt-4o-mini",
    ]);
    expect(r.profiles[3]?.region).toBeUndefined();
    expect(r.warnings.map(formatProblem)).toEqual([
      `${name}:1: model_id: "us.amazon.nova-pro-v1:0" has no provider prefix (older 360-eval format); loaded as "bedrock/us.amazon.nova-pro-v1:0" — write that to silence this`,
      `${name}:1: inference_profile: older 360-eval field, ignored; remove it`,
      `${name}:2: model_id: "us.amazon.nova-lite-v1:0" has no provider prefix (older 360-eval format); loaded as "bedrock/us.amazon.nova-lite-v1:0" — write that to silence this`,
      `${name}:2: inference_profile: older 360-eval field, ignored; remove it`,
      `${name}:3: model_id: "us.anthropic.claude-3-haiku-20240307-v1:0" has no provider prefix (older 360-eval format); loaded as "bedrock/us.anthropic.claude-3-haiku-20240307-v1:0" — write that to silence this`,
      `${name}:3: inference_profile: older 360-eval field, ignored; remove it`,
      `${name}:4: inference_profile: older 360-eval field, ignored; remove it`,
      `${name}:4: region: ignored: only bedrock/ models use a region (got "NA"); remove it`,
    ]);
  });
});

describe("parseProfiles", () => {
  it("requires a region for bedrock/ only, naming the fix", () => {
    expect(problems(jsonl({ model_id: "bedrock/us.amazon.nova-pro-v1:0" }))).toEqual([
      'config/models.jsonl:1: region: required for bedrock/ models: add "region": "us-east-1" (or the region to call)',
    ]);
    expect(problems(jsonl({ model_id: "bedrock/x", region: "" }))).toEqual([
      'config/models.jsonl:1: region: required for bedrock/ models: add "region": "us-east-1" (or the region to call)',
    ]);
    for (const id of [
      "openai/gpt-4o",
      "azure/gpt-4o",
      "gemini/gemini-2.0-flash",
      "openai-compatible/llama3",
      "mock/a",
    ])
      expect(problems(jsonl({ model_id: id }))).toEqual([]);
  });

  it("warns about a region on a non-Bedrock model and drops it", () => {
    const r = parse(jsonl({ model_id: "openai/gpt-4o", region: "us-east-1" }));
    expect(r.profiles[0]?.key).toBe("openai/gpt-4o");
    expect(r.profiles[0]?.region).toBeUndefined();
    expect(r.warnings.map(formatProblem)).toEqual([
      'config/models.jsonl:1: region: ignored: only bedrock/ models use a region (got "us-east-1"); remove it',
    ]);
  });

  it("keys profiles by model id, Bedrock region and service tier, or by name", () => {
    const r = parse(
      jsonl(
        { model_id: "bedrock/us.amazon.nova-pro-v1:0", region: "us-west-2", service_tier: "priority" },
        { model_id: "bedrock/us.amazon.nova-pro-v1:0", region: "us-west-2", service_tier: "flex" },
        { model_id: "bedrock/us.amazon.nova-pro-v1:0", region: "us-west-2" },
        { model_id: "openai/gpt-4o" },
        { model_id: "openai/gpt-4o", service_tier: "flex" },
        { model_id: "mock/perfect" },
        { model_id: "openai-compatible/llama3", name: "local-llama", base_url: "http://localhost:11434/v1" },
      ),
    );
    expect(r.problems).toEqual([]);
    expect(r.profiles.map((p) => p.key)).toEqual([
      "bedrock/us.amazon.nova-pro-v1:0@us-west-2_priority",
      "bedrock/us.amazon.nova-pro-v1:0@us-west-2_flex",
      "bedrock/us.amazon.nova-pro-v1:0@us-west-2",
      "openai/gpt-4o",
      "openai/gpt-4o_flex",
      "mock/perfect",
      "local-llama",
    ]);
    expect(r.profiles[6]).toMatchObject({
      provider: "openai-compatible",
      model: "llama3",
      baseUrl: "http://localhost:11434/v1",
    });
  });

  it("reads every cost spelling as USD per 1,000 tokens, per-1M divided by 1,000, missing as 0", () => {
    const costs = (row: object) => {
      const p = parse(jsonl({ model_id: "openai/gpt-4o", ...row })).profiles[0];
      return [p?.inputCostPer1k, p?.outputCostPer1k];
    };
    expect(costs({ input_token_cost: 0.0025, output_token_cost: 0.01 })).toEqual([0.0025, 0.01]);
    expect(costs({ input_cost_per_1k: 0.0025, output_cost_per_1k: 0.01 })).toEqual([0.0025, 0.01]);
    expect(costs({ input_cost_per_1m: 3, output_cost_per_1m: 15 })).toEqual([0.003, 0.015]);
    expect(costs({ input_token_cost: 0.003, input_cost_per_1m: 3 })).toEqual([0.003, 0]);
    expect(costs({})).toEqual([0, 0]);
    expect(costs({ input_token_cost: null })).toEqual([0, 0]);
  });

  it("rejects cost fields that disagree", () => {
    expect(
      problems(jsonl({ model_id: "openai/gpt-4o", input_token_cost: 0.003, input_cost_per_1k: 0.004 })),
    ).toEqual([
      "config/models.jsonl:1: input_cost_per_1k: disagrees with input_token_cost; give the input cost once",
    ]);
  });

  it("reads target_rpm, service_tier, api_key_env", () => {
    const r = parse(
      jsonl(
        { model_id: "azure/gpt-4o", target_rpm: 30, service_tier: "default", api_key_env: "MY_KEY" },
        { model_id: "openai/gpt-4o-mini", target_rpm: null },
      ),
    );
    expect(r.profiles[0]).toMatchObject({
      targetRpm: 30,
      serviceTier: "default",
      apiKeyEnv: "MY_KEY",
      key: "azure/gpt-4o_default",
    });
    expect(r.profiles[1]?.targetRpm).toBeUndefined();
  });

  it("reports every bad field with the fix, line by line, and goes on to the next line", () => {
    const text = [
      JSON.stringify({ model_id: "openai/gpt-4o" }),
      "{oops",
      JSON.stringify({
        model_id: "bedrock/x",
        region: "us-east-1",
        service_tier: "fast",
        target_rpm: 0,
        input_token_cost: -1,
      }),
      "",
      JSON.stringify({ region: "us-east-1" }),
      JSON.stringify({ model_id: "cohere/command-r" }),
      JSON.stringify({ model_id: "openai/" }),
      "[1, 2]",
      JSON.stringify({ model_id: "openai/gpt-4o-mini", region: 5, base_url: "", name: 3 }),
      JSON.stringify({ model_id: "gemini/gemini-2.0-flash" }),
    ].join("\n");
    const r = parse(text);
    expect(r.profiles.map((p) => [p.key, p.source.line])).toEqual([
      ["openai/gpt-4o", 1],
      ["gemini/gemini-2.0-flash", 10],
    ]);
    expect(r.problems.map(formatProblem)).toEqual([
      expect.stringMatching(
        /^config\/models\.jsonl:2: invalid JSON \(.+\); each line must be one JSON object$/,
      ),
      "config/models.jsonl:3: input_token_cost: must be a number ≥ 0, in USD per 1,000 tokens (got -1)",
      "config/models.jsonl:3: target_rpm: must be a number above 0, or null for no rate limit (got 0)",
      'config/models.jsonl:3: service_tier: must be one of default, priority, flex (got "fast")',
      'config/models.jsonl:5: model_id: required: a provider-prefixed id such as "bedrock/us.amazon.nova-pro-v1:0" (got nothing)',
      'config/models.jsonl:6: model_id: unknown provider "cohere/"; use one of bedrock/, openai/, azure/, gemini/, anthropic/, openai-compatible/, mock/ (got "cohere/command-r")',
      'config/models.jsonl:7: model_id: missing the model after "openai/" (got "openai/")',
      'config/models.jsonl:8: each profile must be an object with at least "model_id" (got an array)',
      'config/models.jsonl:9: region: must be a string such as "us-west-2" (got 5)',
      'config/models.jsonl:9: base_url: must be a non-empty string (got "")',
      "config/models.jsonl:9: name: must be a non-empty string (got 3)",
    ]);
  });

  it("gives one problem for an invalid JSON line, with no position in it", () => {
    const r = parse('{"model_id": "openai/gpt-4o",}\n{"model_id": "openai/gpt-4o-mini"}');
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ file: "config/models.jsonl", line: 1 });
    expect(r.problems[0]?.message).not.toMatch(/position/);
    expect(r.profiles.map((p) => p.key)).toEqual(["openai/gpt-4o-mini"]);
  });

  it("rejects a duplicate key on the second line, naming the first", () => {
    expect(
      problems(
        jsonl(
          { model_id: "openai/gpt-4o" },
          { model_id: "bedrock/x", region: "us-east-1" },
          { model_id: "openai/gpt-4o", input_token_cost: 1 },
          { model_id: "mock/a", name: "bedrock/x@us-east-1" },
        ),
      ),
    ).toEqual([
      'config/models.jsonl:3: model_id: duplicate profile "openai/gpt-4o" (also on line 1); give one a different region, service_tier or name',
      'config/models.jsonl:4: name: duplicate profile "bedrock/x@us-east-1" (also on line 2); give one a different region, service_tier or name',
    ]);
  });

  it("warns about unknown fields and keeps the profile", () => {
    const r = parse(jsonl({ model_id: "openai/gpt-4o", temperature: 0.2 }));
    expect(r.profiles).toHaveLength(1);
    expect(r.problems).toEqual([]);
    expect(r.warnings.map(formatProblem)).toEqual([
      "config/models.jsonl:1: temperature: unknown field, ignored",
    ]);
  });

  it("fills mock/ defaults and reads the mock settings", () => {
    const r = parse(
      jsonl(
        { model_id: "mock/default" },
        { model_id: "mock/tuned", mock: { quality: 0.5, ttft_ms: 10, tokens_per_s: 0, error_rate: 1 } },
      ),
    );
    expect(r.profiles.map((p) => p.mock)).toEqual([
      { quality: 0.9, ttftMs: 150, tokensPerS: 80, errorRate: 0 },
      { quality: 0.5, ttftMs: 10, tokensPerS: 0, errorRate: 1 },
    ]);
    expect(r.profiles[0]).toMatchObject({ key: "mock/default", provider: "mock", model: "default" });
  });

  it("validates mock settings' ranges and warns about unknown ones", () => {
    const r = parse(
      jsonl(
        {
          model_id: "mock/a",
          mock: { quality: 1.5, ttft_ms: -1, tokens_per_s: "fast", error_rate: -0.1, speed: 2 },
        },
        { model_id: "mock/b", mock: 3 },
        { model_id: "openai/gpt-4o", mock: { quality: 1 } },
      ),
    );
    expect(r.problems.map(formatProblem)).toEqual([
      "config/models.jsonl:1: mock.quality: must be a number from 0 to 1 (got 1.5)",
      "config/models.jsonl:1: mock.ttft_ms: must be a number ≥ 0 (got -1)",
      'config/models.jsonl:1: mock.tokens_per_s: must be a number ≥ 0 (got "fast")',
      "config/models.jsonl:1: mock.error_rate: must be a number from 0 to 1 (got -0.1)",
      'config/models.jsonl:2: mock: must be an object like {"quality": 0.9, "ttft_ms": 150, "tokens_per_s": 80, "error_rate": 0} (got 3)',
    ]);
    expect(r.warnings.map(formatProblem)).toEqual([
      "config/models.jsonl:1: mock.speed: unknown setting, ignored (known: quality, ttft_ms, tokens_per_s, error_rate)",
      "config/models.jsonl:3: mock: ignored: only mock/ models are simulated",
    ]);
    expect(r.profiles.map((p) => [p.key, p.mock])).toEqual([["openai/gpt-4o", undefined]]);
  });

  it("accepts a BOM, CRLF line ends and blank lines", () => {
    const r = parse('\uFEFF{"model_id": "openai/gpt-4o"}\r\n\r\n  \r\n{"model_id": "mock/a"}\r\n');
    expect(r.problems).toEqual([]);
    expect(r.profiles.map((p) => [p.key, p.source.line])).toEqual([
      ["openai/gpt-4o", 1],
      ["mock/a", 4],
    ]);
  });

  it("says an empty file has no profiles", () => {
    expect(problems("\n\n")).toEqual([
      'config/models.jsonl: no profiles: add one per line, e.g. {"model_id": "openai/gpt-4o", "input_token_cost": 0.0025}',
    ]);
  });

  it("prefixes older-format ids (an ARN too) with bedrock/ and warns", () => {
    const arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-pro-v1:0";
    const r = parse(jsonl({ model_id: arn, region: "us-east-1" }));
    expect(r.problems).toEqual([]);
    expect(r.profiles[0]).toMatchObject({
      modelId: `bedrock/${arn}`,
      model: arn,
      key: `bedrock/${arn}@us-east-1`,
    });
    expect(warnings(jsonl({ model_id: "us.amazon.nova-pro-v1:0", region: "us-east-1" }))).toEqual([
      'config/models.jsonl:1: model_id: "us.amazon.nova-pro-v1:0" has no provider prefix (older 360-eval format); loaded as "bedrock/us.amazon.nova-pro-v1:0" — write that to silence this',
    ]);
  });
});

describe("YAML profiles", () => {
  it("reads a list, with each profile's line", async () => {
    const r = await loadProfiles(join(FIXTURES, "models.yaml"), "fixtures/profiles/models.yaml");
    expect(r.problems).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.profiles.map((p) => [p.key, p.source.line, p.inputCostPer1k, p.outputCostPer1k])).toEqual([
      ["bedrock/us.amazon.nova-pro-v1:0@us-west-2_priority", 2, 0.0008, 0.0032],
      ["openai/gpt-4o", 9, 0.0025, 0.01],
      ["mock/perfect", 13, 0, 0],
    ]);
    expect(r.profiles[0]?.targetRpm).toBe(60);
    expect(r.profiles[2]?.mock).toEqual({ quality: 1, ttftMs: 0, tokensPerS: 80, errorRate: 0 });
  });

  it("reads {models: [...]} from a .yml file", async () => {
    const r = await loadProfiles(join(FIXTURES, "judges.yml"), "judges.yml");
    expect(r.problems).toEqual([]);
    expect(r.profiles.map((p) => [p.key, p.source.line, p.inputCostPer1k])).toEqual([
      ["mock/judge-a", 3, 0.003],
      ["flash-judge", 6, 0.00015],
    ]);
  });

  it("names the line of a bad profile, and of a YAML syntax error", () => {
    const bad = parseProfiles(
      "- model_id: openai/gpt-4o\n- model_id: bedrock/x\n  service_tier: fast\n",
      "m.yaml",
      "yaml",
    );
    expect(bad.problems.map(formatProblem)).toEqual([
      'm.yaml:2: region: required for bedrock/ models: add "region": "us-east-1" (or the region to call)',
      'm.yaml:2: service_tier: must be one of default, priority, flex (got "fast")',
    ]);
    const syntax = parseProfiles("- model_id: openai/gpt-4o\n  region: [unclosed\n", "m.yaml", "yaml");
    expect(syntax.problems).toHaveLength(1);
    expect(syntax.problems[0]).toMatchObject({ file: "m.yaml", line: expect.any(Number) });
    expect(syntax.problems[0]?.message).toMatch(/^invalid YAML: /);
  });

  it("rejects a YAML document that is not a list", () => {
    expect(parseProfiles("model_id: openai/gpt-4o\n", "m.yaml", "yaml").problems.map(formatProblem)).toEqual([
      "m.yaml:1: must be a list of profiles, or {models: [...]}",
    ]);
  });
});

describe("loadProfiles", () => {
  it("says so when the file is missing", async () => {
    const r = await loadProfiles("/nonexistent/models.jsonl", "config/models.jsonl");
    expect(r.problems.map(formatProblem)).toEqual([
      "config/models.jsonl: profile file not found; check the path or create it",
    ]);
  });
});

describe("providerOf", () => {
  it("splits the provider prefix from the model id", () => {
    expect(providerOf("bedrock/us.amazon.nova-pro-v1:0")).toEqual({
      provider: "bedrock",
      model: "us.amazon.nova-pro-v1:0",
    });
    expect(providerOf("openai-compatible/org/model")).toEqual({
      provider: "openai-compatible",
      model: "org/model",
    });
    expect(providerOf("us.amazon.nova-pro-v1:0")).toEqual({ model: "us.amazon.nova-pro-v1:0" });
    expect(providerOf("anthropic/claude-sonnet-4-5")).toEqual({
      provider: "anthropic",
      model: "claude-sonnet-4-5",
    });
    expect(providerOf("cohere/command-r")).toEqual({ model: "cohere/command-r" });
  });
});
