import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import fg from "fast-glob";
import { describe, expect, it } from "vitest";
import { loadProfiles } from "../../../src/config/profiles.ts";
import { callCost } from "../../../src/metrics/cost.ts";

// The cost of one known call, for every profile line of every 360-eval sample profile file (byte-identical copies
// of data/360-eval-samples) and of every newer-format fixture, through jury's loader and cost path, compared with
// 360-eval's own formula applied to the line as written.
const FIXTURES = join(import.meta.dirname, "..", "..", "..", "fixtures");
const INPUT = 1234;
const OUTPUT = 567;

const files = (dir: string) =>
  fg
    .sync("**/*profiles.jsonl", { cwd: join(FIXTURES, dir), absolute: true })
    .filter((f) => /model|judge/.test(f.split("/").at(-1) ?? ""))
    .sort();
const SAMPLES = files("360-eval-samples");
const NEWER = files("profiles/newer");

type Line = Record<string, unknown> & { tier_pricing?: Record<string, { input: number; output: number }> };

/**
 * 360-eval's formula. The version its README describes: `tokens / 1000 × price`, models priced with
 * `input_token_cost`, judges with `input_cost_per_1k`. The newer version: `tokens / 1_000_000 × price`, judges
 * with `input_token_cost` too, and the tier's `tier_pricing` price when the line has one for its tier.
 */
function seedCost(line: Line, newer: boolean): number {
  if (!newer) {
    const input = (line.input_token_cost ?? line.input_cost_per_1k) as number;
    const output = (line.output_token_cost ?? line.output_cost_per_1k) as number;
    return (INPUT / 1000) * input + (OUTPUT / 1000) * output;
  }
  const tier = line.tier_pricing?.[(line.service_tier as string | undefined) ?? "default"];
  const input = tier?.input ?? (line.input_token_cost as number);
  const output = tier?.output ?? (line.output_token_cost as number);
  return (INPUT / 1_000_000) * input + (OUTPUT / 1_000_000) * output;
}

async function costs(abs: string) {
  const file = relative(FIXTURES, abs);
  const role = /judge/.test(file.split("/").at(-1) ?? "") ? "judge" : "model";
  const loaded = await loadProfiles(abs, file, { role });
  const lines = readFileSync(abs, "utf8").split("\n");
  return {
    loaded,
    lines: lines.filter((l) => l.trim() !== "").length,
    rows: loaded.profiles.map((p) => ({
      key: p.key,
      jury: callCost(p, INPUT, OUTPUT),
      line: JSON.parse(lines[p.source.line - 1] ?? "") as Line,
    })),
  };
}

describe("the cost of a call of 1,234 input and 567 output tokens, as 360-eval computes it", () => {
  it("covers the 8 sample profile files and the newer-format fixtures", () => {
    expect(SAMPLES.map((f) => relative(join(FIXTURES, "360-eval-samples"), f))).toEqual([
      "amazon-bedrock-samples/migrations/360-eval/default-config/judge_profiles.jsonl",
      "amazon-bedrock-samples/migrations/360-eval/default-config/models_profiles.jsonl",
      "amazon-bedrock-samples/poc-to-prod/360-eval/config/judge_profiles.jsonl",
      "amazon-bedrock-samples/poc-to-prod/360-eval/config/models_profiles.jsonl",
      "amazon-bedrock-samples/poc-to-prod/360-eval/prompt-evaluations/judge_profiles.jsonl",
      "amazon-bedrock-samples/poc-to-prod/360-eval/prompt-evaluations/model_profiles.jsonl",
      "sample-bedrock-migration-and-modernization-tools/360-eval/config/judge_profiles.jsonl",
      "sample-bedrock-migration-and-modernization-tools/360-eval/config/models_profiles.jsonl",
    ]);
    expect(NEWER.map((f) => f.split("/").at(-1))).toEqual([
      "judge_profiles.jsonl",
      "mantle_models_profiles.jsonl",
      "models_profiles.jsonl",
    ]);
  });

  it.each(SAMPLES.map((f) => [relative(FIXTURES, f), f]))(
    "%s: per 1,000 tokens, every line",
    async (_name, abs) => {
      const { loaded, lines, rows } = await costs(abs);
      expect(loaded.problems).toEqual([]);
      expect(loaded.priceUnit).toMatchObject({ unit: "per_1k", stated: false });
      expect(rows).toHaveLength(lines);
      for (const r of rows) expect(r.jury, r.key).toBeCloseTo(seedCost(r.line, false), 15);
    },
  );

  it.each(NEWER.map((f) => [relative(FIXTURES, f), f]))(
    "%s: per million tokens, at the profile's tier",
    async (_name, abs) => {
      const { loaded, lines, rows } = await costs(abs);
      expect(loaded.problems).toEqual([]);
      expect(loaded.priceUnit).toMatchObject({ unit: "per_million", stated: false });
      expect(rows).toHaveLength(lines);
      for (const r of rows) expect(r.jury, r.key).toBeCloseTo(seedCost(r.line, true), 15);
    },
  );

  it("prices Nova 2 Lite's three tiers at their own tier_pricing (not at input_token_cost)", async () => {
    const { rows } = await costs(join(FIXTURES, "profiles/newer/models_profiles.jsonl"));
    const nova = rows.filter((r) => r.key.startsWith("bedrock/us.amazon.nova-2-lite-v1:0@us-east-1"));
    expect(nova.map((r) => [r.key, Number(r.jury.toFixed(10))])).toEqual([
      ["bedrock/us.amazon.nova-2-lite-v1:0@us-east-1", 0.00192945], // 1234 × 0.3/1e6 + 567 × 2.75/1e6
      ["bedrock/us.amazon.nova-2-lite-v1:0@us-east-1_flex", 0.000964725],
      ["bedrock/us.amazon.nova-2-lite-v1:0@us-east-1_priority", 0.0033765375],
    ]);
  });
});
