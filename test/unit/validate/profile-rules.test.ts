import { describe, expect, it } from "vitest";
import { readProfileRows } from "../../../src/validate/profile-rows.ts";
import {
  checkCosts,
  checkDuplicates,
  checkModelId,
  checkProfile,
  checkProfileRows,
  checkRegion,
  checkServiceTier,
  checkTargetRpm,
  checkUnknownFields,
  REGION_PATTERN,
} from "../../../src/validate/profile-rules.ts";

const NOVA = {
  model_id: "bedrock/us.amazon.nova-pro-v1:0",
  region: "us-west-2",
  input_token_cost: 0.0008,
  output_token_cost: 0.0032,
};

describe("checkProfile", () => {
  it("accepts the seed's documented examples", () => {
    expect(checkProfile(NOVA)).toEqual([]);
    expect(checkProfile({ ...NOVA, target_rpm: 60, service_tier: "priority" })).toEqual([]);
    expect(
      checkProfile({ model_id: "openai/gpt-4o", input_token_cost: 0.00125, output_token_cost: 0.01 }),
    ).toEqual([]);
    expect(
      checkProfile({
        model_id: "bedrock/us.amazon.nova-premier-v1:0",
        region: "us-east-2",
        input_cost_per_1k: 0.0025,
        output_cost_per_1k: 0.0125,
      }),
    ).toEqual([]);
    expect(checkProfile({ model_id: "mock/good", mock: { quality: 0.9 } })).toEqual([]);
  });

  it("rejects a line that is not an object", () => {
    expect(checkProfile([1])).toEqual([
      {
        path: "",
        message: 'each profile must be an object with at least "model_id" (got an array)',
        severity: "error",
      },
    ]);
  });
});

describe("checkModelId", () => {
  it("requires model_id", () => {
    expect(checkModelId({ region: "us-east-1" }).findings).toEqual([
      {
        path: "model_id",
        message: 'required: a provider-prefixed id such as "bedrock/us.amazon.nova-pro-v1:0" (got nothing)',
        severity: "error",
      },
    ]);
  });

  it("knows every provider prefix", () => {
    for (const p of ["bedrock", "openai", "azure", "gemini", "anthropic", "openai-compatible", "mock"])
      expect(checkModelId({ model_id: `${p}/m` })).toEqual({ provider: p, findings: [] });
  });

  it("rejects an unknown prefix and a missing model", () => {
    expect(checkModelId({ model_id: "cohere/command-r" }).findings[0]?.message).toBe(
      'unknown provider "cohere/"; use one of bedrock/, openai/, azure/, gemini/, anthropic/, openai-compatible/, mock/ (got "cohere/command-r")',
    );
    expect(checkModelId({ model_id: "openai/" }).findings[0]?.message).toBe(
      'missing the model after "openai/" (got "openai/")',
    );
  });

  it("reads an unprefixed id as the older Bedrock format, with a warning", () => {
    expect(checkModelId({ model_id: "us.amazon.nova-pro-v1:0" })).toEqual({
      provider: "bedrock",
      findings: [
        {
          path: "model_id",
          message:
            '"us.amazon.nova-pro-v1:0" has no provider prefix (older 360-eval format); loaded as "bedrock/us.amazon.nova-pro-v1:0" — write that to silence this',
          severity: "warning",
        },
      ],
    });
  });
});

describe("checkRegion", () => {
  it("requires a region for Bedrock only", () => {
    expect(checkRegion({}, "bedrock")).toEqual([
      {
        path: "region",
        message: 'required for bedrock/ models: add "region": "us-east-1" (or the region to call)',
        severity: "error",
      },
    ]);
    expect(checkRegion({}, "openai")).toEqual([]);
    expect(checkRegion({}, "gemini")).toEqual([]);
  });

  it("accepts commercial, GovCloud and ISO region names", () => {
    for (const r of [
      "us-west-2",
      "eu-central-1",
      "ap-southeast-7",
      "us-gov-west-1",
      "us-gov-east-1",
      "us-iso-east-1",
    ])
      expect(checkRegion({ region: r }, "bedrock")).toEqual([]);
  });

  it("rejects a malformed Bedrock region", () => {
    for (const r of ["NA", "us-west", "uswest2", "us-gov-west", "US-WEST-2"])
      expect(checkRegion({ region: r }, "bedrock")).toEqual([
        {
          path: "region",
          message: `not an AWS region name such as "us-west-2", "eu-central-1" or "us-gov-west-1" (got "${r}")`,
          severity: "error",
        },
      ]);
    expect(checkRegion({ region: 2 }, "bedrock")[0]?.message).toBe(
      'must be a string such as "us-west-2" (got 2)',
    );
  });

  it("never checks the format of a non-Bedrock region, only says it is ignored", () => {
    expect(checkRegion({ region: "NA" }, "openai")).toEqual([
      {
        path: "region",
        message: 'ignored: only bedrock/ models use a region (got "NA"); remove it',
        severity: "warning",
      },
    ]);
  });

  it("exports the pattern", () => {
    expect(REGION_PATTERN.test("il-central-1")).toBe(true);
  });
});

describe("checkCosts", () => {
  it("rejects negative and non-numeric costs", () => {
    expect(checkCosts({ input_token_cost: -1, output_token_cost: "0.1" }, "openai")).toEqual([
      {
        path: "input_token_cost",
        message: "must be a number ≥ 0, in USD per 1,000 tokens (got -1)",
        severity: "error",
      },
      {
        path: "output_token_cost",
        message: 'must be a number ≥ 0, in USD per 1,000 tokens (got "0.1")',
        severity: "error",
      },
    ]);
  });

  it("warns when a cost is unusually high (a per-million price in a per-1,000 field)", () => {
    expect(checkCosts({ input_token_cost: 3, output_token_cost: 0.015 }, "bedrock")).toEqual([
      {
        path: "input_token_cost",
        message:
          'unusually high: $3 per 1,000 tokens ($3000 per million); check the unit (input_token_cost is read as USD per 1,000 tokens); if it is a per-million price, set "price_unit": "per_million" (or "priceUnit" in the config)',
        severity: "warning",
      },
    ]);
    expect(checkCosts({ input_cost_per_1m: 3, output_cost_per_1m: 15 }, "bedrock")).toEqual([]);
    expect(checkCosts({ input_cost_per_1m: 3, output_cost_per_1m: 150 }, "bedrock")[0]?.path).toBe(
      "output_cost_per_1m",
    );
  });

  it("warns when a real model has no cost, but not a mock one", () => {
    expect(checkCosts({ input_token_cost: 0.001 }, "openai")).toEqual([
      {
        path: "output_token_cost",
        message: 'missing: costs are reported as $0; add "output_token_cost" (USD per 1,000 tokens)',
        severity: "warning",
      },
    ]);
    expect(checkCosts({}, "mock")).toEqual([]);
    expect(checkCosts({ input_token_cost: 0, output_token_cost: 0 }, "openai")).toEqual([]);
  });
});

describe("checkTargetRpm", () => {
  it("accepts no limit, null and positive numbers", () => {
    expect(checkTargetRpm({})).toEqual([]);
    expect(checkTargetRpm({ target_rpm: null })).toEqual([]);
    expect(checkTargetRpm({ target_rpm: 600 })).toEqual([]);
  });

  it("rejects zero, negative and non-numbers", () => {
    for (const [x, shown] of [
      [0, "0"],
      [-5, "-5"],
      ["60", '"60"'],
    ] as const)
      expect(checkTargetRpm({ target_rpm: x })).toEqual([
        {
          path: "target_rpm",
          message: `must be a number above 0, or null for no rate limit (got ${shown})`,
          severity: "error",
        },
      ]);
  });

  it("warns above 600", () => {
    expect(checkTargetRpm({ target_rpm: 601 })).toEqual([
      {
        path: "target_rpm",
        message:
          "601 requests per minute is above 600; check the model's quota in this region, or expect throttling",
        severity: "warning",
      },
    ]);
  });
});

describe("checkServiceTier", () => {
  it("accepts default, priority and flex on Bedrock", () => {
    for (const t of ["default", "priority", "flex"])
      expect(checkServiceTier({ service_tier: t }, "bedrock")).toEqual([]);
  });

  it("rejects another tier", () => {
    expect(checkServiceTier({ service_tier: "reserved" }, "bedrock")).toEqual([
      {
        path: "service_tier",
        message: 'must be one of default, priority, flex (got "reserved")',
        severity: "error",
      },
    ]);
  });

  it("warns that only Bedrock is sent a tier", () => {
    expect(checkServiceTier({ service_tier: "flex" }, "openai")).toEqual([
      {
        path: "service_tier",
        message:
          "only bedrock/ models are sent a service tier; openai/ ignores it (the profile is still a separate variant)",
        severity: "warning",
      },
    ]);
  });
});

describe("checkUnknownFields", () => {
  it("warns about unknown and older fields", () => {
    expect(checkUnknownFields({ ...NOVA, inference_profile: "standard", temprature: 1 })).toEqual([
      { path: "inference_profile", message: "older 360-eval field, ignored; remove it", severity: "warning" },
      { path: "temprature", message: "unknown field, ignored", severity: "warning" },
    ]);
  });
});

describe("checkDuplicates", () => {
  const rows = (...values: object[]) => values.map((value, i) => ({ line: i + 1, value }));

  it("errors on the same model, region and tier twice", () => {
    expect(checkDuplicates(rows(NOVA, { ...NOVA, input_token_cost: 0.001 }))).toEqual([
      {
        line: 2,
        finding: {
          path: "model_id",
          message:
            'duplicate profile "bedrock/us.amazon.nova-pro-v1:0@us-west-2" (also on line 1); give one a different region, service_tier or name',
          severity: "error",
        },
      },
    ]);
  });

  it("lets other regions and tiers be variants of one model", () => {
    expect(
      checkDuplicates(
        rows(
          NOVA,
          { ...NOVA, region: "us-east-1" },
          { ...NOVA, service_tier: "priority" },
          { ...NOVA, service_tier: "flex" },
        ),
      ),
    ).toEqual([]);
  });

  it("warns when no tier and the default tier are both given, or a name hides a repeat", () => {
    expect(checkDuplicates(rows(NOVA, { ...NOVA, service_tier: "default" }))).toEqual([
      {
        line: 2,
        finding: {
          path: "model_id",
          message:
            "same model, region and service tier as line 1 (no service_tier means default): it runs twice",
          severity: "warning",
        },
      },
    ]);
    expect(checkDuplicates(rows(NOVA, { ...NOVA, name: "nova-again" }))[0]?.finding.severity).toBe("warning");
  });

  it("treats an unprefixed id as its bedrock/ form, and ignores region on other providers", () => {
    expect(
      checkDuplicates(rows(NOVA, { ...NOVA, model_id: "us.amazon.nova-pro-v1:0" }))[0]?.finding.severity,
    ).toBe("error");
    expect(
      checkDuplicates(
        rows({ model_id: "openai/gpt-4o", region: "a" }, { model_id: "openai/gpt-4o", region: "b" }),
      ).length,
    ).toBe(1);
  });
});

describe("checkProfileRows", () => {
  it("places every finding at its file and line, in line order", () => {
    const text = [
      JSON.stringify(NOVA),
      JSON.stringify({ model_id: "bedrock/x", region: "us-gov-west-1", target_rpm: 1000 }),
      JSON.stringify(NOVA),
    ].join("\n");
    expect(checkProfileRows(readProfileRows(text, "jsonl"), "m.jsonl")).toEqual([
      {
        file: "m.jsonl",
        line: 2,
        path: "input_token_cost",
        message: 'missing: costs are reported as $0; add "input_token_cost" (USD per 1,000 tokens)',
        severity: "warning",
      },
      {
        file: "m.jsonl",
        line: 2,
        path: "output_token_cost",
        message: 'missing: costs are reported as $0; add "output_token_cost" (USD per 1,000 tokens)',
        severity: "warning",
      },
      {
        file: "m.jsonl",
        line: 2,
        path: "target_rpm",
        message:
          "1000 requests per minute is above 600; check the model's quota in this region, or expect throttling",
        severity: "warning",
      },
      {
        file: "m.jsonl",
        line: 3,
        path: "model_id",
        message:
          'duplicate profile "bedrock/us.amazon.nova-pro-v1:0@us-west-2" (also on line 1); give one a different region, service_tier or name',
        severity: "error",
      },
    ]);
  });

  it("reads YAML profiles with their lines", () => {
    const yaml =
      "models:\n  - model_id: openai/gpt-4o\n    input_token_cost: 0.0025\n    output_token_cost: 0.01\n  - model_id: bedrock/x\n";
    expect(
      checkProfileRows(readProfileRows(yaml, "yaml"), "m.yaml").filter((p) => p.severity === "error"),
    ).toEqual([
      {
        file: "m.yaml",
        line: 5,
        path: "region",
        message: 'required for bedrock/ models: add "region": "us-east-1" (or the region to call)',
        severity: "error",
      },
    ]);
  });
});
