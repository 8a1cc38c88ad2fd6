import { existsSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { SERVICE_TIERS } from "../config/profiles.ts";
import { resolveConfigWithProblems } from "../config/resolve.ts";
import { ConfigError, FlagError, ProfileNotFoundError } from "../errors.ts";
import { ProviderError } from "../providers/errors.ts";
import { measureStream } from "../providers/measure-stream.ts";
import { getProvider } from "../providers/registry.ts";
import type { ModelProfile, ServiceTier } from "../types.ts";
import {
  type CapabilityCache,
  capabilityKey,
  hashProfiles,
  readCapabilityCache,
  type TierCapability,
  writeCapabilityCache,
} from "./capability-cache.ts";

export interface ProbeOptions {
  /** Project root: where the config is looked up and `.cache/` is written. */
  root: string;
  config?: string;
  models?: string;
  judges?: string;
  /** Only models whose `model_id` contains this. */
  model?: string;
  /** Only this region. */
  region?: string;
  /** Only this tier (default: all three). */
  tier?: string;
  /** Probe again even when the cache matches the profiles. */
  force?: boolean;
  /** Model × region pairs probed at once. @default 4 */
  concurrency?: number;
  /** Per request. @default 30000 */
  timeoutMs?: number;
}

/** A tier's result as shown: from the cache or probed now; `settled` false when the probe could not tell. */
export interface TierReport extends TierCapability {
  cached: boolean;
  settled: boolean;
}

export interface ProbeRow {
  modelId: string;
  region: string;
  tiers: Partial<Record<ServiceTier, TierReport>>;
}

export interface ProbeOutcome {
  rows: ProbeRow[];
  /** Non-Bedrock model ids in the profiles (tiers are a Bedrock feature). */
  notProbed: string[];
  /** Every asked tier came from the cache: no request was made. */
  reused: boolean;
  /** Requests made now. */
  requests: number;
  /** Tier results taken from the cache. */
  fromCache: number;
  /** Probes that could not tell (credentials, network, timeout): not cached, probed again next time. */
  unsettled: number;
  /** The cache as on disk after this run (undefined when nothing was ever written). */
  cache?: CapabilityCache;
  cacheWritten: boolean;
}

const PROBE_PROMPT = "Reply with OK.";

/**
 * The seed's `validate_model_capabilities`: every Bedrock model × region of the model and judge profiles, in each
 * service tier, with one minimal Converse request (5 tokens at most) through our Bedrock provider (`base_url`
 * honoured). Definite answers are cached in `.cache/model_capabilities.json` under the profiles' hash; a run with
 * unchanged profiles reuses them, and `force` or a changed profile file probes again.
 */
export async function probeCapabilities(options: ProbeOptions): Promise<ProbeOutcome> {
  if (options.tier !== undefined && !(SERVICE_TIERS as readonly string[]).includes(options.tier))
    throw new FlagError(`--tier must be one of ${SERVICE_TIERS.join(", ")} (got "${options.tier}")`);
  const tiers = options.tier ? [options.tier as ServiceTier] : [...SERVICE_TIERS];
  const { config, problems } = await resolveConfigWithProblems(
    {
      root: options.root,
      filters: [],
      ...(options.config ? { config: options.config } : {}),
      ...(options.models ? { models: options.models } : {}),
      ...(options.judges ? { judges: options.judges } : {}),
    },
    // It probes the models of the files there are: a project without judges (latency only) probes its models.
    { profiles: "present" },
  );
  if (problems.length) throw new ConfigError(problems, "Run evals validate for every problem at once.");
  const read = (f: string) => (existsSync(f) ? readFileSync(f, "utf8") : undefined);
  const hash = hashProfiles(read(config.modelsFile) ?? "", read(config.judgesFile));

  const all = [...config.models, ...config.judges];
  const notProbed = [...new Set(all.filter((p) => p.provider !== "bedrock").map((p) => p.modelId))];
  const targets = new Map<string, ModelProfile>();
  for (const p of all) {
    if (p.provider !== "bedrock" || !p.region) continue;
    if (options.model && !p.modelId.includes(options.model)) continue;
    if (options.region && p.region !== options.region) continue;
    const key = capabilityKey(p.modelId, p.region);
    if (!targets.has(key)) targets.set(key, p);
  }
  if (targets.size === 0 && (options.model || options.region))
    throw new ProfileNotFoundError(
      `no Bedrock profile matches${options.model ? ` --model "${options.model}"` : ""}${options.region ? ` --region ${options.region}` : ""}`,
    );

  const previous = readCapabilityCache(config.root);
  const sameProfiles = previous?.profilesHash === hash;
  const entries: CapabilityCache["entries"] =
    sameProfiles && previous ? structuredClone(previous.entries) : {};
  const rows: ProbeRow[] = [];
  const work: { row: ProbeRow; profile: ModelProfile; tiers: ServiceTier[] }[] = [];
  for (const [key, profile] of targets) {
    const row: ProbeRow = { modelId: profile.modelId, region: profile.region as string, tiers: {} };
    const todo: ServiceTier[] = [];
    for (const tier of tiers) {
      const hit = options.force ? undefined : entries[key]?.tiers[tier];
      if (hit) row.tiers[tier] = { ...hit, cached: true, settled: true };
      else todo.push(tier);
    }
    rows.push(row);
    if (todo.length) work.push({ row, profile, tiers: todo });
  }

  let requests = 0;
  let unsettled = 0;
  await eachLimited(work, options.concurrency ?? 4, async ({ row, profile, tiers: todo }) => {
    for (const tier of todo) {
      requests++;
      const result = await probeTier(profile, tier, options.timeoutMs ?? 30_000);
      row.tiers[tier] = { ...result.capability, cached: false, settled: result.settled };
      if (!result.settled) {
        unsettled++;
        continue;
      }
      const key = capabilityKey(row.modelId, row.region);
      entries[key] ??= { tiers: {} };
      (entries[key] as { tiers: CapabilityCache["entries"][string]["tiers"] }).tiers[tier] =
        result.capability;
    }
  });

  const probedSettled = rows.some((r) => Object.values(r.tiers).some((t) => t && !t.cached && t.settled));
  let cache = previous;
  if (probedSettled) {
    cache = { profilesHash: hash, probedAt: new Date().toISOString(), entries: sorted(entries) };
    writeCapabilityCache(config.root, cache);
  }
  return {
    rows,
    notProbed,
    reused: work.length === 0 && rows.length > 0,
    requests,
    fromCache: rows.reduce((n, r) => n + Object.values(r.tiers).filter((t) => t?.cached).length, 0),
    unsettled,
    ...(cache ? { cache } : {}),
    cacheWritten: probedSettled,
  };
}

/**
 * One minimal Converse request in one tier. Settled answers: it answered in that tier (available), it
 * answered in another tier or refused the tier (unavailable), it throttled (available: the tier exists). Not
 * settled: no credentials, network failures, timeouts — they say nothing about the tier.
 */
export async function probeTier(
  profile: ModelProfile,
  tier: ServiceTier,
  timeoutMs: number,
): Promise<{ capability: TierCapability; settled: boolean }> {
  const probe: ModelProfile = {
    ...profile,
    key: `${profile.modelId}@${profile.region}_${tier}`,
    serviceTier: tier,
  };
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const provider = await getProvider("bedrock");
    const call = await measureStream(
      provider.stream(probe, {
        messages: [{ role: "user", content: PROBE_PROMPT }],
        temperature: 0,
        maxTokens: 5,
        stream: false,
        seed: "probe",
        signal: AbortSignal.timeout(timeoutMs),
      }),
      () => 0,
    );
    const latencyMs = Math.round(call.ttlbMs);
    if (call.serviceTierServed && call.serviceTierServed !== tier)
      return {
        capability: {
          available: false,
          reason: `asked for "${tier}", Bedrock served "${call.serviceTierServed}"`,
          latencyMs,
        },
        settled: true,
      };
    return { capability: { available: true, latencyMs }, settled: true };
  } catch (err) {
    const message = (err instanceof Error ? err.message : String(err)).replace(`${probe.key}: `, "");
    if (err instanceof ProviderError && err.kind === "throttling")
      return {
        capability: {
          available: true,
          reason: "throttled during the probe, but offered",
          latencyMs: elapsed(),
        },
        settled: true,
      };
    if (err instanceof ProviderError && err.kind === "invalid_request")
      return { capability: { available: false, reason: message, latencyMs: elapsed() }, settled: true };
    const why =
      err instanceof ProviderError && err.kind === "auth"
        ? `no credentials or access denied: ${message}`
        : message;
    return { capability: { available: false, reason: why, latencyMs: elapsed() }, settled: false };
  }
}

/** Entries by key and tiers in the order default, priority, flex: the file does not depend on timing. */
function sorted(entries: CapabilityCache["entries"]): CapabilityCache["entries"] {
  const out: CapabilityCache["entries"] = {};
  for (const key of Object.keys(entries).sort()) {
    const tiers = entries[key]?.tiers ?? {};
    out[key] = {
      tiers: Object.fromEntries(SERVICE_TIERS.filter((t) => tiers[t]).map((t) => [t, tiers[t]])),
    };
  }
  return out;
}

async function eachLimited<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>) {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await run(items[next++] as T);
  });
  await Promise.all(lanes);
}
