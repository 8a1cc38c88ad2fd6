import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { filePriceUnit, priceFields } from "../../../src/config/price-unit.ts";
import { loadProfiles, parseProfiles } from "../../../src/config/profiles.ts";
import { formatProblem } from "../../../src/errors.ts";
import { callCost, callPrices } from "../../../src/metrics/cost.ts";
import { profileLine } from "../../../src/ui/api/setup.ts";

const FIXTURES = join(import.meta.dirname, "..", "..", "..", "fixtures", "profiles");
const rows = (...values: object[]) => values.map((value, i) => ({ line: i + 1, value }));
const jsonl = (...values: object[]) => values.map((v) => JSON.stringify(v)).join("\n");
const TIERS = {
  service_tiers: ["default", "flex", "priority"],
  tier_pricing: {
    default: { input: 0.3, output: 2.75 },
    flex: { input: 0.15, output: 1.375 },
    priority: { input: 0.525, output: 4.8125 },
  },
};
const NOVA = { model_id: "bedrock/us.amazon.nova-2-lite-v1:0", region: "us-east-1" };

describe("filePriceUnit: the unit of a file's prices", () => {
  it("is per million when a line carries service_tiers or tier_pricing, naming the first", () => {
    expect(
      filePriceUnit(
        rows({ model_id: "a", input_token_cost: 0.001 }, { model_id: "b", service_tiers: ["default"] }),
      ),
    ).toEqual({
      unit: "per_million",
      reason: 'newer 360-eval format: "service_tiers" on line 2',
      stated: false,
    });
  });

  it("is per million for a judge file priced with input_token_cost only, per 1,000 when it also uses *_per_1k", () => {
    const newer = rows({ model_id: "j", input_token_cost: 3, output_token_cost: 15 });
    expect(filePriceUnit(newer, { role: "judge" }).unit).toBe("per_million");
    // The same line in a model file is the seed's per-1,000 format.
    expect(filePriceUnit(newer, { role: "model" }).unit).toBe("per_1k");
    const mixed = rows(
      { model_id: "j1", input_cost_per_1k: 0.003, output_cost_per_1k: 0.015 },
      { model_id: "j2", input_token_cost: 0.00015, output_token_cost: 0.0006 },
    );
    expect(filePriceUnit(mixed, { role: "judge" }).unit).toBe("per_1k");
  });

  it("takes the config's priceUnit over any inference, and leaves lines stating their own out of the guess", () => {
    expect(filePriceUnit(rows({ model_id: "a", ...TIERS }), { configUnit: "per_1k" })).toEqual({
      unit: "per_1k",
      reason: '"priceUnit" in the config',
      stated: true,
    });
    expect(
      filePriceUnit(rows({ model_id: "a", ...TIERS, price_unit: "per_1k" }, { model_id: "b" })).unit,
    ).toBe("per_1k");
    expect(filePriceUnit(rows({ model_id: "a", input_token_cost: 1, price_unit: "per_million" }))).toEqual({
      unit: "per_million",
      reason: 'every line states it ("price_unit")',
      stated: true,
    });
  });

  it("is per 1,000 for the seed's older files, e.g. a YAML judge file mixing both judge fields", async () => {
    const r = await loadProfiles(join(FIXTURES, "judges.yml"), "judges.yml", { role: "judge" });
    expect(r.priceUnit).toMatchObject({ unit: "per_1k", stated: false });
    expect(r.profiles.map((p) => p.inputCostPer1k)).toEqual([0.003, 0.00015]);
  });
});

describe("parseProfiles: newer 360-eval lines", () => {
  const parse = (text: string, role: "model" | "judge" = "model") =>
    parseProfiles(text, "m.jsonl", "jsonl", { role });

  it("keeps tiers, tier prices (per 1,000 tokens) and the endpoint; accepts service_tier_label", () => {
    const r = parse(
      jsonl({
        ...NOVA,
        input_token_cost: 0.3,
        output_token_cost: 2.75,
        ...TIERS,
        service_tier: "flex",
        service_tier_label: "_flex",
        endpoint: "bedrock_mantle",
      }),
    );
    expect(r.problems).toEqual([]);
    expect(r.warnings.map(formatProblem)).toEqual([
      'm.jsonl: prices read as USD per 1,000,000 tokens (newer 360-eval format: "tier_pricing" on line 1); set "priceUnit": "per_million" in the config (or "price_unit" on each line) to say so',
    ]);
    const [p] = r.profiles;
    expect(p).toMatchObject({
      key: "bedrock/us.amazon.nova-2-lite-v1:0@us-east-1_flex",
      inputCostPer1k: 0.0003,
      outputCostPer1k: 0.00275,
      serviceTier: "flex",
      serviceTiers: ["default", "flex", "priority"],
      endpoint: "bedrock_mantle",
    });
    expect(p?.tierPricing?.flex?.inputPer1k).toBeCloseTo(0.00015, 15);
    expect(p?.tierPricing?.priority?.outputPer1k).toBeCloseTo(0.0048125, 15);
    expect(p && callPrices(p)).toEqual(p?.tierPricing?.flex);
  });

  it("reads *_cost_per_1k and *_cost_per_1m in their own unit whatever the file's", () => {
    const r = parse(jsonl({ ...NOVA, input_cost_per_1k: 0.0003, output_cost_per_1m: 2.75, ...TIERS }));
    expect(r.problems).toEqual([]);
    expect(r.profiles[0]).toMatchObject({ inputCostPer1k: 0.0003, outputCostPer1k: 0.00275 });
  });

  it("reads prompt-cache prices in the line's unit too, as its *_token_cost", () => {
    const perMillion = parse(
      jsonl({ ...NOVA, ...TIERS, cache_read_token_cost: 0.03, cache_write_token_cost: 0.375 }),
    );
    expect(perMillion.problems).toEqual([]);
    expect(perMillion.profiles[0]?.cacheReadCostPer1k).toBeCloseTo(0.00003, 15);
    expect(perMillion.profiles[0]?.cacheWriteCostPer1k).toBeCloseTo(0.000375, 15);
    const perThousand = parse(jsonl({ model_id: "anthropic/claude-x", cache_read_token_cost: 0.0003 }));
    expect(perThousand.profiles[0]?.cacheReadCostPer1k).toBe(0.0003);
    expect(
      parse(jsonl({ ...NOVA, ...TIERS, cache_read_token_cost: -1 })).problems.map(formatProblem),
    ).toEqual([
      "m.jsonl:1: cache_read_token_cost: must be a number ≥ 0, in USD per 1,000,000 tokens (got -1)",
    ]);
  });

  it("warns when the tier has no tier price, or is not among service_tiers", () => {
    const r = parse(
      jsonl({
        ...NOVA,
        input_token_cost: 0.3,
        output_token_cost: 2.75,
        service_tiers: ["default", "flex"],
        tier_pricing: { default: { input: 0.3, output: 2.75 } },
        service_tier: "priority",
      }),
    );
    expect(r.problems).toEqual([]);
    expect(r.warnings.map(formatProblem).slice(1)).toEqual([
      'm.jsonl:1: service_tier: "priority" is not in service_tiers (default, flex): the model may not offer it',
      'm.jsonl:1: tier_pricing: no "priority" price: calls are priced at input_token_cost / output_token_cost; add "priority" to tier_pricing',
    ]);
    const [p] = r.profiles;
    expect(p && callCost(p, 1_000_000, 0)).toBeCloseTo(0.3, 12);
  });

  it("names the line and field of a bad price_unit, tier price, service_tiers or endpoint", () => {
    const r = parse(
      jsonl(
        { model_id: "openai/a", input_token_cost: 1, price_unit: "per_token" },
        { model_id: "openai/b", tier_pricing: { default: { input: -1, output: "2" }, flex: 3 } },
        { model_id: "openai/c", tier_pricing: [1] },
        { model_id: "openai/d", service_tiers: "default" },
        { model_id: "openai/e", endpoint: "bedrock_runtime" },
      ),
    );
    expect(r.problems.map(formatProblem)).toEqual([
      'm.jsonl:1: price_unit: must be "per_1k" or "per_million" (got "per_token")',
      "m.jsonl:2: tier_pricing.default.input: must be a number ≥ 0, in USD per 1,000,000 tokens (got -1)",
      'm.jsonl:2: tier_pricing.default.output: must be a number ≥ 0, in USD per 1,000,000 tokens (got "2")',
      'm.jsonl:2: tier_pricing.flex: must be {"input": …, "output": …} in USD per 1,000,000 tokens (got 3)',
      'm.jsonl:3: tier_pricing: must be an object of tiers such as {"default": {"input": 0.3, "output": 2.75}, "flex": {"input": 0.15, "output": 1.375}} (got an array)',
      'm.jsonl:4: service_tiers: must be a list of tier names such as ["default", "flex", "priority"] (got "default")',
      'm.jsonl:5: endpoint: must be "bedrock_mantle" (Bedrock\'s OpenAI-compatible endpoint) or left out (got "bedrock_runtime")',
    ]);
  });

  it("prices a newer judge file per million", () => {
    const r = parse(jsonl({ model_id: "mock/j", input_token_cost: 3, output_token_cost: 15 }), "judge");
    expect(r.priceUnit?.unit).toBe("per_million");
    const [j] = r.profiles;
    expect(j && callCost(j, 1234, 567)).toBeCloseTo((1234 * 3 + 567 * 15) / 1e6, 15);
  });
});

describe("profile lines written back (the dashboard's Setup)", () => {
  it("say their unit, so a per-million profile and its tiers cost the same wherever the line lands", () => {
    const loaded = parseProfiles(
      jsonl({ ...NOVA, input_token_cost: 0.3, output_token_cost: 2.75, ...TIERS, service_tier: "priority" }),
      "m.jsonl",
      "jsonl",
    );
    const [p] = loaded.profiles;
    if (!p) throw new Error("no profile");
    const line = profileLine(p);
    expect(line).toMatchObject({ price_unit: "per_1k", service_tier: "priority" });
    expect(priceFields(p).tier_pricing).toBeDefined();
    // Read back as a judge file (where input_token_cost alone would otherwise mean per million).
    const back = parseProfiles(jsonl(line), "judges.jsonl", "jsonl", { role: "judge" });
    expect(back.problems).toEqual([]);
    const [q] = back.profiles;
    expect(q && callCost(q, 1234, 567)).toBeCloseTo(callCost(p, 1234, 567), 15);
    expect(callCost(p, 1234, 567)).toBeCloseTo((1234 * 0.525 + 567 * 4.8125) / 1e6, 15);
  });
});
