import { FlagError } from "../errors.ts";

/** How a `benchmarks_run.py` flag maps onto ours. `seconds` values become milliseconds. */
interface SeedFlag {
  ours: string;
  kind?: "seconds" | "bool" | "profiles";
}

/** Every argument of the seed's `benchmarks_run.py`, under its seed name. */
export const SEED_FLAGS: Readonly<Record<string, SeedFlag>> = {
  output_dir: { ours: "--output-dir" },
  parallel_calls: { ours: "--concurrency" },
  invocations_per_scenario: { ours: "--invocations" },
  sleep_between_invocations: { ours: "--invocation-sleep-ms", kind: "seconds" },
  experiment_counts: { ours: "--experiments" },
  experiment_name: { ours: "--name" },
  experiment_wait_time: { ours: "--experiment-wait-ms", kind: "seconds" },
  temperature_variations: { ours: "--temperature-variations" },
  user_defined_metrics: { ours: "--metrics" },
  model_file_name: { ours: "--models", kind: "profiles" },
  judge_file_name: { ours: "--judges", kind: "profiles" },
  evaluation_pass_threshold: { ours: "--threshold" },
  report: { ours: "--reporter html", kind: "bool" },
  vision_enabled: { ours: "--no-vision", kind: "bool" },
  prompt_optimization_mode: { ours: "--prompt-optimization" },
};

/**
 * Rewrites the seed's `benchmarks_run.py` arguments (`--parallel_calls 4`, `--report=true` …) into ours, with one
 * note per flag naming our equivalent. Pure: `exists` tells whether a path (relative to the project) exists, for
 * the seed's bare profile file names, which it looked up in `config/`.
 */
export function translateSeedArgs(
  argv: readonly string[],
  exists: (path: string) => boolean,
): { argv: string[]; notes: string[] } {
  const out: string[] = [];
  const notes: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const m = /^--([a-z_]+)(?:=(.*))?$/.exec(arg);
    const flag = m ? SEED_FLAGS[m[1] as string] : undefined;
    if (!m || !flag) {
      out.push(arg);
      continue;
    }
    const name = `--${m[1]}`;
    let value = m[2];
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--"))
        throw new FlagError(`${name} needs a value (the seed's flag; ours is ${flag.ours.split(" ")[0]})`);
      value = next;
      i++;
    }
    if (flag.kind === "bool") {
      const on = parseBool(name, value);
      // --report true adds the HTML report; --vision_enabled false turns images off. The others are our defaults.
      if (m[1] === "report" && on) out.push("--reporter", "default", "--reporter", "html");
      if (m[1] === "vision_enabled" && !on) out.push("--no-vision");
      notes.push(
        `${name} ${value} → ${m[1] === "report" ? (on ? "--reporter html" : "(no HTML report)") : on ? "(images are sent by default)" : "--no-vision"}`,
      );
      continue;
    }
    if (flag.kind === "seconds") {
      const s = Number(value);
      if (value.trim() === "" || !Number.isFinite(s))
        throw new FlagError(`${name} must be a number of seconds (got "${value}")`);
      value = String(Math.round(s * 1000));
    }
    if (flag.kind === "profiles" && !value.includes("/") && !exists(value) && exists(`config/${value}`))
      value = `config/${value}`;
    out.push(flag.ours, value);
    notes.push(`${name} → ${flag.ours} ${value}`);
  }
  return { argv: out, notes };
}

function parseBool(flag: string, value: string): boolean {
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  throw new FlagError(`${flag} must be true or false (got "${value}")`);
}
