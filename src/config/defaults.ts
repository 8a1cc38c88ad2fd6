import { availableParallelism } from "node:os";
import type { GateSettings, JurySettings, ReporterSpec, RunSettings } from "../types.ts";

/** Every default in one place; the README's option table states the same values. */
export const DEFAULTS = {
  include: ["**/*.eval.jsonl", "**/*.eval.ts"],
  exclude: ["**/node_modules/**", "**/outputs/**", "**/dist/**", "**/.git/**"],
  modelsFile: "config/models_profiles.jsonl",
  judgesFile: "config/judge_profiles.jsonl",
  outputDir: "outputs",
  reporters: [{ name: "default" }] as ReporterSpec[],
  jury: { threshold: 3, aggregate: "mean", metrics: [] } as JurySettings,
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
  } as RunSettings,
  gate: { minPassRate: 1 } as GateSettings,
} as const;

/** Where a reporter writes when nothing says otherwise, relative to the output dir. */
export const DEFAULT_OUTPUT_FILES: Record<string, string> = { json: "report.json", junit: "junit.xml" };
