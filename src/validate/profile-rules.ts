import { parseCacheAndThinking } from "../config/profile-cache-thinking.ts";
import { PROFILE_FIELDS, PROVIDERS, providerOf, SERVICE_TIERS } from "../config/profiles.ts";
import type { Problem } from "../errors.ts";
import type { ProviderName } from "../types.ts";
import type { ProfileRow } from "./profile-rows.ts";

/** A profile cost above this (USD per 1,000 tokens, i.e. $100 per million) is probably in the wrong unit. */
export const HIGH_COST_PER_1K = 0.1;
/** A `target_rpm` above this gets a warning: most Bedrock on-demand quotas are lower. */
export const HIGH_RPM = 600;
/** AWS region names: `us-west-2`, `eu-central-1`, `ap-southeast-7`, GovCloud `us-gov-west-1`, ISO `us-iso-east-1`. */
export const REGION_PATTERN =
  /^[a-z]{2}-(?:gov-|iso-|isob-|isof-)?(?:north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2}$/;

const KNOWN_FIELDS = PROFILE_FIELDS;
const COST_FIELDS: readonly { field: string; side: "input" | "output"; per: number }[] = [
  { field: "input_token_cost", side: "input", per: 1 },
  { field: "input_cost_per_1k", side: "input", per: 1 },
  { field: "input_cost_per_1m", side: "input", per: 1000 },
  { field: "output_token_cost", side: "output", per: 1 },
  { field: "output_cost_per_1k", side: "output", per: 1 },
  { field: "output_cost_per_1m", side: "output", per: 1000 },
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
 * Row rules run on each object line; the duplicate rule runs across lines.
 * @example checkProfileRows([{ line: 1, value: { model_id: "bedrock/x" } }], "m.jsonl")
 * // [{ file: "m.jsonl", line: 1, path: "region", message: 'required for bedrock/ models: …', severity: "error" }, …]
 */
export function checkProfileRows(rows: readonly ProfileRow[], file: string): Problem[] {
  const problems: Problem[] = [];
  for (const row of rows) for (const f of checkProfile(row.value)) problems.push(placed(file, row.line, f));
  for (const { line, finding } of checkDuplicates(rows)) problems.push(placed(file, line, finding));
  return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/** The rules of one profile line: shape, model id, region, costs, target RPM, service tier, unknown fields. */
export function checkProfile(value: unknown): Finding[] {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return [error("", `each profile must be an object with at least "model_id" (got ${show(value)})`)];
  const v = value as Profile;
  const id = checkModelId(v);
  const provider = id.provider;
  return [
    ...checkUnknownFields(v),
    ...id.findings,
    ...(provider ? checkRegion(v, provider) : []),
    ...checkCosts(v, provider),
    ...checkTargetRpm(v),
    ...checkServiceTier(v, provider),
    ...parseCacheAndThinking(v, provider).findings,
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
 * Costs (USD per 1,000 tokens; `*_per_1m` per million): numbers ≥ 0; a value above `HIGH_COST_PER_1K` per
 * 1,000 tokens is a warning (usually a per-million price in a per-1,000 field); no cost at all on a real
 * model is a warning (it is reported as $0).
 */
export function checkCosts(v: Profile, provider: ProviderName | undefined): Finding[] {
  const out: Finding[] = [];
  const given = { input: false, output: false };
  for (const { field, side, per } of COST_FIELDS) {
    const x = v[field];
    if (x === undefined || x === null) continue;
    given[side] = true;
    const unit = per === 1 ? "1,000" : "1,000,000";
    if (typeof x !== "number" || !Number.isFinite(x) || x < 0) {
      out.push(error(field, `must be a number ≥ 0, in USD per ${unit} tokens (got ${show(x)})`));
      continue;
    }
    const per1k = x / per;
    if (per1k > HIGH_COST_PER_1K)
      out.push(
        warning(
          field,
          `unusually high: $${round(per1k)} per 1,000 tokens ($${round(per1k * 1000)} per million); ` +
            `check the unit (${field} is USD per ${unit} tokens)`,
        ),
      );
  }
  if (provider && provider !== "mock")
    for (const side of ["input", "output"] as const)
      if (!given[side])
        out.push(
          warning(
            `${side}_token_cost`,
            `missing: costs are reported as $0; add "${side}_token_cost" (USD per 1,000 tokens)`,
          ),
        );
  return out;
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
