import { createHash } from "node:crypto";
import { FlagError } from "../errors.ts";
import type { Plan } from "./expand.ts";
import { keepCases } from "./keep-cases.ts";

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** Parses `--shard i/n` (1 ≤ i ≤ n). */
export function parseShard(value: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) {
    throw new FlagError(`--shard must be i/n with 1 ≤ i ≤ n, e.g. --shard 2/3 (got "${value}")`);
  }
  return { index, count };
}

/**
 * The ids of one shard (pure): all ids sorted, then dealt round-robin, so shards differ in size by at most one
 * and every machine computes the same split from the same plan. Ids are hashes, so each shard gets a fair mix
 * of evals and models.
 */
export function shardIds(ids: readonly string[], shard: Shard): Set<string> {
  const sorted = [...new Set(ids)].sort();
  return new Set(sorted.filter((_, k) => k % shard.count === shard.index - 1));
}

/** The id of a whole plan: sha256 of its sorted case ids, 16 hex chars — the same on every machine that plans it. */
export function planId(ids: readonly string[]): string {
  return createHash("sha256")
    .update([...new Set(ids)].sort().join("\n"))
    .digest("hex")
    .slice(0, 16);
}

/**
 * The plan of one shard (pure: a new plan, the input untouched): its share of the cases to run and of the
 * skipped, and its shard spec — which shard of which whole plan — for `evals merge` to check.
 */
export function shardPlan(plan: Plan, shard: Shard): Plan {
  const ids = [...plan.cases.map((c) => c.record.id), ...plan.skipped.map((r) => r.id)];
  const mine = shardIds(ids, shard);
  return { ...keepCases(plan, (id) => mine.has(id)), shard: { ...shard, plan: planId(ids) } };
}
