import { isAbsolute } from "node:path";
import { FlagError } from "../errors.ts";
import type { StartOptions } from "../types.ts";

/** What a seed boolean turns into: our flags for `true` and for `false`, and what the note says when none. */
interface BoolFlag {
  ours: string;
  kind: "bool";
  on: readonly string[];
  off: readonly string[];
  /** The note's text for that value, instead of `ours` (the value adds no flag, or adds other flags than `ours`). */
  onNote?: string;
  offNote?: string;
}

/** How a `benchmarks_run.py` flag maps onto ours. `seconds` values become milliseconds. */
type SeedFlag = { ours: string; kind?: "seconds" | "profiles" } | BoolFlag;

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
  // The seed always writes its invocations CSV; --report adds the HTML report.
  report: {
    ours: "--reporter html --reporter csv",
    kind: "bool",
    on: ["--reporter", "default", "--reporter", "html", "--reporter", "csv"],
    off: ["--reporter", "default", "--reporter", "csv"],
    offNote: "--reporter csv (no HTML report)",
  },
  // Images stay on unless the seed's false says otherwise: a run with seed flags defaults to false (SEED_DEFAULTS).
  vision_enabled: {
    ours: "--no-vision",
    kind: "bool",
    on: [],
    off: ["--no-vision"],
    onNote: "(images sent)",
  },
  latency_only_mode: {
    ours: "--latency-only",
    kind: "bool",
    on: ["--latency-only"],
    off: [],
    offNote: "(judged by the jury)",
  },
  prompt_optimization_mode: { ours: "--prompt-optimization" },
  stream_evaluation: {
    ours: "--no-stream",
    kind: "bool",
    on: [],
    off: ["--no-stream"],
    onNote: "(streamed)",
  },
};

/** The outcome of `translateSeedArgs`. */
export interface SeedTranslation {
  /** The command line with the seed's flags replaced by ours. */
  argv: string[];
  /** One note per seed flag, naming ours (and, for a profile file, which file it found). */
  notes: string[];
  /** The seed flags given, by their seed name (`parallel_calls`). */
  given: ReadonlySet<string>;
}

/**
 * Rewrites the seed's `benchmarks_run.py` arguments (`--parallel_calls 4`, `--report=true` …) into ours, with one
 * note per flag naming our equivalent. Pure: `exists` tells whether a path (relative to the project root, or
 * absolute) exists, for the seed's profile file names, which it looked up in `runs/` (see `seedProfilePath`).
 */
export function translateSeedArgs(
  argv: readonly string[],
  exists: (path: string) => boolean,
): SeedTranslation {
  const out: string[] = [];
  const notes: string[] = [];
  const given = new Set<string>();
  let latencyOnly = argv.includes("--latency-only");
  let judgesMissing: { error: FlagError; shown: string } | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const m = /^--([a-z_]+)(?:=(.*))?$/.exec(arg);
    const seedName = m?.[1] as string;
    const flag = m ? SEED_FLAGS[seedName] : undefined;
    if (!m || !flag) {
      out.push(arg);
      continue;
    }
    given.add(seedName);
    const name = `--${seedName}`;
    let value = m[2];
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--"))
        throw new FlagError(`${name} needs a value (the seed's flag; ours is ${flag.ours.split(" ")[0]})`);
      value = next;
      i++;
    }
    if (flag.kind === "bool") {
      const on = parseSeedBool(name, value);
      if (seedName === "latency_only_mode") latencyOnly = on;
      const flags = on ? flag.on : flag.off;
      out.push(...flags);
      notes.push(
        `${name} ${value} → ${(on ? flag.onNote : flag.offNote) ?? (flags.length ? flag.ours : "")}`,
      );
      continue;
    }
    if (flag.kind === "seconds") {
      const s = Number(value);
      if (value.trim() === "" || !Number.isFinite(s))
        throw new FlagError(`${name} must be a number of seconds (got "${value}")`);
      value = String(Math.round(s * 1000));
    }
    if (flag.kind === "profiles") {
      let found: { path: string; why: string };
      try {
        found = seedProfilePath(name, value, exists);
      } catch (err) {
        // A latency-only run reads no judge file (nor does the seed's): a missing one is said, not an error.
        if (seedName !== "judge_file_name" || !(err instanceof FlagError)) throw err;
        judgesMissing = { error: err, shown: `${name} ${value}` };
        continue;
      }
      out.push(flag.ours, found.path);
      notes.push(`${name} → ${flag.ours} ${found.path} (${found.why})`);
      continue;
    }
    out.push(flag.ours, value);
    notes.push(`${name} → ${flag.ours} ${value}`);
  }
  if (judgesMissing) {
    if (!latencyOnly) throw judgesMissing.error;
    notes.push(`${judgesMissing.shown} → (not found, and not read: a latency-only run has no jury)`);
  }
  return { argv: out, notes, given };
}

/**
 * Where the seed's `--model_file_name` / `--judge_file_name` value points: the seed joined it to `runs/`
 * (`os.path.join("runs", name)`, so an absolute path stays as it is). When `runs/` has no such file, the name as
 * a path from the project root, then `config/` (where the seed keeps its default profiles), are tried; the note
 * says which was used. None: a `FlagError` naming every place looked at.
 */
export function seedProfilePath(
  flag: string,
  value: string,
  exists: (path: string) => boolean,
): { path: string; why: string } {
  if (isAbsolute(value)) {
    if (exists(value)) return { path: value, why: "absolute path" };
    throw new FlagError(`${flag} ${value}: no such file`);
  }
  const name = value.replace(/^\.\//, "");
  const inRuns = `runs/${name}`;
  if (exists(inRuns)) return { path: inRuns, why: "in runs/, where 360-eval looks" };
  const others = [...new Set([name, `config/${name}`])];
  const path = others.find(exists);
  if (path) return { path, why: `not in runs/, where 360-eval looks; found at ${path}` };
  throw new FlagError(
    `${flag} ${value}: no such file in runs/ (where 360-eval looks: ${inRuns}), nor at ${others.join(" or ")}`,
    "Put the file in runs/, or give its path from the project root.",
  );
}

/**
 * The seed's booleans are `x.lower() == 'true'`: any case of true is true, and anything else false. Any case of
 * true or false is taken; anything else (1, yes, maybe) is refused rather than read as false without a word.
 */
function parseSeedBool(flag: string, value: string): boolean {
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw new FlagError(
    `${flag} must be true or false (got "${value}"); 360-eval reads anything but "true" as false`,
  );
}

/** A default of `benchmarks_run.py` that differs from ours: the StartOptions field it sets, and how to show it. */
interface SeedDefault {
  seed: string;
  shown: string;
  ours: string;
  apply(o: StartOptions): StartOptions;
  /** Whether our own flags already set it. */
  set(o: StartOptions): boolean;
}

/** The seed's argparse defaults where they differ from ours (its defaults equal ours for the other flags). */
const SEED_DEFAULTS: readonly SeedDefault[] = [
  {
    seed: "parallel_calls",
    shown: "4",
    ours: "--concurrency 4",
    apply: (o) => ({ ...o, concurrency: 4 }),
    set: (o) => o.concurrency !== undefined,
  },
  {
    seed: "invocations_per_scenario",
    shown: "2",
    ours: "--invocations 2",
    apply: (o) => ({ ...o, invocations: 2 }),
    set: (o) => o.invocations !== undefined || o.trials !== undefined,
  },
  {
    seed: "sleep_between_invocations",
    shown: "3",
    ours: "--invocation-sleep-ms 3000",
    apply: (o) => ({ ...o, invocationSleepMs: 3000 }),
    set: (o) => o.invocationSleepMs !== undefined,
  },
  {
    seed: "experiment_counts",
    shown: "2",
    ours: "--experiments 2",
    apply: (o) => ({ ...o, experiments: 2 }),
    set: (o) => o.experiments !== undefined,
  },
  {
    seed: "vision_enabled",
    shown: "false",
    ours: "--no-vision",
    apply: (o) => ({ ...o, vision: false }),
    set: (o) => o.vision !== undefined,
  },
  {
    seed: "report",
    shown: "true",
    ours: "--reporter html --reporter csv",
    apply: (o) => ({ ...o, reporters: ["default", "html", "csv"] }),
    set: (o) => o.reporters !== undefined,
  },
];

/**
 * A run started with the seed's flags runs with the seed's defaults: each default of `benchmarks_run.py` that
 * differs from ours fills the option when neither its seed flag nor our flag was given (so it also wins over the
 * config file, as a flag does). Returns the options and the one note line listing what was filled, if anything.
 */
export function withSeedDefaults(
  options: StartOptions,
  given: ReadonlySet<string>,
): { options: StartOptions; note?: string } {
  if (given.size === 0) return { options };
  const filled = SEED_DEFAULTS.filter((d) => !given.has(d.seed) && !d.set(options));
  if (!filled.length) return { options };
  return {
    options: filled.reduce((o, d) => d.apply(o), options),
    note:
      `360-eval defaults for its flags not given: ${filled.map((d) => `--${d.seed} ${d.shown}`).join(", ")} ` +
      `→ ${filled.map((d) => d.ours).join(" ")}`,
  };
}
