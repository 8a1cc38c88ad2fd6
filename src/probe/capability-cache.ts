import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { writeJsonAtomic } from "../store/run-dir.ts";
import type { ServiceTier } from "../types.ts";

/** What one probe of a model × region × tier found. */
export interface TierCapability {
  available: boolean;
  /** Why not (the provider's message), or a note such as "throttled during the probe". */
  reason?: string;
  latencyMs: number;
}

export interface CapabilityEntry {
  tiers: Partial<Record<ServiceTier, TierCapability>>;
}

/** `.cache/model_capabilities.json`. */
export interface CapabilityCache {
  /** sha256 (hex) of the profile files' contents the entries were probed for. */
  profilesHash: string;
  /** ISO time of the last probe that wrote the file. */
  probedAt: string;
  /** By `<model_id>@<region>`, e.g. `bedrock/us.amazon.nova-pro-v1:0@us-west-2`. */
  entries: Record<string, CapabilityEntry>;
}

/** Where the cache lives under a project root. */
export function capabilityCachePath(root: string): string {
  return join(root, ".cache", "model_capabilities.json");
}

/** The cache key of a Bedrock model in a region. */
export function capabilityKey(modelId: string, region: string): string {
  return `${modelId}@${region}`;
}

/**
 * sha256 of the profile files' contents: the model profiles, then (when there is one) a NUL and the judge
 * profiles. Any edit to either changes it.
 */
export function hashProfiles(models: string, judges?: string): string {
  const h = createHash("sha256").update(models);
  if (judges !== undefined) h.update("\0").update(judges);
  return h.digest("hex");
}

/** Reads the cache; undefined when there is none or it is not a cache we wrote (it is then re-probed). */
export function readCapabilityCache(root: string): CapabilityCache | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(capabilityCachePath(root), "utf8"));
  } catch {
    return undefined;
  }
  const c = parsed as Partial<CapabilityCache> | null;
  if (
    !c ||
    typeof c.profilesHash !== "string" ||
    typeof c.probedAt !== "string" ||
    typeof c.entries !== "object" ||
    c.entries === null
  )
    return undefined;
  return c as CapabilityCache;
}

/** Writes the cache atomically (a temp file renamed over it), creating `.cache/`. */
export function writeCapabilityCache(root: string, cache: CapabilityCache): void {
  const file = capabilityCachePath(root);
  mkdirSync(dirname(file), { recursive: true });
  writeJsonAtomic(file, cache);
}
