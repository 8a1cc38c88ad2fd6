import { availableParallelism } from "node:os";
import type { GateSettings, JurySettings, ReporterSpec, RunSettings } from "../types.ts";

/**
 * `run.workers` for a run whose models (targets and judges) are all live, called over HTTP: half the cores, 1 to 4,
 * where a run with a `mock/` model takes `min(4, cores)`. Such a run's threads mostly wait on the network, and each
 * one costs a start (its SDKs loaded and warmed up) and CPU per case (its own JIT and GC, contention with the main
 * thread and, often, a model server on the same machine): on 2 cores, 1,000 cases of 1 streamed + 3 judge calls cost
 * ~20% less CPU with one thread than with two (docs/performance.md, "Per-call cost over HTTP (session 10)").
 */
export const LIVE_RUN_WORKERS = Math.max(1, Math.min(4, Math.floor(availableParallelism() / 2)));

/**
 * Every default in one place; the README's option table states the same values. Paths are relative to the
 * project root. `jury.quorum` is absent: it means ⌈judges / 2⌉.
 */
export const DEFAULTS: {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly modelsFile: string;
  readonly judgesFile: string;
  readonly outputDir: string;
  readonly reporters: readonly Readonly<ReporterSpec>[];
  readonly jury: Readonly<Omit<JurySettings, "metrics">> & { readonly metrics: readonly string[] };
  readonly run: Readonly<RunSettings>;
  readonly gate: Readonly<GateSettings>;
} = {
  include: ["**/*.eval.jsonl", "**/*.eval.ts"],
  exclude: ["**/node_modules/**", "**/outputs/**", "**/dist/**", "**/.git/**"],
  modelsFile: "config/models_profiles.jsonl",
  judgesFile: "config/judge_profiles.jsonl",
  outputDir: "outputs",
  reporters: [{ name: "default" }],
  jury: { threshold: 3, aggregate: "mean", metrics: [] },
  run: {
    concurrency: 8,
    workers: Math.min(4, availableParallelism()),
    threads: true,
    invocations: 1,
    experiments: 1,
    temperatureVariations: 0,
    stream: true,
    timeoutMs: 120_000,
    bail: 0,
    retry: { maxAttempts: 4, baseMs: 500, capMs: 20_000, maxTotalMs: 60_000 },
    maxConcurrencyPerModel: 0,
    // Ten minutes: no run hangs by default; 0 (explicitly) means no deadline.
    caseTimeoutMs: 600_000,
    promptOptimization: "none",
    experimentWaitMs: 0,
    invocationSleepMs: 0,
    latencyOnly: false,
    vision: true,
  },
  gate: { minPassRate: 1, significance: 0.05 },
};

/** Where a built-in reporter writes when nothing says otherwise, relative to the output dir. */
export const DEFAULT_OUTPUT_FILES: Readonly<Record<string, string>> = {
  json: "report.json",
  junit: "junit.xml",
};
