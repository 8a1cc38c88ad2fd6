import { ModelUnreachableError } from "../errors.ts";
import type { Plan } from "../plan/expand.ts";
import { filterList, mapList } from "../plan/lazy-list.ts";
import { ProviderError } from "../providers/errors.ts";
import { measureStream } from "../providers/measure-stream.ts";
import { getProvider } from "../providers/registry.ts";
import type { ModelProfile, TextSink } from "../types.ts";

export interface ProbeResult {
  key: string;
  roles: ("model" | "judge")[];
  reachable: boolean;
  /** Why not, or a note (e.g. throttled but reachable). */
  reason?: string;
  latencyMs?: number;
}

const PROBE_TIMEOUT_MS = 30_000;

/**
 * Checks access to every target and judge before a run, in parallel, with a minimal request (a few tokens).
 * `mock/` profiles need no probe. Throttling counts as reachable: the model answered, just not now.
 */
export async function preflight(
  models: readonly ModelProfile[],
  judges: readonly ModelProfile[],
): Promise<ProbeResult[]> {
  const byKey = new Map<string, { profile: ModelProfile; roles: ("model" | "judge")[] }>();
  for (const [role, list] of [
    ["model", models],
    ["judge", judges],
  ] as const) {
    for (const p of list) {
      const entry = byKey.get(p.key) ?? { profile: p, roles: [] };
      entry.roles.push(role);
      byKey.set(p.key, entry);
    }
  }
  return Promise.all(
    [...byKey.values()].map(async ({ profile, roles }): Promise<ProbeResult> => {
      if (profile.provider === "mock")
        return { key: profile.key, roles, reachable: true, reason: "simulated" };
      try {
        const provider = await getProvider(profile.provider);
        const call = await measureStream(
          provider.stream(profile, {
            messages: [{ role: "user", content: "Reply with OK." }],
            temperature: 0,
            maxTokens: 5,
            stream: false,
            seed: "preflight",
            signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
          }),
          () => 0,
        );
        return { key: profile.key, roles, reachable: true, latencyMs: call.ttlbMs };
      } catch (err) {
        return { key: profile.key, roles, ...explain(err, profile) };
      }
    }),
  );
}

function explain(err: unknown, profile: ModelProfile): { reachable: boolean; reason: string } {
  const message = err instanceof Error ? err.message : String(err);
  if (!(err instanceof ProviderError)) return { reachable: false, reason: message };
  switch (err.kind) {
    case "throttling":
      return { reachable: true, reason: "throttled during the probe, but reachable" };
    case "refused":
      return { reachable: true, reason: "its content filter blocked the probe, but reachable" };
    case "auth":
      return { reachable: false, reason: `no credentials or access denied: ${message}` };
    case "invalid_request":
      return {
        reachable: false,
        reason:
          err.status === 404 || /not found|unknown model|does not exist/i.test(message)
            ? `unknown model${profile.region ? ` (or not offered in ${profile.region})` : ""}: ${message}`
            : message,
      };
    default:
      return { reachable: false, reason: `unreachable: ${message}` };
  }
}

/**
 * Applies probe results to a plan: cases of unreachable targets are dropped with a warning (or, with `strict`, the
 * run is refused); unreachable judges leave the jury; no reachable judge at all refuses the run.
 */
export function applyPreflight<C extends { task: { model: ModelProfile; judges: ModelProfile[] } }>(
  cases: readonly C[],
  probes: readonly ProbeResult[],
  strict: boolean,
): { cases: readonly C[]; warnings: string[] } {
  const down = new Map(probes.filter((p) => !p.reachable).map((p) => [p.key, p.reason ?? "unreachable"]));
  if (down.size === 0) return { cases, warnings: [] };
  const judges = new Set(cases.flatMap((c) => c.task.judges.map((j) => j.key)));
  const judgesUp = [...judges].filter((j) => !down.has(j));
  if (judges.size > 0 && judgesUp.length === 0) {
    throw new ModelUnreachableError(
      `no judge is reachable: ${[...judges].map((j) => `${j} (${down.get(j)})`).join("; ")}`,
      "Check the judges' credentials, regions and model ids, or use other judge profiles (--judges).",
    );
  }
  const targetsDown = [...new Set(cases.map((c) => c.task.model.key))].filter((k) => down.has(k));
  if (strict && targetsDown.length) {
    throw new ModelUnreachableError(
      `--strict: unreachable models: ${targetsDown.map((k) => `${k} (${down.get(k)})`).join("; ")}`,
    );
  }
  // Views, not arrays: a plan's cases are made when read.
  const kept = mapList(
    filterList(cases, (c) => !down.has(c.task.model.key)),
    (c) => ({ ...c, task: { ...c.task, judges: c.task.judges.filter((j) => !down.has(j.key)) } }),
  );
  if (kept.length === 0 && cases.length > 0)
    throw new ModelUnreachableError(
      `no target model is reachable: ${targetsDown.map((k) => `${k} (${down.get(k)})`).join("; ")}`,
    );
  const warnings = [
    ...targetsDown.map((k) => `model ${k} is not reachable and its cases are dropped: ${down.get(k)}`),
    ...[...judges]
      .filter((j) => down.has(j))
      .map((j) => `judge ${j} is not reachable and leaves the jury: ${down.get(j)}`),
  ];
  return { cases: kept, warnings };
}

/**
 * Preflight (DESIGN §6): probes the real models and judges in the plan, prints a table when there are any, and
 * returns the plan of the reachable ones (a new plan; the input is untouched) with a warning per dropped one.
 * `probe` runs the probes (`preflight` in this thread by default; a run hands them to a worker thread).
 */
export async function checkAccess(
  plan: Plan,
  strict: boolean,
  stdout: TextSink,
  probe: typeof preflight = preflight,
): Promise<{ plan: Plan; warnings: string[] }> {
  const { cases } = plan;
  // One pass, no array of an entry per case: plans run to a million cases.
  const models = new Map<string, ModelProfile>();
  const judges = new Map<string, ModelProfile>();
  for (const c of cases) {
    const { model, judges: jury } = c.task;
    models.set(model.key, model);
    for (const j of jury) judges.set(j.key, j);
  }
  if (![...models.values(), ...judges.values()].some((p) => p.provider !== "mock"))
    return { plan, warnings: [] };
  const probes = await probe([...models.values()], [...judges.values()]);
  const width = Math.max(...probes.map((p) => p.key.length));
  stdout.write("\n Access check\n");
  for (const p of probes.filter((x) => x.reason !== "simulated")) {
    const status = p.reachable ? `✓ ${p.latencyMs === undefined ? "" : `${Math.round(p.latencyMs)}ms`}` : "✗";
    stdout.write(
      `   ${p.key.padEnd(width)}  ${p.roles.join("+").padEnd(11)} ${status}${p.reason ? ` ${p.reason}` : ""}\n`,
    );
  }
  const applied = applyPreflight(cases, probes, strict);
  return { plan: { ...plan, cases: applied.cases }, warnings: applied.warnings };
}
