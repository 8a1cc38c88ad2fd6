import { filePriceUnit, lineUnit, TOKENS_PER_PRICE, unitText } from "../config/price-unit.ts";
import { parseCacheAndThinking } from "../config/profile-cache-thinking.ts";
import { PROFILE_FIELDS, PROVIDERS, providerOf, SERVICE_TIERS } from "../config/profiles.ts";
import type { Problem } from "../errors.ts";
import type { PriceUnit, ProviderName } from "../types.ts";
import type { ProfileRow } from "./profile-rows.ts";

/** A profile cost above this (USD per 1,000 tokens, i.e. $100 per million) is probably in the wrong unit. */
export const HIGH_COST_PER_1K = 0.1;
/**
 * In a per-million file, a price above 0 below this (USD per million tokens) is probably a per-1,000 price: the
 * cheapest Bedrock text models cost a few cents per million.
 */
export const LOW_COST_PER_MILLION = 0.01;
/** A `target_rpm` above this gets a warning: most Bedrock on-demand quotas are lower. */
export const HIGH_RPM = 600;
/** AWS region names: `us-west-2`, `eu-central-1`, `ap-southeast-7`, GovCloud `us-gov-west-1`, ISO `us-iso-east-1`. */
export const REGION_PATTERN =
  /^[a-z]{2}-(?:gov-|iso-|isob-|isof-)?(?:north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2}$/;

const KNOWN_FIELDS = PROFILE_FIELDS;
/** Cost fields and their unit; `undefined`: the line's (file's) unit. */
const COST_FIELDS: readonly { field: string; side: "input" | "output"; unit?: PriceUnit }[] = [
  { field: "input_token_cost", side: "input" },
  { field: "input_cost_per_1k", side: "input", unit: "per_1k" },
  { field: "input_cost_per_1m", side: "input", unit: "per_million" },
  { field: "output_token_cost", side: "output" },
  { field: "output_cost_per_1k", side: "output", unit: "per_1k" },
  { field: "output_cost_per_1m", side: "output", unit: "per_million" },
];

/** A rule's finding before it is placed in a file: the field, the message and how serious it is. */
export interface Finding {
  path: string;
  message: string;
  severity: "error" | "warning";
}

type Profile = Record<string, unknown>;

const error = (path: string, message: string): Finding => ({ path, message, severity: "error" });
const warning = (path: string, message: string): Finding => ({ path, message, severity: "warning" });

/**
 * Every rule on every row of a model or judge profile file (pure), as problems with a severity, in line order.
 * Row rules run on each object line, prices in the file's unit (`filePriceUnit`: `role` is whose profiles the file
 * holds, `priceUnit` the config's); the duplicate rule runs across lines.
 * @example checkProfileRows([{ line: 1, value: { model_id: "bedrock/x" } }], "m.jsonl")
 * // [{ file: "m.jsonl", line: 1, path: "region", message: 'required for bedrock/ models: …', severity: "error" }, …]
 */
export function checkProfileRows(
  rows: readonly ProfileRow[],
  file: string,
  context: { role?: "model" | "judge"; priceUnit?: PriceUnit } = {},
): Problem[] {
  const problems: Problem[] = [];
  const unit = filePriceUnit(rows, {
    ...(context.role ? { role: context.role } : {}),
    ...(context.priceUnit ? { configUnit: context.priceUnit } : {}),
  });
  for (const row of rows)
    for (const f of checkProfile(row.value, unit)) problems.push(placed(file, row.line, f));
  for (const { line, finding } of checkDuplicates(rows)) problems.push(placed(file, line, finding));
  return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/**
 * The rules of one profile line: shape, model id, region, costs (in `fileUnit`, the unit of its file's
 * `*_token_cost`, unless the line states its `price_unit`), target RPM, service tier, endpoint, unknown fields.
 */
export function checkProfile(
  value: unknown,
  fileUnit: { unit: PriceUnit; reason: string } = { unit: "per_1k", reason: "" },
): Finding[] {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return [error("", `each profile must be an object with at least "model_id" (got ${show(value)})`)];
  const v = value as Profile;
  const id = checkModelId(v);
  const provider = id.provider;
  return [
    ...checkUnknownFields(v),
    ...id.findings,
    ...(provider ? checkRegion(v, provider) : []),
    ...checkCosts(v, provider, fileUnit),
    ...checkTargetRpm(v),
    ...checkServiceTier(v, provider),
    ...checkEndpoint(v),
    ...parseCacheAndThinking(v, provider, lineUnit(v, fileUnit.unit)).findings,
  ];
}

/**
 * `model_id`: required, with a known provider prefix. An id without a prefix is the older 360-eval format and
 * means Bedrock (a warning); an unknown lowercase prefix is an error.
 */
export function checkModelId(v: Profile): { provider?: ProviderName; findings: Finding[] } {
  const raw = v.model_id;
  if (typeof raw !== "string" || raw.trim() === "")
    return {
      findings: [
        error(
          "model_id",
          `required: a provider-prefixed id such as "bedrock/us.amazon.nova-pro-v1:0" (got ${show(raw)})`,
        ),
      ],
    };
  const id = raw.trim();
  const { provider, model } = providerOf(id);
  if (provider) {
    if (model.trim() === "")
      return { findings: [error("model_id", `missing the model after "${provider}/" (got ${show(id)})`)] };
    return { provider, findings: [] };
  }
  const prefix = /^([a-z][a-z0-9_-]*)\//.exec(id)?.[1];
  if (prefix)
    return {
      findings: [
        error(
          "model_id",
          `unknown provider "${prefix}/"; use one of ${PROVIDERS.map((p) => `${p}/`).join(", ")} (got ${show(id)})`,
        ),
      ],
    };
  return {
    provider: "bedrock",
    findings: [
      warning(
        "model_id",
        `"${id}" has no provider prefix (older 360-eval format); loaded as "bedrock/${id}" — write that to silence this`,
      ),
    ],
  };
}

/**
 * `region`: required for `bedrock/` and an AWS region name (GovCloud and ISO included); any other provider
 * has no region, so one there is ignored (a warning) and never checked — the seed required it for all.
 */
export function checkRegion(v: Profile, provider: ProviderName): Finding[] {
  const r = v.region;
  const given = r !== undefined && r !== null && !(typeof r === "string" && r.trim() === "");
  if (provider !== "bedrock")
    return given
      ? [warning("region", `ignored: only bedrock/ models use a region (got ${show(r)}); remove it`)]
      : [];
  if (!given)
    return [
      error("region", 'required for bedrock/ models: add "region": "us-east-1" (or the region to call)'),
    ];
  if (typeof r !== "string")
    return [error("region", `must be a string such as "us-west-2" (got ${show(r)})`)];
  if (!REGION_PATTERN.test(r.trim()))
    return [
      error(
        "region",
        `not an AWS region name such as "us-west-2", "eu-central-1" or "us-gov-west-1" (got ${show(r)})`,
      ),
    ];
  return [];
}

/**
 * Costs (`*_token_cost` and `tier_pricing` in the line's unit — its `price_unit`, else its file's; `*_per_1k` per
 * 1,000 tokens, `*_per_1m` per million): numbers ≥ 0. A sanity warning when the value looks like the other unit:
 * above `HIGH_COST_PER_1K` per 1,000 tokens in a per-1,000 field, or below `LOW_COST_PER_MILLION` per million in
 * a per-million file. No cost at all on a real model is a warning (it is reported as $0).
 */
export function checkCosts(
  v: Profile,
  provider: ProviderName | undefined,
  fileUnit: { unit: PriceUnit; reason: string } = { unit: "per_1k", reason: "" },
): Finding[] {
  const out: Finding[] = [];
  const given = { input: false, output: false };
  const unit = lineUnit(v, fileUnit.unit);
  const stated = v.price_unit !== undefined && v.price_unit !== null;
  const why = stated ? '"price_unit" on this line' : fileUnit.reason;
  for (const { field, side, unit: own } of COST_FIELDS) {
    const x = v[field];
    if (x === undefined || x === null) continue;
    given[side] = true;
    const fieldUnit = own ?? unit;
    if (typeof x !== "number" || !Number.isFinite(x) || x < 0) {
      out.push(error(field, `must be a number ≥ 0, in ${unitText(fieldUnit)} (got ${show(x)})`));
      continue;
    }
    if (own) out.push(...sanity(field, x, own, `${field} is ${unitText(own)}`));
    else out.push(...sanity(field, x, unit, `${field} is read as ${unitText(unit)}${why ? `: ${why}` : ""}`));
  }
  const tiers = v.tier_pricing;
  if (typeof tiers === "object" && tiers !== null && !Array.isArray(tiers)) {
    for (const [tier, price] of Object.entries(tiers as Profile))
      for (const side of ["input", "output"] as const) {
        const x = typeof price === "object" && price !== null ? (price as Profile)[side] : undefined;
        if (typeof x === "number" && Number.isFinite(x) && x >= 0)
          out.push(
            ...sanity(
              `tier_pricing.${tier}.${side}`,
              x,
              unit,
              `read as ${unitText(unit)}${why ? `: ${why}` : ""}`,
            ),
          );
      }
    const tier = typeof v.service_tier === "string" ? v.service_tier : "default";
    if (tier in tiers) given.input = given.output = true;
  }
  if (provider && provider !== "mock")
    for (const side of ["input", "output"] as const)
      if (!given[side])
        out.push(
          warning(
            `${side}_token_cost`,
            `missing: costs are reported as $0; add "${side}_token_cost" (${unitText(unit)})`,
          ),
        );
  return out;
}

/** A price that looks like it is in the other unit: a warning that says how it was read and how to say otherwise. */
function sanity(path: string, x: number, unit: PriceUnit, read: string): Finding[] {
  const per1k = x / (TOKENS_PER_PRICE[unit] / 1000);
  if (per1k > HIGH_COST_PER_1K)
    return [
      warning(
        path,
        `unusually high: $${round(per1k)} per 1,000 tokens ($${round(per1k * 1000)} per million); check the unit ` +
          `(${read})${unit === "per_1k" ? '; if it is a per-million price, set "price_unit": "per_million" (or "priceUnit" in the config)' : ""}`,
      ),
    ];
  if (unit === "per_million" && x > 0 && x < LOW_COST_PER_MILLION)
    return [
      warning(
        path,
        `unusually low: $${round(x)} per million tokens; check the unit (${read}); ` +
          'if this line prices per 1,000 tokens, set "price_unit": "per_1k"',
      ),
    ];
  return [];
}

/** `target_rpm`: absent or null (no rate limit), else a number above 0; above `HIGH_RPM` a warning. */
export function checkTargetRpm(v: Profile): Finding[] {
  const x = v.target_rpm;
  if (x === undefined || x === null) return [];
  if (typeof x !== "number" || !Number.isFinite(x) || x <= 0)
    return [error("target_rpm", `must be a number above 0, or null for no rate limit (got ${show(x)})`)];
  if (x > HIGH_RPM)
    return [
      warning(
        "target_rpm",
        `${x} requests per minute is above ${HIGH_RPM}; check the model's quota in this region, or expect throttling`,
      ),
    ];
  return [];
}

/** `service_tier`: default, priority or flex; only Bedrock sends it (elsewhere it is a warning). */
export function checkServiceTier(v: Profile, provider: ProviderName | undefined): Finding[] {
  const x = v.service_tier;
  if (x === undefined || x === null) return [];
  if (!(SERVICE_TIERS as readonly unknown[]).includes(x))
    return [error("service_tier", `must be one of ${SERVICE_TIERS.join(", ")} (got ${show(x)})`)];
  if (provider && provider !== "bedrock")
    return [
      warning(
        "service_tier",
        `only bedrock/ models are sent a service tier; ${provider}/ ignores it (the profile is still a separate variant)`,
      ),
    ];
  return [];
}

/**
 * `endpoint`: 360-eval's newer profiles may name `bedrock_mantle`; jury keeps it but cannot call it, so a run
 * that uses the profile stops (a warning here, an error when run).
 */
export function checkEndpoint(v: Profile): Finding[] {
  if (v.endpoint !== "bedrock_mantle") return [];
  return [
    warning(
      "endpoint",
      'jury cannot call "bedrock_mantle" (Bedrock\'s OpenAI-compatible Responses endpoint): a run that uses this ' +
        'profile stops (exit 2); remove "endpoint" to call the model through the Bedrock Runtime API',
    ),
  ];
}

/** Fields the loader does not know are ignored (a warning); `inference_profile` is an older 360-eval field. */
export function checkUnknownFields(v: Profile): Finding[] {
  const out: Finding[] = [];
  for (const key of Object.keys(v)) {
    if (!KNOWN_FIELDS.has(key)) out.push(warning(key, "unknown field, ignored"));
    else if (key === "inference_profile") out.push(warning(key, "older 360-eval field, ignored; remove it"));
  }
  return out;
}

/**
 * Lines that run the same model, region and service tier (no tier = default). The same profile key twice is an
 * error (results could not tell them apart); the same thing under another `name`, or once without a tier and
 * once with `"default"`, is a warning (it runs twice).
 */
export function checkDuplicates(rows: readonly ProfileRow[]): { line: number; finding: Finding }[] {
  const out: { line: number; finding: Finding }[] = [];
  const seen = new Map<string, { line: number; key: string }>();
  for (const { line, value } of rows) {
    const id = identity(value);
    if (!id) continue;
    const first = seen.get(id.same);
    if (!first) {
      seen.set(id.same, { line, key: id.key });
      continue;
    }
    const path = id.named ? "name" : "model_id";
    if (first.key === id.key)
      out.push({
        line,
        finding: error(
          path,
          `duplicate profile "${id.key}" (also on line ${first.line}); give one a different region, service_tier or name`,
        ),
      });
    else
      out.push({
        line,
        finding: warning(
          path,
          `same model, region and service tier as line ${first.line} (no service_tier means default): it runs twice`,
        ),
      });
  }
  return out;
}

/** What a line runs (`same`) and the key results name it by (`key`, as the loader builds it). */
function identity(value: unknown): { same: string; key: string; named: boolean } | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const v = value as Profile;
  if (typeof v.model_id !== "string" || v.model_id.trim() === "") return undefined;
  const raw = v.model_id.trim();
  const { provider } = providerOf(raw);
  const bedrock = provider === "bedrock" || (!provider && !/^[a-z][a-z0-9_-]*\//.test(raw));
  const modelId = provider || !bedrock ? raw : `bedrock/${raw}`;
  const region = bedrock && typeof v.region === "string" ? v.region.trim() : "";
  const tier = typeof v.service_tier === "string" ? v.service_tier : undefined;
  const name = typeof v.name === "string" && v.name.trim() !== "" ? v.name.trim() : undefined;
  const key = name ?? `${modelId}${region ? `@${region}` : ""}${tier ? `_${tier}` : ""}`;
  return { same: `${modelId}|${region}|${tier ?? "default"}`, key, named: name !== undefined };
}

function placed(file: string, line: number, f: Finding): Problem {
  return { file, line, ...(f.path ? { path: f.path } : {}), message: f.message, severity: f.severity };
}

function round(n: number): string {
  return String(Number(n.toPrecision(4)));
}

function show(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (v === undefined) return "nothing";
  if (v === null || typeof v === "number" || typeof v === "boolean") return String(v);
  return Array.isArray(v) ? "an array" : typeof v;
}
