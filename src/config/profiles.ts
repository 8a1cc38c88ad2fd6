import { readFile } from "node:fs/promises";
import { parseAllDocuments } from "yaml";
import type { Problem } from "../errors.ts";
import { MOCK_DEFAULTS } from "../providers/mock.ts";
import type { MockSettings, ModelProfile, ProviderName, ServiceTier } from "../types.ts";

export interface LoadedProfiles {
  profiles: ModelProfile[];
  problems: Problem[];
  warnings: Problem[];
}

const PROVIDERS: readonly ProviderName[] = [
  "bedrock",
  "openai",
  "azure",
  "gemini",
  "openai-compatible",
  "mock",
];
const TIERS: readonly ServiceTier[] = ["default", "priority", "flex"];
const KNOWN = new Set([
  "model_id",
  "name",
  "region",
  "input_token_cost",
  "output_token_cost",
  "input_cost_per_1k",
  "output_cost_per_1k",
  "input_cost_per_1m",
  "output_cost_per_1m",
  "target_rpm",
  "service_tier",
  "base_url",
  "api_key_env",
  "mock",
  "inference_profile",
]);

/** Splits `bedrock/us.amazon.nova-pro-v1:0` into provider and model; `undefined` provider when unprefixed. */
export function providerOf(modelId: string): { provider?: ProviderName; model: string } {
  const slash = modelId.indexOf("/");
  const prefix = slash > 0 ? modelId.slice(0, slash) : "";
  if ((PROVIDERS as readonly string[]).includes(prefix))
    return { provider: prefix as ProviderName, model: modelId.slice(slash + 1) };
  return { model: modelId };
}

/** Reads a model or judge profile file: 360-eval JSONL (one object per line) or YAML (`.yaml`/`.yml`). */
export async function loadProfiles(absFile: string, relFile: string): Promise<LoadedProfiles> {
  let text: string;
  try {
    text = await readFile(absFile, "utf8");
  } catch {
    return {
      profiles: [],
      problems: [
        {
          file: relFile,
          message: "profile file not found; create it or pass another with --models/--judges",
        },
      ],
      warnings: [],
    };
  }
  return parseProfiles(text, relFile, /\.ya?ml$/i.test(absFile) ? "yaml" : "jsonl");
}

/** Parses profiles (pure). Every problem names the line, the field and the fix; old formats load with warnings. */
export function parseProfiles(text: string, file: string, format: "jsonl" | "yaml"): LoadedProfiles {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const rows: { line: number; value: unknown }[] = [];
  if (format === "yaml") {
    const docs = parseAllDocuments(text);
    const doc = Array.isArray(docs) ? docs[0] : undefined;
    const err = doc?.errors[0];
    if (err)
      problems.push({
        file,
        line: err.linePos?.[0].line ?? 1,
        message: `invalid YAML: ${err.message.split("\n")[0]}`,
      });
    else if (doc) {
      const root = doc.toJS() as unknown;
      const list = Array.isArray(root)
        ? root
        : isObject(root) && Array.isArray(root.models)
          ? root.models
          : undefined;
      if (!list) problems.push({ file, line: 1, message: "must be a list of profiles (or {models: [...]})" });
      else {
        const seq = (Array.isArray(root) ? doc.contents : (doc.get("models", true) as unknown)) as
          | { items?: { range?: [number] }[] }
          | undefined;
        for (const [i, value] of list.entries()) {
          const offset = seq?.items?.[i]?.range?.[0] ?? 0;
          rows.push({ line: text.slice(0, offset).split("\n").length, value });
        }
      }
    }
  } else {
    for (const [i, raw] of text
      .replace(/^\uFEFF/, "")
      .split(/\r?\n/)
      .entries()) {
      if (raw.trim() === "") continue;
      try {
        rows.push({ line: i + 1, value: JSON.parse(raw) });
      } catch (err) {
        problems.push({
          file,
          line: i + 1,
          message: `invalid JSON: ${(err as Error).message.replace(/ in JSON at position \d+.*$/s, "")}`,
        });
      }
    }
  }

  const profiles: ModelProfile[] = [];
  const keys = new Map<string, number>();
  for (const { line, value } of rows) {
    const problem = (path: string, message: string) =>
      problems.push({ file, line, ...(path ? { path } : {}), message });
    const warn = (path: string, message: string) =>
      warnings.push({ file, line, ...(path ? { path } : {}), message });
    const before = problems.length;
    const profile = parseProfile(value, problem, warn);
    if (!profile || problems.length > before) continue;
    const first = keys.get(profile.key);
    if (first !== undefined) {
      problem(
        "model_id",
        `duplicate profile "${profile.key}" (also on line ${first}); give one a different region, service_tier or name`,
      );
      continue;
    }
    keys.set(profile.key, line);
    profiles.push({ ...profile, source: { file, line } });
  }
  if (!problems.length && profiles.length === 0)
    problems.push({ file, message: "no profiles: add one JSON object per line with at least model_id" });
  return { profiles, problems, warnings };
}

type Report = (path: string, message: string) => void;

function parseProfile(v: unknown, problem: Report, warn: Report): Omit<ModelProfile, "source"> | undefined {
  if (!isObject(v)) {
    problem("", "each profile must be a JSON object");
    return undefined;
  }
  for (const key of Object.keys(v)) if (!KNOWN.has(key)) warn(key, "unknown field, ignored");
  const modelId = v.model_id;
  if (typeof modelId !== "string" || modelId.trim() === "") {
    problem(
      "model_id",
      `required: a provider-prefixed id such as "bedrock/us.amazon.nova-pro-v1:0" (got ${show(modelId)})`,
    );
    return undefined;
  }
  let { provider, model } = providerOf(modelId.trim());
  let fullId = modelId.trim();
  if (!provider) {
    provider = "bedrock";
    fullId = `bedrock/${model}`;
    warn(
      "model_id",
      `"${model}" has no provider prefix (older 360-eval format); treated as "bedrock/${model}"`,
    );
  }
  if (v.inference_profile !== undefined) warn("inference_profile", "older 360-eval field, ignored");

  let region = typeof v.region === "string" ? v.region.trim() : undefined;
  if (v.region !== undefined && v.region !== null && typeof v.region !== "string")
    problem("region", `must be a string such as "us-west-2" (got ${show(v.region)})`);
  if (provider !== "bedrock" && region !== undefined) {
    if (region.toUpperCase() !== "NA" && region !== "")
      warn("region", `ignored for ${provider}/ models (only Bedrock uses a region)`);
    region = undefined;
  }
  if (provider === "bedrock" && !region)
    problem("region", 'required for bedrock/ models: add "region": "us-east-1" (or the region to call)');

  const cost = (per1k: string[], per1m: string): number => {
    for (const k of per1k) if (v[k] !== undefined && v[k] !== null) return nonNegative(k, v[k], problem);
    if (v[per1m] !== undefined && v[per1m] !== null) return nonNegative(per1m, v[per1m], problem) / 1000;
    return 0;
  };
  const inputCostPer1k = cost(["input_token_cost", "input_cost_per_1k"], "input_cost_per_1m");
  const outputCostPer1k = cost(["output_token_cost", "output_cost_per_1k"], "output_cost_per_1m");

  let targetRpm: number | undefined;
  if (v.target_rpm !== undefined && v.target_rpm !== null) {
    if (typeof v.target_rpm === "number" && v.target_rpm > 0) targetRpm = v.target_rpm;
    else
      problem(
        "target_rpm",
        `must be a number above 0, or null for no rate limit (got ${show(v.target_rpm)})`,
      );
  }
  let serviceTier: ServiceTier | undefined;
  if (v.service_tier !== undefined && v.service_tier !== null) {
    if ((TIERS as readonly unknown[]).includes(v.service_tier)) serviceTier = v.service_tier as ServiceTier;
    else problem("service_tier", `must be one of ${TIERS.join(", ")} (got ${show(v.service_tier)})`);
  }
  const str = (k: string) => {
    if (v[k] === undefined || v[k] === null) return undefined;
    if (typeof v[k] === "string" && v[k] !== "") return v[k];
    problem(k, `must be a non-empty string (got ${show(v[k])})`);
    return undefined;
  };
  const baseUrl = str("base_url");
  const apiKeyEnv = str("api_key_env");
  const name = str("name");

  let mock: MockSettings | undefined;
  if (provider === "mock") mock = parseMock(v.mock, problem);
  else if (v.mock !== undefined) warn("mock", "ignored: only mock/ models are simulated");

  const key =
    name ??
    `${fullId}${provider === "bedrock" && region ? `@${region}` : ""}${serviceTier ? `_${serviceTier}` : ""}`;
  return {
    key,
    modelId: fullId,
    provider,
    model,
    ...(region ? { region } : {}),
    inputCostPer1k,
    outputCostPer1k,
    ...(targetRpm === undefined ? {} : { targetRpm }),
    ...(serviceTier ? { serviceTier } : {}),
    ...(baseUrl ? { baseUrl } : {}),
    ...(apiKeyEnv ? { apiKeyEnv } : {}),
    ...(mock ? { mock } : {}),
  };
}

function parseMock(m: unknown, problem: Report): MockSettings {
  const out = { ...MOCK_DEFAULTS };
  if (m === undefined || m === null) return out;
  if (!isObject(m)) {
    problem(
      "mock",
      `must be an object like {"quality": 0.9, "ttft_ms": 150, "tokens_per_s": 80, "error_rate": 0} (got ${show(m)})`,
    );
    return out;
  }
  const fields: [keyof MockSettings, string, number][] = [
    ["quality", "quality", 1],
    ["ttftMs", "ttft_ms", Number.POSITIVE_INFINITY],
    ["tokensPerS", "tokens_per_s", Number.POSITIVE_INFINITY],
    ["errorRate", "error_rate", 1],
  ];
  for (const [key, name, max] of fields) {
    const x = m[name];
    if (x === undefined) continue;
    if (typeof x === "number" && x >= 0 && x <= max) out[key] = x;
    else
      problem(
        `mock.${name}`,
        max === 1 ? `must be a number from 0 to 1 (got ${show(x)})` : `must be a number ≥ 0 (got ${show(x)})`,
      );
  }
  for (const k of Object.keys(m))
    if (!fields.some(([, n]) => n === k))
      problem(`mock.${k}`, `unknown setting (known: ${fields.map(([, n]) => n).join(", ")})`);
  return out;
}

function nonNegative(k: string, x: unknown, problem: Report): number {
  if (typeof x === "number" && x >= 0 && Number.isFinite(x)) return x;
  problem(k, `must be a number ≥ 0, in USD per 1,000 tokens (got ${show(x)})`);
  return 0;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (v === undefined) return "nothing";
  if (v === null || typeof v === "number" || typeof v === "boolean") return String(v);
  return Array.isArray(v) ? "an array" : typeof v;
}
