import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  capabilityCachePath,
  capabilityKey,
  hashProfiles,
  readCapabilityCache,
  writeCapabilityCache,
} from "../../../src/probe/capability-cache.ts";
import { tempDir } from "../../support/temp-dir.ts";

const CACHE = {
  profilesHash: "abc",
  probedAt: "2026-11-29T07:00:00.000Z",
  entries: {
    "bedrock/m@us-east-1": {
      tiers: {
        default: { available: true, latencyMs: 12 },
        flex: { available: false, reason: "no", latencyMs: 3 },
      },
    },
  },
};

describe("capability cache", () => {
  it("lives in .cache/model_capabilities.json and is keyed by model@region", () => {
    expect(capabilityCachePath("/p")).toBe(join("/p", ".cache", "model_capabilities.json"));
    expect(capabilityKey("bedrock/us.amazon.nova-pro-v1:0", "us-gov-west-1")).toBe(
      "bedrock/us.amazon.nova-pro-v1:0@us-gov-west-1",
    );
  });

  it("hashes the model profiles, then a NUL and the judge profiles", () => {
    const sha = (s: string) => createHash("sha256").update(s).digest("hex");
    expect(hashProfiles("a")).toBe(sha("a"));
    expect(hashProfiles("a", "b")).toBe(sha("a\0b"));
    expect(hashProfiles("a", "b")).not.toBe(hashProfiles("a", "c"));
  });

  it("writes and reads back the same data, creating .cache/", () => {
    const root = tempDir("jury-cap-");
    expect(readCapabilityCache(root)).toBeUndefined();
    writeCapabilityCache(root, CACHE);
    expect(readCapabilityCache(root)).toEqual(CACHE);
  });

  it("ignores a file that is not a cache it wrote", () => {
    const root = tempDir("jury-cap-");
    mkdirSync(join(root, ".cache"));
    writeFileSync(capabilityCachePath(root), "{not json");
    expect(readCapabilityCache(root)).toBeUndefined();
    writeFileSync(capabilityCachePath(root), JSON.stringify({ entries: {} }));
    expect(readCapabilityCache(root)).toBeUndefined();
  });
});
