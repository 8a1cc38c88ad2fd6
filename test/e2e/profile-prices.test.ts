// Issue 18 §4: 360-eval's newer profile files price per million tokens in the same field names, with per-tier
// prices (`service_tiers`, `tier_pricing`) and an `endpoint`. A run reads them in their unit, prices the profile's
// tier, records the unit in run.json, and refuses (exit 2) a profile it would have to call through bedrock_mantle.
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CaseResult, RunReportWithResults } from "../../src/types.ts";
import { createFixtureProject } from "../support/fixture-project.ts";
import { runCli } from "../support/run-cli.ts";

const NEWER = join(import.meta.dirname, "..", "..", "fixtures", "profiles", "newer");
const line = (o: object) => JSON.stringify(o);
const TIERS = {
  service_tiers: ["default", "flex", "priority"],
  tier_pricing: {
    default: { input: 0.3, output: 2.75 },
    flex: { input: 0.15, output: 1.375 },
    priority: { input: 0.525, output: 4.8125 },
  },
};
const MOCK = { quality: 1, ttft_ms: 0, tokens_per_s: 0 };
const EVAL = [1, 2, 3]
  .map((i) =>
    line({
      text_prompt: `Question ${i}?`,
      task: { task_type: "QA", task_criteria: "exact" },
      golden_answer: `The answer to question ${i} is ${i}.`,
    }),
  )
  .join("\n");

function runOutputs(root: string) {
  const runs = join(root, "outputs", "runs");
  const runDir = join(runs, readdirSync(runs)[0] as string);
  const results = readFileSync(join(runDir, "results.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as CaseResult);
  return { run: JSON.parse(readFileSync(join(runDir, "run.json"), "utf8")) as RunReportWithResults, results };
}

describe("newer 360-eval profiles in a run", () => {
  it("prices each call per million tokens at the profile's tier, and records the unit of each file", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": [
        line({
          model_id: "mock/nova-like",
          input_token_cost: 0.3,
          output_token_cost: 2.75,
          ...TIERS,
          mock: MOCK,
        }),
        line({
          model_id: "mock/nova-like",
          name: "nova-like_flex",
          input_token_cost: 0.3,
          output_token_cost: 2.75,
          ...TIERS,
          service_tier: "flex",
          service_tier_label: "_flex",
          mock: MOCK,
        }),
      ].join("\n"),
      // A newer judge file: input_token_cost on judges (the older ones used input_cost_per_1k).
      "config/judge_profiles.jsonl": line({
        model_id: "mock/judge",
        input_token_cost: 3,
        output_token_cost: 15,
      }),
      "evals/q.eval.jsonl": EVAL,
    });
    const res = await runCli(root, []);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).not.toMatch(/unusually high|check the unit/);
    expect(res.stderr).toContain(
      'warning: config/models_profiles.jsonl: prices read as USD per 1,000,000 tokens (newer 360-eval format: "tier_pricing" on line 1)',
    );
    expect(res.stderr).toContain(
      'warning: config/judge_profiles.jsonl: prices read as USD per 1,000,000 tokens (newer 360-eval format: judge line 1 uses "input_token_cost", not "input_cost_per_1k")',
    );
    const { run, results } = runOutputs(root);
    expect(run.config.priceUnits).toEqual([
      {
        file: "config/models_profiles.jsonl",
        unit: "per_million",
        reason: 'newer 360-eval format: "tier_pricing" on line 1',
        stated: false,
      },
      {
        file: "config/judge_profiles.jsonl",
        unit: "per_million",
        reason: 'newer 360-eval format: judge line 1 uses "input_token_cost", not "input_cost_per_1k"',
        stated: false,
      },
    ]);
    const price = { "mock/nova-like": [0.3, 2.75], "nova-like_flex": [0.15, 1.375] } as Record<
      string,
      number[]
    >;
    const modelOf = new Map(run.cases.map((c) => [c.id, c.model]));
    expect(results).toHaveLength(6);
    for (const r of results) {
      const [input, output] = price[modelOf.get(r.caseId) ?? ""] ?? [];
      const m = r.metrics;
      if (!m) throw new Error(`no metrics for ${r.caseId}`);
      expect(m.outputTokens).toBeGreaterThan(0);
      expect(m.responseCost).toBeCloseTo(
        (m.inputTokens / 1e6) * (input as number) + (m.outputTokens / 1e6) * (output as number),
        15,
      );
      const judged = (r.jury?.verdicts ?? []).reduce(
        (sum, v) => sum + ((v.tokens?.input ?? 0) / 1e6) * 3 + ((v.tokens?.output ?? 0) / 1e6) * 15,
        0,
      );
      expect(m.judgeCost).toBeCloseTo(judged, 15);
    }
  });

  it("reads the seed's per-1,000 files as before, and says nothing about their unit on the console", async () => {
    const root = createFixtureProject({
      "config/models_profiles.jsonl": line({
        model_id: "mock/m",
        input_token_cost: 0.0008,
        output_token_cost: 0.0032,
        mock: MOCK,
      }),
      "config/judge_profiles.jsonl": line({
        model_id: "mock/j",
        input_cost_per_1k: 0.003,
        output_cost_per_1k: 0.015,
      }),
      "evals/q.eval.jsonl": EVAL,
    });
    const res = await runCli(root, []);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).not.toContain("prices read as");
    const { run, results } = runOutputs(root);
    expect(run.config.priceUnits?.map((n) => [n.file, n.unit])).toEqual([
      ["config/models_profiles.jsonl", "per_1k"],
      ["config/judge_profiles.jsonl", "per_1k"],
    ]);
    for (const { metrics: m } of results)
      expect(m?.responseCost).toBeCloseTo(
        ((m?.inputTokens ?? 0) / 1000) * 0.0008 + ((m?.outputTokens ?? 0) / 1000) * 0.0032,
        15,
      );
  });

  it("takes the unit from the config's priceUnit, and a line's price_unit over it, without a warning", async () => {
    const root = createFixtureProject({
      "evals.config.yaml": "priceUnit: per_million\n",
      "config/models_profiles.jsonl": [
        line({ model_id: "mock/a", input_token_cost: 1, output_token_cost: 2, mock: MOCK }),
        line({
          model_id: "mock/b",
          input_token_cost: 0.001,
          output_token_cost: 0.002,
          price_unit: "per_1k",
          mock: MOCK,
        }),
      ].join("\n"),
      "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
      "evals/q.eval.jsonl": EVAL,
    });
    const res = await runCli(root, []);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).not.toContain("prices read as");
    const { run, results } = runOutputs(root);
    expect(run.config.priceUnits?.[0]).toEqual({
      file: "config/models_profiles.jsonl",
      unit: "per_million",
      reason: '"priceUnit" in the config',
      stated: true,
    });
    // Both lines price the same: $1 / $2 per million.
    for (const { metrics: m } of results)
      expect(m?.responseCost).toBeCloseTo(
        ((m?.inputTokens ?? 0) / 1e6) * 1 + ((m?.outputTokens ?? 0) / 1e6) * 2,
        15,
      );
  });

  it("refuses a run through endpoint bedrock_mantle: exit 2, naming the file, line and field, nothing written", async () => {
    const root = createFixtureProject({
      "config/judge_profiles.jsonl": line({ model_id: "mock/j" }),
      "evals/q.eval.jsonl": EVAL,
    });
    mkdirSync(join(root, "config"), { recursive: true });
    copyFileSync(join(NEWER, "mantle_models_profiles.jsonl"), join(root, "config", "models_profiles.jsonl"));
    const res = await runCli(root, []);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(
      'config/models_profiles.jsonl:1: endpoint: jury cannot call bedrock/openai.gpt-oss-120b-1:0@us-west-2 through "bedrock_mantle"',
    );
    expect(res.stderr).toContain("config/models_profiles.jsonl:2: endpoint:");
    expect(res.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(root)).not.toContain("outputs");
  });
});

describe("evals validate on newer 360-eval profiles", () => {
  it("reads them per million: no 'unusually high' warning, the unit said once per file", async () => {
    const root = createFixtureProject({});
    mkdirSync(join(root, "config"), { recursive: true });
    for (const f of ["models_profiles.jsonl", "judge_profiles.jsonl"])
      copyFileSync(join(NEWER, f), join(root, "config", f));
    const res = await runCli(root, [
      "validate",
      "config/models_profiles.jsonl",
      "config/judge_profiles.jsonl",
    ]);
    expect(res.code, res.stdout).toBe(0);
    const lines = res.stdout.split("\n").filter((l) => /^(warning|error): /.test(l));
    expect(lines).toEqual([
      'warning: config/models_profiles.jsonl: prices read as USD per 1,000,000 tokens (newer 360-eval format: "tier_pricing" on line 1); set "priceUnit": "per_million" in the config (or "price_unit" on each line) to say so',
      'warning: config/judge_profiles.jsonl: prices read as USD per 1,000,000 tokens (newer 360-eval format: judge line 1 uses "input_token_cost", not "input_cost_per_1k"); set "priceUnit": "per_million" in the config (or "price_unit" on each line) to say so',
    ]);
  });

  it("warns about a per-1,000 price in a per-million file", async () => {
    const root = createFixtureProject({
      "models_profiles.jsonl": line({
        model_id: "bedrock/us.amazon.nova-micro-v1:0",
        region: "us-east-1",
        input_token_cost: 0.000035,
        output_token_cost: 0.14,
        service_tiers: ["default"],
        tier_pricing: { default: { input: 0.000035, output: 0.14 } },
      }),
    });
    const res = await runCli(root, ["validate", "models_profiles.jsonl"]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(
      'warning: models_profiles.jsonl:1: input_token_cost: unusually low: $0.000035 per million tokens; check the unit (input_token_cost is read as USD per 1,000,000 tokens: newer 360-eval format: "tier_pricing" on line 1); if this line prices per 1,000 tokens, set "price_unit": "per_1k"',
    );
    expect(res.stdout).toContain(
      "warning: models_profiles.jsonl:1: tier_pricing.default.input: unusually low",
    );
    expect(res.stdout).not.toContain("output_token_cost: unusually");
  });
});

describe("evals list", () => {
  it("ends with the unit each profile file's prices were read in, and prices the plan in it", async () => {
    const root = createFixtureProject({ "evals/q.eval.jsonl": EVAL });
    mkdirSync(join(root, "config"), { recursive: true });
    for (const f of ["models_profiles.jsonl", "judge_profiles.jsonl"])
      copyFileSync(join(NEWER, f), join(root, "config", f));
    const res = await runCli(root, ["list"]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout.trimEnd().split("\n").slice(-2)).toEqual([
      'config/models_profiles.jsonl: prices in USD per 1,000,000 tokens (newer 360-eval format: "tier_pricing" on line 1)',
      'config/judge_profiles.jsonl: prices in USD per 1,000,000 tokens (newer 360-eval format: judge line 1 uses "input_token_cost", not "input_cost_per_1k")',
    ]);
    const json = JSON.parse((await runCli(root, ["list", "--json"])).stdout) as {
      priceUnits: { file: string; unit: string }[];
      estimatedCost: { total: number };
    };
    expect(json.priceUnits.map((n) => [n.file, n.unit])).toEqual([
      ["config/models_profiles.jsonl", "per_million"],
      ["config/judge_profiles.jsonl", "per_million"],
    ]);
    // 21 cases judged by 3 judges, per million: under a dollar (read per 1,000 it would be hundreds).
    expect(json.estimatedCost.total).toBeGreaterThan(0.01);
    expect(json.estimatedCost.total).toBeLessThan(1);
  });
});

describe("bad price fields: exit 2, file:line: field, before anything runs", () => {
  const JUDGES = line({ model_id: "mock/j" });
  const CASES: [name: string, files: Record<string, string>, message: string][] = [
    [
      "a price_unit that is no unit",
      {
        "config/models_profiles.jsonl": line({
          model_id: "mock/a",
          input_token_cost: 1,
          price_unit: "per_token",
        }),
      },
      'config/models_profiles.jsonl:1: price_unit: must be "per_1k" or "per_million" (got "per_token")',
    ],
    [
      "a negative tier price",
      {
        "config/models_profiles.jsonl": line({
          model_id: "mock/a",
          tier_pricing: { default: { input: -1, output: 2 } },
        }),
      },
      "config/models_profiles.jsonl:1: tier_pricing.default.input: must be a number ≥ 0, in USD per 1,000,000 tokens (got -1)",
    ],
    [
      "an endpoint jury does not know",
      { "config/models_profiles.jsonl": line({ model_id: "mock/a", endpoint: "bedrock_runtime" }) },
      'config/models_profiles.jsonl:1: endpoint: must be "bedrock_mantle" (Bedrock\'s OpenAI-compatible endpoint) or left out (got "bedrock_runtime")',
    ],
    [
      "a config priceUnit that is no unit",
      {
        "evals.config.yaml": "priceUnit: per_token\n",
        "config/models_profiles.jsonl": line({ model_id: "mock/a" }),
      },
      'evals.config.yaml:1: priceUnit: must be "per_1k" or "per_million"',
    ],
  ];
  it.each(CASES)("%s", async (_name, files, message) => {
    const root = createFixtureProject({
      "config/judge_profiles.jsonl": JUDGES,
      "evals/q.eval.jsonl": EVAL,
      ...files,
    });
    const res = await runCli(root, ["list"]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(message);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });
});
