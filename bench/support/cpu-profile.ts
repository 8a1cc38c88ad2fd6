import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** Self time of one function or one module in a CPU profile. */
export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  /** Wall time the profile covers. */
  totalMs: number;
  /** Sampled time not spent idle. */
  busyMs: number;
  functions: SelfTime[];
  modules: SelfTime[];
}

const REPO = fileURLToPath(new URL("../..", import.meta.url));

/** Where a frame's code lives, short: `src/runner/x.ts`, `openai` (a package), `node:fs`, `(garbage collector)`. */
export function moduleOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const path = url.startsWith("file://") ? fileURLToPath(url) : url;
  const nm = path.lastIndexOf("/node_modules/");
  if (nm >= 0) {
    const parts = path.slice(nm + "/node_modules/".length).split("/");
    return parts[0]?.startsWith("@") ? `${parts[0]}/${parts[1]}` : (parts[0] ?? path);
  }
  if (path.startsWith(REPO)) return path.slice(REPO.length);
  if (path.startsWith("node:internal/")) return "node:internal";
  return path;
}

/**
 * Sums the self time of every function (name + file:line) and every module of a `.cpuprofile` (from
 * `node --cpu-prof`), and returns the `top` of each, biggest first. Idle time (`(idle)`) is left out of the shares.
 */
export function summariseCpuProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // timeDeltas[i + 1] is the time from sample i to the next: the time sample i stands for.
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i] as number;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i + 1] ?? 0));
  }
  const fns = new Map<string, number>();
  const mods = new Map<string, number>();
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const f = byId.get(id)?.callFrame;
    if (!f || f.functionName === "(idle)") continue;
    busyUs += us;
    const where = moduleOf(f.url, f.functionName);
    // tsx's output keeps no useful line numbers (it reports 1): the function name and file say enough then.
    const file = where === "node:internal" ? f.url : where;
    const line = f.lineNumber > 0 ? `:${f.lineNumber + 1}` : "";
    const name = f.url ? `${f.functionName || "(anonymous)"} ${file}${line}` : where;
    fns.set(name, (fns.get(name) ?? 0) + us);
    mods.set(where, (mods.get(where) ?? 0) + us);
  }
  const rank = (m: Map<string, number>): SelfTime[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, share: busyUs > 0 ? us / busyUs : 0 }));
  return {
    totalMs: (profile.endTime - profile.startTime) / 1000,
    busyMs: busyUs / 1000,
    functions: rank(fns),
    modules: rank(mods),
  };
}
