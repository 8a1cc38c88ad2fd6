import { relative } from "node:path";
import { SERVICE_TIERS } from "../../config/profiles.ts";
import { colors as pc } from "../../io-context.ts";
import { type ProbeOptions, type ProbeOutcome, probeCapabilities } from "../../probe/capabilities.ts";
import { capabilityCachePath } from "../../probe/capability-cache.ts";
import type { ServiceTier } from "../../types.ts";
import type { CliIo } from "../io.ts";

/**
 * `evals probe`: which service tiers each Bedrock model × region offers, from the cache when the profiles are
 * unchanged. Exit 0; 1 when some probe could not tell (credentials, network), 2 on bad usage or profiles.
 */
export async function probeCommand(options: Omit<ProbeOptions, "root">, io: CliIo): Promise<number> {
  const out = io.stdout;
  const root = io.cwd;
  const outcome = await probeCapabilities({ ...options, root });
  const cacheFile = relative(root, capabilityCachePath(root)).split("\\").join("/");
  const tiers = options.tier ? [options.tier as ServiceTier] : [...SERVICE_TIERS];
  if (outcome.reused && outcome.cache)
    out.write(
      `Using the cached capabilities in ${cacheFile} (probed ${outcome.cache.probedAt}; profiles unchanged). ` +
        "Pass --force to probe again.\n\n",
    );
  else if (outcome.requests > 0)
    out.write(
      `Probed ${outcome.requests} model × region × tier combination(s) with a minimal request` +
        `${outcome.fromCache ? `; ${outcome.fromCache} from the cache` : ""}.\n\n`,
    );
  out.write(formatProbeTable(outcome, tiers));
  if (outcome.cacheWritten) out.write(`\nWrote ${cacheFile}\n`);
  if (outcome.unsettled > 0)
    out.write(
      `\n${outcome.unsettled} probe(s) could not tell (marked ?): not cached; fix the cause and run evals probe again.\n`,
    );
  return outcome.unsettled > 0 ? 1 : 0;
}

/** The table: a row per model × region with ✓/✗/? per tier, the reasons under it, then the models not probed. */
export function formatProbeTable(outcome: ProbeOutcome, tiers: readonly ServiceTier[]): string {
  if (outcome.rows.length === 0 && outcome.notProbed.length === 0) return "No model profiles.\n";
  const modelWidth = Math.max(
    5,
    ...outcome.rows.map((r) => r.modelId.length),
    ...outcome.notProbed.map((m) => m.length),
  );
  const regionWidth = Math.max(6, ...outcome.rows.map((r) => r.region.length));
  const cellWidth = 12;
  const lines = [
    ` ${"model".padEnd(modelWidth)}  ${"region".padEnd(regionWidth)}  ${tiers.map((t) => t.padEnd(cellWidth)).join("")}`.trimEnd(),
  ];
  for (const row of outcome.rows) {
    const cells = tiers.map((t) => {
      const r = row.tiers[t];
      const text = !r ? "–" : !r.settled ? "?" : r.available ? `✓ ${r.latencyMs}ms` : "✗";
      const padded = text.padEnd(cellWidth);
      return !r ? padded : !r.settled ? pc.yellow(padded) : r.available ? pc.green(padded) : pc.red(padded);
    });
    lines.push(
      ` ${row.modelId.padEnd(modelWidth)}  ${row.region.padEnd(regionWidth)}  ${cells.join("")}`.trimEnd(),
    );
    for (const t of tiers) {
      const r = row.tiers[t];
      if (r?.reason) lines.push(pc.dim(`     ${t}: ${r.reason}`));
    }
  }
  for (const m of outcome.notProbed)
    lines.push(
      ` ${m.padEnd(modelWidth)}  ${"–".padEnd(regionWidth)}  not probed (tiers are a Bedrock feature)`,
    );
  return `${lines.join("\n")}\n`;
}
