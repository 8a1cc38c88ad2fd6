import type { PriceUnit, ServiceTier, TierPrice } from "../types.ts";
import { lineUnit, PRICE_UNITS, TOKENS_PER_PRICE, unitText } from "./price-unit.ts";
import { isObject, show } from "./value-text.ts";

type Report = (path: string, message: string) => void;

/** A profile line's prices, normalised to USD per 1,000 tokens. */
export interface ProfilePricing {
  inputCostPer1k: number;
  outputCostPer1k: number;
  serviceTiers?: string[];
  tierPricing?: Record<string, TierPrice>;
}

/**
 * Reads a profile line's prices (pure): `price_unit`, the `*_token_cost` / `*_cost_per_1k` / `*_cost_per_1m`
 * pairs, `tier_pricing` and `service_tiers`. `*_token_cost` and `tier_pricing` are in the line's `price_unit`, else
 * in `fileUnit`; the other fields say their unit. Problems name the field.
 */
export function parsePricing(
  v: Record<string, unknown>,
  fileUnit: PriceUnit,
  problem: Report,
): ProfilePricing {
  if (
    v.price_unit !== undefined &&
    v.price_unit !== null &&
    !(PRICE_UNITS as readonly unknown[]).includes(v.price_unit)
  )
    problem("price_unit", `must be "per_1k" or "per_million" (got ${show(v.price_unit)})`);
  const unit = lineUnit(v, fileUnit);
  const inputCostPer1k = cost(v, "input", unit, problem);
  const outputCostPer1k = cost(v, "output", unit, problem);
  const tierPricing = parseTierPricing(v.tier_pricing, unit, problem);
  const serviceTiers = parseServiceTiers(v.service_tiers, problem);
  return {
    inputCostPer1k,
    outputCostPer1k,
    ...(serviceTiers ? { serviceTiers } : {}),
    ...(tierPricing ? { tierPricing } : {}),
  };
}

/**
 * Warns when the tier a profile runs at (`default` when none) is not among its `service_tiers`, or has no
 * `tier_pricing` price (its calls are then priced at the line's own costs).
 */
export function checkTierChoice(
  pricing: ProfilePricing,
  serviceTier: ServiceTier | undefined,
  warn: Report,
): void {
  const tier = serviceTier ?? "default";
  if (pricing.serviceTiers && !pricing.serviceTiers.includes(tier))
    warn(
      "service_tier",
      `"${tier}" is not in service_tiers (${pricing.serviceTiers.join(", ")}): the model may not offer it`,
    );
  if (pricing.tierPricing && !pricing.tierPricing[tier])
    warn(
      "tier_pricing",
      `no "${tier}" price: calls are priced at input_token_cost / output_token_cost; add "${tier}" to tier_pricing`,
    );
}

/**
 * USD per 1,000 tokens from whichever field is given; 0 when none is. `*_token_cost` is in the line's unit, the
 * other fields say theirs. Differing duplicates are a problem.
 */
function cost(
  v: Record<string, unknown>,
  side: "input" | "output",
  unit: PriceUnit,
  problem: Report,
): number {
  const fields: [string, number][] = [
    [`${side}_token_cost`, TOKENS_PER_PRICE[unit] / 1000],
    [`${side}_cost_per_1k`, 1],
    [`${side}_cost_per_1m`, 1000],
  ];
  let found: { field: string; per1k: number } | undefined;
  for (const [field, divisor] of fields) {
    const x = v[field];
    if (x === undefined || x === null) continue;
    if (typeof x !== "number" || !Number.isFinite(x) || x < 0) {
      problem(
        field,
        `must be a number ≥ 0, in ${unitText(divisor === 1 ? "per_1k" : "per_million")} (got ${show(x)})`,
      );
      return 0;
    }
    const per1k = x / divisor;
    if (found && Math.abs(found.per1k - per1k) > 1e-12) {
      problem(field, `disagrees with ${found.field}; give the ${side} cost once`);
      return 0;
    }
    found ??= { field, per1k };
  }
  return found?.per1k ?? 0;
}

/** `tier_pricing`: `{tier: {input, output}}` in the line's unit, normalised to USD per 1,000 tokens. */
function parseTierPricing(
  x: unknown,
  unit: PriceUnit,
  problem: Report,
): Record<string, TierPrice> | undefined {
  if (x === undefined || x === null) return undefined;
  const example = '{"default": {"input": 0.3, "output": 2.75}, "flex": {"input": 0.15, "output": 1.375}}';
  if (!isObject(x)) {
    problem("tier_pricing", `must be an object of tiers such as ${example} (got ${show(x)})`);
    return undefined;
  }
  const divisor = TOKENS_PER_PRICE[unit] / 1000;
  const out: Record<string, TierPrice> = {};
  for (const [tier, price] of Object.entries(x)) {
    if (!isObject(price)) {
      problem(
        `tier_pricing.${tier}`,
        `must be {"input": …, "output": …} in ${unitText(unit)} (got ${show(price)})`,
      );
      continue;
    }
    const side = (s: "input" | "output"): number | undefined => {
      const n = price[s];
      if (typeof n === "number" && Number.isFinite(n) && n >= 0) return n / divisor;
      problem(`tier_pricing.${tier}.${s}`, `must be a number ≥ 0, in ${unitText(unit)} (got ${show(n)})`);
      return undefined;
    };
    const input = side("input");
    const output = side("output");
    if (input !== undefined && output !== undefined) out[tier] = { inputPer1k: input, outputPer1k: output };
  }
  return out;
}

/** `service_tiers`: a list of tier names. */
function parseServiceTiers(x: unknown, problem: Report): string[] | undefined {
  if (x === undefined || x === null) return undefined;
  if (Array.isArray(x) && x.every((t) => typeof t === "string" && t.trim() !== ""))
    return x.map((t) => t.trim());
  problem(
    "service_tiers",
    `must be a list of tier names such as ["default", "flex", "priority"] (got ${show(x)})`,
  );
  return undefined;
}
